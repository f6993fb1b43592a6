/**
 * Where the app keeps a user's sign-in (see docs/app.md "User sign-in"):
 * - the app's own sign-ins go to its safeStorage SecretStore (encrypted),
 *   in the CLI's format (src/config/userTokens.js, one entry per app id);
 * - a login made with `feisync login --user` (the CLI's keychain / 0600 file)
 *   is used when the app has none, and the tokens Feishu rotates on refresh
 *   are written back THERE, so the CLI's login stays alive; the app never
 *   copies it elsewhere (and never writes a secret in plaintext itself).
 * Plain module: both stores are injected.
 */
import type { SecretStore as CliSecretStore } from '../../src/config/secrets.js';
import { loadUserTokens, parseUserTokens, saveUserTokens, userTokensName } from '../../src/config/userTokens.js';
import type { UserTokens } from '../../src/feishu/auth.js';
import type { SecretStore } from './secretStore.js';

export interface UserLoginStore {
  /** The app's own sign-in exists for this app id. */
  has(appId: string): boolean;
  /** Store a sign-in made in the app. */
  save(appId: string, tokens: UserTokens): Promise<void>;
  /** The tokens for the engine (app first, then the CLI's) and where refreshed ones go. */
  forEngine(appId: string): { get(): Promise<UserTokens | undefined>; set(tokens: UserTokens): void };
}

export function createUserLoginStore(app: SecretStore, cli: Pick<CliSecretStore, 'get' | 'set'> | null, warn: (message: string, error: unknown) => void): UserLoginStore {
  // The app's store seen through the CLI's store interface, so the shared helpers write the same JSON.
  const own = (appId: string) => {
    const name = userTokensName(appId);
    const check = (asked: string) => {
      if (asked !== name) throw new Error(`unexpected secret ${asked}`);
    };
    return {
      get: async (asked: string) => (check(asked), app.has('refreshToken', appId) ? { value: app.get('refreshToken', appId) ?? '', where: 'keychain' as const } : null),
      set: async (asked: string, value: string) => (check(asked), app.set('refreshToken', appId, value), { where: 'keychain' as const }),
      delete: async () => ({ keychain: false, file: false }),
      filePath: '',
    };
  };
  const readOwn = (appId: string): UserTokens | undefined => {
    try {
      const text = app.has('refreshToken', appId) ? app.get('refreshToken', appId) : undefined;
      return (text && parseUserTokens(text)) || undefined;
    } catch (e) {
      warn('the app cannot read its stored sign-in', e);
      return undefined;
    }
  };

  return {
    has: (appId) => readOwn(appId) !== undefined,
    async save(appId, tokens) {
      await saveUserTokens(own(appId), appId, tokens);
    },
    forEngine(appId) {
      let fromCli = false;
      return {
        async get() {
          const mine = readOwn(appId);
          fromCli = false;
          if (mine || !cli) return mine;
          const theirs = (await loadUserTokens(cli as CliSecretStore, appId).catch((e: unknown) => (warn('cannot read the CLI sign-in', e), null))) ?? undefined;
          fromCli = theirs !== undefined;
          return theirs;
        },
        set(tokens) {
          const target = fromCli && cli ? (cli as CliSecretStore) : own(appId);
          // Losing a rotated refresh token ends the login: say so in the log if it cannot be kept.
          void saveUserTokens(target as CliSecretStore, appId, tokens).catch((e: unknown) => warn('cannot store the refreshed sign-in', e));
        },
      };
    },
  };
}
