/**
 * The `feisync` binary as users meet it: setup commands and every bad input,
 * against an in-process sandbox. (Sync, send, status and the crash test live
 * in cli-sync.test.ts and cli-crash.test.ts.)
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { displayWidth } from '../../src/cli/displayWidth.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { assertBuilt, cliHome, exitOf, firstLine } from './helpers/cliRunner.js';

let sandbox: SandboxHandle;

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ limits: 'off' });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('feisync sandbox', () => {
  it('prints one JSON ready line, serves, and exits 0 on SIGTERM', async () => {
    const home = cliHome();
    const child = home.spawn(['sandbox', '--limits', 'off', '--data', join(home.dir, 'sb')]);
    onTestFinished(() => void child.kill('SIGKILL'));
    const ready = JSON.parse(await firstLine(child)) as Record<string, string>;
    expect(Object.keys(ready).sort()).toEqual(['appId', 'appSecret', 'baseUrl', 'rootFolderToken']);
    const res = await fetch(`${ready.baseUrl}/sandbox/admin/tree`);
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  });

  it('rejects a bad fault spec and a bad port with exit 2', async () => {
    const home = cliHome();
    const faults = await home.run(['sandbox', '--faults', 'bogus:1']);
    expect(faults.code).toBe(2);
    expect(faults.stderr).toMatch(/fault spec/);
    const port = await home.run(['sandbox', '--port', '99999']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port "99999"/);
  });
});

describe('feisync login / logout', () => {
  it('good credentials: verified, account saved, secret in a 0600 file (no keychain here) with a warning', async () => {
    const home = cliHome();
    const r = await home.run(['login', '--cloud', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret-stdin', '--json'], {
      input: sandbox.appSecret + '\n',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ appId: sandbox.appId, baseUrl: sandbox.baseUrl, rootFolderToken: sandbox.rootFolderToken });
    const config = JSON.parse(readFileSync(home.config, 'utf8'));
    expect(config.account).toEqual({ cloud: sandbox.baseUrl, appId: sandbox.appId, identity: 'tenant' });
    expect(JSON.stringify(config)).not.toContain(sandbox.appSecret);
    const secrets = join(home.dir, 'config', 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(r.stderr).toMatch(/keychain is not available/);

    const out = await home.run(['logout']);
    expect(out.code).toBe(0);
    expect(() => statSync(secrets)).toThrow();
    expect(JSON.parse(readFileSync(home.config, 'utf8')).account).toBeNull();
  });

  it('a wrong secret: exit 2 with the Feishu code, the log id and a remedy; nothing saved', async () => {
    const home = cliHome();
    const r = await home.run(['login', '--cloud', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret', 'wrong-secret']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/code 10014/);
    expect(r.stderr).toMatch(/log id \S+/);
    expect(r.stderr).toMatch(/fix: .*app secret/i);
    expect(r.stderr).not.toContain('wrong-secret');
    expect(() => statSync(home.config)).toThrow();
  });

  it('an unknown app id and an unreachable server fail clearly', async () => {
    const home = cliHome();
    const unknown = await home.run(['login', '--cloud', sandbox.baseUrl, '--app-id', 'cli_nobody', '--app-secret', 'x']);
    expect(unknown.code).toBe(2);
    const down = await home.run(['login', '--cloud', 'http://127.0.0.1:1', '--app-id', 'a', '--app-secret', 'b']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/error:/);
  });

  it('missing values without a terminal: exit 2 naming what is missing', async () => {
    const home = cliHome();
    const r = await home.run(['login', '--cloud', sandbox.baseUrl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/app id is needed/);
  });

  it('--user without an app id: exit 2 naming what is missing (the OAuth flow itself: cli-oauth.test.ts)', async () => {
    const r = await cliHome().run(['login', '--user']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/app id is needed/);
  });
});

describe('feisync map', () => {
  it('adds by folder URL and by token, lists, changes and removes', async () => {
    const home = cliHome();
    const a = join(home.dir, 'a');
    const b = join(home.dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const byUrl = await home.run(['map', 'add', a, `https://acme.feishu.cn/drive/folder/${sandbox.rootFolderToken}?from=x`, '--json']);
    expect(byUrl.code).toBe(0);
    expect(JSON.parse(byUrl.stdout)).toMatchObject({ id: 'm1', localPath: a, folderToken: sandbox.rootFolderToken });
    const byToken = await home.run(['map', 'add', b, 'fldcnOther123', '--delete-policy', 'trash', '--ignore', '*.tmp', 'build/']);
    expect(byToken.code).toBe(0);
    const list = JSON.parse((await home.run(['map', 'list', '--json'])).stdout);
    expect(list.map((m: { id: string; deletePolicy: string; ignore: string[] }) => [m.id, m.deletePolicy, m.ignore])).toEqual([
      ['m1', 'keep', []],
      ['m2', 'trash', ['*.tmp', 'build/']],
    ]);
    expect((await home.run(['map', 'set', 'm1', '--delete-policy', 'trash'])).code).toBe(0);
    expect((await home.run(['map', 'remove', 'm2'])).code).toBe(0);
    const after = JSON.parse((await home.run(['map', 'list', '--json'])).stdout);
    expect(after).toEqual([expect.objectContaining({ id: 'm1', deletePolicy: 'trash' })]);
  });

  it('lists mappings as a table, aligned by display width when a path holds CJK (two columns per character)', async () => {
    const home = cliHome();
    const cjk = join(home.dir, '项目资料');
    const ascii = join(home.dir, 'projects-archive');
    mkdirSync(cjk);
    mkdirSync(ascii);
    expect((await home.run(['map', 'add', cjk, 'fldcnFirst123'])).code).toBe(0);
    expect((await home.run(['map', 'add', ascii, 'fldcnSecond45'])).code).toBe(0);
    const lines = (await home.run(['map', 'list'])).stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('项目资料');
    const arrowColumn = (l: string) => displayWidth(l.slice(0, l.indexOf('→')));
    expect(arrowColumn(lines[0]!)).toBe(arrowColumn(lines[1]!));
    expect(displayWidth(lines[0]!.slice(0, lines[0]!.indexOf('fldcnFirst123')))).toBe(displayWidth(lines[1]!.slice(0, lines[1]!.indexOf('fldcnSecond45'))));
  });

  it('when logged in, a Drive folder that does not exist is refused before saving (exit 2, Feishu code)', async () => {
    const home = cliHome();
    const data = join(home.dir, 'data');
    mkdirSync(data);
    const creds = ['--base-url', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret', sandbox.appSecret];
    const missing = await home.run(['map', 'add', data, 'nodcnDoesNotExist000', ...creds]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot be used/);
    expect(missing.stderr).toMatch(/code \d{7}/);
    expect(() => statSync(home.config)).toThrow();
    const ok = await home.run(['map', 'add', data, sandbox.rootFolderToken, ...creds]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it.each([
    ['a missing dir', (d: string) => join(d, 'missing'), 'fldcn12345', /does not exist/],
    ['a file instead of a dir', (d: string) => (writeFileSync(join(d, 'f.txt'), 'x'), join(d, 'f.txt')), 'fldcn12345', /is a file, not a folder/],
    ['a bad URL', (d: string) => d, 'https://acme.feishu.cn/wiki/abc', /not a Feishu folder URL or token/],
  ])('rejects %s with exit 2 and a remedy', async (_name, local, folder, message) => {
    const home = cliHome();
    const r = await home.run(['map', 'add', local(home.dir), folder]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/fix: /);
  });

  it('rejects an unreadable dir with exit 2', async () => {
    if (process.getuid?.() === 0) return;
    const home = cliHome();
    const locked = join(home.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o000);
    const r = await home.run(['map', 'add', locked, 'fldcn12345']);
    chmodSync(locked, 0o700);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not readable/);
  });
});

describe('usage and configuration errors', () => {
  it('an unknown flag exits 2 with usage help', async () => {
    const r = await cliHome().run(['map', 'list', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('a malformed config file exits 2 naming the file, and is never overwritten', async () => {
    const home = cliHome();
    mkdirSync(join(home.dir, 'config'));
    writeFileSync(home.config, '{"mappings": [}');
    const r = await home.run(['map', 'add', home.dir, 'fldcn12345']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(home.config);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(readFileSync(home.config, 'utf8')).toBe('{"mappings": [}');
  });

  it('an invalid value names the key and the value', async () => {
    const home = cliHome();
    const r = await home.run(['config', 'set', 'limits.qps', '-3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/limits\.qps = -3: must be >= 0\.1/);
    expect((await home.run(['config', 'set', 'limits.qps', '2'])).code).toBe(0);
    expect((await home.run(['config', 'get', 'limits.qps'])).stdout.trim()).toBe('2');
  });

  it('speaks Chinese with --lang zh-CN or LANG=zh_CN', async () => {
    const home = cliHome();
    const viaFlag = await home.run(['--lang', 'zh-CN', 'map', 'list']);
    expect(viaFlag.stdout).toMatch(/还没有映射/);
    const viaEnv = await home.run(['map', 'list'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(viaEnv.stdout).toMatch(/还没有映射/);
    const error = await home.run(['map', 'add', join(home.dir, 'missing'), 'fldcn12345'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/错误: 本地文件夹 .* 不存在/);
    expect(error.stderr).toMatch(/解决办法: 先创建它/);
  });

  it('pause without a daemon persists the flag', async () => {
    const home = cliHome();
    expect((await home.run(['pause'])).stdout).toMatch(/next one starts paused/);
    expect(JSON.parse(readFileSync(home.config, 'utf8')).paused).toBe(true);
    expect((await home.run(['resume'])).code).toBe(0);
    expect(JSON.parse(readFileSync(home.config, 'utf8')).paused).toBe(false);
  });
});

describe('feisync doctor / diag', () => {
  it('doctor: every check ok with good credentials (exit 0); a wrong secret fails with a remedy (exit 1)', async () => {
    const home = cliHome();
    const data = join(home.dir, 'data');
    mkdirSync(data);
    expect((await home.run(['map', 'add', data, sandbox.rootFolderToken])).code).toBe(0);
    const good = await home.run(['doctor', '--json', '--base-url', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret', sandbox.appSecret]);
    expect(good.code, good.stderr).toBe(0);
    const checks = JSON.parse(good.stdout) as { name: string; verdict: string }[];
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['settings', 'reachability', 'clock', 'credentials', 'mapping m1 remote', 'mapping m1 local', 'file watching', 'disk space', 'index', 'daemon']),
    );
    expect(checks.filter((c) => c.verdict === 'fail')).toEqual([]);

    const bad = await home.run(['doctor', '--base-url', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret', 'wrong']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/fail\s+credentials\s+Feishu error 10014/);
    expect(bad.stdout).toMatch(/→ The app secret is wrong/);
  });

  it('diag writes a JSON bundle without the secret', async () => {
    const home = cliHome();
    const login = await home.run(['login', '--cloud', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret', sandbox.appSecret]);
    expect(login.code).toBe(0);
    const out = join(home.dir, 'diag.json');
    const r = await home.run(['diag', '--out', out]);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(sandbox.appSecret);
    const bundle = JSON.parse(text);
    expect(bundle.versions.feisync).toMatch(/^\d+\.\d+\.\d+/);
    expect(bundle.settings.account.appId).toBe(sandbox.appId);
    expect(bundle.doctor.find((c: { name: string }) => c.name === 'credentials').verdict).toBe('ok');
    expect(bundle.log.some((l: { msg?: string }) => l.msg === 'logged in')).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    // A Chinese user's bundle is still in English: it is read by whoever supports FeiSync.
    expect((await home.run(['--lang', 'zh-CN', 'diag', '--out', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).doctor.find((c: { name: string }) => c.name === 'credentials').verdict).toBe('ok');

    // The same log, as `feisync log` shows it: JSON lines with --json, never the secret.
    const log = await home.run(['log', '--json', '-n', '100']);
    expect(log.code).toBe(0);
    const lines = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.some((l) => l.msg === 'logged in')).toBe(true);
    expect(log.stdout).not.toContain(sandbox.appSecret);
    expect((await home.run(['log', '--lines', 'many'])).code).toBe(2);
  });
});
