/**
 * Folder moves and deletes run asynchronously in Drive: the call answers a
 * `task_id`, and `task_check` tells when the task is done. Only "success" is
 * taken as done and only "fail" as failed (the two values the sandbox and the
 * docs agree on); any other answer ("process", or a value this build does not
 * know) means "not yet". Each check is a metered call, so the pauses grow,
 * and after `budgetMs` the work is given up for this pass: the index is left
 * as it was, and the next pass plans the same change again.
 */
import type { DriveApi } from '../feishu/driveApi.js';
import type { Clock } from '../platform/clock.js';
import type { DriveCalls } from './driveCalls.js';
import { SyncError } from './syncError.js';

export interface TaskWait {
  /** First pause before a check; doubles up to maxPauseMs. */
  firstPauseMs: number;
  maxPauseMs: number;
  /** Give up after this long. */
  budgetMs: number;
}

export const DEFAULT_TASK_WAIT: TaskWait = { firstPauseMs: 500, maxPauseMs: 15_000, budgetMs: 120_000 };

/** The most task_check calls waitForTask makes under `wait` (the plan counts them: TASK_CHECKS_AT_MOST). */
export function checksWithin(wait: TaskWait): number {
  let checks = 0;
  for (let at = 0, pause = wait.firstPauseMs; ; at += pause, pause = Math.min(pause * 2, wait.maxPauseMs)) {
    checks++;
    if (at + pause > wait.budgetMs) return checks;
  }
}

export async function waitForTask(
  taskId: string,
  what: string,
  deps: { drive: Pick<DriveApi, 'taskCheck'>; calls: DriveCalls; clock: Pick<Clock, 'now' | 'sleep'>; wait?: TaskWait },
  signal?: AbortSignal,
): Promise<void> {
  const wait = deps.wait ?? DEFAULT_TASK_WAIT;
  const deadline = deps.clock.now() + wait.budgetMs;
  for (let pause = wait.firstPauseMs; ; pause = Math.min(pause * 2, wait.maxPauseMs)) {
    const { status } = await deps.calls.run(() => deps.drive.taskCheck(taskId), signal);
    if (status === 'success') return;
    if (status === 'fail') throw new SyncError('E_REMOTE_TASK', `Feishu could not ${what} (task ${taskId} failed)`);
    if (deps.clock.now() + pause > deadline) {
      throw new SyncError('E_REMOTE_TASK', `Feishu did not ${what} within ${Math.round(wait.budgetMs / 1000)} s (task ${taskId}: "${status}")`);
    }
    await deps.clock.sleep(pause, signal);
  }
}
