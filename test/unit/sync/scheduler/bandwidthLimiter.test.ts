import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/platform/clock.js';
import { BandwidthLimiter } from '../../../../src/sync/scheduler/index.js';
import { drive, flush } from './fakes.js';

const CHUNK = 64 * 1024;

/** Send chunks for `ms` of fake time; returns the bytes let through. */
async function pump(clock: FakeClock, limiter: BandwidthLimiter, ms: number): Promise<number> {
  const end = clock.now() + ms;
  let sent = 0;
  let stop = false;
  const sender = (async () => {
    while (!stop) {
      await limiter.take(CHUNK);
      if (clock.now() >= end) break;
      sent += CHUNK;
    }
  })();
  await drive(clock, new Promise<void>((resolve) => {
    const check = () => (clock.now() >= end ? resolve() : setImmediate(check));
    check();
  }), { stepMs: 5 });
  stop = true;
  await drive(clock, sender, { stepMs: 5 });
  return sent;
}

describe('BandwidthLimiter', () => {
  it('holds uploads to the configured bytes per second', async () => {
    const clock = new FakeClock();
    const limiter = new BandwidthLimiter(clock, { bytesPerSec: 1024 * 1024 });
    const sent = await pump(clock, limiter, 10_000);
    // 10 MiB in 10 s, plus at most the 250 ms burst and one chunk.
    expect(sent).toBeGreaterThanOrEqual(10 * 1024 * 1024 - CHUNK);
    expect(sent).toBeLessThanOrEqual(10.25 * 1024 * 1024 + CHUNK);
  });

  it('is unlimited at 0 and can change the rate at runtime, re-timing waiting chunks', async () => {
    const clock = new FakeClock();
    const limiter = new BandwidthLimiter(clock, { bytesPerSec: 0 });
    for (let i = 0; i < 100; i++) await limiter.take(CHUNK);

    limiter.setRate(CHUNK); // one chunk per second
    await limiter.take(CHUNK); // an idle limiter lets the first chunk go at once
    let done = false;
    const waiting = limiter.take(CHUNK).then(() => (done = true));
    await clock.advance(100);
    await flush();
    expect(done).toBe(false);
    limiter.setRate(0);
    await flush();
    await waiting;
    expect(done).toBe(true);

    limiter.setRate(2 * 1024 * 1024);
    const sent = await pump(clock, limiter, 5_000);
    expect(sent / 5).toBeGreaterThan(1.9 * 1024 * 1024);
    expect(sent / 5).toBeLessThan(2.2 * 1024 * 1024);
  });

  it('aborts a wait cleanly: the aborted chunk rejects and the next one takes its turn', async () => {
    const clock = new FakeClock();
    const limiter = new BandwidthLimiter(clock, { bytesPerSec: 1000, burstMs: 0 });
    await limiter.take(1000); // pays one second
    const ac = new AbortController();
    const abandoned = limiter.take(1000, ac.signal);
    const next = limiter.take(1000);
    ac.abort(new Error('paused'));
    await expect(abandoned).rejects.toThrow('paused');
    const start = clock.now();
    await drive(clock, next);
    expect(clock.now() - start).toBe(1000);
    await expect(limiter.take(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('re-prices bytes already let through when the rate changes', async () => {
    const clock = new FakeClock();
    const limiter = new BandwidthLimiter(clock, { bytesPerSec: 1000, burstMs: 0 });
    await limiter.take(1000); // owes 1 s at 1000 B/s
    limiter.setRate(4000); // the same 1000 bytes cost 250 ms at the new rate
    const start = clock.now();
    await drive(clock, limiter.take(1));
    expect(clock.now() - start).toBe(250);
  });

  it('rejects a negative rate or byte count', async () => {
    const clock = new FakeClock();
    expect(() => new BandwidthLimiter(clock, { bytesPerSec: -1 })).toThrow(/bandwidth must be/);
    await expect(new BandwidthLimiter(clock).take(-3)).rejects.toThrow(/byte count/);
  });
});
