/**
 * The scheduler: where API calls — the scarcest thing FeiSync has — are
 * spent. One instance per process, shared by every mapping:
 *
 * - `hook` / `gate`: pass `hook` to the Drive client; every request waits for
 *   its endpoint's pacing slot and is counted in the daily ledger before it
 *   leaves (throws QuotaExhaustedError, code 'E_QUOTA', rather than exceed it).
 * - `run(job, { priority, cost, size, after })`: the file-level queue ('send' >
 *   'recent' > 'backlog', smaller backlog files first). A job with a `cost` is
 *   admitted only if that whole cost fits today's budget, and its calls draw
 *   down its reservation. Folder first: pass the folder job's promise in `after`.
 * - `blocks.forFile(priority).run(sendPart)`: block-level concurrency.
 * - `bandwidth.take(n, signal)`: await before sending each chunk.
 * - `withRetry(fn, opts)` for one call, `failureBackoff` for a failing file.
 * - `quotaState()` and `onExhausted(...)` for the engine's status and notices.
 *
 * Everything time- or chance-dependent comes from `clock` and `random`, so a
 * whole quota day runs in milliseconds with FakeClock.
 */
import type { Clock, Random } from '../../platform/clock.js';
import type { EndpointId } from '../../feishu/endpoints.js';
import type { RequestHook } from '../../feishu/driveApi.js';
import type { LimitsSettings } from '../../config/settings.js';
import type { QuotaState } from '../engineApi.js';
import type { Priority } from '../schedulerApi.js';
import { CallPacer, type EndpointPace, type PacingOptions } from './callPacer.js';
import { SchedulerGate, type GateOptions } from './callGate.js';
import { QuotaLedger, type ExhaustedNotice, type QuotaOptions, type QuotaStore } from './quotaLedger.js';
import { JobQueue, type JobContext, type JobOptions, type JobQueueOptions } from './jobQueue.js';
import { BlockLimiter, type BlockLimiterOptions } from './blockLimiter.js';
import { BandwidthLimiter, type BandwidthOptions } from './bandwidthLimiter.js';
import { FailureBackoff, withRetry, type FailureBackoffOptions, type RetryOptions } from './retry.js';

export interface SchedulerOptions {
  clock: Clock;
  random: Random;
  /** Persists the daily ledger: the SQLite IndexStore in production. */
  store: QuotaStore;
  /**
   * Per-endpoint pacing. Defaults: 5 calls/s (DEFAULT_QPS) spaced evenly, a 10 ms guard on the 1 s
   * window (+5 ms per 99991400 at full rate, at most 50 ms); on 99991400 halve the rate (≥ 0.5/s) and
   * pause max(retryAfterMs, 1 s × 2^k ± 50%, capped 60 s); +0.1 calls/s per other answer.
   */
  pacing?: PacingOptions;
  /** Gate behaviour. Default: a server pause longer than 60 s fails acquire with E_QUOTA instead of waiting. */
  gate?: GateOptions;
  /** Daily quota. Defaults: 10,000 calls/endpoint/day (DEFAULT_DAILY_QUOTA), 5% reserve for 'send', day starts 00:00 Asia/Shanghai. */
  quota?: QuotaOptions;
  /** File-level queue. Defaults: 4 jobs at once, backlog smallest first. */
  jobs?: JobQueueOptions;
  /** Block-level concurrency. Defaults: 3 per file, 8 overall. */
  blocks?: BlockLimiterOptions;
  /** Upload bandwidth. Default unlimited (0). */
  bandwidth?: BandwidthOptions;
  /** Defaults for `withRetry`. Defaults: 5 attempts, 500 ms base, 30 s cap, retryable FeishuErrors and network errors. */
  retry?: RetryOptions;
  /** Spacing of retries of a failing file. Defaults: 1 min doubling to 6 h. */
  failureBackoff?: FailureBackoffOptions;
}

export class Scheduler {
  readonly gate: SchedulerGate;
  readonly budget: QuotaLedger;
  readonly jobs: JobQueue;
  readonly blocks: BlockLimiter;
  readonly bandwidth: BandwidthLimiter;
  readonly failureBackoff: FailureBackoff;
  /** Give this to the Drive client: pacing + quota before each request, rate feedback after. */
  readonly hook: RequestHook;
  private readonly pacer: CallPacer;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly retryDefaults: RetryOptions;

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.pacer = new CallPacer(options.clock, options.random, options.pacing);
    this.budget = new QuotaLedger(options.clock, options.store, options.quota);
    this.gate = new SchedulerGate(options.clock, this.pacer, this.budget, options.gate);
    this.hook = this.gate.requestHook();
    this.jobs = new JobQueue(this.budget, options.jobs);
    this.blocks = new BlockLimiter(options.blocks);
    this.bandwidth = new BandwidthLimiter(options.clock, options.bandwidth);
    this.failureBackoff = new FailureBackoff(options.failureBackoff);
    this.retryDefaults = { gate: this.gate, ...options.retry };
  }

  /** Queue a job (see JobOptions); resolves with its result or rejects with its failure / E_QUOTA / E_CANCELLED / E_DEPENDENCY. */
  run<T>(job: (ctx: JobContext) => Promise<T>, options: JobOptions): Promise<T> {
    return this.jobs.run(job, options);
  }

  /** No new job starts; running jobs finish. */
  pause(): void {
    this.jobs.pause();
  }

  resume(): void {
    this.jobs.resume();
  }

  get isPaused(): boolean {
    return this.jobs.isPaused;
  }

  /** Resolves when every queued job has settled. */
  onIdle(): Promise<void> {
    return this.jobs.onIdle();
  }

  /** Drop jobs that have not started (they reject with E_CANCELLED). */
  clear(): void {
    this.jobs.clear();
  }

  /** Retry `fn` on retryable failures with backoff; rate-limited failures also slow the endpoint down. */
  withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
    return withRetry(fn, { clock: this.clock, random: this.random }, { ...this.retryDefaults, ...options });
  }

  /** Epoch ms before which a file that failed `failures` times in a row is not tried again. */
  nextAttemptAt(failures: number, now = this.clock.now()): number {
    return this.failureBackoff.nextAttemptAt(failures, now);
  }

  /** Calls made inside `fn` outside any job count as `priority` ('send' may use the reserve). */
  withPriority<T>(priority: Priority, fn: () => T): T {
    return this.budget.runWithPriority(priority, fn);
  }

  quotaState(): QuotaState {
    return this.budget.quotaState();
  }

  /** Told once per quota day and endpoint when work is first refused for quota. */
  onExhausted(listener: (notice: ExhaustedNotice) => void): () => void {
    return this.budget.onExhausted(listener);
  }

  /** Current pacing of an endpoint (rate after backoff, pause). */
  pace(endpoint: EndpointId): EndpointPace {
    return this.pacer.pace(endpoint);
  }
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  return new Scheduler(options);
}

/** The scheduler options that the user's limits settings control. */
export function schedulerOptionsFromLimits(
  limits: LimitsSettings,
): Pick<SchedulerOptions, 'pacing' | 'quota' | 'jobs' | 'blocks' | 'bandwidth'> {
  return {
    pacing: { qps: limits.qps, qpsPerEndpoint: limits.qpsPerEndpoint as Partial<Record<EndpointId, number>> },
    quota: { dailyQuota: limits.dailyQuota, reserveFraction: limits.quotaReserve, timeZone: limits.quotaTimeZone },
    jobs: { concurrency: limits.fileConcurrency },
    blocks: { perFile: limits.blockConcurrency },
    bandwidth: { bytesPerSec: limits.bandwidthBytesPerSec },
  };
}

export { QuotaExhaustedError, SchedulerError, isQuotaExhaustedError, type SchedulerErrorCode } from './schedulerError.js';
export { isRetryableError, backoffDelayMs, withRetry, FailureBackoff, type RetryOptions, type RetryDeps, type FailureBackoffOptions } from './retry.js';
export { quotaDayKey, nextQuotaReset } from './quotaDay.js';
export { LedgerReservation, QuotaLedger, type QuotaStore, type QuotaOptions, type ExhaustedNotice, type LedgerAdmission } from './quotaLedger.js';
export { CallPacer, type PacingOptions, type EndpointPace, type PaceOutcome } from './callPacer.js';
export { SchedulerGate, type GateOptions } from './callGate.js';
export { JobQueue, type JobOptions, type JobContext, type JobQueueOptions, type BacklogOrder } from './jobQueue.js';
export { BlockLimiter, type BlockLimiterOptions, type FileBlockLimiter } from './blockLimiter.js';
export { BandwidthLimiter, type BandwidthOptions } from './bandwidthLimiter.js';
