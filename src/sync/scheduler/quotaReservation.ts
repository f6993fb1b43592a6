/**
 * A job's admitted share of today's budget. Calls made inside `run(fn)` are
 * drawn from it (the context travels with the async call chain); `release()`
 * gives back what was not used.
 */
import type { EndpointId } from '../../feishu/endpoints.js';
import type { Priority, Reservation } from '../schedulerApi.js';

/** The ledger side a reservation talks to. */
export interface ReservationOwner {
  runInContext<T>(ctx: CallContext, fn: () => T): T;
  forget(reservation: LedgerReservation): void;
}

/** What travels with an async call chain: the job's reservation and priority. */
export interface CallContext {
  reservation?: LedgerReservation;
  priority?: Priority;
}

/** Calls reserved per endpoint for one job, drawn down as the job makes them. */
export class LedgerReservation implements Reservation {
  private released = false;
  private readonly covered: ReadonlySet<EndpointId>;

  constructor(
    private readonly owner: ReservationOwner,
    readonly priority: Priority,
    private readonly remaining: Map<EndpointId, number>,
  ) {
    this.covered = new Set(remaining.keys());
  }

  /** The job's admitted cost included `endpoint` (so extra calls to it are retries). */
  covers(endpoint: EndpointId): boolean {
    return this.covered.has(endpoint);
  }

  /** Calls still reserved for `endpoint`. */
  left(endpoint: EndpointId): number {
    return this.released ? 0 : (this.remaining.get(endpoint) ?? 0);
  }

  /** Run `fn` so that every call it makes (through the gate) is drawn from this reservation. */
  run<T>(fn: () => T): T {
    return this.owner.runInContext({ reservation: this, priority: this.priority }, fn);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.remaining.clear();
    this.owner.forget(this);
  }

  /** Take one call from the reservation; false when none is left for `endpoint`. */
  draw(endpoint: EndpointId): boolean {
    const left = this.left(endpoint);
    if (left <= 0) return false;
    this.remaining.set(endpoint, left - 1);
    return true;
  }
}
