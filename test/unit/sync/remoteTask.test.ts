import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/platform/clock.js';
import { DriveCalls } from '../../../src/sync/driveCalls.js';
import { TASK_CHECKS_AT_MOST } from '../../../src/plan/callCost.js';
import { checksWithin, DEFAULT_TASK_WAIT, waitForTask } from '../../../src/sync/remoteTask.js';
import { TestScheduler } from './fakes/testScheduler.js';

/** A clock whose sleeps pass at once (each one moves time forward), and a drive answering `answers` in turn. */
function setup(answers: string[]) {
  const clock = new FakeClock();
  const sleeps: number[] = [];
  clock.sleep = async (ms: number) => {
    sleeps.push(ms);
    await clock.advance(ms);
  };
  let checks = 0;
  const drive = { taskCheck: async () => ({ status: answers[Math.min(checks++, answers.length - 1)]! }) };
  const calls = new DriveCalls(new TestScheduler());
  const wait = { firstPauseMs: 500, maxPauseMs: 4000, budgetMs: 20_000 };
  return { deps: { drive, calls, clock, wait }, sleeps, checks: () => checks };
}

describe('waitForTask', () => {
  it('checks until "success", pausing longer each time; an unknown status means "not yet"', async () => {
    const s = setup(['process', 'queued-by-a-newer-feishu', 'process', 'process', 'success']);
    await waitForTask('t1', 'move the folder', s.deps);
    expect(s.checks()).toBe(5);
    expect(s.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it('"fail" is an E_REMOTE_TASK error at once', async () => {
    const s = setup(['process', 'fail']);
    await expect(waitForTask('t2', 'move the folder to the recycle bin', s.deps)).rejects.toMatchObject({
      code: 'E_REMOTE_TASK', message: expect.stringContaining('Feishu could not move the folder to the recycle bin (task t2 failed)'),
    });
    expect(s.checks()).toBe(2);
  });

  it('gives up after the budget with E_REMOTE_TASK (the next pass plans the change again)', async () => {
    const s = setup(['process']);
    await expect(waitForTask('t3', 'move the folder', s.deps)).rejects.toMatchObject({ code: 'E_REMOTE_TASK', message: expect.stringMatching(/within 20 s .*"process"/) });
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
    expect(s.checks()).toBe(s.sleeps.length + 1);
    expect(s.checks()).toBe(checksWithin(s.deps.wait)); // the count the plan budgets is the count made
  });

  it('the plan budgets as many task_check calls as the default wait can make', async () => {
    expect(checksWithin(DEFAULT_TASK_WAIT)).toBe(TASK_CHECKS_AT_MOST);
    const s = setup(['process']);
    await expect(waitForTask('t4', 'move the folder', { ...s.deps, wait: DEFAULT_TASK_WAIT })).rejects.toMatchObject({ code: 'E_REMOTE_TASK' });
    expect(s.checks()).toBe(TASK_CHECKS_AT_MOST);
  });
});
