/**
 * The shape of the core's own errors: a stable code, the cause, and a
 * one-line remedy a user can act on, which also ends the message. Each layer
 * keeps one subclass with its own code list (IndexError, ScanError,
 * SchedulerError, SyncError).
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly remedy: string;

  constructor(code: Code, message: string, remedy: string, options?: { cause?: unknown }) {
    super(`${message} — ${remedy}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.remedy = remedy;
  }
}
