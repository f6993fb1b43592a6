/**
 * electron-builder.yml cannot be built here (no Electron binary), so this
 * checks what can be checked: it is valid against electron-builder's own
 * JSON schema, every file and folder it names exists, and the targets and
 * fields FeiSync relies on are there.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../../app/main/appIdentity.js';
import { TRAY_ICON_KINDS, trayIconFile } from '../../../app/main/trayMenu.js';

const root = join(import.meta.dirname, '..', '..', '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's configuration schema", async () => {
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv').default as typeof import('ajv').default;
    const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(validate({ ...config, nsis: { ...config.nsis, oneClick: 'sometimes' } })).toBe(false); // the check bites
  });

  it('names the app and registers the feisync:// protocol', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.protocols).toContainEqual({ name: 'FeiSync', schemes: ['feisync'] });
    expect(config.executableName).not.toBe(Object.keys(pkg.bin)[0]); // the CLI keeps its name
  });

  it('builds AppImage + deb, dmg and nsis', () => {
    const targets = (list: (string | { target: string })[]) => list.map((t) => (typeof t === 'string' ? t : t.target));
    expect(targets(config.linux.target)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targets(config.mac.target)).toContain('dmg');
    expect(targets(config.win.target)).toContain('nsis');
  });

  it('packages the compiled app, keeps better-sqlite3 outside the asar and rebuilds it for Electron', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.asarUnpack.some((p: string) => p.includes('better-sqlite3'))).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(pkg.main).toBe('dist/app/main/main.js');
    expect(pkg.scripts['app:deps']).toContain('install-app-deps');
  });

  it('every file and folder it references exists', () => {
    const referenced = [
      config.mac.icon,
      config.win.icon,
      config.linux.icon,
      config.nsis.include,
      config.deb.afterInstall,
      config.deb.afterRemove,
      ...config.extraResources.map((r: { from: string }) => r.from),
    ];
    for (const rel of referenced) expect(existsSync(join(root, rel)), rel).toBe(true);
    expect(statSync(join(root, config.linux.icon)).isDirectory()).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(existsSync(join(root, config.linux.icon, `${size}x${size}.png`))).toBe(true);
  });

  it('the icons are PNGs big enough for every platform (macOS and Windows derive theirs from a ≥ 512 px image)', () => {
    const png = readFileSync(join(root, config.mac.icon));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
  });

  it('ships every tray icon the app can ask for (each state and count, light/dark panels, macOS templates), @1x and @2x', () => {
    const files = new Set<string>();
    for (const kind of TRAY_ICON_KINDS) {
      for (const badge of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
        for (const platform of ['darwin', 'win32', 'linux'] as const) {
          for (const dark of [false, true]) files.add(trayIconFile(kind, badge, platform, dark));
        }
      }
    }
    expect(files.size).toBe(6 * 3 + 10 * 2);
    for (const file of files) {
      for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
        const name = file.replace(/\.png$/, `${suffix}.png`);
        const png = readFileSync(join(root, 'resources', 'icons', 'tray', name));
        expect(png.readUInt32BE(16), name).toBe(size);
      }
    }
  });

  it('the deb scripts keep what electron-builder does by default (bin link, chrome-sandbox)', () => {
    const script = readFileSync(join(root, config.deb.afterInstall), 'utf8');
    expect(script).toContain("ln -sf \"$APP_DIR/${executable}\"");
    expect(script).toContain('chmod 4755 "$APP_DIR/chrome-sandbox"');
    expect(script).toContain('resources/shell/linux');
  });
});
