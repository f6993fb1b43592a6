/**
 * The settings window's sign-in calls (startSignIn / cancelSignIn /
 * completeSignIn) through the real bridge handlers, with a fake signInUser:
 * what is stored on success, how each failure reaches the page, Cancel.
 */
import { describe, expect, it } from 'vitest';
import { createBridgeHandlers, type HandlerDeps } from '../../../app/main/ipcHandlers.js';
import { parseCode } from '../../../app/main/signInCalls.js';
import { memorySettingsStore } from '../../../app/main/settingsStore.js';
import type { BridgeResult } from '../../../app/shared/bridgeApi.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/config/settings.js';
import { assertValid } from '../../../src/config/settingsFile.js';
import type { UserTokens } from '../../../src/feishu/auth.js';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import { OAuthSignInError } from '../../../src/feishu/oauthLoopback.js';
import type { UserSignInOptions } from '../../../src/feishu/userSignIn.js';
import { engineState } from './engineStateFixture.js';

const TOKENS: UserTokens = { accessToken: 'u-access', refreshToken: 'u-refresh', expiresAt: 1_900_000_000_000 };
const ROOT = { token: 'fldRootAda', id: '7', userId: 'ou_ada' };
const AUTHORIZE = 'https://open.feishu.cn/open-apis/authen/v1/authorize?app_id=cli_user&state=s';

type SignInBehaviour = (options: UserSignInOptions) => Promise<{ tokens: UserTokens; root: typeof ROOT }>;

function build(behaviour: SignInBehaviour, initial: Partial<Settings> = {}) {
  const settings = memorySettingsStore({ ...structuredClone(DEFAULT_SETTINGS), ...initial }, (s) => assertValid(s as never));
  const secretData = new Map<string, string>();
  const savedTokens = new Map<string, UserTokens>();
  const opened: string[] = [];
  const seen: { start?: UserSignInOptions; complete?: { baseUrl: string; appId: string; appSecret: string; code: string } } = {};
  let accountChanges = 0;
  const unused = () => Promise.reject(new Error('not used here'));
  const deps: HandlerDeps = {
    engine: { getState: () => engineState() } as unknown as HandlerDeps['engine'],
    settings,
    secrets: { has: (n, app) => secretData.has(`${n}:${app}`), get: (n, app) => secretData.get(`${n}:${app}`), set: (n, app, v) => void secretData.set(`${n}:${app}`, v) },
    fs: { stat: unused },
    shell: { openPath: unused, openExternal: async (u) => (opened.push(u), u.includes('nobrowser') ? Promise.reject(new Error('xdg-open: no method available')) : undefined) },
    dialog: { pickFolder: unused },
    drive: () => null,
    signIn: {
      signInUser: (options) => ((seen.start = options), behaviour(options)),
      completeUserSignIn: async (options) => {
        seen.complete = options;
        if (options.code === 'expired') throw new FeishuError({ code: 20007, httpStatus: 400, msg: 'authorization code invalid', endpoint: 'userTokenFromCode' });
        return { tokens: TOKENS, root: ROOT };
      },
      saveUserTokens: async (appId, tokens) => void savedTokens.set(appId, tokens),
      hasUserTokens: (appId) => savedTokens.has(appId),
    },
    testConnection: unused,
    info: () => ({ version: '0.1.0', electron: '', chrome: '', node: '', platform: 'linux', locale: 'en', logDir: '/l', stateDir: '/s' }),
    system: { setStartAtLogin: unused, setShellIntegration: unused, shellIntegrationInstalled: () => false, openLogFolder: unused, exportDiagnostics: unused },
    onAccountChanged: () => void accountChanges++,
    platform: 'linux',
  };
  return { handlers: createBridgeHandlers(deps), settings, secretData, savedTokens, opened, seen, accountChanges: () => accountChanges };
}

const account = { cloud: 'feishu', appId: 'cli_user', identity: 'user', secret: 'app-secret' };
/** A signInUser that opens the page and then does what `then` says. */
const opensThen = (then: (options: UserSignInOptions) => Promise<never> | Promise<{ tokens: UserTokens; root: typeof ROOT }>): SignInBehaviour => async (options) => {
  await options.openUrl(AUTHORIZE, 'http://127.0.0.1:4711/feisync/oauth/callback');
  return then(options);
};
function err<T>(r: BridgeResult<T>) {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('startSignIn', () => {
  it('opens the browser, then stores the secret and the tokens, switches the account to the user and rebuilds the engine', async () => {
    const s = build(opensThen(async () => ({ tokens: TOKENS, root: ROOT })));
    const result = await s.handlers.startSignIn(account);
    if (!result.ok) throw new Error(result.error.message);
    expect(s.opened).toEqual([AUTHORIZE]);
    expect(s.seen.start).toMatchObject({ baseUrl: 'https://open.feishu.cn', appId: 'cli_user', appSecret: 'app-secret' });
    expect(s.seen.start?.signal).toBeInstanceOf(AbortSignal);
    expect(s.secretData.get('appSecret:cli_user')).toBe('app-secret');
    expect(s.savedTokens.get('cli_user')).toEqual(TOKENS);
    expect(s.settings.get().account).toEqual({ cloud: 'feishu', appId: 'cli_user', identity: 'user' });
    expect(result.value).toMatchObject({ rootToken: 'fldRootAda', settings: { signedIn: true, hasSecret: true } });
    expect(JSON.stringify(result.value)).not.toContain('u-refresh'); // tokens never reach the page
    expect(s.accountChanges()).toBe(1);
  });

  it('uses the stored app secret when none is typed, and a custom cloud as the base URL', async () => {
    const s = build(async () => ({ tokens: TOKENS, root: ROOT }));
    s.secretData.set('appSecret:cli_user', 'kept');
    await s.handlers.startSignIn({ ...account, cloud: 'http://127.0.0.1:8787', secret: '' });
    expect(s.seen.start).toMatchObject({ baseUrl: 'http://127.0.0.1:8787', appSecret: 'kept' });
  });

  it.each([
    ['E_OAUTH_DENIED', 'the user refused'],
    ['E_OAUTH_TIMEOUT', 'no sign-in arrived within 300 s'],
    ['E_OAUTH_PORT', 'cannot listen on 127.0.0.1:0'],
    ['E_OAUTH_NO_CODE', 'the redirect carried no code'],
  ] as const)('%s reaches the page with its remedy and stores nothing', async (code, message) => {
    const s = build(opensThen(async () => Promise.reject(new OAuthSignInError(code, message, `remedy for ${code}`))));
    const error = err(await s.handlers.startSignIn(account));
    expect(error).toEqual({ code, message, remedy: `remedy for ${code}` });
    expect(s.savedTokens.size).toBe(0);
    expect(s.secretData.size).toBe(0);
    expect(s.settings.get().account).toBeNull();
    expect(s.accountChanges()).toBe(0);
  });

  it('an exchange failure (Feishu 20007) says to click Sign in again, not to run the CLI', async () => {
    const s = build(async () => Promise.reject(new FeishuError({ code: 20007, httpStatus: 400, msg: 'authorization code invalid', endpoint: 'userTokenFromCode' })));
    const error = err(await s.handlers.startSignIn(account));
    expect(error.code).toBe('20007');
    expect(error.message).toContain('authorization code invalid');
    expect(error.remedy).toContain('Sign in with Feishu');
    expect(error.remedy).not.toContain('feisync login');
  });

  it('Cancel aborts the wait: the pending call answers E_OAUTH_CANCELLED and a new sign-in may start', async () => {
    const waitForAbort: SignInBehaviour = (options) =>
      new Promise((_, reject) => options.signal!.addEventListener('abort', () => reject(new OAuthSignInError('E_OAUTH_CANCELLED', 'The sign-in was cancelled.', 'Sign in again when ready.'))));
    const s = build(waitForAbort);
    const first = s.handlers.startSignIn(account);
    await Promise.resolve();
    const firstSignal = s.seen.start!.signal!;
    // One at a time: a new start (e.g. from a reopened window) replaces the old wait.
    const pending = s.handlers.startSignIn(account);
    await Promise.resolve();
    expect(firstSignal.aborted).toBe(true);
    expect(err(await first).code).toBe('E_OAUTH_CANCELLED');
    expect(s.seen.start?.signal?.aborted).toBe(false);
    expect(await s.handlers.cancelSignIn()).toEqual({ ok: true, value: null });
    expect(err(await pending).code).toBe('E_OAUTH_CANCELLED');
    expect(s.seen.start?.signal?.aborted).toBe(true);
    const again = s.handlers.startSignIn(account);
    await Promise.resolve();
    expect(s.seen.start?.signal?.aborted).toBe(false);
    await s.handlers.cancelSignIn();
    expect(err(await again).code).toBe('E_OAUTH_CANCELLED');
  });

  it('while waiting, the sign-in page address is available to open elsewhere; a browser that fails to open does not end the wait', async () => {
    let release!: () => void;
    const s = build(opensThen(() => new Promise((resolve) => (release = () => resolve({ tokens: TOKENS, root: ROOT })))));
    expect(await s.handlers.signInLink()).toEqual({ ok: true, value: null });
    const pending = s.handlers.startSignIn(account);
    await new Promise((r) => setTimeout(r, 0));
    expect(await s.handlers.signInLink()).toEqual({ ok: true, value: AUTHORIZE });
    release();
    expect((await pending).ok).toBe(true);
    expect(await s.handlers.signInLink()).toEqual({ ok: true, value: null });

    const headless = build(async (options) => {
      await options.openUrl(`${AUTHORIZE}&nobrowser`, 'http://127.0.0.1:1/cb');
      return { tokens: TOKENS, root: ROOT };
    });
    expect((await headless.handlers.startSignIn(account)).ok).toBe(true);
    expect(headless.opened).toEqual([`${AUTHORIZE}&nobrowser`]);
  });

  it('Cancel with nothing waiting is harmless', async () => {
    expect(await build(async () => ({ tokens: TOKENS, root: ROOT })).handlers.cancelSignIn()).toEqual({ ok: true, value: null });
  });

  it('rejects bad arguments before opening anything', async () => {
    const s = build(async () => ({ tokens: TOKENS, root: ROOT }));
    expect(err(await s.handlers.startSignIn({ ...account, identity: 'tenant' })).remedy).toContain('My user account');
    expect(err(await s.handlers.startSignIn({ ...account, secret: '' })).message).toContain('No App Secret is stored for cli_user');
    expect(err(await s.handlers.startSignIn({ ...account, cloud: 'ftp://x' })).code).toBe('E_INVALID_ARGUMENT');
    expect(err(await s.handlers.startSignIn(null)).code).toBe('E_INVALID_ARGUMENT');
    expect(err(await s.handlers.startSignIn({ ...account, appId: 'cli x' })).code).toBe('E_INVALID_ARGUMENT');
    expect(s.seen.start).toBeUndefined();
    expect(s.opened).toEqual([]);
  });
});

describe('completeSignIn (pasted code)', () => {
  it('exchanges the code, stores the login and ends a pending browser wait', async () => {
    const s = build((options) => new Promise((_, reject) => options.signal!.addEventListener('abort', () => reject(new OAuthSignInError('E_OAUTH_CANCELLED', 'cancelled', 'again')))));
    const pending = s.handlers.startSignIn(account);
    await Promise.resolve();
    const done = await s.handlers.completeSignIn({ ...account, code: ' http://127.0.0.1:4711/feisync/oauth/callback?code=abc123&state=s ' });
    expect(done).toMatchObject({ ok: true, value: { rootToken: 'fldRootAda', settings: { signedIn: true } } });
    expect(s.seen.complete).toEqual({ baseUrl: 'https://open.feishu.cn', appId: 'cli_user', appSecret: 'app-secret', code: 'abc123' });
    expect(err(await pending).code).toBe('E_OAUTH_CANCELLED');
    expect(s.savedTokens.get('cli_user')).toEqual(TOKENS);
    expect(s.settings.get().account?.identity).toBe('user');
  });

  it('an expired code is Feishu 20007 with the app remedy; nothing is stored', async () => {
    const s = build(async () => ({ tokens: TOKENS, root: ROOT }));
    const error = err(await s.handlers.completeSignIn({ ...account, code: 'expired' }));
    expect(error).toMatchObject({ code: '20007', remedy: expect.stringContaining('Sign in with Feishu') });
    expect(s.savedTokens.size).toBe(0);
  });

  it('bad codes are refused with a remedy', async () => {
    const s = build(async () => ({ tokens: TOKENS, root: ROOT }));
    expect(err(await s.handlers.completeSignIn({ ...account, code: '' })).message).toContain('sign-in code is empty');
    expect(err(await s.handlers.completeSignIn({ ...account, code: 42 })).code).toBe('E_INVALID_ARGUMENT');
    expect(err(await s.handlers.completeSignIn({ ...account, code: 'a b<script>' })).remedy).toContain('code=');
    expect(err(await s.handlers.completeSignIn({ ...account, code: 'https://x/cb?error=access_denied' })).code).toBe('E_OAUTH_DENIED');
    expect(err(await s.handlers.completeSignIn({ ...account, code: 'https://x/cb?state=s' })).message).toContain('holds no code');
    expect(s.seen.complete).toBeUndefined();
  });
});

describe('parseCode', () => {
  it('takes a bare code or the code of a pasted redirect address', () => {
    expect(parseCode('  0a1B-c_d.e~ ')).toBe('0a1B-c_d.e~');
    expect(parseCode('https://127.0.0.1:1/feisync/oauth/callback?state=x&code=zz9')).toBe('zz9');
    expect(() => parseCode('https://[bad')).toThrow(/not a valid URL/);
  });
});
