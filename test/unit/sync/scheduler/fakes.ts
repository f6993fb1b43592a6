/**
 * Test doubles for the scheduler specs: an in-memory quota store (the same
 * two methods the SQLite IndexStore has) and a driver that moves a FakeClock
 * forward until a promise settles.
 */
import type { EndpointId } from '../../../../src/feishu/endpoints.js';
import type { FakeClock } from '../../../../src/platform/clock.js';
import type { QuotaStore } from '../../../../src/sync/scheduler/index.js';

export class MemoryQuotaStore implements QuotaStore {
  readonly days = new Map<string, Partial<Record<EndpointId, number>>>();

  addQuotaCall(day: string, endpoint: EndpointId, n = 1): void {
    const counts = this.days.get(day) ?? {};
    counts[endpoint] = (counts[endpoint] ?? 0) + n;
    this.days.set(day, counts);
  }

  quotaUsed(day: string): Partial<Record<EndpointId, number>> {
    return { ...this.days.get(day) };
  }
}

/** Let every pending microtask and I/O callback run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Advance `clock` in `stepMs` steps until `promise` settles (or `maxMs` of
 * fake time passed); returns its outcome without ever sleeping for real.
 */
export async function drive<T>(clock: FakeClock, promise: Promise<T>, options: { stepMs?: number; maxMs?: number } = {}): Promise<T> {
  const stepMs = options.stepMs ?? 1;
  const maxMs = options.maxMs ?? 3_600_000;
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  const start = clock.now();
  await flush();
  while (!settled) {
    if (clock.now() - start > maxMs) throw new Error(`still pending after ${maxMs} ms of fake time`);
    await clock.advance(stepMs);
    await flush();
  }
  return promise;
}

/** Instant (epoch ms) of an ISO date-time. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test date ${iso}`);
  return ms;
}
