/**
 * What the engine needs from the scheduler (src/sync/scheduler/): admission
 * against the daily budget, a priority job queue, the retry policy, the
 * failure backoff and the quota picture. The engine depends on this narrow
 * shape only; `fromScheduler` adapts the real scheduler to it.
 */
import type { Budget, Priority } from './schedulerApi.js';
import type { QuotaState } from './engineApi.js';

export interface RetryOptions {
  signal?: AbortSignal;
  /** Only failures this predicate accepts are retried; anything else is thrown at once. */
  shouldRetry: (error: unknown) => boolean;
}

export interface EngineScheduler {
  budget: Budget;
  /** Run a job in the shared priority queue (file concurrency is enforced there). */
  enqueue<T>(priority: Priority, job: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Call `fn` again after a backoff while the failure is retryable, bounded. */
  withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T>;
  /** Epoch ms before which a file that failed `failures` times in a row is not tried again. */
  nextAttemptAt(failures: number, now: number): number;
  quotaState(): QuotaState;
}
