import { describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../../../src/platform/clock.js';
import { DEFAULT_SETTINGS } from '../../../../src/config/settings.js';
import { QuotaExhaustedError, createScheduler, schedulerOptionsFromLimits } from '../../../../src/sync/scheduler/index.js';
import { MemoryQuotaStore, at, drive } from './fakes.js';

function setup() {
  const clock = new FakeClock(at('2026-01-01T03:00:00Z'));
  const store = new MemoryQuotaStore();
  const scheduler = createScheduler({ clock, random: () => 0, store, pacing: { backoffBaseMs: 1000 } });
  return { clock, store, scheduler };
}

const okResponse = { httpStatus: 200, code: 0, durationMs: 12, headers: {} };

describe('scheduler as the Drive client hook', () => {
  it('paces and counts every request in beforeRequest', async () => {
    const { scheduler, store, clock } = setup();
    const sent: number[] = [];
    const requests = Array.from({ length: 7 }, () => Promise.resolve(scheduler.hook.beforeRequest!('createFolder')).then(() => sent.push(clock.now())));
    await drive(clock, Promise.all(requests));
    expect(store.quotaUsed('2026-01-01').createFolder).toBe(7);
    expect(sent[5]! - sent[0]!).toBeGreaterThanOrEqual(1000);
  });

  it("stops waiting at the gate when the call's own signal aborts (pause / stop)", async () => {
    const { scheduler, store } = setup();
    await scheduler.hook.beforeRequest!('filesUploadPart');
    const ac = new AbortController();
    const waiting = Promise.resolve(scheduler.hook.beforeRequest!('filesUploadPart', ac.signal));
    ac.abort(new Error('paused by the user'));
    await expect(waiting).rejects.toThrow('paused by the user');
    expect(store.quotaUsed('2026-01-01').filesUploadPart).toBe(1);
  });

  it('backs the endpoint off on a 99991400 answer, honouring x-ogw-ratelimit-reset', async () => {
    const { scheduler, clock } = setup();
    await scheduler.hook.beforeRequest!('filesUploadPart');
    scheduler.hook.afterResponse!({ ...okResponse, endpoint: 'filesUploadPart', httpStatus: 400, code: 99991400, headers: { 'X-Ogw-Ratelimit-Reset': '3' } });
    expect(scheduler.pace('filesUploadPart')).toMatchObject({ currentQps: 2.5, pausedUntil: clock.now() + 3000 });
    const start = clock.now();
    await drive(clock, Promise.resolve(scheduler.hook.beforeRequest!('filesUploadPart')));
    expect(clock.now() - start).toBe(3000);

    scheduler.hook.afterResponse!({ ...okResponse, endpoint: 'filesUploadPart' });
    expect(scheduler.pace('filesUploadPart').currentQps).toBeCloseTo(2.6, 5);
    // A business error is not a rate signal: it counts as a non-rate-limited answer.
    scheduler.hook.afterResponse!({ ...okResponse, endpoint: 'filesUploadPart', httpStatus: 400, code: 1062008 });
    expect(scheduler.pace('filesUploadPart').currentQps).toBeCloseTo(2.7, 5);
  });

  it('does not sit out a server pause of hours inside acquire: it fails with E_QUOTA and says when calls resume', async () => {
    const { scheduler, clock } = setup();
    const notices: unknown[] = [];
    scheduler.onExhausted((n) => notices.push(n));
    // Another client spent the app's quota: Feishu answers 99991400 with a reset hours away.
    scheduler.hook.afterResponse!({ ...okResponse, endpoint: 'filesUploadAll', httpStatus: 400, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '7200' } });
    const error = await Promise.resolve(scheduler.hook.beforeRequest!('filesUploadAll')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect(error).toMatchObject({ code: 'E_QUOTA', endpoint: 'filesUploadAll', resumesAt: clock.now() + 7_200_000 });
    expect(notices).toEqual([{ endpoint: 'filesUploadAll', day: '2026-01-01', resumesAt: clock.now() + 7_200_000, reserveLeft: false }]);
    // Short pauses are still waited out.
    await clock.advance(7_200_000);
    await drive(clock, Promise.resolve(scheduler.hook.beforeRequest!('filesUploadAll')));
  });

  it('turns away calls already waiting at the gate when a pause of hours arrives', async () => {
    const { scheduler, clock, store } = setup();
    await scheduler.gate.acquire('filesUploadAll');
    const waiting = [scheduler.gate.acquire('filesUploadAll'), scheduler.gate.acquire('filesUploadAll')].map((p) => p.catch((e: unknown) => e));
    scheduler.gate.report('filesUploadAll', { rateLimited: true, retryAfterMs: 3_600_000 });
    for (const outcome of await Promise.all(waiting)) {
      expect(outcome).toBeInstanceOf(QuotaExhaustedError);
      expect(outcome).toMatchObject({ resumesAt: clock.now() + 3_600_000 });
    }
    expect(store.quotaUsed('2026-01-01').filesUploadAll).toBe(1);
  });

  it('refuses in beforeRequest once the quota is used up, so the client never sends', async () => {
    const { scheduler, store } = setup();
    store.addQuotaCall('2026-01-01', 'delete', 10_000);
    await expect(Promise.resolve(scheduler.hook.beforeRequest!('delete'))).rejects.toBeInstanceOf(QuotaExhaustedError);
    expect(store.quotaUsed('2026-01-01').delete).toBe(10_000);
  });

  it('retries through the shared gate: a rate-limited retry slows the endpoint for everyone', async () => {
    const { scheduler, clock } = setup();
    const { FeishuError } = await import('../../../../src/feishu/feishuError.js');
    let attempts = 0;
    const result = scheduler.withRetry(async () => {
      attempts++;
      if (attempts === 1) throw new FeishuError({ code: 99991400, httpStatus: 400, msg: 'limit', endpoint: 'copy' });
      return 'copied';
    });
    await expect(drive(clock, result)).resolves.toBe('copied');
    expect(scheduler.pace('copy').strikes).toBe(1);
  });

  it('takes its limits from the settings schema', () => {
    const options = schedulerOptionsFromLimits({ ...DEFAULT_SETTINGS.limits, bandwidthBytesPerSec: 123, fileConcurrency: 2, quotaTimeZone: 'Europe/Berlin' });
    const scheduler = createScheduler({ clock: new FakeClock(at('2026-01-01T22:59:00Z')), random: seededRandom(1), store: new MemoryQuotaStore(), ...options });
    expect(scheduler.bandwidth.bytesPerSec).toBe(123);
    expect(scheduler.budget.day()).toBe('2026-01-01');
    expect(scheduler.budget.resetsAt()).toBe(at('2026-01-01T23:00:00Z'));
    expect(scheduler.budget.reserve('filesUploadAll')).toBe(DEFAULT_SETTINGS.limits.dailyQuota * DEFAULT_SETTINGS.limits.quotaReserve);
    expect(scheduler.nextAttemptAt(1, 0)).toBe(60_000);
  });
});

describe('pacing line priorities', () => {
  it("lets a waiting call of an explicit send overtake backlog calls waiting for the same endpoint", async () => {
    const { scheduler, clock } = setup();
    const order: string[] = [];
    const call = (name: string, priority: 'send' | 'backlog') =>
      scheduler.withPriority(priority, () => scheduler.gate.acquire('filesUploadPart')).then(() => order.push(name));
    const all = [call('b1', 'backlog'), call('b2', 'backlog'), call('b3', 'backlog'), call('s1', 'send'), call('b4', 'backlog')];
    await drive(clock, Promise.all(all));
    // b1 went at once; s1 overtook the backlog calls still waiting.
    expect(order).toEqual(['b1', 's1', 'b2', 'b3', 'b4']);
  });
});
