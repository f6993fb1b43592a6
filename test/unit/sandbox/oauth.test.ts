import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/platform/clock.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/index.js';
import { ownerId } from '../../../src/sandbox/drive.js';
import { SandboxCaller } from './sandboxClient.js';

const APP_TOKEN = '/open-apis/auth/v3/app_access_token/internal';
const EXCHANGE = '/open-apis/authen/v1/oidc/access_token';
const REFRESH = '/open-apis/authen/v1/refresh_access_token';
const ROOT_META = '/open-apis/drive/explorer/v2/root_folder/meta';
const REDIRECT = 'http://127.0.0.1:9/callback?keep=1';

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

async function open(options: SandboxOptions = {}) {
  box = await startSandbox({ limits: 'off', ...options });
  const api = new SandboxCaller(box);
  const appToken = async (appId = box!.appId, appSecret = box!.appSecret) =>
    (await api.call('POST', APP_TOKEN, { json: { app_id: appId, app_secret: appSecret }, token: null })).json!.app_access_token as string;
  return { box, api, appToken };
}

async function authorize(box: SandboxHandle, query: Record<string, string>, path = '/open-apis/authen/v1/authorize') {
  const url = new URL(path, box.baseUrl);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const answer = await request(url, { method: 'GET' });
  const text = await answer.body.text();
  const location = answer.headers.location as string | undefined;
  return { status: answer.statusCode, text, location: location ? new URL(location) : undefined };
}

describe('sandbox OAuth authorize page', () => {
  it('auto-approves and redirects to redirect_uri with a code and the same state (both documented paths)', async () => {
    const { box } = await open();
    for (const path of ['/open-apis/authen/v1/authorize', '/open-apis/authen/v1/index']) {
      const page = await authorize(box, { app_id: box.appId, redirect_uri: REDIRECT, state: 's-123' }, path);
      expect(page.status).toBe(302);
      expect(page.location?.origin + page.location!.pathname).toBe('http://127.0.0.1:9/callback');
      expect(page.location?.searchParams.get('keep')).toBe('1');
      expect(page.location?.searchParams.get('state')).toBe('s-123');
      expect(page.location?.searchParams.get('code')).toMatch(/^c-/);
    }
  });

  it('shows an Approve / Deny page with interactive=1; Deny redirects with error=access_denied', async () => {
    const { box } = await open();
    const query = { app_id: box.appId, redirect_uri: REDIRECT, state: 'st<x>', interactive: '1' };
    const page = await authorize(box, query);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="approve"');
    expect(page.text).toContain('value="st&#60;x&#62;"');
    const approved = await authorize(box, { ...query, approve: '1' });
    expect(approved.location?.searchParams.get('code')).toMatch(/^c-/);
    const denied = await authorize(box, { ...query, deny: '1' });
    expect(denied.location?.searchParams.get('error')).toBe('access_denied');
    expect(denied.location?.searchParams.get('code')).toBeNull();
  });

  it('refuses an unknown app and a bad redirect_uri with an error page, never a redirect', async () => {
    const { box } = await open();
    const unknown = await authorize(box, { app_id: 'cli_nobody', redirect_uri: REDIRECT, state: 's' });
    expect([unknown.status, unknown.location]).toEqual([400, undefined]);
    expect(unknown.text).toContain('Unknown app_id');
    const relative = await authorize(box, { app_id: box.appId, redirect_uri: '/cb', state: 's' });
    expect([relative.status, relative.location]).toEqual([400, undefined]);
    const js = await authorize(box, { app_id: box.appId, redirect_uri: 'javascript:alert(1)', state: 's' });
    expect(js.status).toBe(400);
  });
});

describe('sandbox OAuth code exchange', () => {
  it('gives a user token pair the Drive and the refresh endpoint accept; the code is good once', async () => {
    const { box, api, appToken } = await open();
    const code = (await authorize(box, { app_id: box.appId, redirect_uri: REDIRECT, state: 's', user: 'alice' })).location!.searchParams.get('code')!;
    const app = await appToken();
    const first = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code', code }, token: app });
    expect(first.json).toMatchObject({ code: 0, data: { access_token: expect.stringMatching(/^u-/), refresh_token: expect.any(String), expires_in: expect.any(Number), refresh_expires_in: expect.any(Number), token_type: 'Bearer' } });
    const root = await api.call('GET', ROOT_META, { token: first.json!.data!.access_token });
    expect(root.json?.code).toBe(0);
    expect(root.json?.data?.user_id).toBe(ownerId('user:alice'));
    const refreshed = await api.call('POST', REFRESH, { json: { grant_type: 'refresh_token', refresh_token: first.json!.data!.refresh_token }, token: app });
    expect(refreshed.json?.code).toBe(0);

    const again = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code', code }, token: app });
    expect([again.status, again.json?.code]).toEqual([400, 20007]);
    expect(again.json?.msg).toContain('already used');
  });

  it('answers 20007 for an unknown code, an expired code (5 min) and a code of another app', async () => {
    const clock = new FakeClock();
    const { box, api, appToken } = await open({ clock, extraApps: [{ appId: 'cli_other', appSecret: 'other-secret' }] });
    const app = await appToken();
    const unknown = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code', code: 'c-forged' }, token: app });
    expect([unknown.json?.code, unknown.json?.msg]).toEqual([20007, expect.stringContaining('unknown')]);

    const stale = (await authorize(box, { app_id: box.appId, redirect_uri: REDIRECT, state: 's' })).location!.searchParams.get('code')!;
    clock.advance(5 * 60 * 1000 + 1);
    const expired = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code', code: stale }, token: await appToken() });
    expect([expired.json?.code, expired.json?.msg]).toEqual([20007, expect.stringContaining('expired')]);

    const code = (await authorize(box, { app_id: box.appId, redirect_uri: REDIRECT, state: 's' })).location!.searchParams.get('code')!;
    const other = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code', code }, token: await appToken('cli_other', 'other-secret') });
    expect([other.json?.code, other.json?.msg]).toEqual([20007, expect.stringContaining('another app')]);
  });

  it('wants the app token, the right grant_type and a code', async () => {
    const { box, api, appToken } = await open();
    const none = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code', code: 'x' }, token: null });
    expect(none.json?.code).toBe(99991661);
    const user = box.issueUserTokens();
    const asUser = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code', code: 'x' }, token: user.accessToken });
    expect(asUser.json?.code).toBe(99991663);
    const app = await appToken();
    const grant = await api.call('POST', EXCHANGE, { json: { grant_type: 'refresh_token', code: 'x' }, token: app });
    expect(grant.json?.code).toBe(10003);
    const missing = await api.call('POST', EXCHANGE, { json: { grant_type: 'authorization_code' }, token: app });
    expect(missing.json?.code).toBe(10003);
  });
});
