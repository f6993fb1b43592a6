/**
 * The official SDK's OAuth calls against the sandbox: the code exchange
 * (authen.oidcAccessToken.create) and the refresh (authen.accessToken…
 * refreshAccessToken v1) accept what the sandbox answers, and the user token
 * they give works with the SDK's Drive calls (lark.withUserAccessToken).
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { ownCache, quiet } from './sdkHarness.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});


async function codeFor(sb: SandboxHandle): Promise<string> {
  const page = await fetch(`${sb.baseUrl}/open-apis/authen/v1/authorize?app_id=${sb.appId}&redirect_uri=${encodeURIComponent('https://x.test/cb')}&state=s`, { redirect: 'manual' });
  return new URL(page.headers.get('location')!).searchParams.get('code')!;
}

describe('SDK OAuth fidelity', () => {
  it('oidcAccessToken.create exchanges a sandbox code; the user token lists the root and refreshes', async () => {
    box = await startSandbox({ limits: 'off' });
    const client = new lark.Client({ appId: box.appId, appSecret: box.appSecret, domain: box.baseUrl, cache: ownCache(), logger: quiet });
    const exchanged = await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: await codeFor(box) } });
    expect(exchanged.code).toBe(0);
    const data = exchanged.data!;
    expect(data).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), refresh_expires_in: expect.any(Number) });

    const meta = await client.request({ method: 'GET', url: '/open-apis/drive/explorer/v2/root_folder/meta' }, lark.withUserAccessToken(data.access_token));
    expect((meta as { code: number; data: { token: string } }).data.token).toBe(box.rootFolderToken);

    const refreshed = await client.authen.refreshAccessToken.create({ data: { grant_type: 'refresh_token', refresh_token: data.refresh_token! } });
    expect(refreshed.code).toBe(0);
    expect(refreshed.data?.refresh_token).not.toBe(data.refresh_token);
  });

  it('a spent code comes back to the SDK as code 20007', async () => {
    box = await startSandbox({ limits: 'off' });
    const client = new lark.Client({ appId: box.appId, appSecret: box.appSecret, domain: box.baseUrl, cache: ownCache(), logger: quiet });
    const code = await codeFor(box);
    await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } });
    const again = await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } }).catch((e: { response?: { data?: unknown } }) => e.response?.data);
    expect(again).toMatchObject({ code: 20007 });
  });
});
