/**
 * The local file no longer matches what the plan said (it shrank, grew, or
 * vanished while being uploaded). Not a Feishu answer: nothing was sent, and
 * the engine re-scans and re-plans the file.
 */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
  readonly code = 'E_SOURCE_CHANGED' as const;
  readonly remedy = 'The file changed while it was being uploaded; FeiSync re-reads it on the next pass.';

  constructor(
    readonly path: string,
    readonly expectedBytes: number,
    readonly actualBytes: number,
    cause?: unknown,
  ) {
    super(
      `${path}: expected ${expectedBytes} bytes but found ${actualBytes} — the file changed while uploading; it will be re-planned`,
      cause === undefined ? undefined : { cause },
    );
  }
}

export function isSourceChangedError(e: unknown): e is SourceChangedError {
  return e instanceof SourceChangedError;
}
