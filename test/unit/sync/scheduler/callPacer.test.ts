import { describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../../../src/platform/clock.js';
import type { EndpointId } from '../../../../src/feishu/endpoints.js';
import { CallPacer } from '../../../../src/sync/scheduler/index.js';
import { drive } from './fakes.js';

/** Fire `n` calls at once and record the fake time each one is let through. */
function burst(clock: FakeClock, pacer: CallPacer, endpoint: EndpointId, n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, () => pacer.wait(endpoint).then(() => clock.now())));
}

/** Largest number of grants inside any window [t, t + windowMs] (closed, the strictest reading). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! < sorted[i]! - windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('CallPacer', () => {
  it('lets 100 queued calls through at ≥ 98% of 5/s without ever putting more than 5 in one second', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, seededRandom(1));
    const start = clock.now();
    const times = await drive(clock, burst(clock, pacer, 'listFolder', 100));

    expect(maxInWindow(times, 1000)).toBe(5);
    const elapsedS = (times[99]! - start) / 1000;
    // 100 calls span 99 intervals; at exactly 5/s that is 19.8 s.
    expect(99 / elapsedS).toBeGreaterThanOrEqual(0.98 * 5);
    expect(99 / elapsedS).toBeLessThanOrEqual(5);
  });

  it('does not burst a full bucket at start: the sixth call waits beyond the first second', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, seededRandom(1), { guardMs: 0 });
    const start = clock.now();
    const times = await drive(clock, burst(clock, pacer, 'filesUploadPart', 6));
    expect(times[0]).toBe(start);
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(maxInWindow(times, 999)).toBe(5);
  });

  it('keeps the sliding-window rule across idle gaps and late arrivals', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, seededRandom(1));
    const times: number[] = [];
    // Irregular arrivals: bursts, then a gap, then more bursts.
    for (const gap of [0, 0, 0, 50, 900, 0, 0, 0, 0, 0, 1700, 0, 0, 0, 0, 0, 0]) {
      await clock.advance(gap);
      times.push(...(await drive(clock, burst(clock, pacer, 'copy', 2))));
    }
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(5);
  });

  it('paces endpoints independently', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, seededRandom(1));
    const start = clock.now();
    const [a, b] = await drive(clock, Promise.all([burst(clock, pacer, 'filesUploadPart', 10), burst(clock, pacer, 'filesUploadFinish', 10)]));
    // Each endpoint alone takes ~1.8 s for 10 calls; sharing a limit would take ~3.8 s.
    expect(a[9]! - start).toBeLessThan(2000);
    expect(b[9]! - start).toBeLessThan(2000);
  });

  it('honours a per-endpoint rate override', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, seededRandom(1), { qpsPerEndpoint: { listFolder: 2 } });
    const times = await drive(clock, burst(clock, pacer, 'listFolder', 6));
    expect(maxInWindow(times, 1000)).toBe(2);
    expect(pacer.pace('listFolder').ceilingQps).toBe(2);
    expect(pacer.pace('copy').ceilingQps).toBe(5);
  });

  it('backs an endpoint off on 99991400 (half rate, paused) and recovers additively on successes', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, () => 0.5, { backoffBaseMs: 1000 });
    await drive(clock, burst(clock, pacer, 'filesUploadPart', 3));

    pacer.report('filesUploadPart', { rateLimited: true });
    const after = pacer.pace('filesUploadPart');
    expect(after.currentQps).toBe(2.5);
    expect(after.strikes).toBe(1);
    // Equal jitter: exp/2 + random × exp/2 = 500 + 0.5 × 500.
    expect(after.pausedUntil).toBe(clock.now() + 750);

    const reportedAt = clock.now();
    const [next] = await drive(clock, burst(clock, pacer, 'filesUploadPart', 1));
    expect(next! - reportedAt).toBeGreaterThanOrEqual(750);
    // Other endpoints are not slowed.
    expect(pacer.pace('filesUploadFinish').currentQps).toBe(5);

    for (let i = 0; i < 24; i++) pacer.report('filesUploadPart', { rateLimited: false });
    expect(pacer.pace('filesUploadPart').currentQps).toBeCloseTo(4.9, 5);
    pacer.report('filesUploadPart', { rateLimited: false });
    expect(pacer.pace('filesUploadPart')).toMatchObject({ currentQps: 5, strikes: 0 });
  });

  it('spaces calls at the reduced rate while recovering', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, () => 0, { backoffBaseMs: 0, guardMs: 0, guardStepMs: 0 });
    pacer.report('listFolder', { rateLimited: true }); // 2.5/s
    const times = await drive(clock, burst(clock, pacer, 'listFolder', 4));
    expect(times[3]! - times[0]!).toBeCloseTo(3 * 400, 0);
  });

  it('counts a burst of 99991400 from calls already in flight as one cut, and doubles the pause per episode', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, () => 0, { backoffBaseMs: 1000 });
    pacer.report('filesUploadPart', { rateLimited: true });
    pacer.report('filesUploadPart', { rateLimited: true });
    pacer.report('filesUploadPart', { rateLimited: true });
    expect(pacer.pace('filesUploadPart')).toMatchObject({ currentQps: 2.5, strikes: 1 });
    expect(pacer.pace('filesUploadPart').pausedUntil).toBe(clock.now() + 500);

    await clock.advance(1000);
    pacer.report('filesUploadPart', { rateLimited: true });
    expect(pacer.pace('filesUploadPart')).toMatchObject({ currentQps: 1.25, strikes: 2 });
    expect(pacer.pace('filesUploadPart').pausedUntil).toBe(clock.now() + 1000);
  });

  it('widens the guard of an endpoint that gets 99991400 while running at full rate, up to a bound', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, () => 0, { backoffBaseMs: 0, guardMs: 10, guardStepMs: 5, maxGuardMs: 20 });
    pacer.report('filesUploadPart', { rateLimited: true });
    expect(pacer.pace('filesUploadPart').guardMs).toBe(15);
    // Cut again while still below the ceiling: that is contention, not jitter — the guard stays.
    await clock.advance(1000);
    pacer.report('filesUploadPart', { rateLimited: true });
    expect(pacer.pace('filesUploadPart').guardMs).toBe(15);
    for (let round = 0; round < 3; round++) {
      while (pacer.pace('filesUploadPart').currentQps < 5) pacer.report('filesUploadPart', { rateLimited: false });
      await clock.advance(1000);
      pacer.report('filesUploadPart', { rateLimited: true });
    }
    expect(pacer.pace('filesUploadPart').guardMs).toBe(20);
    while (pacer.pace('filesUploadPart').currentQps < 5) pacer.report('filesUploadPart', { rateLimited: false });
    const times = await drive(clock, burst(clock, pacer, 'filesUploadPart', 3));
    expect(times[2]! - times[0]!).toBe(2 * 204);
  });

  it('never drops below the minimum rate', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, () => 0, { minQps: 0.5, backoffBaseMs: 0 });
    for (let i = 0; i < 10; i++) {
      pacer.report('move', { rateLimited: true });
      await clock.advance(1000);
    }
    expect(pacer.pace('move').currentQps).toBe(0.5);
  });

  it("honours the server's retryAfterMs even when it exceeds the backoff, including for a waiting call", async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, () => 0, { backoffBaseMs: 1000 });
    await drive(clock, burst(clock, pacer, 'listFolder', 1));
    const waiting = burst(clock, pacer, 'listFolder', 1); // due 202 ms later
    const reportedAt = clock.now();
    pacer.report('listFolder', { rateLimited: true, retryAfterMs: 5000 });
    const [t] = await drive(clock, waiting);
    expect(t! - reportedAt).toBe(5000);
  });

  it('lets a waiting call give up via its AbortSignal without letting two others through at once', async () => {
    const clock = new FakeClock();
    const pacer = new CallPacer(clock, seededRandom(1), { guardMs: 0 });
    await pacer.wait('listFolder');
    const ac = new AbortController();
    const abandoned = pacer.wait('listFolder', ac.signal);
    const others = burst(clock, pacer, 'listFolder', 2);
    ac.abort(new Error('paused'));
    await expect(abandoned).rejects.toThrow('paused');
    const times = await drive(clock, others);
    expect(times[1]! - times[0]!).toBe(200);
  });

  it('rejects nonsense options with a configuration error', () => {
    const clock = new FakeClock();
    expect(() => new CallPacer(clock, Math.random, { qps: 0 })).toThrow(/qps must be a positive number/);
    expect(() => new CallPacer(clock, Math.random, { qpsPerEndpoint: { copy: -1 } })).toThrow(/qpsPerEndpoint.copy/);
    expect(() => new CallPacer(clock, Math.random, { qpsPerEndpoint: { uploadAll: 2 } as never })).toThrow(/unknown endpoint "uploadAll"/);
  });
});
