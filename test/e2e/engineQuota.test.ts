import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import { e2ePerTest } from './engineHelpers.js';

const start = e2ePerTest();

describe('engine: daily API quota', () => {
  it('stops admitting work when the day is used up, says when it resumes, never gets a quota error from Feishu', async () => {
    const t = await start({
      sandbox: { limits: 'feishu', qps: 200, dailyQuota: 20 },
      settings: { limits: { ...DEFAULT_SETTINGS.limits, qps: 200, dailyQuota: 20, quotaReserve: 0.1 } },
    });
    for (let i = 0; i < 30; i++) t.write(`f${i}.txt`, `file ${i}`);
    const summary = await t.handle.engine.syncOnce();
    expect(summary.quotaExhausted).toBe(true);
    expect(summary.resumesAt).toBe(t.handle.scheduler.quotaState().resetsAt);
    expect(summary.uploaded.length).toBe(18); // 20 a day, 10% kept for explicit sends
    expect(summary.failed).toEqual([]);
    expect(t.sandbox.counters().rateLimited).toEqual({});
    expect(t.handle.engine.getState().mappings[0]!.status).toBe('waiting-quota');
    // The reserve still lets an explicit send through.
    const extra = join(t.stateDir, 'urgent.txt');
    writeFileSync(extra, 'urgent');
    const [sent] = await t.handle.engine.send([extra], { kind: 'folder', folderToken: t.sandbox.rootFolderToken });
    expect(sent).toMatchObject({ ok: true });
  });
});
