/**
 * `feisync login --user`: sign a user in with the OAuth authorization-code flow.
 *
 * - Default: a loopback listener on 127.0.0.1 (free port) is the redirect_uri;
 *   the authorize URL is printed (and opened in a browser on a desktop
 *   terminal); the redirect must carry our state (CSRF); then the code is
 *   exchanged.
 * - `--redirect-uri URI` (no browser here): print the URL for that redirect,
 *   then read the redirected address (or the code) from the terminal, or —
 *   without a terminal — tell the user to come back with `--code`.
 * - `--code CODE`: exchange a code obtained elsewhere.
 *
 * The new login is verified (token + Drive root as the user) before anything
 * is saved: app secret + user token pair in the secret store, account.identity = 'user'.
 */
import { randomBytes } from 'node:crypto';
import { appSecretName } from '../../config/secrets.js';
import { saveUserTokens } from '../../config/userTokens.js';
import type { UserTokens } from '../../feishu/auth.js';
import { buildAuthorizeUrl, exchangeAuthorizationCode, newOAuthState, parseAuthorizationRedirect } from '../../feishu/oauth.js';
import { verifyCredentials } from '../../feishu/verifyCredentials.js';
import { CliError, EXIT } from '../cliError.js';
import type { CliContext } from '../context.js';
import { startLoopbackListener } from '../oauthLoopback.js';
import { openBrowser } from '../openBrowser.js';
import { ask } from '../prompt.js';
import type { LoginApp } from './login.js';

export interface UserLoginOptions {
  code?: string;
  redirectUri?: string;
  /** Seconds (commander gives a string). */
  timeout?: string;
  scope?: string;
  authorizeUrl?: string;
}

const MAX_TIMEOUT_SEC = 3600;

export async function loginUser(ctx: CliContext, app: LoginApp, options: UserLoginOptions): Promise<number> {
  const code = await obtainCode(ctx, app, options);
  if (code === null) return EXIT.ok; // paste flow without a terminal: the user comes back with --code
  const log = ctx.logger().child({ command: 'login', identity: 'user' });
  ctx.out.info(ctx.t('login.userExchanging', { baseUrl: app.baseUrl }));
  let tokens: UserTokens = await exchangeAuthorizationCode({ baseUrl: app.baseUrl, appId: app.appId, appSecret: app.appSecret, code }).catch((e: unknown) => {
    log.warn('user login failed', { appId: app.appId, baseUrl: app.baseUrl, error: e });
    throw e;
  });
  const verified = await verifyCredentials({
    baseUrl: app.baseUrl,
    credentials: { kind: 'user', appId: app.appId, appSecret: app.appSecret, tokens, onRefresh: (next) => void (tokens = next) },
  });

  const secrets = ctx.secrets();
  const stored = await secrets.set(appSecretName(app.appId), app.appSecret);
  await saveUserTokens(secrets, app.appId, tokens);
  ctx.saveSettings({ ...ctx.settings(), account: { cloud: app.cloud, appId: app.appId, identity: 'user' } });
  log.info('logged in as a user', { appId: app.appId, baseUrl: app.baseUrl, secretStoredIn: stored.where });
  if (stored.warning) ctx.out.warn(stored.warning);

  if (ctx.out.json) {
    ctx.out.data({ appId: app.appId, baseUrl: app.baseUrl, identity: 'user', rootFolderToken: verified.root.token, userId: verified.root.userId, secretStoredIn: stored.where });
  } else {
    ctx.out.line(ctx.out.paint.ok(ctx.t('login.userOk', { appId: app.appId, baseUrl: app.baseUrl, root: verified.root.token })));
    ctx.out.line(ctx.t(stored.where === 'keychain' ? 'login.userStoredKeychain' : 'login.userStoredFile', { path: secrets.filePath }));
  }
  return EXIT.ok;
}

/** The authorization code, by whichever flow the flags ask for; null = nothing to exchange yet. */
async function obtainCode(ctx: CliContext, app: LoginApp, options: UserLoginOptions): Promise<string | null> {
  const { t, io } = ctx;
  if (options.code !== undefined) return codeFromPaste(ctx, options.code, undefined);
  const timeoutSec = parseTimeout(ctx, options.timeout);
  const state = newOAuthState(randomBytes);
  const authorizeUrl = (redirectUri: string) =>
    usage(() => buildAuthorizeUrl({
      baseUrl: options.authorizeUrl ? new URL(options.authorizeUrl).origin : app.baseUrl,
      ...(options.authorizeUrl ? { path: new URL(options.authorizeUrl).pathname } : {}),
      appId: app.appId, redirectUri, state, ...(options.scope ? { scope: options.scope } : {}),
    }));

  if (options.redirectUri !== undefined) {
    io.stderr.write(t('login.userOpenUrl', { url: authorizeUrl(options.redirectUri) }) + '\n');
    if (io.stdin.isTTY !== true) {
      ctx.out.info(t('login.userPasteLater'));
      return null;
    }
    return codeFromPaste(ctx, await ask(io.stdin, io.stderr, t('login.userPastePrompt')), state);
  }

  const listener = await startLoopbackListener({ expectedState: state, timeoutMs: timeoutSec * 1000 });
  try {
    const url = authorizeUrl(listener.redirectUri);
    io.stderr.write(t('login.userOpenUrl', { url }) + '\n');
    if (openBrowser(url, { platform: process.platform, env: io.env, isTTY: io.stdout.isTTY === true && io.stdin.isTTY === true })) {
      ctx.out.info(t('login.userBrowserOpened'));
    }
    ctx.out.info(t('login.userWaiting', { redirectUri: listener.redirectUri, seconds: timeoutSec }));
    return await listener.code;
  } finally {
    await listener.close();
  }
}

/** A pasted code, or a pasted redirected address (whose state must match when we know it). */
function codeFromPaste(ctx: CliContext, pasted: string, state: string | undefined): string {
  const text = pasted.trim();
  if (!/[?&]code=/.test(text) && !/^[a-z]+:\/\//i.test(text)) {
    if (text) return text;
  } else {
    const query = text.includes('?') ? text.slice(text.indexOf('?')) : text;
    const params = new URLSearchParams(query.replace(/^\?/, '').replace(/#.*$/, ''));
    const outcome = state === undefined
      ? (params.get('code') ? { ok: true as const, code: params.get('code')! } : { ok: false as const, detail: params.get('error') ?? 'no code in the address' })
      : parseAuthorizationRedirect('/?' + params.toString(), state);
    if (outcome.ok) return outcome.code;
    throw new CliError({ code: 'E_OAUTH_NO_CODE', message: ctx.t('login.userPasteBad', { detail: outcome.detail }), remedy: ctx.t('login.userPasteBadRemedy') });
  }
  throw new CliError({ code: 'E_OAUTH_NO_CODE', message: ctx.t('login.userPasteBad', { detail: 'nothing was pasted' }), remedy: ctx.t('login.userPasteBadRemedy') });
}

function parseTimeout(ctx: CliContext, value: string | undefined): number {
  const seconds = Number(value ?? '300');
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SEC) {
    throw new CliError({ code: 'E_USAGE', message: ctx.t('login.badTimeout', { value: String(value) }), remedy: ctx.t('login.badTimeoutRemedy') });
  }
  return seconds;
}

/** Bad --redirect-uri / --authorize-url values are usage errors (exit 2). */
function usage<T>(build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw new CliError({ code: 'E_USAGE', message: (e as Error).message, remedy: 'Pass an absolute http(s) URL, e.g. --redirect-uri https://example.com/callback.' });
  }
}
