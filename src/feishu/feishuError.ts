import type { EndpointId } from './endpoints.js';
import { errorInfo, type ErrorAction, type ErrorKind } from './errorCodes.js';

/** Every failure of a Drive call. Classification comes from the one table in errorCodes.ts. */
export class FeishuError extends Error {
  override readonly name = 'FeishuError';
  readonly code: number;
  readonly httpStatus: number;
  readonly msg: string;
  readonly logId: string | undefined;
  readonly endpoint: EndpointId;
  readonly kind: ErrorKind;
  readonly action: ErrorAction;
  readonly remedy: string;
  /** Rate-limit reset hint from response headers, in ms from now, when present. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    code: number;
    httpStatus: number;
    msg: string;
    endpoint: EndpointId;
    logId?: string;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    const info = errorInfo(init.code, init.httpStatus);
    super(
      `${init.endpoint}: Feishu error ${init.code} (HTTP ${init.httpStatus}) ${init.msg}` +
        (init.logId ? ` [log id ${init.logId}]` : '') +
        ` — ${info.remedy}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.msg = init.msg;
    this.logId = init.logId;
    this.endpoint = init.endpoint;
    this.kind = info.kind;
    this.action = info.action;
    this.remedy = info.remedy;
    this.retryAfterMs = init.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind === 'retryable' || this.kind === 'rateLimited';
  }
  get reauth(): boolean {
    return this.kind === 'reauth';
  }
  get rateLimited(): boolean {
    return this.kind === 'rateLimited';
  }
  get quotaExhausted(): boolean {
    return this.kind === 'quotaExhausted';
  }
  get fatalForFile(): boolean {
    return this.kind === 'fatalForFile';
  }
  get fatalForMapping(): boolean {
    return this.kind === 'fatalForMapping';
  }
}

export function isFeishuError(e: unknown): e is FeishuError {
  return e instanceof FeishuError;
}
