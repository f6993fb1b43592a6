/**
 * Feishu's call limits as the sandbox enforces them: a per-endpoint rate
 * (5 QPS, sliding one-second window) and a per-endpoint daily quota (10,000
 * calls) that resets at 00:00 Asia/Shanghai. Time comes from the injected
 * clock, so a test can spend a day of quota in milliseconds.
 *
 * The quota answer is a documented sandbox choice: the Feishu page only states
 * "10,000 calls/day" and names no error code for it, so the sandbox answers
 * like its rate limit — HTTP 400, code 99991400, msg "daily quota exceeded" —
 * with `x-ogw-ratelimit-reset` pointing at the next Shanghai midnight.
 */
import { METERED_ENDPOINTS, type EndpointId } from '../feishu/endpoints.js';
import { QUOTA_TIME_ZONE } from '../feishu/limits.js';
import type { Clock } from '../platform/clock.js';
import { SandboxError } from './envelope.js';

const RATE_LIMITED = 99991400;

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: QUOTA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function zoneParts(now: number): { y: number; m: number; d: number; wallMs: number } {
  const parts = Object.fromEntries(dayFormat.formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  const y = Number(parts.year), m = Number(parts.month), d = Number(parts.day);
  const wallMs = Date.UTC(y, m - 1, d, Number(parts.hour), Number(parts.minute), Number(parts.second)) + (now % 1000);
  return { y, m, d, wallMs };
}

/** The quota day (`YYYY-MM-DD` in Asia/Shanghai) that `now` falls in. */
export function quotaDay(now: number): string {
  const { y, m, d } = zoneParts(now);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Epoch ms of the next 00:00 in Asia/Shanghai after `now`. */
export function nextQuotaReset(now: number): number {
  const { y, m, d, wallMs } = zoneParts(now);
  const offset = wallMs - now;
  return Date.UTC(y, m - 1, d + 1) - offset;
}

export interface LimitOptions {
  clock: Clock;
  enabled: boolean;
  qps: number;
  dailyQuota: number;
}

/** Calls per endpoint for today (including rejected ones), and the 99991400 answers. */
export interface CallCounts {
  calls: Partial<Record<EndpointId, number>>;
  rateLimited: Partial<Record<EndpointId, number>>;
}

export class CallLimiter {
  private day = '';
  private counts: CallCounts = { calls: {}, rateLimited: {} };
  /** Calls admitted today, per endpoint (what the quota spends). */
  private admitted = new Map<EndpointId, number>();
  private recent = new Map<EndpointId, number[]>();
  /** Sliding window: at most `capacity` admitted calls in any `windowMs`. */
  private readonly windowMs: number;
  private readonly capacity: number;

  constructor(private readonly options: LimitOptions) {
    if (!(options.qps > 0)) throw new Error(`sandbox: qps must be > 0 (got ${options.qps})`);
    if (!(options.dailyQuota > 0)) throw new Error(`sandbox: dailyQuota must be > 0 (got ${options.dailyQuota})`);
    // Below 1 QPS: one call per 1/qps seconds; from 1 QPS up: floor(qps) calls per second.
    this.windowMs = options.qps >= 1 ? 1000 : 1000 / options.qps;
    this.capacity = Math.max(1, Math.floor(options.qps));
  }

  private rollDay(now: number): void {
    const day = quotaDay(now);
    if (day === this.day) return;
    this.day = day;
    this.counts = { calls: {}, rateLimited: {} };
    this.admitted.clear();
  }

  /** Count a received call. */
  record(endpoint: EndpointId): void {
    this.rollDay(this.options.clock.now());
    this.counts.calls[endpoint] = (this.counts.calls[endpoint] ?? 0) + 1;
  }

  /** Throws the 99991400 answer when this call is over the rate or the daily quota. */
  admit(endpoint: EndpointId): void {
    if (!this.options.enabled || !METERED_ENDPOINTS.includes(endpoint)) return;
    const now = this.options.clock.now();
    this.rollDay(now);
    const window = (this.recent.get(endpoint) ?? []).filter((t) => t > now - this.windowMs);
    this.recent.set(endpoint, window);
    if (window.length >= this.capacity) {
      const resetSec = Math.max(1, Math.ceil((window[0]! + this.windowMs - now) / 1000));
      throw this.reject(endpoint, 'request trigger frequency limit', this.options.qps, resetSec);
    }
    const used = this.admitted.get(endpoint) ?? 0;
    if (used >= this.options.dailyQuota) {
      const resetSec = Math.max(1, Math.ceil((nextQuotaReset(now) - now) / 1000));
      throw this.reject(endpoint, 'daily quota exceeded', this.options.dailyQuota, resetSec);
    }
    window.push(now);
    this.admitted.set(endpoint, used + 1);
  }

  private reject(endpoint: EndpointId, msg: string, limit: number, resetSec: number): SandboxError {
    this.counts.rateLimited[endpoint] = (this.counts.rateLimited[endpoint] ?? 0) + 1;
    return new SandboxError(RATE_LIMITED, undefined, {
      message: msg,
      headers: { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': String(resetSec) },
    });
  }

  counters(): CallCounts {
    this.rollDay(this.options.clock.now());
    return { calls: { ...this.counts.calls }, rateLimited: { ...this.counts.rateLimited } };
  }
}
