#!/usr/bin/env node
// Engine benchmarks against the in-process sandbox (run after `npm run build`):
//   node test/bench/engine-throughput.mjs [--files N] [--fast-files N] [--latency-files N] [--only limited|fast|calls|latency|hash]
// Prints: sustained small-file rate with Feishu limits (5 QPS), the rate with
// limits off, API calls per file by kind, and change-to-upload-start latency in watch mode.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { DEFAULT_SETTINGS } from '../../dist/src/config/settings.js';
import { startSandbox } from '../../dist/src/sandbox/index.js';
import { createEngineFromSettings } from '../../dist/src/sync/engineFactory.js';
import { hashFile } from '../../dist/src/scan/scanFs.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '150' },
    'fast-files': { type: 'string', default: '2000' },
    'latency-files': { type: 'string', default: '40' },
    only: { type: 'string' },
    'guard-ms': { type: 'string' },
  },
});

async function setup({ sandbox: sandboxOptions, limits = {}, settleMs = 0, engine = {}, child = false, scheduler }) {
  const sandbox = child ? await childSandbox(sandboxOptions) : await startSandbox(sandboxOptions);
  const root = mkdtempSync(join(tmpdir(), 'feisync-bench-root-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'feisync-bench-state-'));
  const settings = {
    ...DEFAULT_SETTINGS,
    settleMs,
    limits: { ...DEFAULT_SETTINGS.limits, ...limits },
    mappings: [{ id: 'm1', localPath: root, folderToken: sandbox.rootFolderToken, deletePolicy: 'trash', ignore: [], paused: false }],
  };
  const handle = createEngineFromSettings({
    baseUrl: sandbox.baseUrl,
    credentials: { kind: 'tenant', appId: sandbox.appId, appSecret: sandbox.appSecret },
    stateDir, settings, engine, scheduler,
  });
  const write = (rel, data) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  };
  return {
    sandbox, root, handle, write,
    async close() {
      await handle.close();
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

function delta(after, before) {
  const out = {};
  for (const [k, v] of Object.entries(after)) if (k !== 'tenantToken' && v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}

/**
 * The sandbox in its own process, like the real Feishu: in-process, the
 * engine's own work (SQLite writes, hashing) would delay the server's clock
 * readings and bunch arrivals up, which no real network client causes.
 */
async function childSandbox(options) {
  const code = `import { startSandbox } from ${JSON.stringify(new URL('../../dist/src/sandbox/index.js', import.meta.url).href)};
    const s = await startSandbox(${JSON.stringify(options)});
    console.log(JSON.stringify({ baseUrl: s.baseUrl, appId: s.appId, appSecret: s.appSecret, rootFolderToken: s.rootFolderToken }));
    process.stdin.on('end', () => s.close().then(() => process.exit(0))); process.stdin.resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf.split('\n')[0]);
    });
    child.once('exit', () => reject(new Error('sandbox child exited')));
  });
  const info = JSON.parse(line);
  return {
    ...info,
    counters: async () => (await fetch(`${info.baseUrl}/sandbox/admin/counters`)).json(),
    close: async () => {
      child.stdin.end();
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function limitedRate(n) {
  const guardMs = values['guard-ms'] === undefined ? undefined : Number(values['guard-ms']);
  const b = await setup({
    sandbox: { limits: 'feishu' }, limits: { qps: 5 }, child: true,
    scheduler: guardMs === undefined ? undefined : { pacing: { qps: 5, guardMs } },
  });
  for (let i = 0; i < n; i++) b.write(`f${i}.txt`, `small file ${i}`);
  const t0 = performance.now();
  const summary = await b.handle.engine.syncOnce();
  const sec = (performance.now() - t0) / 1000;
  const c = await b.sandbox.counters();
  const rate = summary.uploaded.length / sec;
  console.log(`limits feishu (5 QPS, sandbox in its own process, pacing guard ${guardMs ?? 'default'} ms): ${summary.uploaded.length} small files in ${sec.toFixed(2)} s = ${rate.toFixed(2)} files/s (${((rate / 5) * 100).toFixed(1)}% of 5/s); 99991400 answers: ${Object.values(c.rateLimited).reduce((a, x) => a + x, 0)} ${JSON.stringify(c.rateLimited)}`);
  await b.close();
}

async function unlimitedRate(n) {
  const b = await setup({ sandbox: { limits: 'off' }, limits: { qps: 100000, fileConcurrency: 8, dailyQuota: 1_000_000 } });
  for (let i = 0; i < n; i++) b.write(`d${i % 10}/f${i}.txt`, `small file ${i}`);
  const t0 = performance.now();
  const summary = await b.handle.engine.syncOnce();
  const sec = (performance.now() - t0) / 1000;
  console.log(`limits off: ${summary.uploaded.length} small files in ${sec.toFixed(2)} s = ${(summary.uploaded.length / sec).toFixed(0)} files/s` +
    (summary.failed.length + summary.skipped.length > 0 ? ` (failed ${summary.failed.length}, skipped ${summary.skipped.length}: ${JSON.stringify([...summary.failed, ...summary.skipped].slice(0, 2))})` : ''));
  await b.close();
}

async function callsPerKind() {
  const b = await setup({ sandbox: { limits: 'off' }, limits: { qps: 100000 } });
  const engine = b.handle.engine;
  const step = async (label, change) => {
    const before = b.sandbox.counters().calls;
    change();
    await engine.syncOnce();
    console.log(`calls for ${label}: ${JSON.stringify(delta(b.sandbox.counters().calls, before))}`);
  };
  await step('first run of a new mapping (empty folder: one listing to adopt what is there)', () => {});
  await step('new small file (1 KB)', () => b.write('small.txt', randomBytes(1024)));
  await step('new 50 MB file (chunked)', () => b.write('big.bin', randomBytes(50 * 1024 * 1024)));
  await step('edited small file (new version)', () => b.write('small.txt', randomBytes(2048)));
  await step('touched file (same content)', () => b.write('small.txt', readBack(b.root, 'small.txt')));
  await step('rename in place', () => renameSync(join(b.root, 'small.txt'), join(b.root, 'renamed.txt')));
  await step('move to another folder (new folder)', () => { mkdirSync(join(b.root, 'sub')); renameSync(join(b.root, 'renamed.txt'), join(b.root, 'sub', 'renamed.txt')); });
  await step('delete (policy trash)', () => rmSync(join(b.root, 'big.bin')));
  await step('nothing changed', () => {});
  await b.close();
}

import { readFileSync } from 'node:fs';
function readBack(root, rel) {
  return readFileSync(join(root, rel));
}

async function watchLatency(n, settleMs) {
  const b = await setup({ sandbox: { limits: 'off' }, limits: { qps: 100000 }, settleMs, engine: { debounceMs: 100 } });
  const engine = b.handle.engine;
  const written = new Map();
  const latencies = [];
  engine.on((e) => {
    if (e.type !== 'progress') return;
    const at = written.get(e.progress.relPath);
    if (at !== undefined) {
      latencies.push(performance.now() - at);
      written.delete(e.progress.relPath);
    }
  });
  await engine.start();
  while (!engine.getState().mappings[0].firstSyncDone) await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < n; i++) {
    const rel = `w${i}.txt`;
    written.set(rel, performance.now());
    b.write(rel, `watched ${i}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const deadline = Date.now() + 60_000;
  while (latencies.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  latencies.sort((x, y) => x - y);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  console.log(`watch latency (settleMs ${settleMs}, debounce 100 ms), change → upload start over ${latencies.length} files: p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms`);
  await b.close();
}

/**
 * Content hash of an uploaded file: small files are hashed from the bytes
 * upload_all reads (no second read); chunked files (> 20 MB) get one separate
 * pass after upload_finish. This prints what that pass costs per MB, right
 * after the file was read (page cache warm, as after an upload), next to the
 * least time one 4 MB block takes at Feishu's 5 QPS for upload_part.
 */
async function hashPassCost() {
  const dir = mkdtempSync(join(tmpdir(), 'feisync-bench-hash-'));
  const mb = 64;
  const path = join(dir, 'big.bin');
  writeFileSync(path, randomBytes(mb * 1024 * 1024));
  await hashFile(path); // warm
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await hashFile(path);
    times.push(performance.now() - t0);
  }
  const best = Math.min(...times);
  console.log(`separate content-hash pass of a chunked file (${mb} MB, page cache warm, best of 3): ${best.toFixed(0)} ms = ${(best / mb).toFixed(2)} ms/MB; a 4 MB block at 5 QPS takes >= 200 ms, so the pass adds ${((best / mb) * 4 / 200 * 100).toFixed(1)}% to a paced chunked upload`);
  rmSync(dir, { recursive: true, force: true });
}

const run = (name) => values.only === undefined || values.only === name;
if (run('hash')) await hashPassCost();
if (run('limited')) await limitedRate(Number(values.files));
if (run('fast')) await unlimitedRate(Number(values['fast-files']));
if (run('calls')) await callsPerKind();
if (run('latency')) {
  await watchLatency(Number(values['latency-files']), 2000);
  await watchLatency(Number(values['latency-files']), 300);
}
