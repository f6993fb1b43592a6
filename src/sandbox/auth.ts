/**
 * Apps, tenant access tokens and the Bearer check. Tokens persist in the
 * store, so a client keeps its token across a sandbox restart; their lifetime
 * is `tokenTtlSec` on the injected clock, so tests can expire one mid-upload.
 */
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../platform/clock.js';
import { SandboxError, jsonReply, type Reply } from './envelope.js';
import { readJson } from './requestBody.js';
import { newToken, type SandboxStore } from './store.js';

const MISSING_TOKEN = 99991661;
const INVALID_TOKEN = 99991663;
const UNKNOWN_APP = 10003;
const WRONG_SECRET = 10014;

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

export class SandboxAuth {
  constructor(
    private readonly store: SandboxStore,
    private readonly clock: Clock,
    private readonly options: AuthOptions,
  ) {
    if (!(options.tokenTtlSec > 0)) throw new Error(`sandbox: tokenTtlSec must be > 0 (got ${options.tokenTtlSec})`);
  }

  /** `POST /open-apis/auth/v3/tenant_access_token/internal`: the token sits at the top level, not under `data`. */
  async tenantToken(req: IncomingMessage): Promise<Reply> {
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch (error) {
      if (error instanceof SandboxError) throw new SandboxError(UNKNOWN_APP, error.message);
      throw error;
    }
    const { app_id: appId, app_secret: appSecret } = body;
    if (typeof appId !== 'string' || typeof appSecret !== 'string') {
      throw new SandboxError(UNKNOWN_APP, 'app_id and app_secret must be strings');
    }
    const app = this.options.apps.find((a) => a.appId === appId);
    if (!app) throw new SandboxError(UNKNOWN_APP, `unknown app_id ${appId}`);
    if (app.appSecret !== appSecret) throw new SandboxError(WRONG_SECRET, `wrong app_secret for ${appId}`);
    const token = newToken('t-', 44);
    this.store.insertAccessToken(token, `app:${appId}`, this.clock.now() + this.options.tokenTtlSec * 1000);
    return jsonReply(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: this.options.tokenTtlSec });
  }

  /** The identity behind the request's Bearer token (99991661 / 99991663 otherwise). */
  identify(req: IncomingMessage): string {
    const status = this.options.tokenErrorStatus;
    const extra = status === undefined ? {} : { httpStatus: status };
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new SandboxError(MISSING_TOKEN, 'send Authorization: Bearer <tenant_access_token>', extra);
    const row = this.store.accessToken(match[1]!);
    if (!row) throw new SandboxError(INVALID_TOKEN, 'unknown access token', extra);
    if (row.expires_ms <= this.clock.now()) throw new SandboxError(INVALID_TOKEN, 'the access token expired', extra);
    return row.identity;
  }
}
