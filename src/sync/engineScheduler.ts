/**
 * What the engine needs from the scheduler (src/sync/scheduler/): a priority
 * job queue that admits each job's cost against the daily budget, the retry
 * policy, the failure backoff and the quota picture. The engine depends on
 * this narrow shape only; engineFactory.ts adapts the real scheduler to it.
 */
import type { CallCost } from '../plan/types.js';
import type { QuotaState } from './engineApi.js';
import type { Priority } from './schedulerApi.js';

export interface RetryOptions {
  signal?: AbortSignal;
  /** Only failures this predicate accepts are retried; anything else is thrown at once. */
  shouldRetry: (error: unknown) => boolean;
}

export interface EngineJobOptions {
  priority: Priority;
  /** API calls the job makes: the whole cost must fit today's budget before it starts. */
  cost?: CallCost;
  /** Bytes the job uploads (orders the backlog). */
  size?: number;
  signal?: AbortSignal;
  label?: string;
}

export interface EngineScheduler {
  /**
   * Run a job in the shared priority queue (file concurrency is enforced
   * there). Rejects with an error `quotaResumesAt` recognises when today's
   * budget cannot hold the job's cost.
   */
  run<T>(job: (signal: AbortSignal) => Promise<T>, options: EngineJobOptions): Promise<T>;
  /** Call `fn` again after a backoff while the failure is retryable, bounded. */
  withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T>;
  /** Epoch ms before which a file that failed `failures` times in a row is not tried again. */
  nextAttemptAt(failures: number, now: number): number;
  quotaState(): QuotaState;
  /** When `error` means "daily API quota exhausted": the epoch ms it resets; else undefined. */
  quotaResumesAt(error: unknown): number | undefined;
  /** Block-level concurrency of one chunked upload under the global cap (absent = per-file pool only). */
  blocksForFile?(priority: Priority): { run<T>(sendBlock: () => Promise<T>): Promise<T> };
  /** Wait until `bytes` may be sent under the bandwidth limit (absent = unlimited). */
  takeBandwidth?(bytes: number, signal?: AbortSignal): Promise<void>;
  /** Stop starting queued jobs (running ones finish) / start again. */
  pause(): void;
  resume(): void;
}
