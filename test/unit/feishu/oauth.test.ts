import { afterEach, describe, expect, it } from 'vitest';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import {
  AUTHORIZE_PATH, buildAuthorizeUrl, exchangeAuthorizationCode, LEGACY_AUTHORIZE_PATH, newOAuthState, parseAuthorizationRedirect,
} from '../../../src/feishu/oauth.js';
import { FakeClock } from '../../../src/platform/clock.js';
import { sendJson, startFakeServer, type FakeServer } from './fakeServer.js';

const APP_TOKEN_PATH = '/open-apis/auth/v3/app_access_token/internal';
const EXCHANGE_PATH = '/open-apis/authen/v1/oidc/access_token';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('buildAuthorizeUrl', () => {
  it('puts app_id, redirect_uri (encoded) and state on the authorize page of the cloud', () => {
    const url = new URL(buildAuthorizeUrl({ baseUrl: 'feishu', appId: 'cli_a', redirectUri: 'http://127.0.0.1:5000/cb?x=1&y=2', state: 's t' }));
    expect(url.origin + url.pathname).toBe('https://open.feishu.cn' + AUTHORIZE_PATH);
    expect([...url.searchParams]).toEqual([['app_id', 'cli_a'], ['redirect_uri', 'http://127.0.0.1:5000/cb?x=1&y=2'], ['state', 's t']]);
    expect(url.search).toContain('redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcb%3Fx%3D1%26y%3D2');
  });

  it('takes Lark, a custom URL, the legacy /index page and scopes', () => {
    const lark = new URL(buildAuthorizeUrl({ baseUrl: 'lark', appId: 'cli_a', redirectUri: 'https://x.test/cb', state: 's', scope: 'drive:drive offline_access', path: LEGACY_AUTHORIZE_PATH }));
    expect(lark.origin + lark.pathname).toBe('https://open.larksuite.com/open-apis/authen/v1/index');
    expect(lark.searchParams.get('scope')).toBe('drive:drive offline_access');
    expect(buildAuthorizeUrl({ baseUrl: 'http://127.0.0.1:9', appId: 'a', redirectUri: 'https://x.test/', state: 's' })).toMatch(/^http:\/\/127\.0\.0\.1:9\/open-apis\/authen\/v1\/authorize\?/);
  });

  it('refuses a missing app id or state and relative or non-http redirect URIs', () => {
    const ok = { baseUrl: 'feishu', appId: 'cli_a', redirectUri: 'https://x.test/cb', state: 's' };
    expect(() => buildAuthorizeUrl({ ...ok, appId: '' })).toThrow(/app id/);
    expect(() => buildAuthorizeUrl({ ...ok, state: '' })).toThrow(/state/);
    expect(() => buildAuthorizeUrl({ ...ok, redirectUri: '/cb' })).toThrow(/not an absolute URL/);
    expect(() => buildAuthorizeUrl({ ...ok, redirectUri: 'javascript:alert(1)' })).toThrow(/http\(s\)/);
  });

  it('newOAuthState gives 128 random bits, URL-safe', () => {
    expect(newOAuthState(() => Buffer.alloc(16, 0xff))).toBe('_____________________w');
    const a = newOAuthState();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newOAuthState()).not.toBe(a);
  });
});

describe('parseAuthorizationRedirect', () => {
  it('returns the code when the state matches', () => {
    expect(parseAuthorizationRedirect('http://127.0.0.1:1/cb?code=abc&state=s1', 's1')).toEqual({ ok: true, code: 'abc' });
    expect(parseAuthorizationRedirect(new URL('http://h/cb?state=s1&code=x%2By'), 's1')).toEqual({ ok: true, code: 'x+y' });
  });

  it('refuses another or a missing state (CSRF) before looking at the code', () => {
    expect(parseAuthorizationRedirect('/cb?code=abc&state=evil', 's1')).toMatchObject({ ok: false, reason: 'stateMismatch' });
    expect(parseAuthorizationRedirect('/cb?code=abc', 's1')).toMatchObject({ ok: false, reason: 'stateMismatch', detail: expect.stringContaining('no state') });
  });

  it('reports a denial and a redirect without a code', () => {
    expect(parseAuthorizationRedirect('/cb?error=access_denied&state=s1', 's1')).toEqual({ ok: false, reason: 'denied', detail: 'access_denied' });
    expect(parseAuthorizationRedirect('/cb?state=s1', 's1')).toMatchObject({ ok: false, reason: 'missingCode' });
  });
});

describe('exchangeAuthorizationCode', () => {
  it('sends grant_type + code with the app_access_token and returns the pair with absolute expiries', async () => {
    server = await startFakeServer({
      [APP_TOKEN_PATH]: (_req, res) => sendJson(res, 200, { code: 0, msg: 'ok', app_access_token: 'a-1', expire: 7200 }),
      [EXCHANGE_PATH]: (_req, res) =>
        sendJson(res, 200, { code: 0, msg: 'success', data: { access_token: 'u-1', refresh_token: 'ur-1', token_type: 'Bearer', expires_in: 6900, refresh_expires_in: 2592000, scope: '' } }),
    });
    const clock = new FakeClock(1_000_000);
    const tokens = await exchangeAuthorizationCode({ baseUrl: server.baseUrl, appId: 'cli_a', appSecret: 'sec', code: ' c-1 ', clock });
    expect(tokens).toEqual({ accessToken: 'u-1', refreshToken: 'ur-1', expiresAt: 1_000_000 + 6_900_000, refreshExpiresAt: 1_000_000 + 2_592_000_000 });
    expect(JSON.parse(server.to(APP_TOKEN_PATH)[0]!.body.toString())).toEqual({ app_id: 'cli_a', app_secret: 'sec' });
    const exchange = server.to(EXCHANGE_PATH)[0]!;
    expect(exchange.method).toBe('POST');
    expect(exchange.headers.authorization).toBe('Bearer a-1');
    expect(JSON.parse(exchange.body.toString())).toEqual({ grant_type: 'authorization_code', code: 'c-1' });
  });

  it('a bad, used or expired code is a FeishuError 20007 with the remedy to sign in again', async () => {
    server = await startFakeServer({
      [APP_TOKEN_PATH]: (_req, res) => sendJson(res, 200, { code: 0, msg: 'ok', app_access_token: 'a-1', expire: 7200 }),
      [EXCHANGE_PATH]: (_req, res) => sendJson(res, 400, { code: 20007, msg: 'authorization code invalid', data: {} }, { 'x-tt-logid': 'log-1' }),
    });
    const err = await exchangeAuthorizationCode({ baseUrl: server.baseUrl, appId: 'cli_a', appSecret: 'sec', code: 'c-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeishuError);
    expect(err).toMatchObject({ code: 20007, logId: 'log-1', endpoint: 'userTokenFromCode' });
    expect((err as FeishuError).remedy).toMatch(/feisync login --user/);
    expect(server.to(EXCHANGE_PATH)).toHaveLength(1); // never retried: the code may be spent
  });

  it('a wrong app secret fails at the app token (10014) without sending the code', async () => {
    server = await startFakeServer({
      [APP_TOKEN_PATH]: (_req, res) => sendJson(res, 400, { code: 10014, msg: 'app secret invalid' }),
    });
    await expect(exchangeAuthorizationCode({ baseUrl: server.baseUrl, appId: 'cli_a', appSecret: 'bad', code: 'c-1' })).rejects.toMatchObject({ code: 10014 });
    expect(server.to(EXCHANGE_PATH)).toHaveLength(0);
  });

  it('a rejected app token is renewed once, then the code is sent again', async () => {
    let appTokens = 0;
    let exchanges = 0;
    server = await startFakeServer({
      [APP_TOKEN_PATH]: (_req, res) => sendJson(res, 200, { code: 0, msg: 'ok', app_access_token: `a-${++appTokens}`, expire: 7200 }),
      [EXCHANGE_PATH]: (_req, res) =>
        ++exchanges === 1
          ? sendJson(res, 401, { code: 99991663, msg: 'Invalid access token for authorization' })
          : sendJson(res, 200, { code: 0, msg: 'success', data: { access_token: 'u-1', refresh_token: 'ur-1', token_type: 'Bearer', expires_in: 60 } }),
    });
    const tokens = await exchangeAuthorizationCode({ baseUrl: server.baseUrl, appId: 'cli_a', appSecret: 'sec', code: 'c-1' });
    expect(tokens.accessToken).toBe('u-1');
    expect(tokens.refreshExpiresAt).toBeUndefined();
    expect(server.to(EXCHANGE_PATH).map((r) => r.headers.authorization)).toEqual(['Bearer a-1', 'Bearer a-2']);
  });

  it('an answer without a refresh token is a bad response, and an empty code never leaves the machine', async () => {
    server = await startFakeServer({
      [APP_TOKEN_PATH]: (_req, res) => sendJson(res, 200, { code: 0, msg: 'ok', app_access_token: 'a-1', expire: 7200 }),
      [EXCHANGE_PATH]: (_req, res) => sendJson(res, 200, { code: 0, msg: 'success', data: { access_token: 'u-1', expires_in: 60 } }),
    });
    await expect(exchangeAuthorizationCode({ baseUrl: server.baseUrl, appId: 'cli_a', appSecret: 'sec', code: 'c-1' })).rejects.toBeInstanceOf(FeishuError);
    await expect(exchangeAuthorizationCode({ baseUrl: server.baseUrl, appId: 'cli_a', appSecret: 'sec', code: '  ' })).rejects.toThrow(/empty/);
    expect(server.to(EXCHANGE_PATH)).toHaveLength(1);
  });
});
