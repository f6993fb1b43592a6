/**
 * The two files the app keeps with electron-store: the shared settings file
 * (the CLI's, watched) and the app's own encrypted secrets. Electron edge;
 * the logic is in settingsStore.ts and secretStore.ts.
 */
import { dirname } from 'node:path';
import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { RawSettings } from '../../src/config/migrations.js';
import { appSecretName, createSecretStore } from '../../src/config/secrets.js';
import { assertValid, openSettingsFile } from '../../src/config/settingsFile.js';
import type { UserTokens } from '../../src/feishu/auth.js';
import type { Logger } from '../../src/platform/log.js';
import { SecretStore } from './secretStore.js';
import { createUserLoginStore, type UserLoginStore } from './userLoginStore.js';
import { confSettingsStore, settingsStoreOptions, type StoredSettings, type WatchedSettingsStore } from './settingsStore.js';

/**
 * Migrate (keeping a backup) and validate through the CLI's loader, then hold
 * the same file with electron-store, watched for the CLI's edits. Throws
 * ConfigError for a file that cannot be used (it is never overwritten).
 */
export function openSharedSettings(path: string, logger: Logger): WatchedSettingsStore {
  openSettingsFile(path).load();
  const store = new Store<StoredSettings>(settingsStoreOptions(path));
  return confSettingsStore(store, {
    validate: (s) => assertValid(s as unknown as RawSettings, path),
    onInvalid: (e) => logger.warn('settings file changed but is invalid; keeping the last good settings', { error: String(e) }),
    onWatchError: (e) => logger.warn('cannot watch the settings file; restart the app to see CLI changes', { error: String(e) }),
  });
}

export interface AppSecrets {
  store: SecretStore;
  /** The app secret: the app's own (safeStorage) first, then what `feisync login` stored. */
  appSecret(appId: string): Promise<string | undefined>;
  /** The user's sign-in: the app's own (safeStorage), else the CLI's (see userLoginStore.ts). */
  logins: UserLoginStore;
  userTokens(appId: string): { get(): Promise<UserTokens | undefined>; set(tokens: UserTokens): void };
}

export function openAppSecrets(settingsPath: string, logger: Logger): AppSecrets {
  const file = new Store<Record<string, unknown>>({ name: 'app-secrets', clearInvalidConfig: false });
  const store = new SecretStore(safeStorage, { get: (k) => file.get(k), set: (k, v) => file.set(k, v), delete: (k) => file.delete(k) });
  const cliSecrets = createSecretStore({ dir: dirname(settingsPath) });
  const logins = createUserLoginStore(store, cliSecrets, (message, error) => logger.warn(message, { error: String(error) }));
  return {
    store,
    async appSecret(appId) {
      try {
        const own = store.get('appSecret', appId);
        if (own) return own;
      } catch (e) {
        logger.warn('app secret store unusable; trying the CLI store', { error: String(e) });
      }
      return (await cliSecrets.get(appSecretName(appId)))?.value;
    },
    logins,
    userTokens: (appId) => logins.forEngine(appId),
  };
}
