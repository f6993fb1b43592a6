/**
 * "Sign in with Feishu" for the settings window, as plain functions of
 * injected dependencies (tested without Electron): start the browser sign-in
 * (a loopback redirect), cancel it, or finish it with a code the user pasted.
 * On success the app secret and the user's tokens are stored, the account
 * becomes identity 'user', and the engine is rebuilt.
 */
import type { AccountSettings } from '../../src/config/settings.js';
import type { UserTokens } from '../../src/feishu/auth.js';
import { resolveBaseUrl } from '../../src/feishu/baseUrl.js';
import { isFeishuError } from '../../src/feishu/feishuError.js';
import { OAuthSignInError } from '../../src/feishu/oauthLoopback.js';
import type { UserSignIn, UserSignInOptions } from '../../src/feishu/userSignIn.js';
import type { SettingsView, SignInOutcome } from '../shared/bridgeApi.js';
import { expectAccountInput, expectString, invalid } from './ipcValidation.js';
import type { SettingsStore } from './settingsStore.js';

export interface SignInDeps {
  /** signInUser from src/feishu/userSignIn.js. */
  signInUser(options: UserSignInOptions): Promise<UserSignIn>;
  /** completeUserSignIn from src/feishu/userSignIn.js. */
  completeUserSignIn(options: { baseUrl: string; appId: string; appSecret: string; code: string }): Promise<UserSignIn>;
  /** Keep the new login (the app's encrypted store). */
  saveUserTokens(appId: string, tokens: UserTokens): Promise<void>;
  secrets: {
    get(name: 'appSecret', appId: string): string | undefined;
    set(name: 'appSecret', appId: string, value: string): void;
  };
  settings: SettingsStore;
  /** shell.openExternal through the electronSystem edge. */
  openExternal(url: string): Promise<void>;
  onAccountChanged?(): void;
  /** The browser could not be opened (logged; the sign-in keeps waiting). */
  onOpenFailed?(error: unknown): void;
}

export interface SignInCalls {
  startSignIn(input: unknown): Promise<SignInOutcome>;
  cancelSignIn(): null;
  /** The authorize page of the sign-in waiting for the browser (to open elsewhere), or null. */
  signInLink(): string | null;
  completeSignIn(input: unknown): Promise<SignInOutcome>;
}

/** The longest code or pasted redirect URL accepted. */
const MAX_CODE = 2048;

export function createSignInCalls(deps: SignInDeps, view: () => SettingsView): SignInCalls {
  let waiting: AbortController | null = null;
  let link: string | null = null;

  const prepare = (input: unknown) => {
    const { account, secret } = expectAccountInput(input);
    if (account.identity !== 'user') throw invalid('Sign-in is for uploading as a user.', 'Choose "My user account" as the identity first.');
    const appSecret = secret ?? deps.secrets.get('appSecret', account.appId);
    if (!appSecret) throw invalid(`No App Secret is stored for ${account.appId}.`, 'Paste the App Secret first: the sign-in needs it.');
    return { account, appSecret, baseUrl: resolveBaseUrl(account.cloud) };
  };

  const finish = async (account: AccountSettings, appSecret: string, signingIn: Promise<UserSignIn>): Promise<SignInOutcome> => {
    const result = await signingIn.catch((e: unknown) => {
      throw forTheApp(e);
    });
    deps.secrets.set('appSecret', account.appId, appSecret);
    await deps.saveUserTokens(account.appId, result.tokens);
    deps.settings.set({ ...deps.settings.get(), account: { ...account, identity: 'user' } });
    deps.onAccountChanged?.();
    return { settings: view(), rootToken: result.root.token };
  };

  return {
    async startSignIn(input) {
      const { account, appSecret, baseUrl } = prepare(input);
      // One sign-in at a time: a new start replaces a wait the page may no longer show (window closed and reopened).
      waiting?.abort();
      const controller = new AbortController();
      waiting = controller;
      try {
        const signingIn = deps.signInUser({
          baseUrl,
          appId: account.appId,
          appSecret,
          signal: controller.signal,
          openUrl: async (url) => {
            if (waiting === controller) link = url;
            // No browser here (or it failed to start): keep waiting, the page shows the link to open elsewhere.
            await deps.openExternal(url).catch((e: unknown) => deps.onOpenFailed?.(e));
          },
        });
        return await finish(account, appSecret, signingIn);
      } finally {
        if (waiting === controller) {
          waiting = null;
          link = null;
        }
      }
    },

    cancelSignIn() {
      waiting?.abort();
      waiting = null;
      link = null;
      return null;
    },

    signInLink: () => link,

    async completeSignIn(input) {
      const raw = input as { code?: unknown } | null;
      const { account, appSecret, baseUrl } = prepare(input);
      const code = parseCode(expectString('sign-in code', raw?.code, { max: MAX_CODE }));
      // A pasted code ends the wait for the browser: one sign-in at a time.
      waiting?.abort();
      waiting = null;
      link = null;
      return finish(account, appSecret, deps.completeUserSignIn({ baseUrl, appId: account.appId, appSecret, code }));
    },
  };
}

/** A sign-in failure as the settings window shows it: Feishu's code, its message, a remedy that names the app's button. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly code: string,
    message: string,
    readonly remedy: string,
  ) {
    super(message);
  }
}

/** Feishu's remedies speak of the CLI (`feisync login --user`); in the app the next step is the Sign in button. */
function forTheApp(e: unknown): unknown {
  if (!isFeishuError(e)) return e;
  const again = 'Click "Sign in with Feishu" again.';
  if (e.code === 20007) return new SignInError('20007', `Feishu error 20007: ${e.msg}`, `The sign-in code is invalid, expired (5 minutes) or already used. ${again}`);
  return new SignInError(String(e.code), `Feishu error ${e.code}: ${e.msg}`, e.remedy.includes('feisync login') ? again : e.remedy);
}

/** The code itself, or the whole redirect address copied from the browser (…/callback?code=…&state=…). */
export function parseCode(text: string): string {
  const trimmed = text.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let params: URLSearchParams;
    try {
      params = new URL(trimmed).searchParams;
    } catch {
      throw invalid('The pasted address is not a valid URL.', 'Copy the whole address from the browser again, or only the value after code=.');
    }
    const denied = params.get('error');
    if (denied) throw new OAuthSignInError('E_OAUTH_DENIED', `The sign-in was refused in the browser (${denied}).`, 'Sign in again and approve the request in the browser.');
    const code = params.get('code');
    if (!code) throw invalid('The pasted address holds no code.', 'Copy the whole address the browser shows after you authorize (it contains code=…).');
    return code;
  }
  if (!/^[A-Za-z0-9._~-]+$/.test(trimmed)) throw invalid('The sign-in code has unexpected characters.', 'Copy only the value after code= from the browser address bar.');
  return trimmed;
}
