/**
 * Signing in as a user: the OAuth authorization-code flow.
 *
 * 1. The user opens `buildAuthorizeUrl(…)` (Feishu's `/open-apis/authen/v1/authorize`,
 *    also documented as `/open-apis/authen/v1/index`), approves, and Feishu
 *    redirects the browser to `redirect_uri?code=…&state=…`.
 * 2. `parseAuthorizationRedirect` checks the state (CSRF) and takes the code.
 * 3. `exchangeAuthorizationCode` trades the code for a user token pair with
 *    `POST /open-apis/authen/v1/oidc/access_token` `{ grant_type: "authorization_code", code }`,
 *    authorised by the app_access_token; the answer sits under `data`
 *    (`access_token`, `refresh_token`, `expires_in`, `refresh_expires_in`:
 *    SDK types of authen.oidcAccessToken.create). A code lives 5 minutes and
 *    is good once (Feishu FAQ, error 20007).
 *
 * The resulting `UserTokens` go into `Credentials { kind: 'user', … }` of the client.
 */
import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../platform/clock.js';
import { AppTokenProvider, withReauth, type AppCredentials, type UserTokens } from './auth.js';
import { resolveBaseUrl, type CloudName } from './baseUrl.js';
import { dataOf } from './envelope.js';
import { HttpTransport, jsonBody } from './http.js';
import { createDispatcher, type HttpTimeouts, type ProxyEnv } from './proxy.js';

/** Where the browser goes; `/open-apis/authen/v1/index` is the older documented page (same query). */
export const AUTHORIZE_PATH = '/open-apis/authen/v1/authorize';
export const LEGACY_AUTHORIZE_PATH = '/open-apis/authen/v1/index';

export interface AuthorizeUrlOptions {
  /** Base URL of the authorize page: the open-platform host (or a sandbox), e.g. https://open.feishu.cn. */
  baseUrl: string;
  appId: string;
  redirectUri: string;
  /** An unguessable value echoed back on the redirect (see `newOAuthState`). */
  state: string;
  /** Space-separated scopes to ask for; absent = the app's configured scopes. */
  scope?: string;
  /** Override the page path (default AUTHORIZE_PATH) — kept configurable, hosts differ between tenants. */
  path?: string;
}

export function buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
  if (!options.appId) throw new RangeError('the authorize URL needs the app id (cli_…)');
  if (!options.state) throw new RangeError('the authorize URL needs a state value (CSRF protection)');
  let redirect: URL;
  try {
    redirect = new URL(options.redirectUri);
  } catch {
    throw new RangeError(`redirect URI ${JSON.stringify(options.redirectUri)} is not an absolute URL`);
  }
  if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') {
    throw new RangeError(`redirect URI ${options.redirectUri} must be http(s)`);
  }
  const url = new URL(options.path ?? AUTHORIZE_PATH, resolveBaseUrl(options.baseUrl));
  url.searchParams.set('app_id', options.appId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  if (options.scope) url.searchParams.set('scope', options.scope);
  url.searchParams.set('state', options.state);
  return url.toString();
}

/** 128 random bits, URL-safe. */
export function newOAuthState(bytes: (n: number) => Buffer = randomBytes): string {
  return bytes(16).toString('base64url');
}

/** What came back on the redirect URI. */
export type AuthorizationRedirect =
  | { ok: true; code: string }
  | { ok: false; reason: 'stateMismatch' | 'denied' | 'missingCode'; detail: string };

/**
 * Read `code` and `state` from the redirect (a full URL or just its query).
 * The state must equal `expectedState`: anything else may be a forged redirect.
 */
export function parseAuthorizationRedirect(redirect: string | URL, expectedState: string): AuthorizationRedirect {
  const params = typeof redirect === 'string' ? new URL(redirect, 'http://127.0.0.1/').searchParams : redirect.searchParams;
  const state = params.get('state');
  if (state !== expectedState) {
    return { ok: false, reason: 'stateMismatch', detail: state === null ? 'the redirect carries no state' : 'the redirect carries another state' };
  }
  const error = params.get('error');
  if (error) return { ok: false, reason: 'denied', detail: params.get('error_description') ?? error };
  const code = params.get('code');
  if (!code) return { ok: false, reason: 'missingCode', detail: 'the redirect carries no code' };
  return { ok: true, code };
}

export interface CodeExchangeOptions extends AppCredentials {
  /** Base URL; wins over `cloud`. */
  baseUrl?: string;
  cloud?: CloudName | string | URL;
  code: string;
  clock?: Clock;
  dispatcher?: Dispatcher;
  timeouts?: HttpTimeouts;
  env?: ProxyEnv;
}

/** Trade an authorization code for the user's token pair. Failures are FeishuErrors (20007: bad, used or expired code). */
export async function exchangeAuthorizationCode(options: CodeExchangeOptions): Promise<UserTokens> {
  const code = options.code.trim();
  if (!code) throw new RangeError('the authorization code is empty');
  const baseUrl = resolveBaseUrl(options.baseUrl ?? options.cloud ?? 'feishu');
  const clock = options.clock ?? systemClock;
  const dispatcher = options.dispatcher ?? createDispatcher(baseUrl, options.timeouts, options.env);
  try {
    const http = new HttpTransport({ baseUrl, dispatcher, clock });
    const appToken = new AppTokenProvider(http, options, clock, 'app');
    const envelope = await withReauth(appToken, (token) =>
      http.json({ endpoint: 'userTokenFromCode', token, body: jsonBody({ grant_type: 'authorization_code', code }) }),
    );
    const data = dataOf('userTokenFromCode', envelope);
    const now = clock.now();
    const refreshTtl = data.optNumber('refresh_expires_in');
    return {
      accessToken: data.string('access_token'),
      refreshToken: data.string('refresh_token'),
      expiresAt: now + data.number('expires_in') * 1000,
      ...(refreshTtl === undefined ? {} : { refreshExpiresAt: now + refreshTtl * 1000 }),
    };
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
}
