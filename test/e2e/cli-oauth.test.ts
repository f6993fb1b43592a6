/**
 * `feisync login --user` through the real binary against an in-process
 * sandbox: the test plays the browser (follows the printed authorize URL;
 * the sandbox auto-approves and redirects to the CLI's loopback listener),
 * then `feisync sync --once` uploads as that user, renewing the short-lived
 * access token and persisting each rotated refresh token.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseUserTokens, userTokensName, type StoredUserTokens } from '../../src/config/userTokens.js';
import { ownerId } from '../../src/sandbox/drive.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { SyncSummary } from '../../src/sync/engineApi.js';
import { assertBuilt, cliHome, exitOf, type CliHome } from './helpers/cliRunner.js';
import { writeTree } from './helpers/trees.js';
import { sandboxPerTest } from './helpers/sandboxes.js';

const sandbox = sandboxPerTest();
beforeAll(() => assertBuilt());

/** Collect a child's output; resolve with the authorize URL once it is printed on stderr. */
function watchLogin(child: ChildProcess): { url: Promise<URL>; output: () => { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const url = new Promise<URL>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/open-apis\/authen\/v1\/authorize\?\S+)/.exec(stderr);
      if (match) resolve(new URL(match[1]!));
    });
    child.once('exit', (code) => reject(new Error(`login exited (${code}) before printing the URL; stderr: ${stderr}`)));
  });
  return { url, output: () => ({ stdout, stderr }) };
}

function storedTokens(home: CliHome, appId: string): StoredUserTokens {
  const file = JSON.parse(readFileSync(join(home.dir, 'config', 'secrets.json'), 'utf8')) as { secrets: Record<string, string> };
  const tokens = parseUserTokens(file.secrets[userTokensName(appId)] ?? '');
  if (!tokens) throw new Error('no user tokens stored');
  return tokens;
}

async function rootOwners(sb: SandboxHandle): Promise<Record<string, string>> {
  const token = ((await (await fetch(`${sb.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ app_id: sb.appId, app_secret: sb.appSecret }),
  })).json()) as { tenant_access_token: string }).tenant_access_token;
  const list = (await (await fetch(`${sb.baseUrl}/open-apis/drive/v1/files?folder_token=${sb.rootFolderToken}&page_size=200`, {
    headers: { Authorization: `Bearer ${token}` },
  })).json()) as { data: { files: { name: string; owner_id: string }[] } };
  return Object.fromEntries(list.data.files.map((f) => [f.name, f.owner_id]));
}

describe('feisync login --user (loopback)', () => {
  it('signs in through the browser redirect, then syncs as the user with refreshed, persisted tokens', async () => {
    const sb = await sandbox({ tokenTtlSec: 3 });
    const home = cliHome();
    const child = home.spawn(['login', '--user', '--cloud', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret, '--timeout', '30', '--json']);
    onTestFinished(() => void child.kill('SIGKILL'));
    const login = watchLogin(child);
    const authorize = await login.url;
    expect(authorize.searchParams.get('app_id')).toBe(sb.appId);
    const redirectUri = new URL(authorize.searchParams.get('redirect_uri')!);
    expect(redirectUri.hostname).toBe('127.0.0.1');

    // A forged redirect (wrong state) is refused and the login keeps waiting.
    const forged = new URL(redirectUri);
    forged.searchParams.set('code', 'c-forged');
    forged.searchParams.set('state', 'not-the-state');
    expect((await fetch(forged)).status).toBe(400);

    // The browser: the sandbox approves and redirects to the loopback listener.
    const approved = await fetch(authorize, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const landing = await fetch(approved.headers.get('location')!);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in');

    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(JSON.parse(login.output().stdout)).toMatchObject({ appId: sb.appId, identity: 'user', rootFolderToken: sb.rootFolderToken, userId: ownerId('user:sandbox_user') });
    const config = JSON.parse(readFileSync(home.config, 'utf8'));
    expect(config.account).toEqual({ cloud: sb.baseUrl, appId: sb.appId, identity: 'user' });
    expect(JSON.stringify(config)).not.toContain('ur-');
    const afterLogin = storedTokens(home, sb.appId);

    // Let the stored access token expire: the sync must refresh it (and store the rotated refresh token).
    await delay(3_200);
    const dir = join(home.dir, 'data');
    writeTree(dir, { 'mine.txt': 'uploaded by the user', 'sub/deep.txt': 'x'.repeat(1000) });
    const first = await home.run(['sync', '--once', '--local', dir, '--folder', sb.rootFolderToken, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect((JSON.parse(first.stdout) as SyncSummary).uploaded.sort()).toEqual(['mine.txt', 'sub/deep.txt']);
    const owners = await rootOwners(sb);
    expect(owners['mine.txt']).toBe(ownerId('user:sandbox_user'));
    expect(owners['sub']).toBe(ownerId('user:sandbox_user'));
    const afterSync = storedTokens(home, sb.appId);
    expect(afterSync.refreshToken).not.toBe(afterLogin.refreshToken);
    expect(sb.counters().calls.userTokenRefresh).toBeGreaterThanOrEqual(1);

    // The old refresh token is spent; the next run works only because the rotated one was stored.
    await delay(3_200);
    writeTree(dir, { 'later.txt': 'second run' });
    const second = await home.run(['sync', '--once', '--local', dir, '--folder', sb.rootFolderToken, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect((JSON.parse(second.stdout) as SyncSummary).uploaded).toEqual(['later.txt']);
    expect((await rootOwners(sb))['later.txt']).toBe(ownerId('user:sandbox_user'));
  });

  it('gives up after --timeout with exit 2 and saves nothing', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const r = await home.run(['login', '--user', '--cloud', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret, '--timeout', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no sign-in arrived within 1 s/);
    expect(() => readFileSync(home.config, 'utf8')).toThrow();
    const badPort = await home.run(['login', '--user', '--cloud', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret, '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port 70000/);
  });
});

describe('feisync login --user (headless paste flow)', () => {
  it('--redirect-uri without a terminal prints the URL and how to finish; --code then signs in', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const redirect = 'https://example.invalid/feisync/callback';
    const first = await home.run(['login', '--user', '--cloud', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret, '--redirect-uri', redirect]);
    expect(first.code).toBe(0);
    const url = new URL(/(http:\/\/\S+\/authorize\?\S+)/.exec(first.stderr)![1]!);
    expect(url.searchParams.get('redirect_uri')).toBe(redirect);
    expect(first.stderr).toMatch(/--code <code>/);

    const approved = await fetch(url, { redirect: 'manual' });
    const landedOn = approved.headers.get('location')!; // what the browser's address bar shows
    const code = new URL(landedOn).searchParams.get('code')!;
    // The whole address may be pasted as --code.
    const done = await home.run(['login', '--user', '--cloud', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret, '--code', landedOn, '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ identity: 'user' });

    // A code is good once.
    const reused = await home.run(['login', '--user', '--cloud', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret, '--code', code]);
    expect(reused.code).not.toBe(0);
    expect(reused.stderr).toMatch(/20007/);
    expect(reused.stderr).toMatch(/feisync login --user/);
  });

  it('a user identity without a stored sign-in is refused with a clear remedy, not silently the app', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const login = await home.run(['login', '--cloud', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret]);
    expect(login.code).toBe(0);
    const set = await home.run(['config', 'set', 'account.identity', 'user']);
    expect(set.code, set.stderr).toBe(0);
    const r = await home.run(['sync', '--once', '--local', home.dir, '--folder', sb.rootFolderToken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no user sign-in is stored/);
    expect(r.stderr).toMatch(/feisync login --user/);
  });
});
