/**
 * Per-endpoint pacing at the documented rate (DEFAULT_QPS), with
 * multiplicative decrease on 99991400 and additive increase on successes.
 *
 * Feishu counts requests per endpoint per rolling second, so a bucket that
 * starts full would let `qps` calls out at once and then one more as soon as
 * a token refills — more than `qps` in one second. Instead calls are spaced
 * evenly, at least (windowMs + guardMs) / rate apart (a bucket of capacity
 * one). Since the rate never exceeds the ceiling, any qps + 1 consecutive
 * calls span more than windowMs + guardMs: no window ever holds more than
 * `qps` calls — at start, after a pause, or while the rate recovers. Spacing
 * is measured from the actual grant time (timers fire late, never early), and
 * `guardMs` absorbs jitter between our grant and the server's arrival time
 * (the client reads and checksums a body BEFORE asking for the grant, so only
 * the send lies in between); each 99991400
 * taken while running at the ceiling widens that endpoint's guard a little
 * (up to `maxGuardMs`), so a client whose jitter exceeds the guard learns it.
 */
import type { Clock, Random } from '../../platform/clock.js';
import { ENDPOINT_IDS, type EndpointId } from '../../feishu/endpoints.js';
import { DEFAULT_QPS } from '../../feishu/limits.js';
import { PacedFifo, type PacingPolicy } from './pacedFifo.js';
import { assertKnownEndpoints, configError } from './schedulerError.js';

export interface PacingOptions {
  /** Calls per second per endpoint. Default DEFAULT_QPS (5). */
  qps?: number;
  /** Per-endpoint overrides of `qps`. Default none. */
  qpsPerEndpoint?: Partial<Record<EndpointId, number>>;
  /** The server's counting window. Default 1000 ms. */
  windowMs?: number;
  /** Safety margin added to the window against network jitter. Default 10 ms (costs 1% of the rate). */
  guardMs?: number;
  /** Guard widening per 99991400 received while at full rate. Default 5 ms. */
  guardStepMs?: number;
  /** Widest guard. Default 50 ms (costs 5% of the rate). */
  maxGuardMs?: number;
  /** The rate never drops below this after repeated 99991400. Default 0.5 calls/s. */
  minQps?: number;
  /** Rate regained per non-rate-limited response. Default 0.1 calls/s. */
  recoverStepQps?: number;
  /** First backoff pause after a 99991400 (doubles per consecutive episode, ±50% jitter). Default 1000 ms. */
  backoffBaseMs?: number;
  /** Longest backoff pause (a larger retryAfterMs from the server still wins). Default 60,000 ms. */
  backoffCapMs?: number;
}

export interface PaceOutcome {
  rateLimited: boolean;
  retryAfterMs?: number;
}

/** A snapshot of one endpoint's pacing (for status displays and tests). */
export interface EndpointPace {
  ceilingQps: number;
  currentQps: number;
  pausedUntil: number;
  strikes: number;
  /** Current safety margin on the counting window. */
  guardMs: number;
}

interface ResolvedPacing {
  windowMs: number;
  guardMs: number;
  guardStepMs: number;
  maxGuardMs: number;
  minQps: number;
  recoverStepQps: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

class EndpointPacer implements PacingPolicy<void> {
  readonly fifo: PacedFifo<void>;
  private rate: number;
  private guardMs: number;
  private lastGrant = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private strikes = 0;
  private lastCutAt = Number.NEGATIVE_INFINITY;

  constructor(
    clock: Clock,
    private readonly random: Random,
    private readonly ceiling: number,
    private readonly o: ResolvedPacing,
  ) {
    this.rate = ceiling;
    this.guardMs = o.guardMs;
    this.fifo = new PacedFifo(clock, this);
  }

  delayMs(now: number): number {
    const spacing = (this.o.windowMs + this.guardMs) / this.rate;
    return Math.max(this.pausedUntil, this.lastGrant + spacing) - now;
  }

  commit(now: number): void {
    this.lastGrant = now;
  }

  report(now: number, outcome: PaceOutcome): void {
    const before = this.delayMs(now);
    if (outcome.rateLimited) {
      const retryAfter = Math.max(0, outcome.retryAfterMs ?? 0);
      // Calls already in flight when the first 99991400 came back answer the
      // same way: one cut per window, or three parallel parts would cut 8×.
      if (now - this.lastCutAt >= this.o.windowMs) {
        this.lastCutAt = now;
        this.strikes += 1;
        if (this.rate >= this.ceiling) this.guardMs = Math.max(this.guardMs, Math.min(this.o.maxGuardMs, this.guardMs + this.o.guardStepMs));
        this.rate = Math.max(this.o.minQps, Math.min(this.rate, this.ceiling) / 2);
        const exp = Math.min(this.o.backoffCapMs, this.o.backoffBaseMs * 2 ** (this.strikes - 1));
        const backoff = exp / 2 + (this.random() * exp) / 2;
        this.pausedUntil = Math.max(this.pausedUntil, now + Math.max(retryAfter, backoff));
      } else {
        this.pausedUntil = Math.max(this.pausedUntil, now + retryAfter);
      }
    } else if (this.rate < this.ceiling) {
      const next = this.rate + this.o.recoverStepQps;
      // Snap to the ceiling so float steps (0.1 × 25) land exactly on it.
      this.rate = next >= this.ceiling - 1e-9 ? this.ceiling : next;
      if (this.rate === this.ceiling) this.strikes = 0;
    }
    if (this.delayMs(now) !== before) this.fifo.kick();
  }

  snapshot(): EndpointPace {
    return { ceilingQps: this.ceiling, currentQps: this.rate, pausedUntil: this.pausedUntil, strikes: this.strikes, guardMs: this.guardMs };
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw configError(`${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw configError(`${name} must be zero or more, got ${value}`);
  return value;
}

/** Paces every endpoint independently; all mappings share one CallPacer. */
export class CallPacer {
  private readonly endpoints = new Map<EndpointId, EndpointPacer>();
  private readonly resolved: ResolvedPacing;
  private readonly qps: number;
  private readonly qpsPerEndpoint: Partial<Record<EndpointId, number>>;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    options: PacingOptions = {},
  ) {
    this.qps = positive('qps', options.qps ?? DEFAULT_QPS);
    this.qpsPerEndpoint = { ...options.qpsPerEndpoint };
    assertKnownEndpoints('qpsPerEndpoint', Object.keys(this.qpsPerEndpoint), ENDPOINT_IDS);
    for (const [id, v] of Object.entries(this.qpsPerEndpoint)) positive(`qpsPerEndpoint.${id}`, v as number);
    this.resolved = {
      windowMs: positive('windowMs', options.windowMs ?? 1000),
      guardMs: nonNegative('guardMs', options.guardMs ?? 10),
      guardStepMs: nonNegative('guardStepMs', options.guardStepMs ?? 5),
      maxGuardMs: nonNegative('maxGuardMs', options.maxGuardMs ?? 50),
      minQps: positive('minQps', options.minQps ?? 0.5),
      recoverStepQps: positive('recoverStepQps', options.recoverStepQps ?? 0.1),
      backoffBaseMs: nonNegative('backoffBaseMs', options.backoffBaseMs ?? 1000),
      backoffCapMs: nonNegative('backoffCapMs', options.backoffCapMs ?? 60_000),
    };
  }

  /**
   * Resolves when a call to `endpoint` may be sent now (and records it as
   * sent). Calls of a higher `rank` (an explicit send) overtake lower ones
   * waiting for the same endpoint.
   */
  wait(endpoint: EndpointId, signal?: AbortSignal, rank = 0): Promise<void> {
    return this.pacer(endpoint).fifo.enter(undefined, signal, rank);
  }

  /** Feedback from a response: 99991400 slows the endpoint down, anything else lets it recover. */
  report(endpoint: EndpointId, outcome: PaceOutcome): void {
    this.pacer(endpoint).report(this.clock.now(), outcome);
  }

  /** Epoch ms until which `endpoint` is paused after a 99991400 (0 when not paused). */
  pausedUntil(endpoint: EndpointId): number {
    return this.pacer(endpoint).snapshot().pausedUntil;
  }

  pace(endpoint: EndpointId): EndpointPace {
    return this.pacer(endpoint).snapshot();
  }

  private pacer(endpoint: EndpointId): EndpointPacer {
    let p = this.endpoints.get(endpoint);
    if (!p) {
      const ceiling = this.qpsPerEndpoint[endpoint] ?? this.qps;
      p = new EndpointPacer(this.clock, this.random, Math.max(ceiling, this.resolved.minQps), this.resolved);
      this.endpoints.set(endpoint, p);
    }
    return p;
  }
}
