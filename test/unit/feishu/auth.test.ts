import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../../src/feishu/client.js';
import { renewalTime, type UserTokens } from '../../../src/feishu/auth.js';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import { TOKEN_REFRESH_MARGIN_MS } from '../../../src/feishu/limits.js';
import { verifyCredentials } from '../../../src/feishu/verifyCredentials.js';
import { FakeClock } from '../../../src/platform/clock.js';
import { rejectionOf, sendJson, startFakeServer, TOKEN_PATH, type FakeServer } from './fakeServer.js';

const ROOT = '/open-apis/drive/explorer/v2/root_folder/meta';
const rootOk = { code: 0, msg: 'ok', data: { token: 'fld-root', id: '7', user_id: 'u1' } };
const tenant = { kind: 'tenant' as const, appId: 'cli_a', appSecret: 'secret' };

describe('tenant access token', () => {
  let server: FakeServer | undefined;
  let client: FeishuClient | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = server = undefined;
  });

  it('is fetched with app_id/app_secret and sent as a Bearer token', async () => {
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 200, rootOk) });
    client = new FeishuClient({ baseUrl: server.baseUrl, credentials: tenant });
    await expect(client.rootFolderMeta()).resolves.toEqual({ token: 'fld-root', id: '7', userId: 'u1' });
    const [tokenReq] = server.to(TOKEN_PATH);
    expect(JSON.parse(tokenReq!.body.toString())).toEqual({ app_id: 'cli_a', app_secret: 'secret' });
    expect(server.to(ROOT)[0]!.headers.authorization).toBe('Bearer t-1');
  });

  it('10 concurrent calls share one token request', async () => {
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 200, rootOk) });
    const c = (client = new FeishuClient({ baseUrl: server.baseUrl, credentials: tenant }));
    await Promise.all(Array.from({ length: 10 }, () => c.rootFolderMeta()));
    expect(server.to(TOKEN_PATH)).toHaveLength(1);
    expect(server.to(ROOT)).toHaveLength(10);
  });

  it('is reused until 3 minutes before expiry, then refreshed', async () => {
    const clock = new FakeClock();
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 200, rootOk) }, 7200);
    client = new FeishuClient({ baseUrl: server.baseUrl, credentials: tenant, clock });
    await client.rootFolderMeta();
    await clock.advance(7200_000 - TOKEN_REFRESH_MARGIN_MS - 1);
    await client.rootFolderMeta();
    expect(server.to(TOKEN_PATH)).toHaveLength(1);
    await clock.advance(1);
    await client.rootFolderMeta();
    expect(server.to(TOKEN_PATH)).toHaveLength(2);
    expect(server.to(ROOT).map((r) => r.headers.authorization)).toEqual(['Bearer t-1', 'Bearer t-1', 'Bearer t-2']);
  });

  it('short-lived tokens are renewed at half their life', () => {
    expect(renewalTime(0, 60_000)).toBe(30_000);
    expect(renewalTime(0, 7200_000)).toBe(7200_000 - TOKEN_REFRESH_MARGIN_MS);
  });

  it('a call rejected with 99991663 re-fetches the token once and succeeds', async () => {
    let calls = 0;
    server = await startFakeServer({
      [ROOT]: (_r, res) =>
        ++calls === 1 ? sendJson(res, 401, { code: 99991663, msg: 'Invalid access token' }) : sendJson(res, 200, rootOk),
    });
    client = new FeishuClient({ baseUrl: server.baseUrl, credentials: tenant });
    await expect(client.rootFolderMeta()).resolves.toMatchObject({ token: 'fld-root' });
    expect(server.to(TOKEN_PATH)).toHaveLength(2);
    expect(server.to(ROOT).map((r) => r.headers.authorization)).toEqual(['Bearer t-1', 'Bearer t-2']);
  });

  it.each([99991661, 99991663, 99991664, 99991668, 1061005])('a second token rejection (%i) fails without a third try', async (code) => {
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 401, { code, msg: 'token' }) });
    client = new FeishuClient({ baseUrl: server.baseUrl, credentials: tenant });
    const err = await rejectionOf<FeishuError>(client.rootFolderMeta());
    expect(err).toBeInstanceOf(FeishuError);
    expect(err.code).toBe(code);
    expect(err.reauth).toBe(true);
    expect(server.to(ROOT)).toHaveLength(2);
    expect(server.to(TOKEN_PATH)).toHaveLength(2);
  });

  it('a wrong app secret fails with the auth code and a remedy, and no Drive call is made', async () => {
    server = await startFakeServer({
      [TOKEN_PATH]: (_r, res) => sendJson(res, 400, { code: 10014, msg: 'app secret invalid' }),
      [ROOT]: (_r, res) => sendJson(res, 200, rootOk),
    });
    const err = await rejectionOf<FeishuError>(verifyCredentials({ baseUrl: server.baseUrl, credentials: tenant }));
    expect(err).toBeInstanceOf(FeishuError);
    expect(err.code).toBe(10014);
    expect(err.endpoint).toBe('tenantToken');
    expect(err.remedy).toMatch(/app secret/);
    expect(err.message).toMatch(/feisync login/);
    expect(server.to(ROOT)).toHaveLength(0);
  });

  it('verifyCredentials returns the root folder of a working account', async () => {
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 200, rootOk) });
    await expect(verifyCredentials({ baseUrl: server.baseUrl, credentials: tenant })).resolves.toEqual({
      baseUrl: server.baseUrl,
      root: { token: 'fld-root', id: '7', userId: 'u1' },
    });
  });

  it('empty app credentials are refused before any request', () => {
    expect(() => new FeishuClient({ baseUrl: 'http://127.0.0.1:1', credentials: { kind: 'tenant', appId: '', appSecret: 'x' } })).toThrow(
      /app id/,
    );
  });
});

describe('user access token', () => {
  let server: FakeServer;
  let client: FeishuClient;
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  const APP_TOKEN = '/open-apis/auth/v3/app_access_token/internal';
  const REFRESH = '/open-apis/authen/v1/refresh_access_token';

  it('is used until near expiry, then refreshed with the refresh token and the new pair is persisted', async () => {
    const clock = new FakeClock();
    const saved: UserTokens[] = [];
    server = await startFakeServer({
      [ROOT]: (_r, res) => sendJson(res, 200, rootOk),
      [APP_TOKEN]: (_r, res) => sendJson(res, 200, { code: 0, msg: 'ok', app_access_token: 'a-1', expire: 7200 }),
      [REFRESH]: (_r, res) =>
        sendJson(res, 200, {
          code: 0,
          msg: 'ok',
          data: { access_token: 'u-2', expires_in: 7200, refresh_token: 'r-2', refresh_expires_in: 2592000 },
        }),
    });
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      clock,
      credentials: {
        kind: 'user',
        appId: 'cli_a',
        appSecret: 's',
        tokens: { accessToken: 'u-1', refreshToken: 'r-1', expiresAt: clock.now() + 3600_000 },
        onRefresh: (t) => void saved.push(t),
      },
    });
    await client.rootFolderMeta();
    await clock.advance(3600_000 - TOKEN_REFRESH_MARGIN_MS);
    await client.rootFolderMeta();
    expect(server.to(ROOT).map((r) => r.headers.authorization)).toEqual(['Bearer u-1', 'Bearer u-2']);
    const [refresh] = server.to(REFRESH);
    expect(refresh!.headers.authorization).toBe('Bearer a-1');
    expect(JSON.parse(refresh!.body.toString())).toEqual({ grant_type: 'refresh_token', refresh_token: 'r-1' });
    expect(saved).toEqual([{ accessToken: 'u-2', refreshToken: 'r-2', expiresAt: clock.now() + 7200_000, refreshExpiresAt: clock.now() + 2592000_000 }]);
  });

  it('a user token rejected with 99991668 is refreshed at once and the call retried with the new token', async () => {
    const clock = new FakeClock();
    let rootCalls = 0;
    server = await startFakeServer({
      [ROOT]: (_r, res) => (++rootCalls === 1 ? sendJson(res, 401, { code: 99991668, msg: 'user token expired' }) : sendJson(res, 200, rootOk)),
      [APP_TOKEN]: (_r, res) => sendJson(res, 200, { code: 0, msg: 'ok', app_access_token: 'a-1', expire: 7200 }),
      [REFRESH]: (_r, res) => sendJson(res, 200, { code: 0, msg: 'ok', data: { access_token: 'u-9', expires_in: 7200, refresh_token: 'r-9' } }),
    });
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      clock,
      credentials: { kind: 'user', appId: 'cli_a', appSecret: 's', tokens: { accessToken: 'u-1', refreshToken: 'r-1', expiresAt: clock.now() + 3600_000 } },
    });
    await client.rootFolderMeta();
    expect(server.to(ROOT).map((r) => r.headers.authorization)).toEqual(['Bearer u-1', 'Bearer u-9']);
  });

  it('a refused refresh fails with Feishu\'s code and persists nothing', async () => {
    const clock = new FakeClock();
    const saved: UserTokens[] = [];
    server = await startFakeServer({
      [APP_TOKEN]: (_r, res) => sendJson(res, 200, { code: 0, msg: 'ok', app_access_token: 'a-1', expire: 7200 }),
      [REFRESH]: (_r, res) => sendJson(res, 400, { code: 20037, msg: 'refresh token expired' }),
    });
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      clock,
      credentials: {
        kind: 'user',
        appId: 'cli_a',
        appSecret: 's',
        tokens: { accessToken: 'u-1', refreshToken: 'r-old', expiresAt: clock.now() },
        onRefresh: (t) => void saved.push(t),
      },
    });
    const err = await rejectionOf<FeishuError>(client.rootFolderMeta());
    expect(err).toBeInstanceOf(FeishuError);
    expect(err.code).toBe(20037);
    expect(err.endpoint).toBe('userTokenRefresh');
    expect(err.fatalForMapping).toBe(true);
    expect(err.remedy).toMatch(/feisync login/);
    expect(saved).toEqual([]);
  });
});
