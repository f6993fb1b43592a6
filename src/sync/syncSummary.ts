/** Builds the SyncSummary of a run from the plan items and their outcomes. */
import type { PlanItem } from '../plan/types.js';
import type { SyncSummary } from './engineApi.js';
import type { ItemOutcome } from './itemOutcome.js';

export function emptySummary(): SyncSummary {
  return { uploaded: [], versioned: [], moved: [], skipped: [], failed: [], unchanged: 0, callsByEndpoint: {}, quotaExhausted: false };
}

/** Count one finished item. Requeued items are not counted: a later pass reports them. */
export function addOutcome(summary: SyncSummary, item: PlanItem, outcome: ItemOutcome): void {
  switch (outcome.status) {
    case 'done': {
      const kind = outcome.activity?.kind;
      if (kind === 'uploaded') summary.uploaded.push(item.relPath);
      else if (kind === 'versioned') summary.versioned.push(item.relPath);
      else if ((kind === 'moved' || kind === 'renamed') && 'fromRelPath' in item) summary.moved.push({ from: item.fromRelPath, to: item.relPath });
      return;
    }
    case 'skipped':
      summary.skipped.push({ path: item.relPath, reason: outcome.reason });
      return;
    case 'quota':
      summary.quotaExhausted = true;
      summary.resumesAt = Math.max(summary.resumesAt ?? 0, outcome.resumesAt);
      return;
    case 'failed':
    case 'stopMapping':
    case 'stopAll':
    case 'storageFull':
      summary.failed.push({ path: item.relPath, reason: outcome.error.message, code: outcome.error.code });
      return;
    case 'requeue':
    case 'gone':
      return;
  }
}

/** What a dry run reports: the plan as if it all succeeded. */
export function addPlannedItem(summary: SyncSummary, item: PlanItem): void {
  if (item.op === 'upload') summary.uploaded.push(item.relPath);
  else if (item.op === 'uploadVersion') summary.versioned.push(item.relPath);
  else if (item.op === 'move' || item.op === 'rename') summary.moved.push({ from: item.fromRelPath, to: item.relPath });
  else if (item.op === 'skip') summary.skipped.push({ path: item.relPath, reason: skipReason(item) });
}

/** A skip item's reason as shown: the reason code, and its detail when there is one. */
export function skipReason(item: PlanItem & { op: 'skip' }): string {
  return item.detail ? `${item.reason}: ${item.detail}` : item.reason;
}

/** Files of the scan that the plan does not touch. */
export function unchangedCount(fileCount: number, items: readonly PlanItem[]): number {
  const touched = items.filter((i) => i.op === 'upload' || i.op === 'uploadVersion' || i.op === 'move' || i.op === 'rename' || i.op === 'touch' || i.op === 'skip').length;
  return Math.max(0, fileCount - touched);
}
