/**
 * "Sign in as a user" in one call, for the CLI and the tray app: a loopback
 * listener on 127.0.0.1 is the redirect_uri, `openUrl` shows the authorize
 * page (print it, `shell.openExternal` it…), the redirect must carry our
 * state, the code is exchanged, and the new login is verified (Drive root as
 * the user) before it is returned. Nothing is stored here: the caller keeps
 * the app secret and `tokens`, and persists every rotated pair from the
 * client's `onRefresh`.
 */
import type { Clock } from '../platform/clock.js';
import type { UserTokens } from './auth.js';
import type { RootFolderMeta } from './driveApi.js';
import { buildAuthorizeUrl, exchangeAuthorizationCode, newOAuthState } from './oauth.js';
import { startLoopbackListener } from './oauthLoopback.js';
import { verifyCredentials } from './verifyCredentials.js';

export interface UserSignInOptions {
  /** API base URL (resolved: https://open.feishu.cn, a sandbox…). */
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Show the authorize page to the user. Awaited; a throw aborts the sign-in. */
  openUrl: (url: string, redirectUri: string) => void | Promise<void>;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Cancel the wait. */
  signal?: AbortSignal;
  scope?: string;
  /** Authorize page (origin + path) when not `<baseUrl>/open-apis/authen/v1/authorize`. */
  authorizeUrl?: string;
  /** Fixed loopback port (default: a free one). The app's redirect URL allowlist must admit it. */
  port?: number;
  clock?: Clock;
}

export interface UserSignIn {
  tokens: UserTokens;
  root: RootFolderMeta;
}

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

export async function signInUser(options: UserSignInOptions): Promise<UserSignIn> {
  const state = newOAuthState();
  const listener = await startLoopbackListener({
    expectedState: state,
    timeoutMs: options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let code: string;
  try {
    const page = options.authorizeUrl ? new URL(options.authorizeUrl) : undefined;
    const url = buildAuthorizeUrl({
      baseUrl: page ? page.origin : options.baseUrl,
      ...(page ? { path: page.pathname } : {}),
      appId: options.appId,
      redirectUri: listener.redirectUri,
      state,
      ...(options.scope ? { scope: options.scope } : {}),
    });
    await options.openUrl(url, listener.redirectUri);
    code = await listener.code;
  } finally {
    await listener.close();
  }
  return completeUserSignIn({ ...options, code });
}

/** Exchange a code obtained elsewhere (paste flow) and verify it; same result as `signInUser`. */
export async function completeUserSignIn(options: Pick<UserSignInOptions, 'baseUrl' | 'appId' | 'appSecret' | 'clock'> & { code: string }): Promise<UserSignIn> {
  const { baseUrl, appId, appSecret, clock } = options;
  let tokens = await exchangeAuthorizationCode({ baseUrl, appId, appSecret, code: options.code, ...(clock ? { clock } : {}) });
  const verified = await verifyCredentials({
    baseUrl,
    ...(clock ? { clock } : {}),
    credentials: { kind: 'user', appId, appSecret, tokens, onRefresh: (next) => void (tokens = next) },
  });
  return { tokens, root: verified.root };
}
