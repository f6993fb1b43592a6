/**
 * The real main process (app/main/main.ts, compiled) under plain Node with a
 * fake 'electron' module (fakeElectron/), talking to the Feishu sandbox: it
 * starts in the tray with the shared settings and the CLI's stored secret,
 * syncs the mapped folder, takes a second launch's `--send` (relative path,
 * spaces, other working directory), notifies, serves the settings window
 * with its CSP, opens that window locked down, and quits cleanly.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.js';
import { openSettingsFile } from '../../../src/config/settingsFile.js';
import { FeishuClient } from '../../../src/feishu/client.js';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
// An app folder of its own (dist/ + resources), as `electron .` would see it, so
// parallel test files, concurrent runs and `npm run build` never race on one dist/.
// Inside the repository, so the compiled main resolves node_modules as the app does.
mkdirSync(join(root, 'test', '.tmp'), { recursive: true });
const appRoot = mkdtempSync(join(root, 'test', '.tmp', 'app-main-root-'));
const dist = join(appRoot, 'dist');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

type Report = { type: string; [key: string]: unknown };
let child: ChildProcess;
let sandbox: SandboxHandle;
let work: string;
const reports: Report[] = [];
let nextId = 0;
const waiters = new Map<number, (r: Report) => void>();

function request(cmd: Record<string, unknown>): Promise<Report> {
  const id = ++nextId;
  return new Promise((resolve) => {
    waiters.set(id, resolve);
    child.send({ ...cmd, id });
  });
}
async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; reports: ${JSON.stringify(reports.map((r) => r.type))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const invoke = async (method: string, ...args: unknown[]) => (await request({ cmd: 'invoke', method, args })).result as { ok: boolean; value?: any; error?: any };

beforeAll(async () => {
  // Compile main and what it imports (plus the window files it serves) as the app ships them.
  execFileSync(process.execPath, [tsc, '--outDir', dist, '--rootDir', root, '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--lib', 'ES2023', '--types', 'node', '--skipLibCheck', '--esModuleInterop', '--strict', join(root, 'app', 'main', 'main.ts')], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', join(root, 'app', 'renderer', 'tsconfig.json'), '--outDir', dist], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', join(root, 'app', 'preload', 'tsconfig.json'), '--outDir', dist], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'app', 'scripts', 'copy-static.mjs'), join(dist, 'app', 'renderer')], { stdio: 'ignore' });
  rmSync(join(appRoot, 'resources'), { force: true, recursive: true });
  symlinkSync(join(root, 'resources'), join(appRoot, 'resources'), 'dir');

  sandbox = await startSandbox({ limits: 'off' });
  work = mkdtempSync(join(tmpdir(), 'feisync-app-main-'));
  const dirs = Object.fromEntries(['home', 'config', 'state', 'userData', 'appData', 'downloads', 'Sync Me', 'elsewhere'].map((d) => [d, join(work, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  writeFileSync(join(dirs['Sync Me']!, 'hello 你好.txt'), 'hello from the mapped folder\n');
  writeFileSync(join(dirs.elsewhere!, 'report (final).txt'), 'sent with the right-click menu\n');
  writeFileSync(
    join(dirs.config!, 'config.json'),
    JSON.stringify({
      ...DEFAULT_SETTINGS,
      settleMs: 100,
      account: { cloud: sandbox.baseUrl, appId: sandbox.appId, identity: 'tenant' },
      mappings: [{ id: 'm1', localPath: dirs['Sync Me'], folderToken: sandbox.rootFolderToken, deletePolicy: 'keep', ignore: [], paused: false }],
    }),
  );
  // What `feisync login` leaves when the keychain is unusable (as on this headless box).
  writeFileSync(join(dirs.config!, 'secrets.json'), JSON.stringify({ version: 1, secrets: { [`app-secret:${sandbox.appId}`]: sandbox.appSecret } }), { mode: 0o600 });

  child = spawn(process.execPath, ['--import', join(import.meta.dirname, 'fakeElectron', 'register.mjs'), join(dist, 'app', 'main', 'main.js')], {
    cwd: work,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      PATH: process.env.PATH,
      HOME: dirs.home,
      XDG_CONFIG_HOME: join(dirs.home!, '.config'),
      XDG_DATA_HOME: join(dirs.home!, '.local', 'share'),
      FEISYNC_CONFIG: join(dirs.config!, 'config.json'),
      FEISYNC_STATE_DIR: dirs.state,
      FAKE_APP_PATH: appRoot,
      FAKE_USER_DATA: dirs.userData,
      FAKE_APP_DATA: dirs.appData,
      FAKE_DOWNLOADS: dirs.downloads,
      FAKE_LOCALE: 'en-US',
    },
  });
  child.on('message', (m: Report) => {
    reports.push(m);
    if (m.type === 'reply') waiters.get(m.id as number)?.(m);
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  }
  await sandbox?.close();
  rmSync(appRoot, { recursive: true, force: true });
});

describe('main process (fake Electron, real engine, Feishu sandbox)', () => {
  it('starts in the tray, single-instance, with the feisync:// protocol and a locked-down settings scheme', async () => {
    await until('the tray', () => reports.find((r) => r.type === 'trayCreated'));
    expect(reports.find((r) => r.type === 'singleInstanceLock')?.data).toMatchObject({ argv: expect.any(Array), cwd: work });
    expect(reports.find((r) => r.type === 'trayCreated')).toMatchObject({ exists: true });
    expect(reports.find((r) => r.type === 'privilegedSchemes')).toMatchObject({ schemes: [{ scheme: 'feisync-app' }] });
    await until('protocol client', () => reports.find((r) => r.type === 'protocolClient'));
    expect(reports.find((r) => r.type === 'protocolClient')).toMatchObject({ scheme: 'feisync' });
    expect(reports.some((r) => r.type === 'window')).toBe(false); // configured: no window at start
    expect(reports.some((r) => r.type === 'errorBox')).toBe(false);
  });

  it('runs the engine with the CLI-stored secret and syncs the mapped folder', async () => {
    await until('the first upload', () => sandbox.tree().some((n) => n.name === 'hello 你好.txt'), 60_000);
    const state = await until('engine state', async () => {
      const r = await invoke('getState');
      return r.ok && r.value.running && r.value.mappings.length === 1 ? r.value : undefined;
    });
    expect(state.mappings[0]).toMatchObject({ id: 'm1' });
    const settings = await invoke('getSettings');
    expect(settings.value.account).toMatchObject({ appId: sandbox.appId });
  });

  it('the tray menu lists the mapping and the quota', async () => {
    const menu = await until('menu', async () => {
      const r = await request({ cmd: 'menu' });
      const items = r.menu as (string | { label: string })[];
      return items.some((i) => typeof i === 'object' && i.label.startsWith('Sync Me')) ? items : undefined;
    });
    expect(menu).toEqual(expect.arrayContaining(['Pause syncing', 'Sync now', 'Settings…', 'Quit FeiSync']));
    const icons = reports.filter((r) => r.type === 'trayIcon');
    expect(icons.length).toBeGreaterThan(0);
    expect(icons.filter((r) => !r.exists)).toEqual([]);
  });

  it('a second launch with --send and a relative path in another folder uploads the file and notifies', async () => {
    const cwd = join(work, 'elsewhere');
    const argv = ['/usr/lib/electron/electron', appRoot, '--allow-file-access-from-files', '--send', 'report (final).txt'];
    await request({ cmd: 'second-instance', argv: ['/usr/lib/electron/electron', '--send', 'wrong.txt'], cwd: '/nowhere', data: { argv, cwd } });
    await until('the sent file', () => sandbox.tree().some((n) => n.name === 'report (final).txt'), 60_000);
    const note = await until('notification', () => reports.find((r) => r.type === 'notification' && r.title === 'Sent to Feishu'));
    expect(note.body).toBe('1 file sent');
    expect(sandbox.tree().some((n) => n.name === 'wrong.txt')).toBe(false);
  });

  it('the tray\'s Feishu check uploads again a file deleted in Feishu and says so in a notification', async () => {
    const uploaded = await until('the synced file', () => sandbox.tree().find((n) => n.name === 'hello 你好.txt'));
    const client = new FeishuClient({ baseUrl: sandbox.baseUrl, credentials: { kind: 'tenant', appId: sandbox.appId, appSecret: sandbox.appSecret } });
    try {
      await client.delete(uploaded.token, 'file');
    } finally {
      await client.close();
    }
    expect(sandbox.tree().some((n) => n.name === 'hello 你好.txt')).toBe(false);
    const submenu = await until('an idle mapping submenu', async () => {
      const items = (await request({ cmd: 'menu' })).menu as (string | { label: string; submenu: unknown[] })[];
      return items.find((i): i is { label: string; submenu: unknown[] } => typeof i === 'object' && i.label === 'Sync Me — up to date');
    });
    expect(submenu.submenu).toContain('Check for files missing in Feishu');
    expect(await request({ cmd: 'click', path: [submenu.label, 'Check for files missing in Feishu'] })).toMatchObject({ clicked: true });
    const note = await until('notification', () => reports.find((r) => r.type === 'notification' && r.title === 'Checked Sync Me in Feishu'), 60_000);
    expect(note.body).toBe('1 file was missing in Feishu and was uploaded again.');
    const again = sandbox.tree().find((n) => n.name === 'hello 你好.txt');
    expect(again).toBeDefined();
    expect(again!.token).not.toBe(uploaded.token);
  }, 90_000);

  it('serves the settings window files with the CSP, and nothing outside them', async () => {
    const page = await request({ cmd: 'fetch', url: 'feisync-app://app/index.html' });
    expect(page).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' });
    expect(page.csp).toContain("script-src 'self'");
    expect(page.text).toContain('<div id="app"');
    expect(await request({ cmd: 'fetch', url: 'feisync-app://app/..%2f..%2f..%2fpackage.json' })).toMatchObject({ status: 404 });
  });

  it('a plain second launch opens the settings window: isolated, sandboxed, no Node, preload present', async () => {
    await request({ cmd: 'second-instance', argv: ['/usr/lib/electron/electron', appRoot], cwd: work, data: { argv: ['/usr/lib/electron/electron', appRoot], cwd: work } });
    const win = await until('window', () => reports.find((r) => r.type === 'window'));
    expect((win.options as { webPreferences: object }).webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(win.preloadExists).toBe(true);
    expect(reports.find((r) => r.type === 'loadURL')?.url).toBe('feisync-app://app/index.html');
  });

  it('bridge calls from another page are refused', async () => {
    const r = await request({ cmd: 'invoke', method: 'getSettings', args: [], frameUrl: 'https://evil.example.com/' });
    expect(r.result).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
  });

  it('follows the CLI editing the shared settings file (`feisync pause`)', async () => {
    openSettingsFile(join(work, 'config', 'config.json')).update((s) => ({ ...s, paused: true }));
    await until('paused engine', async () => (await invoke('getState')).value?.paused === true, 20_000);
    const menu = await request({ cmd: 'menu' });
    expect(menu.menu).toContain('Resume syncing');
  }, 30_000);

  it('Quit stops the engine and exits', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await request({ cmd: 'click', path: ['Quit FeiSync'] });
    expect(await exited).toBe(0);
    expect(reports.some((r) => r.type === 'trayDestroyed')).toBe(true);
  });
});
