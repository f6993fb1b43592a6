/**
 * Client ↔ sandbox scenarios that need the sandbox's knobs (a clock to expire
 * uploads, a tiny daily quota, rate limits on, injected faults, a second app)
 * and so cannot run against a real tenant. The shared scenarios are in
 * client.contract.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UserTokens } from '../../src/feishu/auth.js';
import { FeishuClient } from '../../src/feishu/client.js';
import { LOCAL_ERROR_CODES } from '../../src/feishu/errorCodes.js';
import { FeishuError } from '../../src/feishu/feishuError.js';
import { DEFAULT_QPS } from '../../src/feishu/limits.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import { FakeClock } from '../../src/platform/clock.js';
import { BLOCK, failure, randomFile, sha256Of, uploadFile } from './clientHarness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feisync-contract-sb-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});


describe('client contract — sandbox-only scenarios', () => {
  let sandbox: SandboxHandle | undefined;
  let clients: FeishuClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
    await sandbox?.close();
    sandbox = undefined;
  });

  async function setup(options: SandboxOptions, appId?: string, appSecret?: string) {
    sandbox = await startSandbox(options);
    const client = new FeishuClient({
      baseUrl: sandbox.baseUrl,
      credentials: { kind: 'tenant', appId: appId ?? sandbox.appId, appSecret: appSecret ?? sandbox.appSecret },
    });
    clients.push(client);
    return { sandbox, client, root: { kind: 'explorer' as const, folderToken: sandbox.rootFolderToken } };
  }

  it('an upload id past its lifetime fails with 1061021 (restart the upload)', async () => {
    const clock = new FakeClock(Date.now());
    const { client, root } = await setup({ limits: 'off', uploadTtlSec: 60, clock });
    const file = await randomFile(dir, 'late.bin', BLOCK + 1);
    const prep = await client.uploadPrepare({ fileName: 'late.bin', parent: root, size: BLOCK + 1 });
    await client.uploadPart({ uploadId: prep.uploadId, seq: 0, source: { path: file.path, start: 0, length: BLOCK } });
    await clock.advance(61_000);
    const err = await failure(client.uploadPart({ uploadId: prep.uploadId, seq: 1, source: { path: file.path, start: BLOCK, length: 1 } }));
    expect(err.code).toBe(1061021);
    expect(err.action).toBe('restartUpload');
  });

  it(`more than ${DEFAULT_QPS} calls per second to one endpoint are answered 99991400 with a reset hint`, async () => {
    const { client, sandbox } = await setup({ limits: 'feishu' });
    await client.tokens.token();
    const results = await Promise.allSettled(Array.from({ length: 3 * DEFAULT_QPS }, () => client.rootFolderMeta()));
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as FeishuError] : []));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    for (const err of rejected) {
      expect(err).toBeInstanceOf(FeishuError);
      expect(err.code).toBe(99991400);
      expect(err.rateLimited).toBe(true);
      expect(err.retryAfterMs).toBeGreaterThanOrEqual(0);
    }
    expect(sandbox.counters().rateLimited.rootFolderMeta).toBe(rejected.length);
  });

  it('an exhausted daily quota is answered 99991400 with a reset hint hours away', async () => {
    const { client, sandbox } = await setup({ limits: 'feishu', dailyQuota: 3, qps: 100 });
    for (let i = 0; i < 3; i++) await client.rootFolderMeta();
    const err = await failure(client.rootFolderMeta());
    expect(err.code).toBe(99991400);
    expect(err.retryAfterMs).toBeGreaterThan(60_000);
    // Quotas are per endpoint: another endpoint still has its budget.
    await expect(client.createFolder('still-ok', sandbox.rootFolderToken)).resolves.toMatchObject({ token: expect.any(String) });
  });

  it('an upload continued by another app identity fails with 1062007', async () => {
    const other = { appId: 'cli_other', appSecret: 'other-secret' };
    const { client, sandbox, root } = await setup({ limits: 'off', extraApps: [other] });
    const second = new FeishuClient({ baseUrl: sandbox.baseUrl, credentials: { kind: 'tenant', ...other } });
    clients.push(second);
    const file = await randomFile(dir, 'who.bin', 10);
    const prep = await client.uploadPrepare({ fileName: 'who.bin', parent: root, size: 10 });
    const err = await failure(second.uploadPart({ uploadId: prep.uploadId, seq: 0, source: { path: file.path, start: 0, length: 10 } }));
    expect(err.code).toBe(1062007);
  });

  it('user identity: an expired user token is refreshed through the app token, the rotated pair persisted, and the old refresh token is dead', async () => {
    const { sandbox } = await setup({ limits: 'off' });
    const pair = sandbox.issueUserTokens();
    const saved: UserTokens[] = [];
    const user = new FeishuClient({
      baseUrl: sandbox.baseUrl,
      credentials: {
        kind: 'user',
        appId: sandbox.appId,
        appSecret: sandbox.appSecret,
        tokens: { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: Date.now() - 1 },
        onRefresh: (t) => void saved.push(t),
      },
    });
    clients.push(user);
    await expect(user.rootFolderMeta()).resolves.toMatchObject({ token: expect.any(String) });
    expect(saved).toHaveLength(1);
    expect(saved[0]!.refreshToken).not.toBe(pair.refreshToken);
    expect(sandbox.counters().calls).toMatchObject({ appToken: 1, userTokenRefresh: 1 });

    const stale = new FeishuClient({
      baseUrl: sandbox.baseUrl,
      credentials: {
        kind: 'user',
        appId: sandbox.appId,
        appSecret: sandbox.appSecret,
        tokens: { accessToken: 'u-gone', refreshToken: pair.refreshToken, expiresAt: Date.now() - 1 },
      },
    });
    clients.push(stale);
    const err = await failure(stale.rootFolderMeta());
    expect(err.endpoint).toBe('userTokenRefresh');
    expect(err.remedy).toMatch(/feisync login/);
    // A dead refresh token is not retried with a new app token.
    expect(sandbox.counters().calls.userTokenRefresh).toBe(2);
  });

  it('media go through the medias endpoints (upload_all and chunked) and stay out of the folder tree', async () => {
    const { client, sandbox } = await setup({ limits: 'off' });
    const parent = { kind: 'media' as const, parentType: 'docx_image', parentNode: 'doxcnSomeDoc', extra: '{"drive_route_token":"doxcnSomeDoc"}' };
    const small = await randomFile(dir, 'img.png', 1000);
    const big = await randomFile(dir, 'video.bin', BLOCK + 10);
    const a = await uploadFile(client, small.path, 1000, 'img.png', parent);
    const b = await uploadFile(client, big.path, BLOCK + 10, 'video.bin', parent, true);
    expect(a.fileToken).toMatch(/\S/);
    expect(b.fileToken).toMatch(/\S/);
    const calls = sandbox.counters().calls;
    expect(calls).toMatchObject({ mediasUploadAll: 1, mediasUploadPrepare: 1, mediasUploadPart: 2, mediasUploadFinish: 1 });
    expect(sandbox.tree().map((n) => n.token)).not.toContain(a.fileToken);
  });

  it.each([
    ['5xx:1', LOCAL_ERROR_CODES.serverError],
    ['reset:1', LOCAL_ERROR_CODES.network],
    ['1061045:1', 1061045],
    ['1061001:1', 1061001],
  ])('injected fault %s reaches the caller as a retryable FeishuError %i', async (spec, code) => {
    const { client, sandbox } = await setup({ limits: 'off' });
    await client.tokens.token();
    sandbox.setFaults(spec);
    const err = await failure(client.rootFolderMeta());
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(true);
    expect(err.endpoint).toBe('rootFolderMeta');
  });

  it('an upload_all with a file cut by a connection reset is a network error and stores nothing', async () => {
    const { client, sandbox, root } = await setup({ limits: 'off' });
    await client.tokens.token();
    const path = join(dir, 'reset.txt');
    await writeFile(path, Buffer.alloc(2 * 1024 * 1024, 1));
    sandbox.setFaults('reset:1');
    const err = await failure(client.uploadAll({ fileName: 'reset.txt', parent: root, source: { path, start: 0, length: 2 * 1024 * 1024 } }));
    expect(err.code).toBe(LOCAL_ERROR_CODES.network);
    sandbox.setFaults('');
    expect(sandbox.tree().filter((n) => n.name === 'reset.txt')).toHaveLength(0);
    const ok = await uploadFile(client, path, 2 * 1024 * 1024, 'reset.txt', root);
    expect((await sha256Of(await client.download(ok.fileToken))).size).toBe(2 * 1024 * 1024);
  });
});
