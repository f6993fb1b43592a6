import { describe, expect, it } from 'vitest';
import { errorReport } from '../../../src/cli/errorReport.js';
import { ZH_CORE_REMEDIES } from '../../../src/i18n/coreRemedies.js';
import { localizeRemedy } from '../../../src/i18n/localizeRemedy.js';
import { IndexError, INDEX_ERROR_REMEDIES } from '../../../src/index/indexError.js';
import { FakeClock, seededRandom } from '../../../src/platform/clock.js';
import { SCAN_ERROR_REMEDIES } from '../../../src/scan/scanError.js';
import { createScheduler, QuotaExhaustedError, type SchedulerError } from '../../../src/sync/scheduler/index.js';
import { configError, SCHEDULER_ERROR_REMEDIES } from '../../../src/sync/scheduler/schedulerError.js';
import { INTERNAL_ERROR_REMEDY, SYNC_ERROR_REMEDIES, toErrorInfo } from '../../../src/sync/syncError.js';
import { at, MemoryQuotaStore } from '../sync/scheduler/fakes.js';

/** Every English remedy of FeiSync's own codes, by code. */
const english: Record<string, string> = {
  ...SCAN_ERROR_REMEDIES,
  ...INDEX_ERROR_REMEDIES,
  ...SYNC_ERROR_REMEDIES,
  ...SCHEDULER_ERROR_REMEDIES,
  E_INTERNAL: INTERNAL_ERROR_REMEDY,
};

/** What a translation must keep as it is: commands, environment variables, API names, file names. */
const verbatim = (text: string) => [...text.matchAll(/`[^`]+`|\b[A-Z]+(?:_[A-Z]+)+\b|\b[a-z]+(?:_[a-z]+)+\b|\.[a-z]+ignore\b/g)].map((m) => m[0]).sort();

describe("FeiSync's own remedies in Chinese", () => {
  it('has a line for every code of the scan, index, sync and scheduler records and E_INTERNAL, and no other', () => {
    expect(Object.keys(ZH_CORE_REMEDIES).sort()).toEqual(Object.keys(english).sort());
    for (const [code, remedy] of Object.entries(english)) {
      const zh = ZH_CORE_REMEDIES[code];
      expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, code).toMatch(/。$/);
      expect(verbatim(zh!), code).toEqual(verbatim(remedy));
    }
  });

  it('replaces the English line of a code for zh-CN only', () => {
    const remedy = SCAN_ERROR_REMEDIES.E_SCAN_ROOT_MISSING;
    expect(localizeRemedy('E_SCAN_ROOT_MISSING', remedy, 'zh-CN')).toBe('请重新连接磁盘，或修正该映射的本地文件夹；本次没有安排任何同步操作。');
    expect(localizeRemedy('E_SCAN_ROOT_MISSING', remedy, 'en')).toBe(remedy);
    expect(localizeRemedy('E_NO_SUCH_CODE', 'Do this.', 'zh-CN')).toBe('Do this.');
  });

  it('keeps a remedy written for one case, which the line of its code would contradict', () => {
    const tooBig = new QuotaExhaustedError({ endpoint: 'filesUploadPart', resumesAt: 0, day: '2026-01-01', detail: 'x', exceedsDailyLimit: true });
    expect(localizeRemedy(tooBig.code, tooBig.remedy, 'zh-CN')).toBe(tooBig.remedy);
  });

  it('translates what the engine reports for an uncoded failure and what the CLI reports for a thrown core error', () => {
    const internal = toErrorInfo(new Error('boom'), 1);
    expect(localizeRemedy(internal.code, internal.remedy, 'zh-CN')).toBe(ZH_CORE_REMEDIES.E_INTERNAL);
    const report = errorReport(new IndexError('E_INDEX_NEWER', 'index.sqlite has schema 9'), undefined, 'zh-CN');
    expect(report).toMatchObject({ code: 'E_INDEX_NEWER', remedy: ZH_CORE_REMEDIES.E_INDEX_NEWER });
  });

  it('matches the remedies the scheduler throws (or they would stay English)', async () => {
    const scheduler = createScheduler({ clock: new FakeClock(at('2026-01-01T03:00:00Z')), random: seededRandom(1), store: new MemoryQuotaStore(), jobs: { concurrency: 1 } });
    scheduler.pause();
    const queued = scheduler.run(async () => 'never', { priority: 'recent' });
    scheduler.clear();
    const cancelled = (await queued.catch((e: unknown) => e)) as SchedulerError;
    scheduler.resume();
    const failing = scheduler.run(async () => Promise.reject(new Error('forbidden')), { priority: 'recent' });
    const dependent = scheduler.run(async () => 'never', { priority: 'recent', after: [failing] });
    await expect(failing).rejects.toThrow('forbidden');
    const dependency = (await dependent.catch((e: unknown) => e)) as SchedulerError;
    let badCost: SchedulerError | undefined;
    try {
      scheduler.budget.admit({ filesUploadPart: Number.NaN }, 'recent');
    } catch (e) {
      badCost = e as SchedulerError;
    }
    const thrown = [dependency, cancelled, badCost!, configError('x')];
    expect(thrown.map((e) => e.code)).toEqual(['E_DEPENDENCY', 'E_CANCELLED', 'E_BAD_COST', 'E_SCHEDULER_CONFIG']);
    for (const e of thrown) {
      expect(e.remedy, e.code).toBe(SCHEDULER_ERROR_REMEDIES[e.code]);
    }
  });
});
