/** An EngineScheduler that never sleeps: retries up to `maxAttempts` at once, unlimited (or scripted) budget. */
import type { EngineJobOptions, EngineScheduler, RetryOptions } from '../../../../src/sync/engineScheduler.js';
import type { Admission, Priority } from '../../../../src/sync/schedulerApi.js';
import type { CallCost } from '../../../../src/plan/types.js';

export class TestScheduler implements EngineScheduler {
  maxAttempts = 3;
  retries = 0;
  /** Override to refuse admission (quota tests). */
  admitHook?: (cost: CallCost, priority: Priority) => Admission;
  resetAt = Date.UTC(2026, 0, 2);

  budget = {
    admit: (cost: CallCost, priority: Priority): Admission =>
      this.admitHook?.(cost, priority) ?? { ok: true, reservation: { release: () => {} } },
    resetsAt: () => this.resetAt,
  };

  paused = false;
  quotaError = class QuotaError extends Error { constructor(readonly resumesAt: number) { super('quota exhausted'); } };

  async run<T>(job: (signal: AbortSignal) => Promise<T>, options: EngineJobOptions): Promise<T> {
    if (options.cost) {
      const admission = this.budget.admit(options.cost, options.priority);
      if (!admission.ok) throw new this.quotaError(admission.resumesAt);
      try {
        return await job(options.signal ?? new AbortController().signal);
      } finally {
        admission.reservation.release();
      }
    }
    return job(options.signal ?? new AbortController().signal);
  }

  quotaResumesAt(e: unknown): number | undefined {
    return e instanceof this.quotaError ? e.resumesAt : undefined;
  }
  pause() { this.paused = true; }
  resume() { this.paused = false; }

  async withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= this.maxAttempts || !options.shouldRetry(e)) throw e;
        this.retries++;
      }
    }
  }

  nextAttemptAt(failures: number, now: number): number {
    return now + 60_000 * 2 ** Math.min(failures, 6);
  }

  quotaState() {
    return { day: '2026-01-01', resetsAt: this.resetAt, endpoints: [], exhausted: false };
  }
}
