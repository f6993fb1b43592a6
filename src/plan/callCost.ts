/**
 * What each plan operation costs in API calls, per endpoint. The numbers come
 * from limits.ts (upload_all up to 20 MB, else prepare + one part per 4 MB
 * block + finish) and the shared protocol page (no rename call: copy + delete).
 */
import type { EndpointId } from '../feishu/endpoints.js';
import { blockCount, UPLOAD_ALL_MAX_BYTES } from '../feishu/limits.js';
import type { CallCost } from './types.js';

export function uploadCost(size: number): CallCost {
  if (size <= UPLOAD_ALL_MAX_BYTES) return { filesUploadAll: 1 };
  return { filesUploadPrepare: 1, filesUploadPart: blockCount(size), filesUploadFinish: 1 };
}

export const CREATE_FOLDER_COST: CallCost = { createFolder: 1 };
export const MOVE_COST: CallCost = { move: 1 };
/** Server-side copy under the new name (and folder), then the old one to the recycle bin. */
export const RENAME_COST: CallCost = { copy: 1, delete: 1 };
export const TRASH_COST: CallCost = { delete: 1 };
export const NO_COST: CallCost = {};

export function sumCosts(costs: Iterable<CallCost>): CallCost {
  const total: CallCost = {};
  for (const cost of costs) {
    // for…in, not Object.entries: no array per cost (a plan can hold 100,000 items)
    for (const endpoint in cost) total[endpoint as EndpointId] = (total[endpoint as EndpointId] ?? 0) + cost[endpoint as EndpointId]!;
  }
  return total;
}

/** All calls of a cost, whatever the endpoint. */
export function totalCalls(cost: CallCost): number {
  return Object.values(cost).reduce((a, b) => a + (b ?? 0), 0);
}
