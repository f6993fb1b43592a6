/**
 * The settings window in real headless Chromium: pages served from the
 * compiled dist/app/renderer, `window.feisync` replaced by a fake bridge.
 * Screenshots of every page (en, zh-CN) go to docs/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import { installFakeBridge, type FakeBridgeData } from './fakeBridge.js';

const root = join(import.meta.dirname, '..', '..');
// Built into its own folder: parallel test files and `npm run build` never race on dist/.
// A build of its own per run: concurrent runs never serve each other's half-written files.
const buildDir = mkdtempSync(join(tmpdir(), 'feisync-ui-build-'));
const served = join(buildDir, 'app', 'renderer');
const shots = join(root, 'docs', 'screenshots');
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  // Build the window exactly as the app ships it.
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'app', 'renderer', 'tsconfig.json'), '--outDir', buildDir], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'app', 'scripts', 'copy-static.mjs'), served], { stdio: 'ignore' });
  await mkdir(shots, { recursive: true });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(served, path === '/' ? 'index.html' : path);
    if (!file.startsWith(served)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(buildDir, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 2, 1, 6, 42);

function data(locale: 'en' | 'zh-CN'): FakeBridgeData {
  return {
    info: { version: '0.1.0', electron: '38.2.0', chrome: '140.0.7339.41', node: '22.19.0', platform: 'linux', locale, logDir: '/home/ada/.local/state/feisync/logs', stateDir: '/home/ada/.local/state/feisync' },
    settings: {
      ...structuredClone(DEFAULT_SETTINGS),
      account: { cloud: 'feishu', appId: 'cli_a5f3c2e1b0d9', identity: 'tenant' },
      hasSecret: true,
      signedIn: false,
      shellIntegration: true,
      mappings: [
        { id: 'm1', localPath: '/home/ada/Photos 照片', folderToken: 'fldcnPhotos123', folderUrl: 'https://example.feishu.cn/drive/folder/fldcnPhotos123', deletePolicy: 'keep', ignore: ['*.tmp', '.DS_Store'], paused: false },
        { id: 'm2', localPath: '/home/ada/Work/Reports', folderToken: 'fldcnReports9', deletePolicy: 'trash', ignore: [], paused: false },
      ],
    },
    state: {
      running: true,
      paused: false,
      online: true,
      mappings: [
        { id: 'm1', localPath: '/home/ada/Photos 照片', folderToken: 'fldcnPhotos123', status: 'syncing', pending: 37, uploading: 3, failed: 0, skipped: 1, synced: 1204, firstSyncDone: true },
        {
          id: 'm2', localPath: '/home/ada/Work/Reports', folderToken: 'fldcnReports9', status: 'stopped', pending: 0, uploading: 0, failed: 2, skipped: 0, synced: 88, firstSyncDone: true,
          error: { code: 1061004, message: 'No edit permission on the Feishu folder.', remedy: 'Ask the folder owner to give the app edit access, then click Retry.', at: NOW - 60_000 },
        },
      ],
      quota: {
        day: '2026-03-01', resetsAt: Date.UTC(2026, 2, 1, 16, 0), exhausted: false,
        endpoints: [
          { endpoint: 'filesUploadAll', used: 1320, limit: 10_000, left: 8680 },
          { endpoint: 'listFolder', used: 56, limit: 10_000, left: 9944 },
          { endpoint: 'createFolder', used: 12, limit: 10_000, left: 9988 },
        ],
      },
      inFlight: [],
      recent: [
        { at: NOW - 20_000, mappingId: 'm1', relPath: '2026/春节/IMG_0042.jpg', kind: 'uploaded', remoteToken: 'boxA', url: 'https://example.feishu.cn/file/boxA', detail: null },
        { at: NOW - 90_000, mappingId: null, relPath: 'Q1 budget (final).xlsx', kind: 'sent', remoteToken: 'boxB', url: 'https://example.feishu.cn/file/boxB', detail: null },
        { at: NOW - 300_000, mappingId: 'm2', relPath: 'weekly/2026-W09.pdf', kind: 'failed', remoteToken: null, url: null, detail: '1061004 forbidden: no edit permission' },
        { at: NOW - 600_000, mappingId: 'm1', relPath: '2026/trip/notes.md', kind: 'versioned', remoteToken: 'boxC', url: 'https://example.feishu.cn/file/boxC', detail: null },
      ],
      lastErrors: [
        { code: 1061004, message: 'No edit permission on the Feishu folder.', remedy: 'Ask the folder owner to give the app edit access, then click Retry.', relPath: 'weekly/2026-W09.pdf', logId: '20260301144200ABCDEF', at: NOW - 300_000 },
      ],
    },
  };
}

async function open(locale: 'en' | 'zh-CN', page = 'folders', mutate?: (d: FakeBridgeData) => void, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 920, height: 760 }, locale, timezoneId: 'Asia/Shanghai', colorScheme });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  p.on('pageerror', (e) => errors.push(e.message));
  const d = data(locale);
  mutate?.(d);
  await p.addInitScript(installFakeBridge, d);
  await p.goto(`${base}/index.html#${page}`);
  await p.waitForSelector('[role="tabpanel"] h1');
  return { page: p, errors };
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls);

describe('every page renders, in English and Chinese (screenshots in docs/screenshots)', () => {
  const expected = {
    en: { account: 'Account', folders: 'Folders', limits: 'Limits', activity: 'Activity', about: 'About' },
    'zh-CN': { account: '账号', folders: '文件夹', limits: '限制', activity: '动态', about: '关于' },
  } as const;
  for (const locale of ['en', 'zh-CN'] as const) {
    for (const [id, heading] of Object.entries(expected[locale])) {
      it(`${id} (${locale})`, async () => {
        const { page, errors } = await open(locale, id);
        await expect.poll(() => page.locator('[role="tabpanel"] h1').textContent()).toBe(heading);
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        expect(await page.locator(`#tab-${id}`).getAttribute('aria-selected')).toBe('true');
        await page.screenshot({ path: join(shots, `${id}-${locale}.png`), fullPage: true });
        expect(errors).toEqual([]); // includes CSP violations
        await page.context().close();
      });
    }
  }
});

it('follows the system dark mode', async () => {
  const { page, errors } = await open('en', 'folders', undefined, 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(27, 28, 31)');
  await page.screenshot({ path: join(shots, 'folders-dark-en.png'), fullPage: true });
  expect(errors).toEqual([]);
  await page.context().close();
});

describe('Folders', () => {
  it('adding a mapping shows it in the list and sends the right request', async () => {
    const { page } = await open('en');
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => page.inputValue('#new-local')).toBe('/home/ada/Picked Folder');
    await page.fill('#new-remote', 'https://example.feishu.cn/drive/folder/fldcnNew42');
    await page.selectOption('form.add select', 'trash');
    await page.fill('form.add textarea', '*.log\n\nbuild/');
    await page.getByRole('button', { name: 'Add folder' }).last().click();
    await page.waitForSelector('[data-mapping="m3"]');
    expect(await page.locator('[data-mapping="m3"] h2').textContent()).toBe('/home/ada/Picked Folder');
    expect(await page.locator('form.add [role="status"]').textContent()).toContain('Folder added');
    expect(await page.inputValue('#new-local')).toBe('');
    expect((await calls(page)).find((c) => c[0] === 'addMapping')).toEqual([
      'addMapping',
      { localPath: '/home/ada/Picked Folder', remote: 'https://example.feishu.cn/drive/folder/fldcnNew42', deletePolicy: 'trash', ignore: ['*.log', 'build/'] },
    ]);
    await page.context().close();
  });

  it('a rejected mapping shows the error with its remedy and keeps what was typed', async () => {
    const { page } = await open('en');
    await page.fill('#new-local', 'relative/dir');
    await page.fill('#new-remote', 'https://example.feishu.cn/docx/abc');
    await page.getByRole('button', { name: 'Add folder' }).last().click();
    const alert = page.locator('form.add [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('is not an absolute path');
    expect(await alert.textContent()).toContain('Pick the folder with the Browse… button.');
    expect(await page.inputValue('#new-local')).toBe('relative/dir');
    await page.fill('#new-local', '/home/ada/ok');
    await page.getByRole('button', { name: 'Add folder' }).last().click();
    await expect.poll(() => alert.textContent()).toContain('/drive/folder/<token>');
    await page.screenshot({ path: join(shots, 'folders-error-en.png'), fullPage: true });
    await page.context().close();
  });

  it('browses Feishu folders and fills the folder field with the chosen one', async () => {
    const { page } = await open('zh-CN');
    await page.getByRole('button', { name: '浏览飞书…' }).click();
    await page.getByRole('button', { name: '📁 团队资料 Team' }).click();
    await page.getByRole('button', { name: '📁 Design 设计稿' }).waitFor();
    expect(await page.locator('.crumbs').textContent()).toBe('我的空间 / 团队资料 Team');
    await page.getByRole('button', { name: '使用此文件夹' }).click();
    expect(await page.inputValue('#new-remote')).toBe('https://example.feishu.cn/drive/folder/fldcnTeam');
    expect((await calls(page)).filter((c) => c[0] === 'listRemoteFolders')).toEqual([['listRemoteFolders', null], ['listRemoteFolders', 'fldcnTeam']]);
    await page.context().close();
  });

  it('remove asks for a second click; pause toggles; status follows engine events', async () => {
    const { page } = await open('en');
    const card = page.locator('[data-mapping="m2"]');
    await card.getByRole('button', { name: 'Remove' }).click();
    expect((await calls(page)).some((c) => c[0] === 'removeMapping')).toBe(false);
    await card.getByRole('button', { name: 'Click again to remove' }).click();
    await page.waitForSelector('[data-mapping="m2"]', { state: 'detached' });

    await page.locator('[data-mapping="m1"]').getByRole('button', { name: 'Pause' }).click();
    await page.locator('[data-mapping="m1"]').getByRole('button', { name: 'Resume' }).waitFor();

    await page.evaluate(() => {
      const w = window as unknown as { __data: FakeBridgeData; __emit: (e: unknown) => void };
      w.__data.state.mappings[0]!.status = 'idle';
      w.__data.state.mappings[0]!.pending = 0;
      w.__emit({ type: 'mapping', mapping: w.__data.state.mappings[0] });
    });
    await expect.poll(() => page.locator('[data-status-for="m1"] .badge').textContent()).toBe('Up to date');
    await page.context().close();
  });
});

describe('Folders: check for files missing in Feishu', () => {
  const finishVerify = (page: Page, result: object) =>
    page.evaluate((r) => (window as unknown as { __finishVerify: (r: object) => void }).__finishVerify(r), result);
  const report = { mappingId: 'm1', checked: 1204, listed: 1190, lostFiles: 3, lostFolders: 1, uploaded: 3, failed: 0, quotaExhausted: false };

  it('runs for its folder with the button busy meanwhile, then says what was missing and uploaded again', async () => {
    const { page, errors } = await open('en');
    const card = page.locator('[data-mapping="m1"]');
    const check = card.getByRole('button', { name: 'Check for files missing in Feishu' });
    expect(await check.getAttribute('title')).toContain('one API call per folder page');
    await check.click();
    const busy = card.getByRole('button', { name: 'Checking Feishu…' });
    await busy.waitFor();
    expect(await busy.isDisabled()).toBe(true);
    expect((await calls(page)).at(-1)).toEqual(['verifyRemote', 'm1']);
    await finishVerify(page, { ok: true, value: report });
    await expect.poll(() => page.locator('.mappings + .outcome').textContent()).toBe(
      '3 files were missing in Feishu and were uploaded again. 1 missing folder will be created again as needed.',
    );
    expect(await check.isEnabled()).toBe(true);
    expect((await calls(page)).filter((c) => c[0] === 'verifyRemote')).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an engine error shows its message and remedy; in Chinese, a clean folder says nothing is missing', async () => {
    const { page } = await open('en');
    await page.locator('[data-mapping="m2"]').getByRole('button', { name: 'Check for files missing in Feishu' }).click();
    await finishVerify(page, { ok: false, code: 'E_SYNC_STOPPED', message: 'No edit permission on the Feishu folder.', remedy: 'Ask the folder owner to give the app edit access.' });
    await expect.poll(() => page.locator('.mappings + [role="alert"]').textContent()).toContain('Ask the folder owner to give the app edit access.');
    await page.context().close();

    const zh = (await open('zh-CN')).page;
    await zh.locator('[data-mapping="m1"]').getByRole('button', { name: '检查飞书中缺失的文件' }).click();
    await zh.locator('[data-mapping="m1"]').getByRole('button', { name: '正在检查飞书…' }).waitFor();
    await finishVerify(zh, { ok: true, value: { ...report, lostFiles: 0, lostFolders: 0, uploaded: 0 } });
    await expect.poll(() => zh.locator('.mappings + .outcome').textContent()).toBe('飞书中没有缺失的文件（已核对 1,204 个文件）。');
    await zh.context().close();
  });
});

describe('Account, Limits, Activity, About', () => {
  it('account: test connection and save report their outcome; a missing secret is an error', async () => {
    const { page } = await open('en', 'account', (d) => {
      d.settings.account = null;
      d.settings.hasSecret = false;
      d.state = { ...d.state, running: false, mappings: [], lastErrors: [{ code: 'E_NOT_CONFIGURED', message: 'No Feishu account yet: open Settings → Account.', remedy: 'Open Settings → Account.', at: NOW }] };
    });
    expect(await page.locator('section > p.outcome.banner.error').textContent()).toBe('No Feishu account yet: open Settings → Account.');
    await page.selectOption('#cloud', 'custom');
    expect(await page.isVisible('#custom-url')).toBe(true);
    await page.fill('#custom-url', 'http://127.0.0.1:8787');
    await page.fill('#app-id', 'cli_test');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('The app secret is missing.');
    await page.fill('#app-secret', 'wrong');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('form .outcome').textContent()).toContain('app secret invalid');
    await page.fill('#app-secret', 's3cret');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('form .outcome').textContent()).toBe('Saved.');
    expect(await page.inputValue('#app-secret')).toBe('');
    expect((await calls(page)).at(-1)).toEqual(['saveAccount', { cloud: 'http://127.0.0.1:8787', appId: 'cli_test', identity: 'tenant', secret: 's3cret' }]);
    await page.context().close();
  });

  it('limits: values are converted (KB/s → bytes, % → fraction) and errors shown', async () => {
    const { page } = await open('en', 'limits');
    await page.fill('#bandwidth', '512');
    await page.fill('#reserve', '10');
    await page.fill('#file-concurrency', '0');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('fileConcurrency');
    await page.fill('#file-concurrency', '2');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.outcome').first().textContent()).toBe('Saved.');
    expect((await calls(page)).at(-1)).toEqual(['saveLimits', { bandwidthBytesPerSec: 524288, quotaReserve: 0.1, fileConcurrency: 2, blockConcurrency: 3 }]);
    expect(await page.locator('table').textContent()).toContain('filesUploadAll');
    await page.context().close();
  });

  it('activity: failures show reason and remedy, Retry reaches the engine, uploads open in Feishu', async () => {
    const { page } = await open('en', 'activity');
    expect(await page.locator('.problems').textContent()).toContain('Ask the folder owner to give the app edit access');
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await page.getByRole('button', { name: 'Open 2026/春节/IMG_0042.jpg' }).click();
    const made = await calls(page);
    expect(made).toContainEqual(['retryFailed', 'm2']);
    expect(made).toContainEqual(['openUrl', 'https://example.feishu.cn/file/boxA']);
    await page.context().close();
  });

  it('about: switching the language re-renders the window in Chinese', async () => {
    const { page } = await open('en', 'about');
    await page.selectOption('#language', 'zh-CN');
    await expect.poll(() => page.locator('[role="tabpanel"] h1').textContent()).toBe('关于');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.locator('#start-at-login').check();
    expect((await calls(page)).at(-1)).toEqual(['savePreferences', { startAtLogin: true }]);
    await page.context().close();
  });
});

describe('Account: sign in with Feishu', () => {
  const finish = (page: Page, result: object) =>
    page.evaluate((r) => (window as unknown as { __finishSignIn: (r: object) => void }).__finishSignIn(r), result);
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id);

  it('is enabled only for the user identity; waiting shows progress and Cancel; success shows the signed-in state', async () => {
    const { page, errors } = await open('en', 'account');
    const signIn = page.getByRole('button', { name: 'Sign in with Feishu' });
    expect(await signIn.isDisabled()).toBe(true);
    expect(await page.textContent('#sign-in-state')).toBe('To sign in, choose “My user account” under Upload as.');
    await page.selectOption('#identity', 'user');
    expect(await page.textContent('#sign-in-state')).toBe('Not signed in yet.');
    expect(await signIn.isEnabled()).toBe(true);
    await page.fill('#app-secret', 's3cret');
    await signIn.click();
    await expect.poll(() => page.textContent('#sign-in-progress')).toContain('Waiting for the browser…');
    expect(await signIn.isDisabled()).toBe(true);
    expect(await page.isVisible('#sign-in-cancel')).toBe(true);
    expect(await focused(page)).toBe('sign-in-cancel');
    expect((await calls(page)).at(-1)).toEqual(['startSignIn', { cloud: 'feishu', appId: 'cli_a5f3c2e1b0d9', identity: 'user', secret: 's3cret' }]);
    await expect.poll(() => page.getByLabel('Sign-in page').inputValue()).toContain('/open-apis/authen/v1/authorize?app_id=cli_a5f3c2e1b0d9');
    await page.screenshot({ path: join(shots, 'account-signin-waiting-en.png'), fullPage: true });

    await finish(page, { ok: true });
    await expect.poll(() => page.textContent('#sign-in-state')).toBe('Signed in: FeiSync uploads as you.');
    expect(await page.locator('.signin [role="status"].outcome.ok').textContent()).toBe('Signed in. FeiSync now uploads as you.');
    expect(await page.isVisible('#sign-in-cancel')).toBe(false);
    expect(await page.textContent('#sign-in-progress')).toBe('');
    expect(await page.isVisible('#sign-in-link')).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign in again' }).isEnabled()).toBe(true);
    expect(await page.inputValue('#app-secret')).toBe(''); // stored by the sign-in, like Save
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('Cancel stops the wait and gives the button back', async () => {
    const { page } = await open('en', 'account', (d) => (d.settings.account!.identity = 'user'));
    await page.getByRole('button', { name: 'Sign in with Feishu' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('.signin .outcome').last().textContent()).toBe('Sign-in cancelled.');
    expect(await page.isVisible('#sign-in-cancel')).toBe(false);
    expect(await focused(page)).toBe('sign-in');
    expect((await calls(page)).map((c) => c[0])).toContain('cancelSignIn');
    await page.context().close();
  });

  it('a refused sign-in shows the error with its remedy', async () => {
    const { page } = await open('en', 'account', (d) => (d.settings.account!.identity = 'user'));
    await page.getByRole('button', { name: 'Sign in with Feishu' }).click();
    await finish(page, { ok: false, code: 'E_OAUTH_DENIED', message: 'The sign-in was refused in the browser (access_denied).', remedy: 'Sign in again and approve the request in the browser.' });
    const alert = page.locator('.signin [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('refused in the browser');
    expect(await alert.textContent()).toContain('Sign in again and approve the request in the browser.');
    expect(await alert.textContent()).toContain('(E_OAUTH_DENIED)');
    expect(await page.getByRole('button', { name: 'Sign in with Feishu' }).isEnabled()).toBe(true);
    await page.context().close();
  });

  it('a pasted code ends the wait: a bad one shows the Feishu error, a good one signs in (zh-CN)', async () => {
    const { page, errors } = await open('zh-CN', 'account', (d) => (d.settings.account!.identity = 'user'));
    await page.getByRole('button', { name: '使用飞书登录' }).click();
    await page.getByLabel('登录授权码').fill('expired');
    await page.getByRole('button', { name: '使用授权码' }).click();
    const alert = page.locator('.signin [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('20007');
    expect(await alert.textContent()).toContain('Sign in again');
    expect(await page.isVisible('#sign-in-cancel')).toBe(false); // the wait was ended by the paste
    await page.getByLabel('登录授权码').fill('good-code');
    await page.getByRole('button', { name: '使用授权码' }).click();
    await expect.poll(() => page.textContent('#sign-in-state')).toBe('已登录：FeiSync 以你的身份上传。');
    expect(await page.inputValue('#sign-in-code')).toBe('');
    expect((await calls(page)).at(-1)).toEqual(['completeSignIn', { cloud: 'feishu', appId: 'cli_a5f3c2e1b0d9', identity: 'user', secret: '', code: 'good-code' }]);
    await page.screenshot({ path: join(shots, 'account-signedin-zh-CN.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('accessibility', () => {
  it('tabs follow the ARIA pattern: arrow keys, Home and End move and activate', async () => {
    const { page } = await open('en', 'account');
    await page.focus('#tab-account');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-folders');
    await expect.poll(() => page.locator('[role="tabpanel"] h1').textContent()).toBe('Folders');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-about');
    await page.keyboard.press('ArrowDown'); // wraps
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-account');
    expect(await page.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
    expect(await page.locator('#panel').getAttribute('aria-labelledby')).toBe('tab-account');
    await page.context().close();
  });

  it('every form control has a label, and focus is visible', async () => {
    for (const id of ['account', 'folders', 'limits', 'about']) {
      const { page } = await open('en', id);
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea')]
          .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label'))
          .map((el) => el.outerHTML),
      );
      expect(unlabelled).toEqual([]);
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).not.toBe('none');
      await page.context().close();
    }
  });

  it('without the bridge the page says how to open it instead of failing silently', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/index.html`);
    expect(await page.locator('[role="alert"]').textContent()).toBe('此页面需要在 FeiSync 应用中打开。');
    await context.close();
  });
});
