import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../src/config/secrets.js';
import { loadUserTokens, parseUserTokens, saveUserTokens, userTokensName } from '../../../src/config/userTokens.js';

describe('stored user tokens', () => {
  it('round-trip through the secret store (0600 file without a keychain), replaced on every rotation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feisync-ut-'));
    const store = createSecretStore({ dir, keychain: null });
    expect(await loadUserTokens(store, 'cli_a')).toBeNull();
    await saveUserTokens(store, 'cli_a', { accessToken: 'u-1', refreshToken: 'ur-1', expiresAt: 10, refreshExpiresAt: 20 });
    await saveUserTokens(store, 'cli_a', { accessToken: 'u-2', refreshToken: 'ur-2', expiresAt: 30 });
    expect(await loadUserTokens(store, 'cli_a')).toEqual({ accessToken: 'u-2', refreshToken: 'ur-2', expiresAt: 30 });
    expect(await loadUserTokens(store, 'cli_b')).toBeNull();
    expect(statSync(store.filePath).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(store.filePath, 'utf8')).secrets)).toEqual([userTokensName('cli_a')]);
  });

  it('an unreadable or incomplete entry reads as "not signed in", never as a half token', () => {
    expect(parseUserTokens('{nope')).toBeNull();
    expect(parseUserTokens('null')).toBeNull();
    expect(parseUserTokens(JSON.stringify({ accessToken: 'u', expiresAt: 1 }))).toBeNull();
    expect(parseUserTokens(JSON.stringify({ accessToken: 'u', refreshToken: 'r', expiresAt: '1' }))).toBeNull();
    expect(parseUserTokens(JSON.stringify({ accessToken: 'u', refreshToken: 'r', expiresAt: 1, extra: true }))).toEqual({ accessToken: 'u', refreshToken: 'r', expiresAt: 1 });
  });
});
