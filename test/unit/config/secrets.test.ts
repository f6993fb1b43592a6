import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretStore, type Keychain } from '../../../src/config/secrets.js';

const dir = () => mkdtempSync(join(tmpdir(), 'feisync-secrets-'));

/** A keychain that refuses like the headless Linux Secret Service does. */
const deniedKeychain: Keychain = {
  get: async () => {
    throw new Error("Couldn't access platform storage: AccessDenied");
  },
  set: async () => {
    throw new Error("Couldn't access platform storage: AccessDenied");
  },
  delete: async () => {
    throw new Error("Couldn't access platform storage: AccessDenied");
  },
};

function memoryKeychain(): Keychain & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    get: async (s, a) => items.get(`${s}/${a}`) ?? null,
    set: async (s, a, v) => void items.set(`${s}/${a}`, v),
    delete: async (s, a) => items.delete(`${s}/${a}`),
  };
}

describe('secret store', () => {
  it('falls back to a 0600 file with a warning when the keychain denies access', async () => {
    const store = createSecretStore({ dir: dir(), keychain: deniedKeychain });
    const saved = await store.set('app-secret:cli_a', 's3cret');
    expect(saved.where).toBe('file');
    expect(saved.warning).toMatch(/keychain is not available.*AccessDenied.*0600/);
    expect(statSync(store.filePath).mode & 0o777).toBe(0o600);
    expect(await store.get('app-secret:cli_a')).toEqual({ value: 's3cret', where: 'file' });
  });

  it('uses the keychain when it works, and leaves no copy in the file', async () => {
    const keychain = memoryKeychain();
    const store = createSecretStore({ dir: dir(), keychain: deniedKeychain });
    await store.set('app-secret:cli_a', 'old');
    const working = createSecretStore({ dir: join(store.filePath, '..'), keychain });
    expect(await working.set('app-secret:cli_a', 'new')).toEqual({ where: 'keychain' });
    expect(await working.get('app-secret:cli_a')).toEqual({ value: 'new', where: 'keychain' });
    expect(existsSync(store.filePath) ? readFileSync(store.filePath, 'utf8') : '').not.toContain('old');
  });

  it('delete removes the secret from both places', async () => {
    const keychain = memoryKeychain();
    const d = dir();
    await createSecretStore({ dir: d, keychain: null }).set('app-secret:cli_a', 'in-file');
    const store = createSecretStore({ dir: d, keychain });
    await keychain.set('feisync', 'app-secret:cli_a', 'in-keychain');
    expect(await store.delete('app-secret:cli_a')).toEqual({ keychain: true, file: true });
    expect(await store.get('app-secret:cli_a')).toBeNull();
    expect(existsSync(store.filePath)).toBe(false);
  });
});
