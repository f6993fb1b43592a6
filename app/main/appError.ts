/** The tray app's error: a code, a message and a remedy the user can act on (style.md habit 3). */
export type AppErrorCode =
  | 'E_INVALID_ARGUMENT' // an IPC argument failed validation
  | 'E_NOT_FOUND' // a path or mapping id that does not exist
  | 'E_CONFLICT' // e.g. a folder already synced
  | 'E_NO_ENCRYPTION' // safeStorage cannot encrypt on this machine
  | 'E_SECRET_CORRUPT' // a stored secret cannot be decrypted
  | 'E_UNAVAILABLE' // a feature needs something not wired (no account, no remote browser)
  | 'E_SYNC_STOPPED' // a pass the user asked for stopped on an engine error (its message and remedy)
  | 'E_INTERNAL';

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: AppErrorCode;
  readonly remedy: string;

  constructor(code: AppErrorCode, message: string, remedy: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.remedy = remedy;
  }
}
