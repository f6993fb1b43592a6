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
import { buildAuthorizeUrl, newOAuthState, parseAuthorizationRedirect } from '../../feishu/oauth.js';
import { OAuthSignInError } from '../../feishu/oauthLoopback.js';
import { completeUserSignIn, signInUser, type UserSignIn } from '../../feishu/userSignIn.js';
import { CliError, EXIT } from '../cliError.js';
import type { CliContext } from '../context.js';
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
  /** Fixed loopback port (commander gives a string). */
  port?: string;
}

const MAX_TIMEOUT_SEC = 3600;

export async function loginUser(ctx: CliContext, app: LoginApp, options: UserLoginOptions): Promise<number> {
  const log = ctx.logger().child({ command: 'login', identity: 'user' });
  const signedIn = await signIn(ctx, app, options).catch((e: unknown) => {
    log.warn('user login failed', { appId: app.appId, baseUrl: app.baseUrl, error: e });
    if (e instanceof OAuthSignInError) throw new CliError({ code: e.code, message: e.message, remedy: e.remedy });
    throw e;
  });
  if (signedIn === null) return EXIT.ok; // paste flow without a terminal: the user comes back with --code

  const secrets = ctx.secrets();
  const stored = await secrets.set(appSecretName(app.appId), app.appSecret);
  await saveUserTokens(secrets, app.appId, signedIn.tokens);
  ctx.saveSettings({ ...ctx.settings(), account: { cloud: app.cloud, appId: app.appId, identity: 'user' } });
  log.info('logged in as a user', { appId: app.appId, baseUrl: app.baseUrl, secretStoredIn: stored.where });
  if (stored.warning) ctx.out.warn(stored.warning);

  const root = signedIn.root;
  if (ctx.out.json) {
    ctx.out.data({ appId: app.appId, baseUrl: app.baseUrl, identity: 'user', rootFolderToken: root.token, userId: root.userId, secretStoredIn: stored.where });
  } else {
    ctx.out.line(ctx.out.paint.ok(ctx.t('login.userOk', { appId: app.appId, baseUrl: app.baseUrl, root: root.token })));
    ctx.out.line(ctx.t(stored.where === 'keychain' ? 'login.userStoredKeychain' : 'login.userStoredFile', { path: secrets.filePath }));
  }
  return EXIT.ok;
}

/** The verified sign-in, by whichever flow the flags ask for; null = nothing to exchange yet. */
async function signIn(ctx: CliContext, app: LoginApp, options: UserLoginOptions): Promise<UserSignIn | null> {
  const { t, io } = ctx;
  const exchange = (code: string) => {
    ctx.out.info(t('login.userExchanging', { baseUrl: app.baseUrl }));
    return completeUserSignIn({ baseUrl: app.baseUrl, appId: app.appId, appSecret: app.appSecret, code });
  };
  if (options.code !== undefined) return exchange(codeFromPaste(ctx, options.code, undefined));
  const timeoutSec = parseTimeout(ctx, options.timeout);
  const page = options.authorizeUrl === undefined ? undefined : usage(() => new URL(options.authorizeUrl!));

  if (options.redirectUri !== undefined) {
    const state = newOAuthState(randomBytes);
    const url = usage(() => buildAuthorizeUrl({
      baseUrl: page ? page.origin : app.baseUrl, ...(page ? { path: page.pathname } : {}),
      appId: app.appId, redirectUri: options.redirectUri!, state, ...(options.scope ? { scope: options.scope } : {}),
    }));
    io.stderr.write(t('login.userOpenUrl', { url }) + '\n');
    if (io.stdin.isTTY !== true) {
      ctx.out.info(t('login.userPasteLater'));
      return null;
    }
    return exchange(codeFromPaste(ctx, await ask(io.stdin, io.stderr, t('login.userPastePrompt')), state));
  }

  const port = parsePort(ctx, options.port);
  return signInUser({
    baseUrl: app.baseUrl, appId: app.appId, appSecret: app.appSecret, timeoutMs: timeoutSec * 1000,
    ...(port === undefined ? {} : { port }),
    ...(page ? { authorizeUrl: page.toString() } : {}), ...(options.scope ? { scope: options.scope } : {}),
    openUrl: (url, redirectUri) => {
      io.stderr.write(t('login.userOpenUrl', { url }) + '\n');
      if (openBrowser(url, { platform: process.platform, env: io.env, isTTY: io.stdout.isTTY === true && io.stdin.isTTY === true })) {
        ctx.out.info(t('login.userBrowserOpened'));
      }
      ctx.out.info(t('login.userWaiting', { redirectUri, seconds: timeoutSec }));
    },
  });
}

/** A pasted code, or a pasted redirected address (whose state must match when we know it). */
function codeFromPaste(ctx: CliContext, pasted: string, state: string | undefined): string {
  const text = pasted.trim();
  const bad = (detail: string) =>
    new CliError({ code: 'E_OAUTH_NO_CODE', message: ctx.t('login.userPasteBad', { detail }), remedy: ctx.t('login.userPasteBadRemedy') });
  if (!text) throw bad('nothing was pasted');
  const isAddress = text.includes('?') && /[?&](code|state|error)=/.test(text);
  if (!isAddress) return text;
  const query = new URLSearchParams(text.slice(text.indexOf('?') + 1).replace(/#.*$/, ''));
  if (state !== undefined) {
    const outcome = parseAuthorizationRedirect('/?' + query.toString(), state);
    if (!outcome.ok) throw bad(outcome.detail);
    return outcome.code;
  }
  const code = query.get('code');
  if (!code) throw bad(query.get('error') ?? 'the address carries no code');
  return code;
}

function parsePort(ctx: CliContext, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliError({ code: 'E_USAGE', message: ctx.t('login.badPort', { value }), remedy: ctx.t('login.badPortRemedy') });
  }
  return port;
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
