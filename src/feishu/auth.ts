/**
 * Access tokens. A TokenProvider hands out a valid token, caches it, renews it
 * TOKEN_REFRESH_MARGIN_MS before it expires (as the official SDK does), and
 * shares one fetch among concurrent callers. `withReauth` runs a call with a
 * token and, when Feishu rejects the token, fetches a new one and tries that
 * call exactly once more (../shared/feishu-drive-api.md, "Token errors").
 */
import type { Clock } from '../platform/clock.js';
import type { EndpointId } from './endpoints.js';
import { dataOf } from './envelope.js';
import { FeishuError } from './feishuError.js';
import { FieldReader } from './fields.js';
import { jsonBody, type HttpTransport } from './http.js';
import { TOKEN_REFRESH_MARGIN_MS } from './limits.js';

export interface TokenProvider {
  /** A token valid for at least the refresh margin (cached; fetched when missing or about to expire). */
  token(): Promise<string>;
  /** Feishu rejected `token`: forget it (if still cached) so the next `token()` fetches a new one. */
  invalidate(token: string): void;
}

/** "Invalid user access token" (errorCodes.ts); from the refresh call it means the login is over. */
const INVALID_USER_TOKEN = 99991668;

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is renewed before use. */
  renewAt: number;
}

/** When to renew a token that lives `ttlMs`: the SDK's 3-minute margin, or half the life of short-lived tokens. */
export function renewalTime(now: number, ttlMs: number): number {
  return now + ttlMs - Math.min(TOKEN_REFRESH_MARGIN_MS, ttlMs / 2);
}

/** Cache + single flight, shared by every kind of token. */
abstract class CachingTokenProvider implements TokenProvider {
  private cached: CachedToken | undefined;
  private inflight: Promise<string> | undefined;

  constructor(protected readonly clock: Clock) {}

  protected abstract fetchToken(): Promise<{ value: string; ttlMs: number }>;

  token(): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.renewAt) return Promise.resolve(this.cached.value);
    if (!this.inflight) {
      this.inflight = this.fetchToken()
        .then(({ value, ttlMs }) => {
          this.cached = { value, renewAt: renewalTime(this.clock.now(), ttlMs) };
          return value;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  /** Seed the cache with a token obtained elsewhere (e.g. a stored user token). */
  protected seed(value: string, expiresAt: number): void {
    this.cached = { value, renewAt: renewalTime(this.clock.now(), Math.max(0, expiresAt - this.clock.now())) };
  }
}

export interface AppCredentials {
  appId: string;
  appSecret: string;
}

/**
 * tenant_access_token (or app_access_token) of a self-built app:
 * `POST …/<kind>_access_token/internal { app_id, app_secret }` answers at the
 * top level `{ code, msg, <kind>_access_token, expire }` (seconds).
 */
export class AppTokenProvider extends CachingTokenProvider {
  constructor(
    private readonly http: HttpTransport,
    private readonly credentials: AppCredentials,
    clock: Clock,
    private readonly kind: 'tenant' | 'app' = 'tenant',
  ) {
    super(clock);
    if (!credentials.appId || !credentials.appSecret) {
      throw new Error('App credentials are incomplete: both the app id (cli_…) and the app secret are required (see `feisync login`)');
    }
  }

  protected async fetchToken(): Promise<{ value: string; ttlMs: number }> {
    const endpoint: EndpointId = this.kind === 'tenant' ? 'tenantToken' : 'appToken';
    const envelope = await this.http.json({
      endpoint,
      body: jsonBody({ app_id: this.credentials.appId, app_secret: this.credentials.appSecret }),
    });
    const fields = new FieldReader(endpoint, envelope.raw, envelope.logId);
    return { value: fields.string(`${this.kind}_access_token`), ttlMs: fields.number('expire') * 1000 };
  }
}

export interface UserTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  /** Epoch ms when the refresh token expires, when Feishu said. */
  refreshExpiresAt?: number;
}

export interface UserTokenOptions {
  tokens: UserTokens;
  /** Feishu rotates the refresh token on every refresh: persist the new pair here (awaited before use). */
  onRefresh?: (tokens: UserTokens) => void | Promise<void>;
}

/**
 * user_access_token with refresh. The documented v1 refresh call
 * (`ENDPOINTS.userTokenRefresh`) takes `{ grant_type: "refresh_token",
 * refresh_token }` authorised by the app_access_token, and answers under
 * `data` with `access_token`, `expires_in`, `refresh_token`,
 * `refresh_expires_in` (SDK types of authen.v1.refreshAccessToken).
 */
export class UserTokenProvider extends CachingTokenProvider {
  private tokens: UserTokens;

  constructor(
    private readonly http: HttpTransport,
    private readonly appToken: TokenProvider,
    private readonly options: UserTokenOptions,
    clock: Clock,
  ) {
    super(clock);
    this.tokens = options.tokens;
    this.seed(this.tokens.accessToken, this.tokens.expiresAt);
  }

  protected async fetchToken(): Promise<{ value: string; ttlMs: number }> {
    const envelope = await withReauth(
      this.appToken,
      (token) =>
        this.http.json({
          endpoint: 'userTokenRefresh',
          token,
          body: jsonBody({ grant_type: 'refresh_token', refresh_token: this.tokens.refreshToken }),
        }),
      // 99991668 here means the refresh token is dead, not the app token: a new app token would not help.
      (err) => err.reauth && err.code !== INVALID_USER_TOKEN,
    );
    const data = dataOf('userTokenRefresh', envelope);
    const now = this.clock.now();
    const ttlMs = data.number('expires_in') * 1000;
    const refreshTtl = data.optNumber('refresh_expires_in');
    this.tokens = {
      accessToken: data.string('access_token'),
      refreshToken: data.optString('refresh_token') ?? this.tokens.refreshToken,
      expiresAt: now + ttlMs,
      refreshExpiresAt: refreshTtl === undefined ? this.tokens.refreshExpiresAt : now + refreshTtl * 1000,
    };
    await this.options.onRefresh?.({ ...this.tokens });
    return { value: this.tokens.accessToken, ttlMs };
  }
}

/** Does this failure say the token `provider` gave out was refused? (Default: any 'reauth' code of the table.) */
export type TokenRejection = (err: FeishuError) => boolean;

const anyTokenRejection: TokenRejection = (err) => err.reauth;

/** Run `call` with a token; on a token rejection, renew the token and run it once more. */
export async function withReauth<T>(
  provider: TokenProvider,
  call: (token: string) => Promise<T>,
  isRejection: TokenRejection = anyTokenRejection,
): Promise<T> {
  const token = await provider.token();
  try {
    return await call(token);
  } catch (err) {
    if (!(err instanceof FeishuError) || !isRejection(err)) throw err;
    provider.invalidate(token);
    return call(await provider.token());
  }
}
