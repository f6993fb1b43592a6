import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/platform/clock.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/index.js';
import { nextQuotaReset, quotaDay } from '../../../src/sandbox/limits.js';
import { SandboxCaller } from './sandboxClient.js';

const TOKEN = '/open-apis/auth/v3/tenant_access_token/internal';
const ROOT_META = '/open-apis/drive/explorer/v2/root_folder/meta';

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

async function open(options: SandboxOptions) {
  box = await startSandbox(options);
  const api = new SandboxCaller(box);
  return { box, api };
}

describe('sandbox tenant tokens', () => {
  it('answers the token at the top level with its lifetime', async () => {
    const { api } = await open({ limits: 'off', tokenTtlSec: 600 });
    const answer = await api.call('POST', TOKEN, { json: { app_id: 'cli_sandbox', app_secret: api.box.appSecret }, token: null });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ code: 0, msg: 'ok', tenant_access_token: expect.stringMatching(/^t-/), expire: 600 });
    expect(answer.headers['x-tt-logid']).toBeTruthy();
  });

  it('refuses a wrong secret (10014), an unknown app (10003) and a malformed body (10003)', async () => {
    const { api } = await open({ limits: 'off', appId: 'cli_mine', appSecret: 's3cret' });
    const wrong = await api.call('POST', TOKEN, { json: { app_id: 'cli_mine', app_secret: 'nope' }, token: null });
    expect([wrong.status, wrong.json?.code]).toEqual([400, 10014]);
    const unknown = await api.call('POST', TOKEN, { json: { app_id: 'cli_other', app_secret: 's3cret' }, token: null });
    expect([unknown.status, unknown.json?.code]).toEqual([400, 10003]);
    const garbage = await api.call('POST', TOKEN, { raw: { body: '{not json', contentType: 'application/json' }, token: null });
    expect(garbage.json?.code).toBe(10003);
  });

  it('99991661 without a Bearer token, 99991663 for an unknown or expired one', async () => {
    const clock = new FakeClock();
    const { api } = await open({ limits: 'off', clock, tokenTtlSec: 100 });
    const missing = await api.call('GET', ROOT_META, { token: null });
    expect([missing.status, missing.json?.code]).toEqual([401, 99991661]);
    const bogus = await api.call('GET', ROOT_META, { token: 't-bogus' });
    expect([bogus.status, bogus.json?.code]).toEqual([401, 99991663]);
    await api.login();
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    await clock.advance(100_000);
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(99991663);
  });

  it('answers token errors with the configured HTTP status', async () => {
    const { api } = await open({ limits: 'off', tokenErrorStatus: 400 });
    const missing = await api.call('GET', ROOT_META, { token: null });
    expect([missing.status, missing.json?.code]).toEqual([400, 99991661]);
  });
});

describe('sandbox app and user tokens', () => {
  const APP_TOKEN = '/open-apis/auth/v3/app_access_token/internal';
  const REFRESH = '/open-apis/authen/v1/refresh_access_token';

  it('answers app_access_token at the top level, and it authorises Drive calls as the app', async () => {
    const { api } = await open({ limits: 'off' });
    const answer = await api.call('POST', APP_TOKEN, { json: { app_id: 'cli_sandbox', app_secret: api.box.appSecret }, token: null });
    expect(answer.json).toEqual({ code: 0, msg: 'ok', app_access_token: expect.stringMatching(/^a-/), expire: 7200 });
    expect((await api.call('GET', ROOT_META, { token: answer.json!.app_access_token as string })).json?.code).toBe(0);
  });

  it('refreshes a user token with the app token, rotating the refresh token', async () => {
    const { api } = await open({ limits: 'off', tokenTtlSec: 900 });
    const appToken = (await api.call('POST', APP_TOKEN, { json: { app_id: 'cli_sandbox', app_secret: api.box.appSecret }, token: null })).json!.app_access_token as string;
    const issued = (await api.call('POST', '/sandbox/admin/user-tokens', { json: { user: 'alice' }, token: null })).json as unknown as { accessToken: string; refreshToken: string };
    expect((await api.call('GET', ROOT_META, { token: issued.accessToken })).json?.code).toBe(0);

    const refreshed = await api.call('POST', REFRESH, { json: { grant_type: 'refresh_token', refresh_token: issued.refreshToken }, token: appToken });
    expect(refreshed.json).toMatchObject({
      code: 0,
      data: { access_token: expect.stringMatching(/^u-/), token_type: 'Bearer', expires_in: 900, refresh_token: expect.stringMatching(/^ur-/), refresh_expires_in: 2_592_000 },
    });
    expect(refreshed.json!.data!.refresh_token).not.toBe(issued.refreshToken);
    expect((await api.call('GET', ROOT_META, { token: refreshed.json!.data!.access_token })).json?.code).toBe(0);
    // A refresh token is good once.
    const reused = await api.call('POST', REFRESH, { json: { grant_type: 'refresh_token', refresh_token: issued.refreshToken }, token: appToken });
    expect([reused.status, reused.json?.code]).toEqual([401, 99991668]);
    // Without the app token, no refresh.
    expect((await api.call('POST', REFRESH, { json: { grant_type: 'refresh_token', refresh_token: refreshed.json!.data!.refresh_token }, token: null })).json?.code).toBe(99991661);
    expect((await api.call('POST', REFRESH, { json: { grant_type: 'password' }, token: appToken })).json?.code).toBe(10003);
  });

  it('an upload prepared with the tenant token cannot be continued with a user token (1062007)', async () => {
    const { box, api } = await open({ limits: 'off' });
    await api.login();
    const prepared = await api.call('POST', '/open-apis/drive/v1/files/upload_prepare', { json: { file_name: 'u.bin', parent_type: 'explorer', parent_node: box.rootFolderToken, size: 3 } });
    const user = box.issueUserTokens();
    const finish = await api.call('POST', '/open-apis/drive/v1/files/upload_finish', { json: { upload_id: prepared.json!.data!.upload_id, block_num: 1 }, token: user.accessToken });
    expect(finish.json?.code).toBe(1062007);
  });
});

describe('sandbox rate limit', () => {
  it('answers HTTP 400 + 99991400 with rate-limit headers past 5 calls in one second, per endpoint', async () => {
    const clock = new FakeClock();
    const { api } = await open({ clock });
    await api.login();
    for (let i = 0; i < 5; i++) expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    const limited = await api.call('GET', ROOT_META);
    expect([limited.status, limited.json?.code]).toEqual([400, 99991400]);
    expect(limited.headers['x-ogw-ratelimit-limit']).toBe('5');
    expect(limited.headers['x-ogw-ratelimit-reset']).toBe('1');
    // Another endpoint has its own budget.
    expect((await api.call('GET', '/open-apis/drive/v1/files')).json?.code).toBe(0);
    await clock.advance(1000);
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    expect(api.box.counters()).toEqual({ calls: { tenantToken: 1, rootFolderMeta: 7, listFolder: 1 }, rateLimited: { rootFolderMeta: 1 } });
  });

  it('the window slides: a call frees its slot one second after it was admitted', async () => {
    const clock = new FakeClock();
    const { api } = await open({ clock, qps: 2 });
    await api.login();
    await api.call('GET', ROOT_META);
    await clock.advance(600);
    await api.call('GET', ROOT_META);
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(99991400);
    await clock.advance(400);
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(99991400);
  });

  it('a rate below 1 QPS admits one call per 1/qps seconds', async () => {
    const clock = new FakeClock();
    const { api } = await open({ clock, qps: 0.5 });
    await api.login();
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    await clock.advance(1500);
    const limited = await api.call('GET', ROOT_META);
    expect(limited.json?.code).toBe(99991400);
    expect(limited.headers['x-ogw-ratelimit-reset']).toBe('1');
    await clock.advance(500);
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
  });

  it("limits: 'off' admits any rate and any count", async () => {
    const clock = new FakeClock();
    const { api } = await open({ clock, limits: 'off', dailyQuota: 3 });
    await api.login();
    for (let i = 0; i < 20; i++) expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    expect(api.box.counters().rateLimited).toEqual({});
  });
});

describe('sandbox daily quota', () => {
  it('refuses calls past dailyQuota with 99991400 "daily quota exceeded" until 00:00 Asia/Shanghai', async () => {
    // 15:59:00 UTC is 23:59:00 in Shanghai (UTC+8, no DST).
    const clock = new FakeClock(Date.UTC(2026, 10, 25, 15, 59, 0));
    const { api } = await open({ clock, dailyQuota: 3 });
    await api.login();
    for (let i = 0; i < 3; i++) {
      expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
      await clock.advance(1000);
    }
    const exhausted = await api.call('GET', ROOT_META);
    expect([exhausted.status, exhausted.json?.code]).toEqual([400, 99991400]);
    expect(exhausted.json?.msg).toMatch(/daily quota exceeded/);
    expect(exhausted.headers['x-ogw-ratelimit-limit']).toBe('3');
    expect(exhausted.headers['x-ogw-ratelimit-reset']).toBe(String(60 - 3));
    expect((await api.call('GET', '/open-apis/drive/v1/files')).json?.code).toBe(0); // per endpoint
    await clock.advance(56_000); // 23:59:59 Shanghai
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(99991400);
    expect(api.box.counters().rateLimited.rootFolderMeta).toBe(2);
    await clock.advance(1000); // 00:00:00 Shanghai: a new day
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    expect(api.box.counters()).toEqual({ calls: { rootFolderMeta: 1 }, rateLimited: {} });
  });

  it('computes the Shanghai quota day and its next reset', () => {
    expect(quotaDay(Date.UTC(2026, 0, 1, 15, 59, 59))).toBe('2026-01-01');
    expect(quotaDay(Date.UTC(2026, 0, 1, 16, 0, 0))).toBe('2026-01-02');
    expect(nextQuotaReset(Date.UTC(2026, 0, 1, 3, 0, 0))).toBe(Date.UTC(2026, 0, 1, 16, 0, 0));
    expect(nextQuotaReset(Date.UTC(2026, 0, 1, 16, 0, 0))).toBe(Date.UTC(2026, 0, 2, 16, 0, 0));
    expect(nextQuotaReset(Date.UTC(2026, 11, 31, 17, 0, 0))).toBe(Date.UTC(2027, 0, 1, 16, 0, 0));
  });
});
