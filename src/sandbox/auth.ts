/**
 * Apps, access tokens and the Bearer check. Tokens persist in the store, so a
 * client keeps its token across a sandbox restart; their lifetime is
 * `tokenTtlSec` on the injected clock, so tests can expire one mid-upload.
 *
 * Identities: `app:<appId>` for tenant (and app) access tokens — for a
 * self-built app Feishu treats both alike — and `user:<name>` for user access
 * tokens. Uploads remember the identity that prepared them (1062007).
 */
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../platform/clock.js';
import { SandboxError, jsonReply, okReply, type Reply } from './envelope.js';
import { readJson } from './requestBody.js';
import { newToken } from './ids.js';
import type { SandboxStore } from './store.js';

const MISSING_TOKEN = 99991661;
const INVALID_TOKEN = 99991663;
const INVALID_USER_TOKEN = 99991668;
const UNKNOWN_APP = 10003;
const WRONG_SECRET = 10014;
/** Whose user tokens the sandbox hands out when no name is given. */
export const DEFAULT_SANDBOX_USER = 'sandbox_user';
/** Feishu's refresh tokens live 30 days. */
const REFRESH_TTL_SEC = 30 * 24 * 3600;

export interface AppCredentials {
  appId: string;
  appSecret: string;
}

export interface AuthOptions {
  apps: AppCredentials[];
  tokenTtlSec: number;
  /**
   * HTTP status of the token errors (99991661 / 99991663). The Feishu page
   * does not state it (unconfirmed); the default comes from the error table.
   */
  tokenErrorStatus?: number;
}

/** A user's token pair, as a sandbox-side OAuth login would hand it out. */
export interface UserTokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds. */
  refreshExpiresIn: number;
}

export class SandboxAuth {
  constructor(
    private readonly store: SandboxStore,
    private readonly clock: Clock,
    private readonly options: AuthOptions,
  ) {}

  /**
   * `POST /open-apis/auth/v3/{tenant,app}_access_token/internal`: the token
   * sits at the top level (`<kind>_access_token`, `expire`), not under `data`.
   */
  async appCredentialsToken(req: IncomingMessage, kind: 'tenant' | 'app'): Promise<Reply> {
    const body = await this.authBody(req);
    const { app_id: appId, app_secret: appSecret } = body;
    if (typeof appId !== 'string' || typeof appSecret !== 'string') {
      throw new SandboxError(UNKNOWN_APP, 'app_id and app_secret must be strings');
    }
    const app = this.options.apps.find((a) => a.appId === appId);
    if (!app) throw new SandboxError(UNKNOWN_APP, `unknown app_id ${appId}`);
    if (app.appSecret !== appSecret) throw new SandboxError(WRONG_SECRET, `wrong app_secret for ${appId}`);
    const token = newToken(kind === 'tenant' ? 't-' : 'a-', 44);
    this.store.insertAccessToken(token, `app:${appId}`, this.clock.now() + this.options.tokenTtlSec * 1000);
    return jsonReply(200, { code: 0, msg: 'ok', [`${kind}_access_token`]: token, expire: this.options.tokenTtlSec });
  }

  /** Hand out a user token pair (what an OAuth login would give; the sandbox has no login page). */
  issueUserTokens(user = DEFAULT_SANDBOX_USER): UserTokenPair {
    const now = this.clock.now();
    const accessToken = newToken('u-', 44);
    const refreshToken = newToken('ur-', 44);
    this.store.insertAccessToken(accessToken, `user:${user}`, now + this.options.tokenTtlSec * 1000);
    this.store.insertRefreshToken(refreshToken, `user:${user}`, now + REFRESH_TTL_SEC * 1000);
    return { accessToken, refreshToken, expiresIn: this.options.tokenTtlSec, refreshExpiresIn: REFRESH_TTL_SEC };
  }

  /**
   * `POST /open-apis/authen/v1/refresh_access_token` `{ grant_type, refresh_token }`,
   * authorised by the app's token; rotates the refresh token, answers under `data`.
   */
  async refreshUserToken(req: IncomingMessage): Promise<Reply> {
    const identity = this.identify(req);
    if (!identity.startsWith('app:')) throw new SandboxError(INVALID_TOKEN, 'the refresh call is authorised by the app access token', this.statusOverride());
    const body = await this.authBody(req);
    if (body.grant_type !== 'refresh_token') throw new SandboxError(UNKNOWN_APP, 'grant_type must be "refresh_token"');
    if (typeof body.refresh_token !== 'string') throw new SandboxError(UNKNOWN_APP, 'refresh_token must be a string');
    const row = this.store.takeRefreshToken(body.refresh_token);
    if (!row || row.expires_ms <= this.clock.now()) throw new SandboxError(INVALID_USER_TOKEN, 'the refresh token is unknown, used or expired');
    const pair = this.issueUserTokens(row.identity.slice('user:'.length));
    return okReply({
      access_token: pair.accessToken, token_type: 'Bearer', expires_in: pair.expiresIn,
      refresh_token: pair.refreshToken, refresh_expires_in: pair.refreshExpiresIn,
    });
  }

  /** The identity behind the request's Bearer token (99991661 / 99991663 otherwise). */
  identify(req: IncomingMessage): string {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new SandboxError(MISSING_TOKEN, 'send Authorization: Bearer <tenant_access_token>', this.statusOverride());
    const row = this.store.accessToken(match[1]!);
    if (!row) throw new SandboxError(INVALID_TOKEN, 'unknown access token', this.statusOverride());
    if (row.expires_ms <= this.clock.now()) throw new SandboxError(INVALID_TOKEN, 'the access token expired', this.statusOverride());
    return row.identity;
  }

  private statusOverride(): { httpStatus?: number } {
    return this.options.tokenErrorStatus === undefined ? {} : { httpStatus: this.options.tokenErrorStatus };
  }

  /** Auth endpoints answer a malformed body with their own "invalid param" code. */
  private async authBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    try {
      return await readJson(req);
    } catch (error) {
      if (error instanceof SandboxError) throw new SandboxError(UNKNOWN_APP, error.message);
      throw error;
    }
  }
}
