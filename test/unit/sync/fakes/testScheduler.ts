/** An EngineScheduler that never sleeps: retries up to `maxAttempts` at once, unlimited (or scripted) budget. */
import type { EngineScheduler, RetryOptions } from '../../../../src/sync/engineScheduler.js';
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

  enqueue<T>(_priority: Priority, job: () => Promise<T>): Promise<T> {
    return job();
  }

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
