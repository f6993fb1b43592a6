import { describe, expect, it } from 'vitest';
import { AppError } from '../../../app/main/appError.js';
import { SecretStore, type SafeStorageLike, type SecretBackend } from '../../../app/main/secretStore.js';

/** A reversible "encryption" that is visibly not the plaintext. */
function fakeSafeStorage(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (s) => Buffer.from(`enc:${[...Buffer.from(s, 'utf8')].map((b) => b ^ 0x5a).join(',')}`),
    decryptString: (b) => {
      const text = b.toString();
      if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(text.slice(4).split(',').map((n) => Number(n) ^ 0x5a)).toString('utf8');
    },
    getSelectedStorageBackend: () => 'gnome_libsecret',
    ...overrides,
  };
}
function memoryBackend(): SecretBackend & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k) };
}
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return undefined;
}

describe('SecretStore (safeStorage)', () => {
  it('round-trips a secret, storing only base64 ciphertext', () => {
    const backend = memoryBackend();
    const store = new SecretStore(fakeSafeStorage(), backend);
    store.set('appSecret', 'cli_a1', 's3cr3t-飞书');
    const raw = backend.data.get('secrets.appSecret:cli_a1') as string;
    expect(raw).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(raw, 'base64').toString()).not.toContain('s3cr3t');
    expect(store.get('appSecret', 'cli_a1')).toBe('s3cr3t-飞书');
    expect(store.has('appSecret', 'cli_a1')).toBe(true);
    expect(store.has('refreshToken', 'cli_a1')).toBe(false);
  });

  it('keeps one secret per app id: a secret never serves another app', () => {
    const backend = memoryBackend();
    const store = new SecretStore(fakeSafeStorage(), backend);
    store.set('appSecret', 'cli_a', 'for-a');
    store.set('appSecret', 'my.app', 'for-dotted');
    expect(store.get('appSecret', 'cli_b')).toBeUndefined();
    expect(store.get('appSecret', 'cli_a')).toBe('for-a');
    expect(store.get('appSecret', 'my.app')).toBe('for-dotted');
    expect([...backend.data.keys()]).toEqual(['secrets.appSecret:cli_a', 'secrets.appSecret:my%2Eapp']); // no dot-notation nesting
  });

  it('refuses to store anything when encryption is unavailable (never falls back to plaintext)', () => {
    const backend = memoryBackend();
    const store = new SecretStore(fakeSafeStorage({ isEncryptionAvailable: () => false }), backend);
    expect(codeOf(() => store.set('appSecret', 'cli_a', 'x'))).toBe('E_NO_ENCRYPTION');
    expect(backend.data.size).toBe(0);
  });

  it("refuses Linux's basic_text backend unless explicitly allowed", () => {
    const weak = fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' });
    expect(codeOf(() => new SecretStore(weak, memoryBackend()).set('appSecret', 'cli_a', 'x'))).toBe('E_NO_ENCRYPTION');
    const allowed = new SecretStore(weak, memoryBackend(), { allowWeakBackend: true });
    allowed.set('refreshToken', 'cli_a', 'r1');
    expect(allowed.get('refreshToken', 'cli_a')).toBe('r1');
  });

  it('a ciphertext that no longer decrypts is a clear error without the secret in it', () => {
    const backend = memoryBackend();
    backend.data.set('secrets.appSecret:cli_a', Buffer.from('garbage').toString('base64'));
    try {
      new SecretStore(fakeSafeStorage(), backend).get('appSecret', 'cli_a');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('E_SECRET_CORRUPT');
      expect((e as AppError).remedy).toContain('Account');
    }
  });

  it('delete forgets the secret; empty secrets are rejected', () => {
    const store = new SecretStore(fakeSafeStorage(), memoryBackend());
    store.set('appSecret', 'cli_a', 'x');
    store.delete('appSecret', 'cli_a');
    expect(store.get('appSecret', 'cli_a')).toBeUndefined();
    expect(codeOf(() => store.set('appSecret', 'cli_a', ''))).toBe('E_INVALID_ARGUMENT');
  });
});
