import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../../src/feishu/client.js';
import { OAuthSignInError } from '../../../src/feishu/oauthLoopback.js';
import { completeUserSignIn, signInUser } from '../../../src/feishu/userSignIn.js';
import { ownerId } from '../../../src/sandbox/drive.js';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

/** The browser: follow the authorize page's redirect to the loopback listener. */
async function approve(url: string): Promise<void> {
  const page = await fetch(url, { redirect: 'manual' });
  await fetch(page.headers.get('location')!);
}

describe('signInUser (what the tray app calls)', () => {
  it('opens the authorize page, receives the redirect, exchanges and verifies: tokens usable by the client', async () => {
    box = await startSandbox({ limits: 'off' });
    const opened: string[] = [];
    const signedIn = await signInUser({
      baseUrl: box.baseUrl, appId: box.appId, appSecret: box.appSecret,
      openUrl: (url, redirectUri) => {
        opened.push(url);
        expect(new URL(url).searchParams.get('redirect_uri')).toBe(redirectUri);
        void approve(url);
      },
    });
    expect(opened).toHaveLength(1);
    expect(signedIn.root).toMatchObject({ token: box.rootFolderToken, userId: ownerId('user:sandbox_user') });

    const rotated: string[] = [];
    const client = new FeishuClient({
      baseUrl: box.baseUrl,
      credentials: { kind: 'user', appId: box.appId, appSecret: box.appSecret, tokens: { ...signedIn.tokens, expiresAt: 0 }, onRefresh: (t) => void rotated.push(t.refreshToken) },
    });
    try {
      const folder = await client.createFolder('by-user', box.rootFolderToken);
      expect(folder.token).toBeTruthy();
      expect(rotated).toHaveLength(1); // the expired access token was refreshed first
      expect(rotated[0]).not.toBe(signedIn.tokens.refreshToken);
    } finally {
      await client.close();
    }
  });

  it('Cancel (an abort signal) ends the wait with E_OAUTH_CANCELLED; a failing openUrl aborts too', async () => {
    box = await startSandbox({ limits: 'off' });
    const abort = new AbortController();
    const cancelled = signInUser({ baseUrl: box.baseUrl, appId: box.appId, appSecret: box.appSecret, signal: abort.signal, openUrl: () => abort.abort() });
    await expect(cancelled).rejects.toBeInstanceOf(OAuthSignInError);
    await expect(cancelled).rejects.toMatchObject({ code: 'E_OAUTH_CANCELLED' });
    await expect(signInUser({ baseUrl: box.baseUrl, appId: box.appId, appSecret: box.appSecret, openUrl: () => { throw new Error('no browser'); } })).rejects.toThrow('no browser');
  });

  it('completeUserSignIn exchanges a pasted code once; the second time is 20007', async () => {
    box = await startSandbox({ limits: 'off' });
    const page = await fetch(`${box.baseUrl}/open-apis/authen/v1/index?app_id=${box.appId}&redirect_uri=${encodeURIComponent('https://x.test/cb')}&state=s`, { redirect: 'manual' });
    const code = new URL(page.headers.get('location')!).searchParams.get('code')!;
    const creds = { baseUrl: box.baseUrl, appId: box.appId, appSecret: box.appSecret, code };
    await expect(completeUserSignIn(creds)).resolves.toMatchObject({ root: { token: box.rootFolderToken } });
    await expect(completeUserSignIn(creds)).rejects.toMatchObject({ code: 20007 });
  });
});
