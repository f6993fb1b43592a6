/**
 * The sandbox's side of the OAuth authorization-code flow.
 *
 * `GET /open-apis/authen/v1/authorize` (and the older `/open-apis/authen/v1/index`)
 * `?app_id=&redirect_uri=&state=[&user=][&interactive=1]`: approves at once
 * for the sandbox user (`user`, default "sandbox_user") and redirects (302) to
 * `redirect_uri?code=…&state=…`. With `interactive=1` it shows a page with an
 * Approve and a Deny button instead (Deny → `?error=access_denied&state=…`).
 *
 * `POST /open-apis/authen/v1/oidc/access_token` `{ grant_type: "authorization_code", code }`,
 * authorised by the app's token: a code is good once, for 5 minutes, and only
 * for the app it was issued to (all answered with 20007, as Feishu's FAQ says);
 * the user token pair it gives is the one the refresh endpoint and the Drive
 * endpoints accept (uploads then belong to `user:<name>`).
 *
 * Codes live in memory: a sandbox restart forgets codes not yet exchanged
 * (they live minutes), never the tokens issued for them.
 */
import type { IncomingMessage } from 'node:http';
import { AUTHORIZE_PATH, LEGACY_AUTHORIZE_PATH } from '../feishu/oauth.js';
import type { Clock } from '../platform/clock.js';
import { DEFAULT_SANDBOX_USER, type AppCredentials, type SandboxAuth } from './auth.js';
import { SandboxError, okReply, type Reply } from './envelope.js';
import { newToken } from './ids.js';
import { readJson } from './requestBody.js';

const CODE_INVALID = 20007;
const INVALID_PARAM = 10003;
const INVALID_TOKEN = 99991663;
/** Feishu: "the code is valid for 5 minutes and can only be used once". */
export const AUTH_CODE_TTL_MS = 5 * 60 * 1000;

interface IssuedCode {
  appId: string;
  redirectUri: string;
  user: string;
  expiresMs: number;
  used: boolean;
}

export class SandboxOAuth {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly auth: SandboxAuth,
    private readonly clock: Clock,
    private readonly apps: readonly AppCredentials[],
  ) {}

  isAuthorizePage(method: string | undefined, pathname: string): boolean {
    return method === 'GET' && (pathname === AUTHORIZE_PATH || pathname === LEGACY_AUTHORIZE_PATH);
  }

  /** The authorize page: redirect with a code, or the one-button page with `interactive=1`. */
  authorizePage(url: URL): Reply {
    const q = url.searchParams;
    const appId = q.get('app_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    const state = q.get('state') ?? '';
    const user = q.get('user') || DEFAULT_SANDBOX_USER;
    if (!this.apps.some((a) => a.appId === appId)) return htmlPage(400, 'Sign-in failed', `Unknown app_id ${JSON.stringify(appId)} (error ${INVALID_PARAM}).`);
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return htmlPage(400, 'Sign-in failed', `redirect_uri ${JSON.stringify(redirectUri)} is not an absolute URL (error 20029).`);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return htmlPage(400, 'Sign-in failed', `redirect_uri must be http(s) (error 20029).`);
    }
    const interactive = q.get('interactive') === '1';
    if (interactive && q.get('deny') === '1') {
      target.searchParams.set('error', 'access_denied');
      if (state) target.searchParams.set('state', state);
      return redirect(target);
    }
    if (interactive && q.get('approve') !== '1') return approvalPage(url, appId, user);
    const code = newToken('c-', 32);
    this.codes.set(code, { appId, redirectUri, user, expiresMs: this.clock.now() + AUTH_CODE_TTL_MS, used: false });
    target.searchParams.set('code', code);
    if (state) target.searchParams.set('state', state);
    return redirect(target);
  }

  /** `POST /open-apis/authen/v1/oidc/access_token`: code → user token pair under `data`. */
  async exchange(req: IncomingMessage): Promise<Reply> {
    const identity = this.auth.identify(req);
    if (!identity.startsWith('app:')) throw new SandboxError(INVALID_TOKEN, 'the code exchange is authorised by the app access token');
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch (error) {
      if (error instanceof SandboxError) throw new SandboxError(INVALID_PARAM, error.message);
      throw error;
    }
    if (body.grant_type !== 'authorization_code') throw new SandboxError(INVALID_PARAM, 'grant_type must be "authorization_code"');
    if (typeof body.code !== 'string' || body.code === '') throw new SandboxError(INVALID_PARAM, 'code must be a non-empty string');
    const issued = this.codes.get(body.code);
    if (!issued) throw new SandboxError(CODE_INVALID, 'unknown authorization code');
    if (issued.used) throw new SandboxError(CODE_INVALID, 'the authorization code was already used');
    if (issued.expiresMs <= this.clock.now()) throw new SandboxError(CODE_INVALID, 'the authorization code expired');
    if (`app:${issued.appId}` !== identity) throw new SandboxError(CODE_INVALID, 'the authorization code was issued to another app');
    issued.used = true;
    this.sweep();
    const pair = this.auth.issueUserTokens(issued.user);
    return okReply({
      access_token: pair.accessToken, token_type: 'Bearer', expires_in: pair.expiresIn,
      refresh_token: pair.refreshToken, refresh_expires_in: pair.refreshExpiresIn, scope: '',
    });
  }

  /** Forget codes past their life (used ones are kept until then, to answer "already used"). */
  private sweep(): void {
    const now = this.clock.now();
    for (const [code, issued] of this.codes) if (issued.expiresMs <= now) this.codes.delete(code);
  }
}

function redirect(target: URL): Reply {
  return { status: 302, headers: { Location: target.toString(), 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(`Redirecting to ${target}\n`) };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(status: number, title: string, inner: string, raw = false): Reply {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${raw ? inner : `<p>${escapeHtml(inner)}</p>`}</body></html>\n`;
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(body) };
}

/** The same query back to the same page, plus approve=1 or deny=1. */
function approvalPage(url: URL, appId: string, user: string): Reply {
  const hidden = [...url.searchParams]
    .filter(([name]) => name !== 'approve' && name !== 'deny')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const form = `<p>App <b>${escapeHtml(appId)}</b> asks to access the Drive of <b>${escapeHtml(user)}</b> (FeiSync sandbox).</p>` +
    `<form method="get" action="${escapeHtml(url.pathname)}">${hidden}` +
    `<button type="submit" name="approve" value="1">Approve</button> <button type="submit" name="deny" value="1">Deny</button></form>`;
  return htmlPage(200, 'Authorize app', form, true);
}
