/**
 * Contract between the scheduler (pacing, daily quota, admission, priorities)
 * and the uploader/engine. Pacing and quotas live here only (rclone's
 * lib/pacer idea): the Drive client reports, the scheduler decides.
 */
import type { EndpointId } from '../feishu/endpoints.js';
import type { CallCost } from '../plan/types.js';

/** Explicit sends first, then recently changed files, then the initial backlog. */
export type Priority = 'send' | 'recent' | 'backlog';

/**
 * Gate every HTTP call passes through (wired as the client's RequestHook):
 * waits for the endpoint's token bucket, then counts the call in the persisted
 * daily ledger BEFORE it is sent.
 */
export interface CallGate {
  acquire(endpoint: EndpointId, signal?: AbortSignal): Promise<void>;
  /** Feedback after a response: 99991400 backs the endpoint off; successes recover the rate gradually. */
  report(endpoint: EndpointId, outcome: { rateLimited: boolean; retryAfterMs?: number }): void;
}

/** A job's admitted share of today's budget; calls made under it are drawn from it. */
export interface Reservation {
  /** Give back what was reserved but not used (call when the job ends, success or not). */
  release(): void;
}

export type Admission =
  | { ok: true; reservation: Reservation }
  | {
      ok: false;
      reason: 'quota';
      resumesAt: number;
      endpoint: EndpointId;
      /** The job needs more calls than one whole day allows (minus the reserve): waiting for resumesAt will not help. */
      exceedsDailyLimit?: boolean;
    };

export interface Budget {
  /**
   * Admit a job only if its whole cost fits in today's remaining budget of each
   * endpoint it needs (minus the reserve for non-'send' priorities).
   */
  admit(cost: CallCost, priority: Priority): Admission;
  /** Epoch ms of the next daily reset. */
  resetsAt(): number;
}
