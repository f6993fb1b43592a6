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

/** One endpoint's calls of one quota day. */
export interface DayCount {
  calls: number;
  rateLimited: number;
  /** Calls let through (what the daily quota spends). */
  admitted: number;
}

/** Where the day's counts persist, so a restart does not hand out a fresh quota. */
export interface CallLedger {
  load(day: string): Map<EndpointId, DayCount>;
  save(day: string, endpoint: EndpointId, count: DayCount): void;
}

export interface LimitOptions {
  clock: Clock;
  enabled: boolean;
  qps: number;
  dailyQuota: number;
  ledger?: CallLedger;
}

/** Calls per endpoint for today (including rejected ones), and the 99991400 answers. */
export interface CallCounts {
  calls: Partial<Record<EndpointId, number>>;
  rateLimited: Partial<Record<EndpointId, number>>;
}

export class CallLimiter {
  private day = '';
  private today = new Map<EndpointId, DayCount>();
  private recent = new Map<EndpointId, number[]>();
  /** Sliding window: at most `capacity` admitted calls in any `windowMs`. */
  private readonly windowMs: number;
  private readonly capacity: number;

  constructor(private readonly options: LimitOptions) {
    // Below 1 QPS: one call per 1/qps seconds; from 1 QPS up: floor(qps) calls per second.
    this.windowMs = options.qps >= 1 ? 1000 : 1000 / options.qps;
    this.capacity = Math.max(1, Math.floor(options.qps));
  }

  /** Start a new quota day at Shanghai midnight. */
  private switchDay(now: number): void {
    const day = quotaDay(now);
    if (day === this.day) return;
    this.day = day;
    this.today = this.options.ledger?.load(day) ?? new Map();
  }

  /** Today's count of an endpoint. */
  private countOf(endpoint: EndpointId, now: number): DayCount {
    this.switchDay(now);
    let count = this.today.get(endpoint);
    if (!count) {
      count = { calls: 0, rateLimited: 0, admitted: 0 };
      this.today.set(endpoint, count);
    }
    return count;
  }

  private bump(endpoint: EndpointId, field: keyof DayCount): void {
    const count = this.countOf(endpoint, this.options.clock.now());
    count[field]++;
    this.options.ledger?.save(this.day, endpoint, count);
  }

  /** Count a received call. */
  record(endpoint: EndpointId): void {
    this.bump(endpoint, 'calls');
  }

  /** Throws the 99991400 answer when this call is over the rate or the daily quota. */
  admit(endpoint: EndpointId): void {
    if (!this.options.enabled || !METERED_ENDPOINTS.includes(endpoint)) return;
    const now = this.options.clock.now();
    const window = (this.recent.get(endpoint) ?? []).filter((t) => t > now - this.windowMs);
    this.recent.set(endpoint, window);
    if (window.length >= this.capacity) {
      const resetSec = Math.max(1, Math.ceil((window[0]! + this.windowMs - now) / 1000));
      throw this.reject(endpoint, 'request trigger frequency limit', this.options.qps, resetSec);
    }
    if (this.countOf(endpoint, now).admitted >= this.options.dailyQuota) {
      const resetSec = Math.max(1, Math.ceil((nextQuotaReset(now) - now) / 1000));
      throw this.reject(endpoint, 'daily quota exceeded', this.options.dailyQuota, resetSec);
    }
    window.push(now);
    this.bump(endpoint, 'admitted');
  }

  private reject(endpoint: EndpointId, msg: string, limit: number, resetSec: number): SandboxError {
    this.bump(endpoint, 'rateLimited');
    return new SandboxError(RATE_LIMITED, undefined, {
      message: msg,
      headers: { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': String(resetSec) },
    });
  }

  counters(): CallCounts {
    this.switchDay(this.options.clock.now());
    const result: CallCounts = { calls: {}, rateLimited: {} };
    for (const [endpoint, count] of this.today) {
      if (count.calls > 0) result.calls[endpoint] = count.calls;
      if (count.rateLimited > 0) result.rateLimited[endpoint] = count.rateLimited;
    }
    return result;
  }
}
