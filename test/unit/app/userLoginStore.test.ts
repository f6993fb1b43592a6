/**
 * Where the app keeps a user's sign-in: its own (encrypted) store first, in
 * the CLI's format; a CLI login as the fallback, whose rotated tokens go back
 * to the CLI's store.
 */
import { describe, expect, it } from 'vitest';
import { SecretStore, type SafeStorageLike } from '../../../app/main/secretStore.js';
import { createUserLoginStore } from '../../../app/main/userLoginStore.js';
import { parseUserTokens, userTokensName } from '../../../src/config/userTokens.js';
import type { UserTokens } from '../../../src/feishu/auth.js';

const safeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(s, 'utf8').map((b) => b ^ 0x5a),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};
const A: UserTokens = { accessToken: 'a1', refreshToken: 'r1', expiresAt: 1000, refreshExpiresAt: 9000 };
const B: UserTokens = { accessToken: 'a2', refreshToken: 'r2', expiresAt: 2000 };

function setup() {
  const file = new Map<string, unknown>();
  const app = new SecretStore(safeStorage, { get: (k) => file.get(k), set: (k, v) => void file.set(k, v), delete: (k) => void file.delete(k) });
  const cliData = new Map<string, string>();
  const cli = {
    get: async (name: string) => (cliData.has(name) ? { value: cliData.get(name)!, where: 'keychain' as const } : null),
    set: async (name: string, value: string) => (cliData.set(name, value), { where: 'keychain' as const }),
  };
  const warnings: string[] = [];
  return { file, cliData, logins: createUserLoginStore(app, cli, (m) => void warnings.push(m)), warnings };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('user login store', () => {
  it('a sign-in made in the app is stored encrypted, in the CLI format, and read back', async () => {
    const s = setup();
    expect(s.logins.has('cli_a')).toBe(false);
    await s.logins.save('cli_a', A);
    expect(s.logins.has('cli_a')).toBe(true);
    expect(s.logins.has('cli_b')).toBe(false);
    const raw = [...s.file.values()].join();
    expect(raw).not.toContain('r1'); // never plaintext
    expect(await s.logins.forEngine('cli_a').get()).toEqual(A);
    expect(s.cliData.size).toBe(0); // the app does not write the CLI's store for its own sign-ins
  });

  it('falls back to the CLI login and keeps refreshed tokens where they came from', async () => {
    const s = setup();
    s.cliData.set(userTokensName('cli_a'), JSON.stringify(A));
    const engine = s.logins.forEngine('cli_a');
    expect(await engine.get()).toEqual(A);
    engine.set(B);
    await flush();
    expect(parseUserTokens(s.cliData.get(userTokensName('cli_a'))!)).toEqual(B);
    expect(s.logins.has('cli_a')).toBe(false);
  });

  it("the app's own login wins over the CLI's, and its refreshes stay in the app", async () => {
    const s = setup();
    s.cliData.set(userTokensName('cli_a'), JSON.stringify(B));
    await s.logins.save('cli_a', A);
    const engine = s.logins.forEngine('cli_a');
    expect(await engine.get()).toEqual(A);
    engine.set({ ...A, refreshToken: 'r3' });
    await flush();
    expect((await s.logins.forEngine('cli_a').get())?.refreshToken).toBe('r3');
    expect(parseUserTokens(s.cliData.get(userTokensName('cli_a'))!)).toEqual(B);
  });

  it('nothing stored anywhere: no tokens (the engine then asks for a sign-in)', async () => {
    expect(await setup().logins.forEngine('cli_a').get()).toBeUndefined();
  });
});
