/**
 * The daily call ledger: calls per endpoint per quota day, persisted through
 * a QuotaStore (the SQLite index in production) and counted BEFORE each call
 * is sent, so a crash can only overcount. Also the Budget: admission of whole
 * jobs against what is left today, reservations that running jobs draw down,
 * and the soft reserve kept for explicit sends.
 *
 * Which reservation a call belongs to travels with the async call chain
 * (AsyncLocalStorage): the Drive client's RequestHook knows only the endpoint,
 * but a call made inside `reservation.run(fn)` is drawn from that reservation.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../platform/clock.js';
import { ENDPOINT_IDS, METERED_ENDPOINTS, type EndpointId } from '../../feishu/endpoints.js';
import { DEFAULT_DAILY_QUOTA, QUOTA_TIME_ZONE } from '../../feishu/limits.js';
import type { IndexStore } from '../../index/types.js';
import type { CallCost } from '../../plan/types.js';
import type { Admission, Budget, Priority } from '../schedulerApi.js';
import type { QuotaState } from '../engineApi.js';
import { QuotaCalendar } from './quotaDay.js';
import { LedgerReservation, type CallContext } from './quotaReservation.js';
import { QuotaExhaustedError, SCHEDULER_ERROR_REMEDIES, SchedulerError, assertKnownEndpoints, configError } from './schedulerError.js';

/** Where the ledger persists its counts: exactly these two IndexStore methods. */
export type QuotaStore = Pick<IndexStore, 'addQuotaCall' | 'quotaUsed'>;

export interface QuotaOptions {
  /** Calls per endpoint per day. Default DEFAULT_DAILY_QUOTA (10,000). */
  dailyQuota?: number;
  /** Per-endpoint overrides of `dailyQuota`. Default none. */
  dailyQuotaPerEndpoint?: Partial<Record<EndpointId, number>>;
  /** Fraction of each quota only 'send' jobs may use (0 ≤ r < 1). Default 0.05. */
  reserveFraction?: number;
  /** IANA zone whose 00:00 starts a quota day. Default QUOTA_TIME_ZONE ('Asia/Shanghai'). */
  timeZone?: string;
  /** Endpoints that count against the quota. Default METERED_ENDPOINTS (all but auth). */
  meteredEndpoints?: readonly EndpointId[];
}

/** Raised once per quota day, endpoint and kind (background only / everything), when work is first refused. */
export interface ExhaustedNotice {
  endpoint: EndpointId;
  day: string;
  resumesAt: number;
  /** True when only background work is refused and the reserve still serves 'send'. */
  reserveLeft: boolean;
}

/** Budget.admit's answer, with the concrete reservation type. */
export type LedgerAdmission = { ok: true; reservation: LedgerReservation } | Extract<Admission, { ok: false }>;

export { LedgerReservation };

export class QuotaLedger implements Budget {
  private readonly calendar: QuotaCalendar;
  private readonly metered: ReadonlySet<EndpointId>;
  private readonly limits = new Map<EndpointId, number>();
  private readonly reserveFraction: number;
  private readonly reservations = new Set<LedgerReservation>();
  private readonly context = new AsyncLocalStorage<CallContext>();
  private readonly notified = new Set<string>();
  private readonly listeners = new Set<(notice: ExhaustedNotice) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly store: QuotaStore,
    options: QuotaOptions = {},
  ) {
    this.calendar = new QuotaCalendar(options.timeZone ?? QUOTA_TIME_ZONE);
    this.metered = new Set(options.meteredEndpoints ?? METERED_ENDPOINTS);
    assertKnownEndpoints('dailyQuotaPerEndpoint', Object.keys(options.dailyQuotaPerEndpoint ?? {}), ENDPOINT_IDS);
    const fallback = options.dailyQuota ?? DEFAULT_DAILY_QUOTA;
    for (const endpoint of this.metered) {
      const limit = options.dailyQuotaPerEndpoint?.[endpoint] ?? fallback;
      if (!Number.isInteger(limit) || limit < 0) throw configError(`daily quota of ${endpoint} must be a whole number ≥ 0, got ${limit}`);
      this.limits.set(endpoint, limit);
    }
    this.reserveFraction = options.reserveFraction ?? 0.05;
    if (!(this.reserveFraction >= 0 && this.reserveFraction < 1)) {
      throw configError(`quota reserve must be a fraction in [0, 1), got ${this.reserveFraction}`);
    }
  }

  /** Current quota day, 'YYYY-MM-DD'. */
  day(): string {
    return this.calendar.dayKey(this.clock.now());
  }

  resetsAt(): number {
    return this.calendar.resetsAt(this.clock.now());
  }

  isMetered(endpoint: EndpointId): boolean {
    return this.metered.has(endpoint);
  }

  limit(endpoint: EndpointId): number {
    return this.limits.get(endpoint) ?? Number.POSITIVE_INFINITY;
  }

  /** Calls of the quota kept for 'send'. */
  reserve(endpoint: EndpointId): number {
    return Math.floor(this.limit(endpoint) * this.reserveFraction);
  }

  used(endpoint: EndpointId, day = this.day()): number {
    return this.store.quotaUsed(day)[endpoint] ?? 0;
  }

  /** Calls reserved by running jobs and not yet made. */
  reserved(endpoint: EndpointId, except?: LedgerReservation): number {
    let sum = 0;
    for (const r of this.reservations) if (r !== except) sum += r.left(endpoint);
    return sum;
  }

  admit(cost: CallCost, priority: Priority): LedgerAdmission {
    const day = this.day();
    const used = this.store.quotaUsed(day);
    const remaining = new Map<EndpointId, number>();
    for (const [endpoint, n] of Object.entries(cost) as [EndpointId, number][]) {
      if (!Number.isInteger(n) || n < 0) {
        throw new SchedulerError('E_BAD_COST', `job cost for ${endpoint} must be a whole number of calls ≥ 0, got ${n}`, SCHEDULER_ERROR_REMEDIES.E_BAD_COST);
      }
      if (!this.isMetered(endpoint) || n === 0) continue;
      const cap = this.capFor(endpoint, priority === 'send');
      const taken = (used[endpoint] ?? 0) + this.reserved(endpoint);
      if (n > cap || taken + n > cap) {
        const resumesAt = this.resetsAt();
        this.notify(endpoint, day, resumesAt, priority !== 'send' && n <= this.limit(endpoint) - taken);
        return { ok: false, reason: 'quota', resumesAt, endpoint, ...(n > cap ? { exceedsDailyLimit: true } : {}) };
      }
      remaining.set(endpoint, n);
    }
    const reservation = new LedgerReservation(this, priority, remaining);
    this.reservations.add(reservation);
    return { ok: true, reservation };
  }

  /**
   * Count one call to `endpoint` now, before it is sent, or throw
   * QuotaExhaustedError. Rules: a call inside a reservation with calls left
   * draws it down; a call beyond its reservation (a retry of an endpoint the
   * job was admitted for) may go up to the hard limit; other calls of a job
   * follow its priority; a call outside any reservation context draws from any
   * reservation holding calls of that endpoint, and otherwise may use neither
   * other jobs' reservations nor, unless its context priority is 'send', the
   * reserve.
   */
  charge(endpoint: EndpointId): void {
    if (!this.isMetered(endpoint)) return;
    const day = this.day();
    const ctx = this.context.getStore();
    const reservation = ctx?.reservation ?? this.anyReservationWith(endpoint);
    const used = this.used(endpoint, day);
    if (reservation && reservation.left(endpoint) > 0) {
      // Admission kept room for it; only another process sharing the store could have used it up.
      if (used >= this.limit(endpoint)) throw this.refusal(endpoint, day, `${used} of ${this.limit(endpoint)} calls used`);
      reservation.draw(endpoint);
    } else {
      this.assertRoom(endpoint, day, used, ctx);
    }
    this.store.addQuotaCall(day, endpoint, 1);
  }

  /** Throw QuotaExhaustedError if `charge(endpoint)` would throw now (a fast check before pacing). */
  check(endpoint: EndpointId): void {
    if (!this.isMetered(endpoint)) return;
    const ctx = this.context.getStore();
    if (((ctx?.reservation ?? this.anyReservationWith(endpoint))?.left(endpoint) ?? 0) > 0) return;
    const day = this.day();
    this.assertRoom(endpoint, day, this.used(endpoint, day), ctx);
  }

  /** Run `fn` with calls made inside it treated as `priority` (for calls outside any job, e.g. a send's listing). */
  runWithPriority<T>(priority: Priority, fn: () => T): T {
    return this.runInContext({ ...this.context.getStore(), priority }, fn);
  }

  /** Priority of the job (or `runWithPriority` block) the current call belongs to, if any. */
  currentPriority(): Priority | undefined {
    return this.context.getStore()?.priority;
  }

  runInContext<T>(ctx: CallContext, fn: () => T): T {
    return this.context.run(ctx, fn);
  }

  onExhausted(listener: (notice: ExhaustedNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  quotaState(): QuotaState {
    const now = this.clock.now();
    const day = this.calendar.dayKey(now);
    const used = this.store.quotaUsed(day);
    let exhausted = false;
    const endpoints = [...this.metered].map((endpoint) => {
      const u = used[endpoint] ?? 0;
      const limit = this.limit(endpoint);
      if (u >= limit - this.reserve(endpoint)) exhausted = true;
      return { endpoint, used: u, limit, left: Math.max(0, limit - u) };
    });
    return { day, resetsAt: this.calendar.resetsAt(now), endpoints, exhausted };
  }

  /** Called by a reservation on release. */
  forget(reservation: LedgerReservation): void {
    this.reservations.delete(reservation);
  }

  /**
   * A call made outside any reservation context (a caller that admitted a job
   * but did not run it inside `reservation.run`) draws from a reservation that
   * still holds calls of that endpoint, so used + reserved stays exact and an
   * admitted job is never refused by its own reservation.
   */
  private anyReservationWith(endpoint: EndpointId): LedgerReservation | undefined {
    for (const r of this.reservations) if (r.left(endpoint) > 0) return r;
    return undefined;
  }

  private capFor(endpoint: EndpointId, mayUseReserve: boolean): number {
    return this.limit(endpoint) - (mayUseReserve ? 0 : this.reserve(endpoint));
  }

  private assertRoom(endpoint: EndpointId, day: string, used: number, ctx: CallContext | undefined): void {
    // A retry beyond its reservation may reach the hard limit; anything else keeps off the reserve unless it is a send.
    const cap = this.capFor(endpoint, ctx?.reservation?.covers(endpoint) === true || ctx?.priority === 'send');
    const others = this.reserved(endpoint, ctx?.reservation);
    if (used + others >= cap) {
      const detail = `${used} of ${this.limit(endpoint)} calls used` + (others > 0 ? `, ${others} reserved by running jobs` : '') +
        (cap < this.limit(endpoint) ? `, ${this.reserve(endpoint)} kept for explicit sends` : '');
      throw this.refusal(endpoint, day, detail);
    }
  }

  private refusal(endpoint: EndpointId, day: string, detail: string): QuotaExhaustedError {
    const resumesAt = this.resetsAt();
    this.notify(endpoint, day, resumesAt, this.used(endpoint, day) < this.limit(endpoint));
    return new QuotaExhaustedError({ endpoint, day, resumesAt, detail });
  }

  /**
   * Feishu itself refused calls to `endpoint` for longer than pacing can
   * absorb (a 99991400 whose reset lies far ahead: the app's quota was spent
   * elsewhere). Tells the listeners and returns the error for the caller.
   */
  serverRefusal(endpoint: EndpointId, resumesAt: number): QuotaExhaustedError {
    const day = this.day();
    this.notify(endpoint, day, resumesAt, false);
    return new QuotaExhaustedError({
      endpoint,
      day,
      resumesAt,
      detail: `Feishu refuses calls until ${new Date(resumesAt).toISOString()} (the app's quota or rate is used up by another client)`,
    });
  }

  private notify(endpoint: EndpointId, day: string, resumesAt: number, reserveLeft: boolean): void {
    const key = `${day} ${endpoint} ${reserveLeft}`;
    if (this.notified.has(key)) return;
    this.notified.add(key);
    for (const listener of this.listeners) listener({ endpoint, day, resumesAt, reserveLeft });
  }
}
