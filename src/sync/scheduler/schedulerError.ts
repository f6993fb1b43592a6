/**
 * Failures the scheduler raises itself. Each carries a stable code and a
 * one-line remedy, like FeishuError and SyncError in the layers around it.
 */
import type { EndpointId } from '../../feishu/endpoints.js';
import { CodedError } from '../../platform/codedError.js';

export type SchedulerErrorCode =
  /** Today's call quota of an endpoint is used up; nothing more is sent before `resumesAt`. */
  | 'E_QUOTA'
  /** A queued job was dropped by `clear()` before it started. */
  | 'E_CANCELLED'
  /** A job did not run because a job it depends on (e.g. its folder) failed. */
  | 'E_DEPENDENCY'
  /** Bad scheduler options. */
  | 'E_SCHEDULER_CONFIG'
  /** A job's declared API cost is not a whole number of calls ≥ 0 (a planner bug). */
  | 'E_BAD_COST';

/**
 * What to do about each code, in English (the log's language);
 * src/i18n/coreRemedies.ts has the Chinese. The E_QUOTA line is the one a
 * mapping shows while it waits for the reset; QuotaExhaustedError says more
 * (the reset time, or that waiting will not help), so it keeps its own lines.
 */
export const SCHEDULER_ERROR_REMEDIES: Readonly<Record<SchedulerErrorCode, string>> = {
  E_QUOTA: 'FeiSync continues by itself when the daily API quota resets.',
  E_CANCELLED: 'It is scheduled again at the next sync.',
  E_DEPENDENCY: 'Fix the failure of the job it waits for (usually its folder); it is retried at the next sync.',
  E_SCHEDULER_CONFIG: 'Fix the value in the limits settings (see `feisync config`).',
  E_BAD_COST: 'This is a FeiSync bug: report it with the log.',
};

export class SchedulerError extends CodedError<SchedulerErrorCode> {
  override readonly name: string = 'SchedulerError';

  constructor(code: SchedulerErrorCode, message: string, remedy: string, cause?: unknown) {
    super(code, message, remedy, { cause });
  }
}

/**
 * The daily call quota of `endpoint` does not allow this call or job. Thrown by
 * `CallGate.acquire` (never sends past the hard limit) and by the job queue
 * when a job's whole cost does not fit in what is left today.
 */
export class QuotaExhaustedError extends SchedulerError {
  override readonly name = 'QuotaExhaustedError';
  readonly endpoint: EndpointId;
  /** Epoch ms when the quota resets (next 00:00 in the quota zone). */
  readonly resumesAt: number;
  /** The quota day, 'YYYY-MM-DD'. */
  readonly day: string;
  /** True when the job needs more calls than a whole day allows: waiting will not help. */
  readonly exceedsDailyLimit: boolean;

  constructor(init: { endpoint: EndpointId; resumesAt: number; day: string; detail: string; exceedsDailyLimit?: boolean }) {
    const remedy = init.exceedsDailyLimit
      ? 'The job needs more API calls than one day allows: raise the daily quota in the settings or split the work.'
      : `FeiSync resumes when the quota resets at ${new Date(init.resumesAt).toISOString()}; explicit sends may still use the reserve.`;
    super('E_QUOTA', `daily API quota of ${init.endpoint} for ${init.day}: ${init.detail}`, remedy);
    this.endpoint = init.endpoint;
    this.resumesAt = init.resumesAt;
    this.day = init.day;
    this.exceedsDailyLimit = init.exceedsDailyLimit ?? false;
  }
}

export function isQuotaExhaustedError(e: unknown): e is QuotaExhaustedError {
  return e instanceof QuotaExhaustedError;
}

/** Throws a configuration error when `ids` names an endpoint FeiSync does not know. */
export function assertKnownEndpoints(setting: string, ids: Iterable<string>, known: readonly string[]): void {
  for (const id of ids) {
    if (!known.includes(id)) throw configError(`${setting} names an unknown endpoint "${id}" (known: ${known.join(', ')})`);
  }
}

export function configError(message: string): SchedulerError {
  return new SchedulerError('E_SCHEDULER_CONFIG', message, SCHEDULER_ERROR_REMEDIES.E_SCHEDULER_CONFIG);
}
