/**
 * What became of one plan item, and how a failure is classified into one.
 * The engine turns outcomes into the summary, mapping status and events.
 */
import { isFeishuError } from '../feishu/feishuError.js';
import type { ActivityRecord } from '../index/types.js';
import type { EngineErrorInfo } from './engineApi.js';
import { isAbort, isSourceChanged, isSyncError, toErrorInfo } from './syncError.js';

export type ItemOutcome =
  /** Done; `activity` when something remote happened (or the file was skipped). */
  | { status: 'done'; activity?: ActivityRecord }
  | { status: 'skipped'; reason: string; activity?: ActivityRecord }
  /** The file changed or is still being written: scan and plan it again later. */
  | { status: 'requeue'; reason: string }
  /** The local file vanished before it could go; the next scan forgets/trashes it. */
  | { status: 'gone' }
  | { status: 'failed'; error: EngineErrorInfo }
  /** The whole mapping cannot continue until the user acts. */
  | { status: 'stopMapping'; error: EngineErrorInfo }
  /** Every mapping must stop (bad credentials, tenant storage full). */
  | { status: 'stopAll'; error: EngineErrorInfo }
  /** Today's API quota is used up: the item waits for the reset. */
  | { status: 'quota'; resumesAt: number; error: EngineErrorInfo }
  /** Drive storage is full: pause the mapping (or all) until the user frees space. */
  | { status: 'storageFull'; scope: 'mapping' | 'all'; error: EngineErrorInfo };

/** Classify a failure of an item (after the per-call retries were used up). */
export function outcomeOfFailure(e: unknown, at: number, relPath: string, quotaResumesAt: (e: unknown) => number | undefined): ItemOutcome {
  if (isAbort(e)) throw e;
  const resumesAt = quotaResumesAt(e);
  if (resumesAt !== undefined) return { status: 'quota', resumesAt, error: toErrorInfo(e, at, relPath) };
  if (isSourceChanged(e) || isSyncError(e, 'E_NOT_SETTLED')) {
    return { status: 'requeue', reason: e instanceof Error ? e.message : String(e) };
  }
  if (isSyncError(e, 'E_LOCAL_MISSING')) return { status: 'gone' };
  const error = toErrorInfo(e, at, relPath);
  if (isFeishuError(e)) {
    if (e.quotaExhausted) return { status: 'storageFull', scope: e.action === 'stopAll' ? 'all' : 'mapping', error };
    if (e.fatalForMapping) return e.action === 'stopAll' ? { status: 'stopAll', error } : { status: 'stopMapping', error };
    if (e.fatalForFile && e.action === 'skipFile') return { status: 'skipped', reason: `remote-rejected: ${e.remedy}` };
  }
  return { status: 'failed', error };
}
