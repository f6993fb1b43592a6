#!/usr/bin/env node
// Draws FeiSync's icons as PNGs (no image library: shapes as signed distance
// functions, 4×4 supersampling, PNG encoded with node:zlib). Output is
// committed under resources/icons; run again after changing a shape:
//   node app/scripts/draw-icons.mjs
// Tray: one glyph per state — a cloud with the state knocked out of it — for
// light panels (dark glyph), dark panels (light glyph), and macOS template
// images (black + alpha, tinted by the system); @1x = 16 px, @2x = 32 px.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'resources', 'icons');

// ---- PNG encoding -------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// ---- shapes (unit square, y down; a shape is a predicate on a point) -----
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= w / 2;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
function roundRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r;
  };
}
function segment(ax, ay, bx, by, w) {
  return (x, y) => {
    const vx = bx - ax, vy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
    return Math.hypot(x - (ax + t * vx), y - (ay + t * vy)) <= w / 2;
  };
}
const union = (...s) => (x, y) => s.some((f) => f(x, y));
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);

const cloud = union(circle(0.3, 0.6, 0.18), circle(0.54, 0.45, 0.26), circle(0.76, 0.6, 0.17), roundRect(0.12, 0.55, 0.93, 0.78, 0.1));
const W = 0.1; // stroke of the knocked-out symbols: thick enough to read at 16 px
const CX = 0.53, CY = 0.6;
const symbols = {
  idle: union(segment(CX - 0.14, CY, CX - 0.04, CY + 0.1, W), segment(CX - 0.04, CY + 0.1, CX + 0.15, CY - 0.1, W)),
  syncing: union(segment(CX, CY + 0.14, CX, CY - 0.12, W), segment(CX - 0.12, CY - 0.01, CX, CY - 0.13, W), segment(CX + 0.12, CY - 0.01, CX, CY - 0.13, W)),
  paused: union(rect(CX - 0.11, CY - 0.12, CX - 0.03, CY + 0.12), rect(CX + 0.03, CY - 0.12, CX + 0.11, CY + 0.12)),
  quota: union(ring(CX, CY, 0.12, 0.07), segment(CX, CY, CX, CY - 0.07, 0.06), segment(CX, CY, CX + 0.06, CY, 0.06)),
  error: union(segment(CX, CY - 0.13, CX, CY + 0.03, W), circle(CX, CY + 0.12, 0.055)),
  offline: () => false,
};
function trayShape(kind) {
  if (kind === 'offline') {
    // An outlined cloud, struck through: nothing goes up.
    const inner = union(circle(0.3, 0.6, 0.1), circle(0.54, 0.45, 0.18), circle(0.76, 0.6, 0.09), roundRect(0.2, 0.55, 0.85, 0.7, 0.05));
    const slash = segment(0.14, 0.2, 0.88, 0.9, 0.09);
    const gap = segment(0.14, 0.2, 0.88, 0.9, 0.2);
    return union(minus(minus(cloud, inner), gap), slash);
  }
  return minus(cloud, symbols[kind]);
}

function render(size, paint, samples = 4) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (c) {
            r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
        rgba[i + 3] = Math.round((a / (samples * samples)) * 255);
      }
    }
  }
  return encodePng(size, rgba);
}

function save(rel, png) {
  const file = join(out, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, png);
}

// ---- tray ---------------------------------------------------------------
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 1];
const ACCENT = { syncing: '#3370ff', quota: '#de7802', error: '#e5483f' };
const GLYPH = { light: '#1f2329', dark: '#f2f3f5' };
const KINDS = ['idle', 'syncing', 'paused', 'quota', 'error', 'offline'];
for (const kind of KINDS) {
  const shape = trayShape(kind);
  for (const [scale, size] of [['', 16], ['@2x', 32]]) {
    for (const panel of ['light', 'dark']) {
      const color = hex(ACCENT[kind] ?? GLYPH[panel]);
      save(`tray/${kind}-${panel}${scale}.png`, render(size, (x, y) => (shape(x, y) ? color : null)));
    }
    save(`tray/${kind}Template${scale}.png`, render(size, (x, y) => (shape(x, y) ? [0, 0, 0, 1] : null)));
  }
}

// ---- syncing with a count (Windows / Linux; macOS shows the count as the tray title) ----
// A badge in the panel's text colour (red would read as an error) bottom-right, with a
// seven-segment digit 1–9, or "+" for 10 and more.
const BADGE = { cx: 0.72, cy: 0.7, r: 0.28 };
const SEGMENTS = { a: [0, 0, 1, 0], b: [1, 0, 1, 0.5], c: [1, 0.5, 1, 1], d: [0, 1, 1, 1], e: [0, 0.5, 0, 1], f: [0, 0, 0, 0.5], g: [0, 0.5, 1, 0.5] };
const DIGITS = { 1: 'bc', 2: 'abged', 3: 'abgcd', 4: 'fgbc', 5: 'afgcd', 6: 'afgedc', 7: 'abc', 8: 'abcdefg', 9: 'abcdfg' };
function badgeGlyph(label) {
  const w = 0.15, h = 0.26, x0 = BADGE.cx - w / 2, y0 = BADGE.cy - h / 2, stroke = 0.07;
  if (label === 'many') return union(segment(BADGE.cx - 0.1, BADGE.cy, BADGE.cx + 0.1, BADGE.cy, stroke), segment(BADGE.cx, BADGE.cy - 0.1, BADGE.cx, BADGE.cy + 0.1, stroke));
  return union(...[...DIGITS[label]].map((k) => {
    const [ax, ay, bx, by] = SEGMENTS[k];
    return segment(x0 + ax * w, y0 + ay * h, x0 + bx * w, y0 + by * h, stroke);
  }));
}
const BADGE_LABELS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'many'];
for (const label of BADGE_LABELS) {
  const base = minus(trayShape('syncing'), circle(BADGE.cx, BADGE.cy, BADGE.r + 0.06));
  const badge = circle(BADGE.cx, BADGE.cy, BADGE.r);
  const glyph = badgeGlyph(label);
  for (const [scale, size] of [['', 16], ['@2x', 32]]) {
    for (const panel of ['light', 'dark']) {
      const [fill, ink] = panel === 'light' ? [GLYPH.light, GLYPH.dark] : [GLYPH.dark, GLYPH.light];
      const paint = (x, y) => (badge(x, y) ? hex(glyph(x, y) ? ink : fill) : base(x, y) ? hex(ACCENT.syncing) : null);
      save(`tray/syncing-${label}-${panel}${scale}.png`, render(size, paint));
    }
  }
}

// ---- application icon -------------------------------------------------------
const tile = roundRect(0.06, 0.06, 0.94, 0.94, 0.2);
const big = (x, y) => cloud((x - 0.5) / 0.78 + 0.52, (y - 0.5) / 0.78 + 0.56);
const arrow = union(segment(0.5, 0.72, 0.5, 0.44, 0.075), segment(0.39, 0.54, 0.5, 0.43, 0.075), segment(0.61, 0.54, 0.5, 0.43, 0.075));
function appIcon(x, y) {
  if (!tile(x, y)) return null;
  if (big(x, y) && !arrow(x, y)) return [255, 255, 255, 1];
  const t = y; // top-to-bottom gradient
  return [Math.round(0x4c + (0x1f - 0x4c) * t), Math.round(0x8b + (0x55 - 0x8b) * t), 255 - Math.round(0x28 * t), 1];
}
save('icon.png', render(1024, appIcon, 3));
for (const size of [16, 32, 48, 64, 128, 256, 512]) save(`png/${size}x${size}.png`, render(size, appIcon, 4));
console.log(`draw-icons: ${KINDS.length * 6 + BADGE_LABELS.length * 4} tray images and 8 app icon sizes in ${out}`);
