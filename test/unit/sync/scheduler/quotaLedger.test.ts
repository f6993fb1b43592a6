import { describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../../../src/platform/clock.js';
import { METERED_ENDPOINTS } from '../../../../src/feishu/endpoints.js';
import { DEFAULT_DAILY_QUOTA } from '../../../../src/feishu/limits.js';
import { QuotaExhaustedError, createScheduler, type QuotaOptions } from '../../../../src/sync/scheduler/index.js';
import { MemoryQuotaStore, at, drive } from './fakes.js';

/** 300 blocks of 4 MB: a 1.2 GB file. */
const BIG_UPLOAD = { filesUploadPrepare: 1, filesUploadPart: 300, filesUploadFinish: 1 };

function setup(start = '2026-01-01T03:00:00Z', quota: QuotaOptions = {}) {
  const clock = new FakeClock(at(start));
  const store = new MemoryQuotaStore();
  const scheduler = createScheduler({ clock, random: seededRandom(7), store, quota });
  return { clock, store, scheduler, ledger: scheduler.budget, gate: scheduler.gate };
}

describe('daily quota ledger', () => {
  it('counts a call before it is sent: a crash right after acquire leaves it counted', async () => {
    const { store, gate, clock } = setup();
    await gate.acquire('filesUploadAll');
    // The process "dies" here, before any HTTP request; a new scheduler on the same store sees the call.
    const reborn = createScheduler({ clock, random: seededRandom(1), store });
    expect(store.quotaUsed('2026-01-01').filesUploadAll).toBe(1);
    expect(reborn.quotaState().endpoints.find((e) => e.endpoint === 'filesUploadAll')).toMatchObject({ used: 1, left: DEFAULT_DAILY_QUOTA - 1 });
  });

  it('does not meter the auth endpoints', async () => {
    const { store, gate } = setup();
    await gate.acquire('tenantToken');
    expect(store.quotaUsed('2026-01-01')).toEqual({});
    expect(METERED_ENDPOINTS).not.toContain('tenantToken');
  });

  it('refuses a 300-block upload with 200 calls left and says it resumes at the next Shanghai midnight', () => {
    const { store, ledger } = setup('2026-01-01T03:00:00Z');
    store.addQuotaCall('2026-01-01', 'filesUploadPart', DEFAULT_DAILY_QUOTA - 200);
    for (const priority of ['send', 'recent', 'backlog'] as const) {
      const admission = ledger.admit(BIG_UPLOAD, priority);
      expect(admission).toEqual({ ok: false, reason: 'quota', endpoint: 'filesUploadPart', resumesAt: at('2026-01-01T16:00:00Z') });
    }
    // A 150-block file still fits for an explicit send.
    expect(ledger.admit({ ...BIG_UPLOAD, filesUploadPart: 150 }, 'send').ok).toBe(true);
  });

  it('flags a job that could never fit in one day', () => {
    const { ledger } = setup();
    const admission = ledger.admit({ filesUploadPart: DEFAULT_DAILY_QUOTA + 1 }, 'send');
    expect(admission).toMatchObject({ ok: false, exceedsDailyLimit: true });
  });

  it('keeps the 5% reserve for explicit sends', async () => {
    const { store, ledger, gate, scheduler, clock } = setup();
    store.addQuotaCall('2026-01-01', 'filesUploadAll', DEFAULT_DAILY_QUOTA * 0.95);
    expect(ledger.admit({ filesUploadAll: 1 }, 'backlog').ok).toBe(false);
    expect(ledger.admit({ filesUploadAll: 1 }, 'recent').ok).toBe(false);
    const send = ledger.admit({ filesUploadAll: 1 }, 'send');
    expect(send.ok).toBe(true);
    if (send.ok) send.reservation.release();

    // Calls outside any job keep off the reserve unless they are marked as a send.
    await expect(gate.acquire('filesUploadAll')).rejects.toBeInstanceOf(QuotaExhaustedError);
    await drive(clock, scheduler.withPriority('send', () => gate.acquire('filesUploadAll')));
    expect(store.quotaUsed('2026-01-01').filesUploadAll).toBe(DEFAULT_DAILY_QUOTA * 0.95 + 1);
    expect(scheduler.quotaState().exhausted).toBe(true);
  });

  it('does not over-admit concurrent jobs: reservations count until released', () => {
    const { ledger } = setup('2026-01-01T03:00:00Z', { dailyQuota: 1000, reserveFraction: 0 });
    const first = ledger.admit({ filesUploadPart: 600 }, 'backlog');
    expect(first.ok).toBe(true);
    expect(ledger.admit({ filesUploadPart: 600 }, 'backlog')).toMatchObject({ ok: false, endpoint: 'filesUploadPart' });
    expect(ledger.admit({ filesUploadPart: 400 }, 'backlog').ok).toBe(true);
    expect(ledger.admit({ filesUploadPart: 1 }, 'send').ok).toBe(false);
    if (first.ok) first.reservation.release();
    expect(ledger.admit({ filesUploadPart: 600 }, 'backlog').ok).toBe(true);
  });

  it('draws calls made under a reservation from it, and release returns only the unused part', async () => {
    const { ledger, gate, clock, store } = setup('2026-01-01T03:00:00Z', { dailyQuota: 100, reserveFraction: 0 });
    const admission = ledger.admit({ filesUploadPart: 10 }, 'backlog');
    if (!admission.ok) throw new Error('not admitted');
    const r = admission.reservation;
    await drive(clock, r.run(async () => {
      for (let i = 0; i < 4; i++) await gate.acquire('filesUploadPart');
    }));
    expect(r.left('filesUploadPart')).toBe(6);
    expect(ledger.reserved('filesUploadPart')).toBe(6);
    expect(store.quotaUsed('2026-01-01').filesUploadPart).toBe(4);
    // 4 used + 6 reserved: 90 remain for others.
    expect(ledger.admit({ filesUploadPart: 91 }, 'backlog').ok).toBe(false);
    r.release();
    expect(ledger.reserved('filesUploadPart')).toBe(0);
    expect(ledger.admit({ filesUploadPart: 96 }, 'backlog').ok).toBe(true);
  });

  it('draws from the job\'s reservation even when the caller did not run inside it', async () => {
    const { ledger, gate, clock } = setup('2026-01-01T03:00:00Z', { dailyQuota: 10, reserveFraction: 0 });
    const admission = ledger.admit({ filesUploadPart: 10 }, 'backlog');
    expect(admission.ok).toBe(true);
    // All 10 calls are reserved; an admitted job must not be refused by its own reservation.
    await drive(clock, (async () => {
      for (let i = 0; i < 10; i++) await gate.acquire('filesUploadPart');
    })());
    expect(ledger.reserved('filesUploadPart')).toBe(0);
    await expect(gate.acquire('filesUploadPart')).rejects.toBeInstanceOf(QuotaExhaustedError);
  });

  it('lets a retry beyond the reservation reach the hard limit but never pass it', async () => {
    const { ledger, gate, clock, store } = setup('2026-01-01T03:00:00Z', { dailyQuota: 20 });
    store.addQuotaCall('2026-01-01', 'filesUploadFinish', 17);
    const admission = ledger.admit({ filesUploadFinish: 1 }, 'send');
    if (!admission.ok) throw new Error('not admitted');
    const calls = admission.reservation.run(async () => {
      await gate.acquire('filesUploadFinish'); // reserved
      await gate.acquire('filesUploadFinish'); // retry: 19
      await gate.acquire('filesUploadFinish'); // retry: 20 = limit
      await gate.acquire('filesUploadFinish'); // would be 21
    });
    const error = await drive(clock, calls).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect(error).toMatchObject({ code: 'E_QUOTA', endpoint: 'filesUploadFinish', resumesAt: at('2026-01-01T16:00:00Z') });
    expect(store.quotaUsed('2026-01-01').filesUploadFinish).toBe(20);
  });

  it('lets a background job retry into the reserve only for endpoints it was admitted for', async () => {
    const { ledger, gate, clock, store } = setup('2026-01-01T03:00:00Z', { dailyQuota: 100 }); // reserve 5
    store.addQuotaCall('2026-01-01', 'filesUploadPart', 94);
    store.addQuotaCall('2026-01-01', 'listFolder', 95);
    const admission = ledger.admit({ filesUploadPart: 1 }, 'backlog');
    if (!admission.ok) throw new Error('not admitted');
    const outcome = await drive(clock, admission.reservation.run(async () => {
      await gate.acquire('filesUploadPart'); // 95, reserved
      await gate.acquire('filesUploadPart'); // 96: a retry, may use the reserve
      return gate.acquire('listFolder').then(() => 'sent', (e: unknown) => e); // not part of the job's cost: keeps off the reserve
    }));
    expect(outcome).toBeInstanceOf(QuotaExhaustedError);
    expect(store.quotaUsed('2026-01-01')).toEqual({ filesUploadPart: 96, listFolder: 95 });
  });

  it('throws QuotaExhaustedError at the hard limit without counting, even for calls that were already waiting', async () => {
    const { store, gate, clock } = setup('2026-01-01T03:00:00Z', { dailyQuota: 3, reserveFraction: 0 });
    const waits = Array.from({ length: 5 }, () => gate.acquire('copy').then(() => 'sent', (e: unknown) => e));
    const outcomes = await drive(clock, Promise.all(waits));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(3);
    for (const o of outcomes.filter((o) => o !== 'sent')) expect(o).toBeInstanceOf(QuotaExhaustedError);
    expect(store.quotaUsed('2026-01-01').copy).toBe(3);
  });

  it('rolls the day over at 00:00 Asia/Shanghai (16:00 UTC)', async () => {
    const { store, gate, clock, scheduler } = setup('2026-01-01T15:59:00Z', { dailyQuota: 1, reserveFraction: 0 });
    await gate.acquire('move');
    await expect(gate.acquire('move')).rejects.toMatchObject({ code: 'E_QUOTA', resumesAt: at('2026-01-01T16:00:00Z') });
    expect(scheduler.quotaState()).toMatchObject({ day: '2026-01-01', exhausted: true });
    await clock.advance(60_000);
    await gate.acquire('move');
    expect(store.quotaUsed('2026-01-02').move).toBe(1);
    expect(scheduler.quotaState()).toMatchObject({ day: '2026-01-02', resetsAt: at('2026-01-02T16:00:00Z') });
  });

  it('rolls the day over at midnight of another configured zone', async () => {
    const { store, gate, clock, ledger } = setup('2026-07-01T03:59:00Z', { dailyQuota: 1, reserveFraction: 0, timeZone: 'America/New_York' });
    expect(ledger.day()).toBe('2026-06-30');
    expect(ledger.resetsAt()).toBe(at('2026-07-01T04:00:00Z'));
    await gate.acquire('delete');
    await expect(gate.acquire('delete')).rejects.toBeInstanceOf(QuotaExhaustedError);
    await clock.advance(60_000);
    await gate.acquire('delete');
    expect(store.quotaUsed('2026-07-01').delete).toBe(1);
  });

  it('reports the quota picture for the engine and tells once per day when work is refused', async () => {
    const { store, scheduler, ledger } = setup('2026-01-01T03:00:00Z', { dailyQuotaPerEndpoint: { filesUploadAll: 50 } });
    const notices: unknown[] = [];
    scheduler.onExhausted((n) => notices.push(n));
    store.addQuotaCall('2026-01-01', 'filesUploadAll', 48);
    const state = scheduler.quotaState();
    expect(state.endpoints).toHaveLength(METERED_ENDPOINTS.length);
    expect(state.endpoints.find((e) => e.endpoint === 'filesUploadAll')).toEqual({ endpoint: 'filesUploadAll', used: 48, limit: 50, left: 2 });
    expect(state.exhausted).toBe(true); // 48 ≥ 50 − reserve(2): background uploads are blocked

    ledger.admit({ filesUploadAll: 1 }, 'backlog');
    ledger.admit({ filesUploadAll: 1 }, 'backlog');
    expect(notices).toEqual([{ endpoint: 'filesUploadAll', day: '2026-01-01', resumesAt: at('2026-01-01T16:00:00Z'), reserveLeft: true }]);
  });

  it('rejects a job cost that is not a whole number of calls', () => {
    const { ledger } = setup();
    expect(() => ledger.admit({ filesUploadPart: Number.NaN }, 'recent')).toThrow(/E_BAD_COST|whole number of calls/);
    expect(() => ledger.admit({ filesUploadPart: -1 }, 'recent')).toThrow(/whole number of calls/);
    expect(ledger.reserved('filesUploadPart')).toBe(0);
  });

  it('rejects bad quota settings', () => {
    expect(() => setup(undefined, { reserveFraction: 1 })).toThrow(/quota reserve/);
    expect(() => setup(undefined, { dailyQuota: -5 })).toThrow(/daily quota/);
    expect(() => setup(undefined, { timeZone: 'Nowhere/Land' })).toThrow(/unknown quota time zone/);
    expect(() => setup(undefined, { dailyQuotaPerEndpoint: { upload: 5 } as never })).toThrow(/unknown endpoint "upload"/);
  });
});

describe('daily quota ledger on the SQLite index', () => {
  it('persists counts across restarts, so a new process starts from what was already spent', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openIndex } = await import('../../../../src/index/openIndex.js');
    const dir = mkdtempSync(join(tmpdir(), 'feisync-ledger-'));
    try {
      const clock = new FakeClock(at('2026-01-01T03:00:00Z'));
      const first = openIndex(join(dir, 'index.db'), { clock });
      const a = createScheduler({ clock, random: seededRandom(1), store: first, quota: { dailyQuota: 2, reserveFraction: 0 } });
      await a.gate.acquire('createFolder');
      first.close();

      const second = openIndex(join(dir, 'index.db'), { clock });
      const b = createScheduler({ clock, random: seededRandom(1), store: second, quota: { dailyQuota: 2, reserveFraction: 0 } });
      expect(b.quotaState().endpoints.find((e) => e.endpoint === 'createFolder')).toMatchObject({ used: 1, left: 1 });
      await clock.advance(1000);
      await b.gate.acquire('createFolder');
      await expect(b.gate.acquire('createFolder')).rejects.toBeInstanceOf(QuotaExhaustedError);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
