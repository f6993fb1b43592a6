/**
 * Failures the sync engine raises itself (as opposed to FeishuError, which
 * reports what Drive answered). Each has a stable code and a one-line remedy,
 * and converts to the EngineErrorInfo the CLI and the app render.
 */
import { isFeishuError } from '../feishu/feishuError.js';
import { isSourceChangedError } from '../feishu/sourceChangedError.js';
import { CodedError } from '../platform/codedError.js';
import type { EngineErrorInfo } from './engineApi.js';

export type SyncErrorCode =
  /** The local file changed while it was being uploaded: the result is superseded. */
  | 'E_SOURCE_CHANGED'
  /** The local file disappeared before or during the upload. */
  | 'E_LOCAL_MISSING'
  /** The local file could not be read. */
  | 'E_LOCAL_UNREADABLE'
  /** The file is still being written (size/mtime not yet stable). */
  | 'E_NOT_SETTLED'
  /** A chunked upload kept failing in a way a restart did not fix. */
  | 'E_UPLOAD_GAVE_UP'
  /** The work was cancelled (pause / stop). */
  | 'E_ABORTED'
  /** An unknown mapping id was given. */
  | 'E_UNKNOWN_MAPPING'
  /** A path given to send() is outside every rule we can handle. */
  | 'E_BAD_INPUT'
  /** Feishu did not finish moving or deleting a folder (its task failed or kept running). */
  | 'E_REMOTE_TASK';

/** What to do about each code, in English (the log's language); src/i18n/coreRemedies.ts has the Chinese. */
export const SYNC_ERROR_REMEDIES: Readonly<Record<SyncErrorCode, string>> = {
  E_SOURCE_CHANGED: 'The file changed while uploading; FeiSync uploads the new content once it settles.',
  E_LOCAL_MISSING: 'The file was removed or renamed before it could be uploaded; nothing to do.',
  E_LOCAL_UNREADABLE: 'FeiSync cannot read the file: check its permissions.',
  E_NOT_SETTLED: 'The file is still being written; FeiSync uploads it once it stops changing.',
  E_UPLOAD_GAVE_UP: 'The upload failed repeatedly; FeiSync retries it later (see `feisync status`).',
  E_ABORTED: 'Sync was paused or stopped; it continues from where it left off.',
  E_UNKNOWN_MAPPING: 'No such folder mapping: list them with `feisync status`.',
  E_BAD_INPUT: 'Check the path: it must be an existing file or folder.',
  E_REMOTE_TASK: 'Feishu did not finish moving or deleting the folder; FeiSync tries again at the next sync.',
};

/** The remedy of E_INTERNAL: a failure no layer gave a code to. */
export const INTERNAL_ERROR_REMEDY = 'Unexpected failure: please report it with the log.';

export class SyncError extends CodedError<SyncErrorCode> {
  override readonly name = 'SyncError';
  readonly relPath: string | undefined;

  constructor(code: SyncErrorCode, message: string, options: { relPath?: string; cause?: unknown } = {}) {
    super(code, message, SYNC_ERROR_REMEDIES[code], options);
    this.relPath = options.relPath;
  }
}

export function isSyncError(e: unknown, code?: SyncErrorCode): e is SyncError {
  return e instanceof SyncError && (code === undefined || e.code === code);
}

/** The local file changed under an upload (ours, the client's, or Drive's 1062009 size mismatch). */
export function isSourceChanged(e: unknown): boolean {
  return isSyncError(e, 'E_SOURCE_CHANGED') || isSourceChangedError(e) || (isFeishuError(e) && e.action === 'replan');
}

/** True when the failure is a cancellation (AbortSignal) rather than a real error. */
export function isAbort(e: unknown): boolean {
  if (isSyncError(e, 'E_ABORTED')) return true;
  return e instanceof Error && (e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR');
}

/**
 * A coded error's message ends with " — <remedy>" (so a log line says both);
 * an EngineErrorInfo carries the remedy on its own, and every surface shows
 * the two side by side — in the user's language for the remedy — so the
 * message leaves it out.
 */
function withoutOwnRemedy(message: string, remedy: string): string {
  const suffix = ` — ${remedy}`;
  return message.endsWith(suffix) ? message.slice(0, -suffix.length) : message;
}

/** Render any failure for the event stream / summary. */
export function toErrorInfo(e: unknown, at: number, relPath?: string): EngineErrorInfo {
  if (isFeishuError(e)) {
    return { code: e.code, message: withoutOwnRemedy(e.message, e.remedy), remedy: e.remedy, logId: e.logId, relPath, at };
  }
  if (e instanceof SyncError) {
    return { code: e.code, message: withoutOwnRemedy(e.message, e.remedy), remedy: e.remedy, relPath: relPath ?? e.relPath, at };
  }
  const message = e instanceof Error ? e.message : String(e);
  // Other layers' typed errors (ScanError, SchedulerError, IndexError) carry a code and a remedy too.
  const coded = e as { code?: unknown; remedy?: unknown } | null;
  if (typeof coded?.code === 'string' && typeof coded.remedy === 'string') {
    return { code: coded.code, message: withoutOwnRemedy(message, coded.remedy), remedy: coded.remedy, relPath, at };
  }
  const errno = (e as { code?: unknown } | null)?.code;
  if (errno === 'ENOENT') return { code: 'E_LOCAL_MISSING', message, remedy: SYNC_ERROR_REMEDIES.E_LOCAL_MISSING, relPath, at };
  if (errno === 'EACCES' || errno === 'EPERM') {
    return { code: 'E_LOCAL_UNREADABLE', message, remedy: SYNC_ERROR_REMEDIES.E_LOCAL_UNREADABLE, relPath, at };
  }
  return { code: 'E_INTERNAL', message, remedy: INTERNAL_ERROR_REMEDY, relPath, at };
}
