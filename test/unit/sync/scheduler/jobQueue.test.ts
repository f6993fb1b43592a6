import { describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../../../src/platform/clock.js';
import { QuotaExhaustedError, SchedulerError, createScheduler, type JobQueueOptions, type QuotaOptions } from '../../../../src/sync/scheduler/index.js';
import { MemoryQuotaStore, at, drive, flush } from './fakes.js';

function setup(jobs: JobQueueOptions = {}, quota: QuotaOptions = {}) {
  const clock = new FakeClock(at('2026-01-01T03:00:00Z'));
  const store = new MemoryQuotaStore();
  const scheduler = createScheduler({ clock, random: seededRandom(3), store, jobs, quota });
  return { clock, store, scheduler };
}

/** A job whose end the test controls. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('job queue', () => {
  it("starts 'send' before 'recent' before 'backlog', and smaller backlog files first", async () => {
    const { scheduler } = setup({ concurrency: 1 });
    const order: string[] = [];
    const job = (name: string) => async () => void order.push(name);
    scheduler.pause();
    const all = [
      scheduler.run(job('backlog 300 B'), { priority: 'backlog', size: 300 }),
      scheduler.run(job('backlog 10 B'), { priority: 'backlog', size: 10 }),
      scheduler.run(job('recent'), { priority: 'recent', size: 5_000_000 }),
      scheduler.run(job('backlog folder'), { priority: 'backlog' }),
      scheduler.run(job('send'), { priority: 'send', size: 9_000_000_000 }),
      scheduler.run(job('backlog 100 B'), { priority: 'backlog', size: 100 }),
    ];
    scheduler.resume();
    await Promise.all(all);
    expect(order).toEqual(['send', 'recent', 'backlog folder', 'backlog 10 B', 'backlog 100 B', 'backlog 300 B']);
  });

  it("keeps the backlog in arrival order with backlogOrder 'fifo'", async () => {
    const { scheduler } = setup({ concurrency: 1, backlogOrder: 'fifo' });
    const order: number[] = [];
    scheduler.pause();
    const all = [300, 10, 100].map((size) => scheduler.run(async () => void order.push(size), { priority: 'backlog', size }));
    scheduler.resume();
    await Promise.all(all);
    expect(order).toEqual([300, 10, 100]);
  });

  it('runs at most `concurrency` jobs at once (default 4)', async () => {
    const { scheduler } = setup();
    let running = 0;
    let peak = 0;
    const release = gate();
    const jobs = Array.from({ length: 10 }, () =>
      scheduler.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await release.opened;
        running--;
      }, { priority: 'recent' }),
    );
    await flush();
    expect(scheduler.jobs.running).toBe(4);
    release.open();
    await Promise.all(jobs);
    expect(peak).toBe(4);
  });

  it('runs a file after its folder job, without holding a slot while it waits', async () => {
    const { scheduler } = setup({ concurrency: 1 });
    const order: string[] = [];
    const folderDone = gate();
    scheduler.pause();
    const folder = scheduler.run(async () => {
      await folderDone.opened;
      order.push('folder');
      return 'fldr-token';
    }, { priority: 'backlog' });
    const file = scheduler.run(async () => void order.push('file in folder'), { priority: 'send', after: [folder] });
    const other = scheduler.run(async () => void order.push('unrelated'), { priority: 'recent' });
    scheduler.resume();
    // 'unrelated' outranks the folder job; the waiting file must not block anything.
    await flush();
    folderDone.open();
    await Promise.all([folder, file, other]);
    expect(order).toEqual(['unrelated', 'folder', 'file in folder']);
  });

  it('does not run a job whose dependency failed, and says why', async () => {
    const { scheduler } = setup();
    let ran = false;
    const folder = scheduler.run(async () => {
      throw new Error('1061004 forbidden');
    }, { priority: 'backlog' });
    const file = scheduler.run(async () => void (ran = true), { priority: 'backlog', after: [folder], label: 'docs/a.txt' });
    await expect(folder).rejects.toThrow('forbidden');
    const error = await file.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchedulerError);
    expect(error).toMatchObject({ code: 'E_DEPENDENCY' });
    expect((error as Error).message).toContain('"docs/a.txt"');
    expect(ran).toBe(false);
  });

  it('pause lets running jobs finish and starts nothing new until resume; onIdle waits for all', async () => {
    const { scheduler } = setup({ concurrency: 2 });
    const started: number[] = [];
    const finishing = gate();
    const jobs = [1, 2, 3, 4].map((n) =>
      scheduler.run(async () => {
        started.push(n);
        await finishing.opened;
      }, { priority: 'recent' }),
    );
    await flush();
    scheduler.pause();
    expect(scheduler.isPaused).toBe(true);
    finishing.open();
    await Promise.all(jobs.slice(0, 2));
    await flush();
    expect(started).toEqual([1, 2]);
    expect(scheduler.jobs.size).toBe(2);

    let idle = false;
    void scheduler.onIdle().then(() => (idle = true));
    await flush();
    expect(idle).toBe(false);
    scheduler.resume();
    await Promise.all(jobs);
    await flush();
    expect(started).toEqual([1, 2, 3, 4]);
    expect(idle).toBe(true);
  });

  it('clear drops queued jobs (they reject with E_CANCELLED) while the running one finishes', async () => {
    const { scheduler } = setup({ concurrency: 1 });
    const finishing = gate();
    const running = scheduler.run(async () => {
      await finishing.opened;
      return 'done';
    }, { priority: 'recent' });
    const queued = scheduler.run(async () => 'never', { priority: 'recent' });
    const waitingOnDep = scheduler.run(async () => 'never', { priority: 'recent', after: [running] });
    await flush();
    scheduler.clear();
    await expect(queued).rejects.toMatchObject({ code: 'E_CANCELLED' });
    await expect(waitingOnDep).rejects.toMatchObject({ code: 'E_CANCELLED' });
    finishing.open();
    await expect(running).resolves.toBe('done');
    await scheduler.onIdle();
  });

  it("drops a queued job when the caller's signal aborts, but a running job only sees the signal", async () => {
    const { scheduler } = setup({ concurrency: 1 });
    const finishing = gate();
    const ac = new AbortController();
    let sawAbort = false;
    const running = scheduler.run(async ({ signal }) => {
      await finishing.opened;
      sawAbort = signal.aborted;
      return 'finished anyway';
    }, { priority: 'recent', signal: ac.signal });
    const queued = scheduler.run(async () => 'never', { priority: 'recent', signal: ac.signal });
    await flush();
    ac.abort(new Error('stop'));
    await expect(queued).rejects.toThrow('stop');
    finishing.open();
    await expect(running).resolves.toBe('finished anyway');
    expect(sawAbort).toBe(true);
  });

  it('admits a job with a cost only if it fits, and never starts one that cannot finish', async () => {
    const { scheduler, store, clock } = setup({}, { dailyQuota: 100, reserveFraction: 0.05 });
    store.addQuotaCall('2026-01-01', 'filesUploadPart', 60);
    let started = false;
    const big = scheduler.run(async () => void (started = true), {
      priority: 'backlog',
      cost: { filesUploadPrepare: 1, filesUploadPart: 40, filesUploadFinish: 1 },
      label: 'big.iso',
    });
    const error = await big.catch((e: unknown) => e);
    expect(started).toBe(false);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect(error).toMatchObject({ code: 'E_QUOTA', endpoint: 'filesUploadPart', resumesAt: at('2026-01-01T16:00:00Z'), exceedsDailyLimit: false });

    // The same job as an explicit send may use the reserve; its calls draw its reservation down.
    const sent = scheduler.run(async ({ reservation }) => {
      await scheduler.gate.acquire('filesUploadPrepare');
      for (let i = 0; i < 40; i++) await scheduler.gate.acquire('filesUploadPart');
      return reservation!.left('filesUploadFinish');
    }, { priority: 'send', cost: { filesUploadPrepare: 1, filesUploadPart: 40, filesUploadFinish: 1 } });
    await expect(drive(clock, sent, { stepMs: 10 })).resolves.toBe(1);
    // Released at the end: nothing stays reserved.
    expect(scheduler.budget.reserved('filesUploadFinish')).toBe(0);
    expect(store.quotaUsed('2026-01-01').filesUploadPart).toBe(100);
  });

  it('releases the reservation when the job fails', async () => {
    const { scheduler } = setup({}, { dailyQuota: 100 });
    await expect(
      scheduler.run(async () => {
        throw new Error('disk gone');
      }, { priority: 'recent', cost: { filesUploadAll: 1 } }),
    ).rejects.toThrow('disk gone');
    expect(scheduler.budget.reserved('filesUploadAll')).toBe(0);
  });

  it('releases the reservation even when the job throws before returning a promise', async () => {
    const { scheduler } = setup({}, { dailyQuota: 100 });
    const notAsync = (() => {
      throw new Error('sync bug');
    }) as unknown as () => Promise<void>;
    await expect(scheduler.run(notAsync, { priority: 'recent', cost: { filesUploadAll: 3 } })).rejects.toThrow('sync bug');
    expect(scheduler.budget.reserved('filesUploadAll')).toBe(0);
  });

  it('rejects a nonsense concurrency', () => {
    expect(() => setup({ concurrency: 0 })).toThrow(/file concurrency/);
  });
});
