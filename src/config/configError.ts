/** Errors of the settings file and the secret store: a code, the file, and what to do. */
import { translator, type MessageKey, type MessageParams } from '../i18n/index.js';
export type ConfigErrorCode =
  | 'E_CONFIG_PARSE' // the file is not valid JSON
  | 'E_CONFIG_INVALID' // a key has a bad value
  | 'E_CONFIG_VERSION' // written by a newer FeiSync
  | 'E_CONFIG_IO' // cannot be read / written
  | 'E_SECRET_STORE' // neither the keychain nor the fallback file works
  | 'E_MAPPING'; // a mapping cannot be added / changed (see message)

/** Message and remedy by i18n key, so each surface (CLI, tray) can show them in the user's language. */
export interface LocalizedText {
  key: MessageKey;
  remedyKey: MessageKey;
  params: MessageParams;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly remedy: string;
  /** The file concerned, when there is one. */
  readonly path: string | undefined;
  /** Present when the text comes from the message tables (message/remedy are its English form). */
  readonly localized: LocalizedText | undefined;

  constructor(init: { code: ConfigErrorCode; message: string; remedy: string; path?: string; cause?: unknown; localized?: LocalizedText }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.remedy = init.remedy;
    this.path = init.path;
    this.localized = init.localized;
  }

  /** An error whose text is in src/i18n (English in `message`, any language through `localized`). */
  static of(code: ConfigErrorCode, localized: LocalizedText, extra: { path?: string; cause?: unknown } = {}): ConfigError {
    const en = translator('en');
    return new ConfigError({ code, message: en(localized.key, localized.params), remedy: en(localized.remedyKey, localized.params), localized, ...extra });
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}
