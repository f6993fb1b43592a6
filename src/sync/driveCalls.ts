/**
 * How the engine calls Drive: every call goes through the scheduler's retry
 * policy, retrying only what the error table says is worth the same call
 * again. Calls that create something (a folder, a new file) are not
 * idempotent: after an ambiguous failure (the connection dropped, a 5xx — the
 * server may have done the work) they look for the result before trying again,
 * so a flaky network never leaves duplicates in Drive.
 */
import type { EndpointId } from '../feishu/endpoints.js';
import { LOCAL_ERROR_CODES } from '../feishu/errorCodes.js';
import { isFeishuError } from '../feishu/feishuError.js';
import type { EngineScheduler } from './engineScheduler.js';

const TRANSIENT_ERRNOS = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

function errnoOf(e: unknown): string | undefined {
  const own = (e as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

/**
 * Upload-protocol remedies the chunked uploader carries out itself, and the
 * calls whose answer asks for them: 1061021 (expired upload id) from a part or
 * the finish restarts the whole upload; 1062010 (blocks missing) from the
 * finish resends the missing blocks. From any other call the remedy comes
 * down to sending that one call again: upload_all and upload_prepare ARE the
 * restart, and a part answered "missing" is simply sent again.
 */
const UPLOAD_REMEDY_CALLS: Partial<Record<string, ReadonlySet<EndpointId>>> = {
  restartUpload: new Set<EndpointId>(['filesUploadPart', 'filesUploadFinish', 'mediasUploadPart', 'mediasUploadFinish']),
  resendMissingBlocks: new Set<EndpointId>(['filesUploadFinish', 'mediasUploadFinish']),
};

/** The same call may simply be sent again (transient, throttled). */
export function isRetryableCall(e: unknown): boolean {
  // 1061022 (version conflict) is transient: the same version upload is sent again.
  // 1062008 (checksum): the client re-reads the bytes for every attempt, so sending again is the fix.
  if (isFeishuError(e)) {
    if (e.rateLimited) return true;
    if (e.kind !== 'retryable') return false;
    if (['retry', 'uploadAsNew', 'resendBlock'].includes(e.action)) return true;
    const handledBy = UPLOAD_REMEDY_CALLS[e.action];
    return handledBy !== undefined && !handledBy.has(e.endpoint);
  }
  const errno = errnoOf(e);
  return errno !== undefined && TRANSIENT_ERRNOS.has(errno);
}

/** The server may or may not have carried the call out. */
export function isAmbiguousFailure(e: unknown): boolean {
  if (isFeishuError(e)) {
    return (
      e.code === LOCAL_ERROR_CODES.network ||
      e.code === LOCAL_ERROR_CODES.badResponse ||
      e.code === LOCAL_ERROR_CODES.serverError ||
      e.httpStatus >= 500
    );
  }
  const errno = errnoOf(e);
  return errno !== undefined && TRANSIENT_ERRNOS.has(errno);
}

export class DriveCalls {
  constructor(private readonly scheduler: EngineScheduler) {}

  /** One call with the retry policy. */
  run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.scheduler.withRetry(call, { signal, shouldRetry: isRetryableCall });
  }

  /**
   * A creating call: after an ambiguous failure, `findExisting` is asked
   * before the next attempt, and its answer is used when it finds the result.
   */
  runCreate<T>(create: () => Promise<T>, findExisting: () => Promise<T | undefined>, signal?: AbortSignal): Promise<T> {
    let ambiguous = false;
    return this.scheduler.withRetry(
      async () => {
        if (ambiguous) {
          const found = await findExisting();
          if (found !== undefined) return found;
        }
        try {
          return await create();
        } catch (e) {
          if (isAmbiguousFailure(e)) ambiguous = true;
          throw e;
        }
      },
      { signal, shouldRetry: isRetryableCall },
    );
  }
}
