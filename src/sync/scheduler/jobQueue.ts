/**
 * The file-level job queue: explicit sends first, then recently changed
 * files, then the initial backlog (smaller files first by default). A job
 * that declares its API cost is admitted against today's budget when it
 * reaches the head of the queue, runs inside its reservation, and releases
 * the unused part when it ends. A job may wait for other jobs (its folder's
 * createFolder) without holding a concurrency slot while it waits.
 */
import PQueue from 'p-queue';
import type { CallCost } from '../../plan/types.js';
import type { Priority } from '../schedulerApi.js';
import type { LedgerReservation, QuotaLedger } from './quotaLedger.js';
import { QuotaExhaustedError, SCHEDULER_ERROR_REMEDIES, SchedulerError, configError } from './schedulerError.js';
import { PRIORITY_RANK } from './priorityRank.js';

export type BacklogOrder = 'smallestFirst' | 'fifo';

export interface JobQueueOptions {
  /** Jobs (files) running at once. Default 4. */
  concurrency?: number;
  /** Order of 'backlog' jobs: 'smallestFirst' (default) or 'fifo'. */
  backlogOrder?: BacklogOrder;
}

export interface JobOptions {
  priority: Priority;
  /** API calls the job makes; when given, the whole cost must fit today's budget before the job starts. */
  cost?: CallCost;
  /** Bytes the job uploads: orders the backlog when backlogOrder is 'smallestFirst'. */
  size?: number;
  /**
   * Jobs that must succeed first (e.g. the promise of the parent folder's
   * createFolder job). The job enters the queue only after they resolve; if
   * one rejects, this job rejects with E_DEPENDENCY without running.
   */
  after?: readonly Promise<unknown>[];
  /** Aborting drops the job if it has not started; a running job sees it in its context. */
  signal?: AbortSignal;
  /** Names the job in errors (e.g. the relative path). */
  label?: string;
}

export interface JobContext {
  /** The job's share of today's budget (present when `cost` was given). */
  reservation?: LedgerReservation;
  /** The caller's signal (never aborted when none was given). */
  signal: AbortSignal;
}

interface Waiting {
  started: boolean;
  cancel: AbortController;
}

export class JobQueue {
  private readonly queue: PQueue;
  private readonly backlogOrder: BacklogOrder;
  private readonly notStarted = new Set<Waiting>();
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly ledger: QuotaLedger,
    options: JobQueueOptions = {},
  ) {
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw configError(`file concurrency must be a whole number ≥ 1, got ${concurrency}`);
    this.queue = new PQueue({ concurrency });
    this.backlogOrder = options.backlogOrder ?? 'smallestFirst';
  }

  /** Queue `job`; resolves or rejects with its outcome (or E_QUOTA / E_CANCELLED / E_DEPENDENCY). */
  run<T>(job: (ctx: JobContext) => Promise<T>, options: JobOptions): Promise<T> {
    const waiting: Waiting = { started: false, cancel: new AbortController() };
    this.notStarted.add(waiting);
    this.unsettled += 1;
    const onUserAbort = () => {
      if (!waiting.started) waiting.cancel.abort(options.signal!.reason);
    };
    options.signal?.addEventListener('abort', onUserAbort, { once: true });
    if (options.signal?.aborted) onUserAbort();
    const settle = () => {
      this.notStarted.delete(waiting);
      options.signal?.removeEventListener('abort', onUserAbort);
      this.unsettled -= 1;
      if (this.unsettled === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
    const promise = this.enqueueAfterDependencies(job, options, waiting);
    promise.then(settle, settle);
    return promise;
  }

  /** No new job starts; running jobs finish. */
  pause(): void {
    this.queue.pause();
  }

  resume(): void {
    this.queue.start();
  }

  get isPaused(): boolean {
    return this.queue.isPaused;
  }

  /** Jobs waiting to start (including those waiting for dependencies). */
  get size(): number {
    return this.notStarted.size;
  }

  /** Jobs running now. */
  get running(): number {
    return this.queue.pending;
  }

  /** Resolves when every job handed to `run` has settled (never while paused with jobs queued). */
  onIdle(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drop every job that has not started; each rejects with E_CANCELLED. Running jobs continue. */
  clear(): void {
    const error = new SchedulerError('E_CANCELLED', 'the job was removed from the queue before it started', SCHEDULER_ERROR_REMEDIES.E_CANCELLED);
    for (const waiting of [...this.notStarted]) if (!waiting.started) waiting.cancel.abort(error);
  }

  private async enqueueAfterDependencies<T>(job: (ctx: JobContext) => Promise<T>, options: JobOptions, waiting: Waiting): Promise<T> {
    if (options.after && options.after.length > 0) {
      const cancelled = new Promise<never>((_, reject) => {
        const fail = () => reject(waiting.cancel.signal.reason);
        if (waiting.cancel.signal.aborted) fail();
        else waiting.cancel.signal.addEventListener('abort', fail, { once: true });
      });
      cancelled.catch(() => undefined);
      try {
        await Promise.race([Promise.all(options.after), cancelled]);
      } catch (cause) {
        if (waiting.cancel.signal.aborted) throw waiting.cancel.signal.reason;
        const what = options.label ? `"${options.label}"` : 'the job';
        throw new SchedulerError('E_DEPENDENCY', `${what} did not run because a job it depends on failed`, SCHEDULER_ERROR_REMEDIES.E_DEPENDENCY, cause);
      }
    }
    return this.queue.add(
      () => {
        waiting.started = true;
        this.notStarted.delete(waiting);
        return this.start(job, options);
      },
      { priority: this.rank(options), signal: waiting.cancel.signal },
    );
  }

  private async start<T>(job: (ctx: JobContext) => Promise<T>, options: JobOptions): Promise<T> {
    const signal = options.signal ?? new AbortController().signal;
    if (!options.cost) return this.ledger.runWithPriority(options.priority, () => job({ signal }));
    const admission = this.ledger.admit(options.cost, options.priority);
    if (!admission.ok) {
      const what = options.label ? `"${options.label}"` : 'the job';
      throw new QuotaExhaustedError({
        endpoint: admission.endpoint,
        resumesAt: admission.resumesAt,
        day: this.ledger.day(),
        detail: `${what} needs ${options.cost[admission.endpoint]} calls, more than is left today`,
        exceedsDailyLimit: admission.exceedsDailyLimit ?? false,
      });
    }
    const reservation = admission.reservation;
    try {
      return await reservation.run(() => job({ reservation, signal }));
    } finally {
      reservation.release();
    }
  }

  private rank(options: JobOptions): number {
    const base = PRIORITY_RANK[options.priority];
    if (options.priority !== 'backlog' || this.backlogOrder === 'fifo') return base;
    // Backlog ranks below 'recent' (1): 0 for folders/unknown sizes, more negative as files grow.
    return base - Math.max(0, options.size ?? 0);
  }
}
