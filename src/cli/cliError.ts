/** Exit codes of `feisync` (documented in `feisync --help`) and the CLI's own error. */
export const EXIT = {
  /** Everything done. */
  ok: 0,
  /** Some files (or the operation) failed. */
  failed: 1,
  /** Usage or configuration error: bad flag, bad path, bad config, bad credentials. */
  usage: 2,
  /** The daily API quota ran out before everything was uploaded. */
  quota: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: string;
  readonly remedy: string;
  readonly exitCode: ExitCode;
  constructor(init: { code: string; message: string; remedy: string; exitCode?: ExitCode; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.remedy = init.remedy;
    this.exitCode = init.exitCode ?? EXIT.usage;
  }
}
