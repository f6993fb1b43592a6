/** Errors of the settings file and the secret store: a code, the file, and what to do. */
export type ConfigErrorCode =
  | 'E_CONFIG_PARSE' // the file is not valid JSON
  | 'E_CONFIG_INVALID' // a key has a bad value
  | 'E_CONFIG_VERSION' // written by a newer FeiSync
  | 'E_CONFIG_IO' // cannot be read / written
  | 'E_SECRET_STORE' // neither the keychain nor the fallback file works
  | 'E_MAPPING'; // a mapping cannot be added / changed (see message)

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly remedy: string;
  /** The file concerned, when there is one. */
  readonly path: string | undefined;

  constructor(init: { code: ConfigErrorCode; message: string; remedy: string; path?: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.remedy = init.remedy;
    this.path = init.path;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}
