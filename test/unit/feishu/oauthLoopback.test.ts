import { describe, expect, it, onTestFinished } from 'vitest';
import { CALLBACK_PATH, OAuthSignInError, startLoopbackListener } from '../../../src/feishu/oauthLoopback.js';

async function listener(timeoutMs = 10_000, signal?: AbortSignal) {
  const l = await startLoopbackListener({ expectedState: 'good-state', timeoutMs, ...(signal ? { signal } : {}) });
  onTestFinished(() => l.close());
  return l;
}

describe('OAuth loopback listener', () => {
  it('listens on 127.0.0.1 (a free port) and resolves with the code of the redirect carrying our state', async () => {
    const l = await listener();
    expect(l.redirectUri).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${CALLBACK_PATH}$`));
    const res = await fetch(`${l.redirectUri}?code=c-42&state=good-state`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Signed in');
    await expect(l.code).resolves.toBe('c-42');
    expect((await fetch(`${l.redirectUri}?code=c-43&state=good-state`)).status).toBe(410);
  });

  it('refuses a forged state and other paths, and keeps waiting for the real redirect', async () => {
    const l = await listener();
    expect((await fetch(`${l.redirectUri}?code=evil&state=other`)).status).toBe(400);
    expect((await fetch(`${l.redirectUri}?code=evil`)).status).toBe(400);
    expect((await fetch(new URL('/favicon.ico', l.redirectUri))).status).toBe(404);
    await fetch(`${l.redirectUri}?code=real&state=good-state`);
    await expect(l.code).resolves.toBe('real');
  });

  it('a denial with our state ends the wait with E_OAUTH_DENIED', async () => {
    const l = await listener();
    const res = await fetch(`${l.redirectUri}?error=access_denied&state=good-state`);
    expect(res.status).toBe(400);
    await expect(l.code).rejects.toMatchObject({ code: 'E_OAUTH_DENIED', message: expect.stringContaining('access_denied') });
  });

  it('gives up after the timeout with E_OAUTH_TIMEOUT and a remedy', async () => {
    const l = await listener(50);
    const err = await l.code.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthSignInError);
    expect(err).toMatchObject({ code: 'E_OAUTH_TIMEOUT', remedy: expect.stringContaining('Sign in again') });
  });

  it('an abort (the UI\'s Cancel) ends the wait with E_OAUTH_CANCELLED', async () => {
    const abort = new AbortController();
    const l = await listener(10_000, abort.signal);
    abort.abort();
    await expect(l.code).rejects.toMatchObject({ code: 'E_OAUTH_CANCELLED' });
  });

  it('listens on a fixed port when asked; a busy port is E_OAUTH_PORT with a remedy', async () => {
    const first = await listener();
    const port = Number(new URL(first.redirectUri).port);
    await first.close();
    const fixed = await startLoopbackListener({ expectedState: 's', timeoutMs: 10_000, port });
    onTestFinished(() => fixed.close());
    expect(fixed.redirectUri).toBe(`http://127.0.0.1:${port}${CALLBACK_PATH}`);
    await expect(startLoopbackListener({ expectedState: 's', timeoutMs: 10_000, port })).rejects.toMatchObject({ code: 'E_OAUTH_PORT', message: expect.stringContaining('EADDRINUSE') });
  });
});
