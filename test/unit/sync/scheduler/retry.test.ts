import { describe, expect, it } from 'vitest';
import { FakeClock, type Clock } from '../../../../src/platform/clock.js';
import { FeishuError } from '../../../../src/feishu/feishuError.js';
import { LOCAL_ERROR_CODES } from '../../../../src/feishu/errorCodes.js';
import type { EndpointId } from '../../../../src/feishu/endpoints.js';
import { FailureBackoff, QuotaExhaustedError, backoffDelayMs, isRetryableError, withRetry } from '../../../../src/sync/scheduler/index.js';
import { drive } from './fakes.js';

function feishu(code: number, httpStatus: number, extra: { retryAfterMs?: number; endpoint?: EndpointId } = {}) {
  return new FeishuError({ code, httpStatus, msg: 'test', endpoint: extra.endpoint ?? 'filesUploadPart', retryAfterMs: extra.retryAfterMs });
}

/** A FakeClock that remembers every sleep it was asked for. */
class RecordingClock extends FakeClock implements Clock {
  readonly sleeps: number[] = [];
  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return super.sleep(ms, signal);
  }
}

/** A function failing with `errors` in turn, then answering 'ok'. */
function failing(...errors: unknown[]) {
  const calls = { count: 0 };
  const fn = async () => {
    const e = errors[calls.count++];
    if (e !== undefined) throw e;
    return 'ok';
  };
  return { fn, calls };
}

describe('withRetry', () => {
  it('retries retryable Feishu errors with exponential backoff and full jitter, capped', async () => {
    const clock = new RecordingClock();
    const { fn, calls } = failing(feishu(1061045, 200), feishu(1061001, 200), feishu(1061006, 200), feishu(1061045, 200), feishu(1061045, 200));
    const result = drive(clock, withRetry(fn, { clock, random: () => 0.5 }, { maxAttempts: 6, baseMs: 1000, capMs: 5000 }));
    await expect(result).resolves.toBe('ok');
    expect(calls.count).toBe(6);
    // random 0.5 × min(cap, base × 2^(n−1)): 500, 1000, 2000, 2500 (cap 5000), 2500
    expect(clock.sleeps).toEqual([500, 1000, 2000, 2500, 2500]);
  });

  it('draws the delay uniformly between 0 and the ceiling', () => {
    expect(backoffDelayMs(3, 100, 10_000, () => 0)).toBe(0);
    expect(backoffDelayMs(3, 100, 10_000, () => 0.999)).toBe(399);
    expect(backoffDelayMs(30, 100, 10_000, () => 0.999)).toBe(9990);
  });

  it('does not retry errors that are not retryable (params error, re-auth, quota)', async () => {
    const clock = new RecordingClock();
    for (const error of [feishu(1061002, 400), feishu(99991663, 401), new QuotaExhaustedError({ endpoint: 'copy', day: '2026-01-01', resumesAt: 0, detail: 'x' }), new Error('bug')]) {
      const { fn, calls } = failing(error);
      await expect(withRetry(fn, { clock, random: () => 0.5 })).rejects.toBe(error);
      expect(calls.count).toBe(1);
    }
    expect(clock.sleeps).toEqual([]);
  });

  it('retries network failures (a raw ECONNRESET or a FeishuError for one)', async () => {
    const clock = new RecordingClock();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const wrapped = new Error('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const { fn, calls } = failing(reset, wrapped, feishu(LOCAL_ERROR_CODES.network, 0));
    await expect(drive(clock, withRetry(fn, { clock, random: () => 0 }))).resolves.toBe('ok');
    expect(calls.count).toBe(4);
    expect(isRetryableError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
  });

  it('gives up after maxAttempts and propagates the last error', async () => {
    const clock = new RecordingClock();
    const last = feishu(1061001, 200);
    const { fn, calls } = failing(feishu(1061045, 200), feishu(1061045, 200), last, feishu(1061045, 200));
    await expect(drive(clock, withRetry(fn, { clock, random: () => 0 }, { maxAttempts: 3 }))).rejects.toBe(last);
    expect(calls.count).toBe(3);
  });

  it('waits at least retryAfterMs after a 99991400 and reports it to the gate', async () => {
    const clock = new RecordingClock();
    const reports: unknown[] = [];
    const gate = { report: (endpoint: EndpointId, outcome: unknown) => void reports.push({ endpoint, outcome }) };
    const { fn } = failing(feishu(99991400, 400, { retryAfterMs: 4000, endpoint: 'listFolder' }));
    await expect(drive(clock, withRetry(fn, { clock, random: () => 0.5 }, { baseMs: 500, gate }))).resolves.toBe('ok');
    expect(clock.sleeps).toEqual([4000]);
    expect(reports).toEqual([{ endpoint: 'listFolder', outcome: { rateLimited: true, retryAfterMs: 4000 } }]);
  });

  it('propagates a 99991400 at once when its reset lies beyond the backoff cap (a spent quota)', async () => {
    const clock = new RecordingClock();
    const reports: unknown[] = [];
    const gate = { report: (endpoint: EndpointId, outcome: unknown) => void reports.push({ endpoint, outcome }) };
    const limited = feishu(99991400, 400, { retryAfterMs: 3_600_000 });
    const { fn, calls } = failing(limited);
    await expect(withRetry(fn, { clock, random: () => 0.5 }, { capMs: 30_000, gate })).rejects.toBe(limited);
    expect(calls.count).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(reports).toHaveLength(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = new RecordingClock();
    const ac = new AbortController();
    const { fn, calls } = failing(feishu(1061045, 200), feishu(1061045, 200));
    const run = withRetry(fn, { clock, random: () => 0.5 }, { signal: ac.signal });
    await new Promise((r) => setImmediate(r));
    ac.abort(new Error('paused'));
    await expect(run).rejects.toThrow('paused');
    expect(calls.count).toBe(1);
  });

  it('uses a custom predicate when given', async () => {
    const clock = new RecordingClock();
    const { fn, calls } = failing(new Error('flaky'));
    await expect(drive(clock, withRetry(fn, { clock, random: () => 0 }, { isRetryable: (e) => (e as Error).message === 'flaky' }))).resolves.toBe('ok');
    expect(calls.count).toBe(2);
  });
});

describe('FailureBackoff', () => {
  it('waits 1 min after the first failure, doubling per consecutive failure, capped at 6 h', () => {
    const backoff = new FailureBackoff();
    const now = Date.UTC(2026, 0, 1);
    expect(backoff.nextAttemptAt(0, now)).toBe(now);
    expect(backoff.delayMs(1)).toBe(60_000);
    expect(backoff.delayMs(2)).toBe(120_000);
    expect(backoff.delayMs(5)).toBe(16 * 60_000);
    expect(backoff.delayMs(9)).toBe(256 * 60_000);
    expect(backoff.delayMs(10)).toBe(6 * 3600_000);
    expect(backoff.delayMs(10_000)).toBe(6 * 3600_000);
    expect(backoff.nextAttemptAt(3, now)).toBe(now + 4 * 60_000);
  });

  it('takes other bounds and rejects inverted ones', () => {
    expect(new FailureBackoff({ baseMs: 1000, capMs: 3000 }).delayMs(4)).toBe(3000);
    expect(() => new FailureBackoff({ baseMs: 10, capMs: 5 })).toThrow(/failure backoff/);
  });
});
