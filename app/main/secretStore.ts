/**
 * The app secret and the OAuth refresh token, encrypted with Electron's
 * safeStorage (OS keychain / DPAPI / libsecret) and kept as base64 in a small
 * store, one entry per app id (a secret never serves another app). Never plaintext on disk, never in a log or an error message.
 * `safeStorage` is injected so this is tested with a fake.
 */
import { AppError } from './appError.js';

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

/** Where the ciphertext lives (an electron-store file in the app). */
export interface SecretBackend {
  get(key: string): unknown;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export type SecretName = 'appSecret' | 'refreshToken';

export interface SecretStoreOptions {
  /** Accept Linux's 'basic_text' backend (obfuscation, not encryption). Default false. */
  allowWeakBackend?: boolean;
}

const PREFIX = 'secrets.';

/** One entry per secret and app id (a dot would nest in electron-store's dot notation). */
function key(name: SecretName, appId: string): string {
  return `${PREFIX}${name}:${encodeURIComponent(appId).replace(/\./g, '%2E')}`;
}

export class SecretStore {
  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly backend: SecretBackend,
    private readonly options: SecretStoreOptions = {},
  ) {}

  has(name: SecretName, appId: string): boolean {
    return typeof this.backend.get(key(name, appId)) === 'string';
  }

  get(name: SecretName, appId: string): string | undefined {
    const stored = this.backend.get(key(name, appId));
    if (stored === undefined) return undefined;
    this.assertUsable();
    if (typeof stored !== 'string') throw corrupt(name);
    try {
      return this.safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch (cause) {
      throw corrupt(name, cause);
    }
  }

  set(name: SecretName, appId: string, value: string): void {
    if (value.length === 0) throw new AppError('E_INVALID_ARGUMENT', `The ${label(name)} is empty.`, `Paste the ${label(name)} again.`);
    this.assertUsable();
    this.backend.set(key(name, appId), this.safeStorage.encryptString(value).toString('base64'));
  }

  delete(name: SecretName, appId: string): void {
    this.backend.delete(key(name, appId));
  }

  private assertUsable(): void {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new AppError(
        'E_NO_ENCRYPTION',
        'This system offers no way to encrypt secrets, so FeiSync will not store the app secret.',
        'Unlock or install the OS keychain (GNOME Keyring or KWallet on Linux), then try again.',
      );
    }
    const backend = this.safeStorage.getSelectedStorageBackend?.();
    if (backend === 'basic_text' && !this.options.allowWeakBackend) {
      throw new AppError(
        'E_NO_ENCRYPTION',
        'No keyring is running, so secrets could only be obfuscated, not encrypted.',
        'Start GNOME Keyring or KWallet and restart FeiSync (or launch it with --password-store=gnome-libsecret).',
      );
    }
  }
}

function label(name: SecretName): string {
  return name === 'appSecret' ? 'app secret' : 'refresh token';
}

function corrupt(name: SecretName, cause?: unknown): AppError {
  // The cause is kept for the log but holds no secret material (only the decrypt failure).
  return new AppError('E_SECRET_CORRUPT', `The stored ${label(name)} cannot be decrypted (the keychain changed?).`, `Enter the ${label(name)} again on the Account page.`, cause);
}
