/**
 * What each plan operation costs in API calls, per endpoint. The numbers come
 * from limits.ts (upload_all up to 20 MB, else prepare + one part per 4 MB
 * block + finish) and the shared protocol page (no rename call: copy + delete).
 */
import type { EndpointId } from '../feishu/endpoints.js';
import { blockCount, UPLOAD_ALL_MAX_BYTES } from '../feishu/limits.js';
import type { CallCost } from './types.js';

/** Shared by every file up to 20 MB, like the constant costs below: costs are read, never changed. */
const UPLOAD_ALL_COST: CallCost = { filesUploadAll: 1 };

export function uploadCost(size: number): CallCost {
  if (size <= UPLOAD_ALL_MAX_BYTES) return UPLOAD_ALL_COST;
  return { filesUploadPrepare: 1, filesUploadPart: blockCount(size), filesUploadFinish: 1 };
}

export const CREATE_FOLDER_COST: CallCost = { createFolder: 1 };
export const MOVE_COST: CallCost = { move: 1 };
/**
 * A folder moved or sent to the recycle bin is a task in Drive, checked with
 * task_check until done: at most this many checks within the engine's wait
 * (sync/remoteTask.ts, DEFAULT_TASK_WAIT; a test keeps the two equal). Counted
 * in full, so the quota holds for every check; the unused ones go back.
 */
export const TASK_CHECKS_AT_MOST = 12;
export const FOLDER_MOVE_COST: CallCost = { move: 1, taskCheck: TASK_CHECKS_AT_MOST };
export const FOLDER_TRASH_COST: CallCost = { delete: 1, taskCheck: TASK_CHECKS_AT_MOST };
/** Server-side copy under the new name (and folder), then the old one to the recycle bin. */
export const RENAME_COST: CallCost = { copy: 1, delete: 1 };
export const TRASH_COST: CallCost = { delete: 1 };
export const NO_COST: CallCost = {};

/** The calls of all these items together, per endpoint. */
export function sumCosts(items: readonly { cost: CallCost }[]): CallCost {
  const total: CallCost = {};
  // Items mostly share their cost object (every small upload, every folder): one run of the same object is added once.
  let run: CallCost | undefined;
  let times = 0;
  for (let i = 0; i < items.length; i++) {
    const cost = items[i]!.cost;
    if (cost === run) times++;
    else {
      if (run) addCost(total, run, times);
      run = cost;
      times = 1;
    }
  }
  if (run) addCost(total, run, times);
  return total;
}

function addCost(total: CallCost, cost: CallCost, times: number): void {
  // for…in, not Object.entries: no array per cost
  for (const endpoint in cost) total[endpoint as EndpointId] = (total[endpoint as EndpointId] ?? 0) + cost[endpoint as EndpointId]! * times;
}

/** All calls of a cost, whatever the endpoint. */
export function totalCalls(cost: CallCost): number {
  return Object.values(cost).reduce((a, b) => a + (b ?? 0), 0);
}
