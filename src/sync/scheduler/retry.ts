/**
 * Retrying one call (`withRetry`: exponential backoff with full jitter, only
 * for errors classed retryable) and spacing out retries of a whole file that
 * keeps failing (`FailureBackoff`). The Drive client never retries; the
 * error table decides what is retryable (rclone's pacer idea). Re-auth is the
 * client's business and is not retried here.
 */
import type { Clock, Random } from '../../platform/clock.js';
import { isFeishuError } from '../../feishu/feishuError.js';
import type { CallGate } from '../schedulerApi.js';
import { configError } from './schedulerError.js';

/** Node / undici error codes of a connection that failed before an answer. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Transient failures: FeishuError classed retryable or rate-limited, and raw network errors. */
export function isRetryableError(error: unknown): boolean {
  if (isFeishuError(error)) return error.retryable;
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
    e = e.cause;
  }
  return false;
}

export interface RetryOptions {
  /** Which failures to retry. Default `isRetryableError`. */
  isRetryable?: (error: unknown) => boolean;
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff ceiling before the first retry (doubles per attempt, full jitter). Default 500 ms. */
  baseMs?: number;
  /** Longest backoff. Default 30,000 ms. */
  capMs?: number;
  /** Aborting stops waiting and rethrows the abort reason. */
  signal?: AbortSignal;
  /** Rate-limited failures are reported here too, so the endpoint slows down for everyone. */
  gate?: Pick<CallGate, 'report'>;
  /** Told about each retry before its wait (logging). */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export interface RetryDeps {
  clock: Clock;
  random: Random;
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base × 2^(attempt−1))]. */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number, random: Random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Call `fn` until it succeeds, a failure is not retryable, or `maxAttempts`
 * calls failed; then the last failure propagates unchanged. A rate-limited
 * failure waits at least its retryAfterMs — unless that exceeds `capMs`,
 * when it propagates at once.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, deps: RetryDeps, options: RetryOptions = {}): Promise<T> {
  const isRetryable = options.isRetryable ?? isRetryableError;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseMs = options.baseMs ?? 500;
  const capMs = options.capMs ?? 30_000;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw configError(`maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`);
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || options.signal?.aborted || !isRetryable(error)) throw error;
      let delayMs = backoffDelayMs(attempt, baseMs, capMs, deps.random);
      if (isFeishuError(error) && error.rateLimited) {
        options.gate?.report(error.endpoint, { rateLimited: true, retryAfterMs: error.retryAfterMs });
        // A reset further away than our longest backoff is a spent quota, not a burst: let the caller reschedule.
        if ((error.retryAfterMs ?? 0) > capMs) throw error;
        delayMs = Math.max(delayMs, error.retryAfterMs ?? 0);
      }
      options.onRetry?.({ attempt, delayMs, error });
      await deps.clock.sleep(delayMs, options.signal);
    }
  }
}

export interface FailureBackoffOptions {
  /** Wait after the first failure. Default 60,000 ms (1 min). */
  baseMs?: number;
  /** Longest wait. Default 6 h. */
  capMs?: number;
}

/**
 * When to try a file again after it failed `failures` times in a row:
 * base × 2^(failures−1), capped — 1 min, 2 min, 4 min, … 6 h. The engine
 * marks the file failed with its reason and moves on; the queue never blocks
 * on it.
 */
export class FailureBackoff {
  readonly baseMs: number;
  readonly capMs: number;

  constructor(options: FailureBackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 60_000;
    this.capMs = options.capMs ?? 6 * 3600_000;
    if (!(this.baseMs >= 0 && this.capMs >= this.baseMs)) throw configError(`failure backoff needs 0 ≤ base ≤ cap, got ${this.baseMs} / ${this.capMs}`);
  }

  /** Milliseconds to wait after `failures` consecutive failures (0 when there were none). */
  delayMs(failures: number): number {
    if (!(failures >= 1)) return 0;
    // Past 2^40 the cap has long won; avoid Infinity arithmetic.
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(failures - 1, 40));
  }

  /** Epoch ms before which the file is not tried again. */
  nextAttemptAt(failures: number, now: number): number {
    return now + this.delayMs(failures);
  }
}
