/**
 * A first-in first-out line of waiters released one at a time when a pacing
 * policy allows. Shared by the call pacer (one line per endpoint) and the
 * bandwidth limiter. Only the head of the line sleeps, so a waiter that gives
 * up (AbortSignal) never leaves a hole that lets two others through at once,
 * and a policy change (`kick`) takes effect on the very next release.
 */
import type { Clock } from '../../platform/clock.js';

export interface PacingPolicy<T> {
  /** Milliseconds the head waiter must still wait at `now`; ≤ 0 releases it. */
  delayMs(now: number, item: T): number;
  /** The head waiter is released at `now`: account for it. */
  commit(now: number, item: T): void;
}

interface Waiter<T> {
  item: T;
  rank: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  detach: () => void;
}

export class PacedFifo<T> {
  private readonly line: Waiter<T>[] = [];
  private pumping = false;
  private wake: AbortController | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly policy: PacingPolicy<T>,
  ) {}

  /** Number of waiters in line. */
  get waiting(): number {
    return this.line.length;
  }

  /**
   * Resolves when `item` may go (and is accounted for); rejects with the
   * signal's reason if aborted first. A higher `rank` goes ahead of lower
   * ranks already waiting (equal ranks keep their order).
   */
  enter(item: T, signal?: AbortSignal, rank = 0): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.line.length === 0 && !this.pumping) {
      const now = this.clock.now();
      if (this.policy.delayMs(now, item) <= 0) {
        this.policy.commit(now, item);
        return Promise.resolve();
      }
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.line.indexOf(waiter);
        if (at < 0) return;
        this.line.splice(at, 1);
        reject(signal!.reason);
        if (at === 0) this.kick();
      };
      const waiter: Waiter<T> = {
        item,
        rank,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let at = this.line.length;
      while (at > 0 && this.line[at - 1]!.rank < rank) at--;
      this.line.splice(at, 0, waiter);
      void this.pump();
    });
  }

  /** The policy changed: recompute the head's wait now instead of when its sleep ends. */
  kick(): void {
    this.wake?.abort();
  }

  /** Reject every waiter (used when the owner shuts down). */
  rejectAll(reason: unknown): void {
    for (const w of this.line.splice(0)) {
      w.detach();
      w.reject(reason);
    }
    this.kick();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.line.length > 0) {
        const head = this.line[0]!;
        const now = this.clock.now();
        const delay = this.policy.delayMs(now, head.item);
        if (delay <= 0) {
          this.line.shift();
          head.detach();
          this.policy.commit(now, head.item);
          head.resolve();
          continue;
        }
        const wake = new AbortController();
        this.wake = wake;
        try {
          await this.clock.sleep(delay, wake.signal);
        } catch {
          // Woken early by kick() or the head's abort: recompute.
        } finally {
          this.wake = null;
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
