/**
 * What every command gets: parsed global flags, output, translations, the
 * settings file, the state dir, secrets, a logger and the resolved account.
 * Built lazily, so `feisync sandbox` never touches a config file and a
 * malformed config only stops the commands that need it.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { appSecretName, createSecretStore, type Keychain, type SecretStore } from '../config/secrets.js';
import { resolveConfigFile } from '../config/paths.js';
import { loadUserTokens, saveUserTokens, type StoredUserTokens } from '../config/userTokens.js';
import { openSettingsFile, type SettingsFile } from '../config/settingsFile.js';
import type { Settings } from '../config/settings.js';
import { resolveBaseUrl } from '../feishu/baseUrl.js';
import type { Credentials } from '../feishu/client.js';
import { resolveLanguage, translator, type Lang, type Translate } from '../i18n/index.js';
import { createLogger, createRotatingFileSink, nullLogger, type Logger, type LogSink } from '../platform/log.js';
import { defaultStateDir } from '../platform/stateDir.js';
import { CliError } from './cliError.js';
import { createOutput, type Output } from './output.js';

/** The process surroundings, injectable so commands run in-process in tests. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** null = no OS keychain (tests); undefined = the real one. */
  keychain?: Keychain | null;
}

export interface GlobalOptions {
  baseUrl?: string;
  appId?: string;
  appSecret?: string;
  state?: string;
  config?: string;
  lang?: string;
  json?: boolean;
  color?: boolean;
}

export interface Account {
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Where the secret came from (for doctor / status). */
  secretFrom: 'flag' | 'env' | 'keychain' | 'file';
  /** 'user': signed in with `feisync login --user` (absent = the app itself). */
  identity?: 'tenant' | 'user';
  /**
   * Credentials for a new client (absent = the app's tenant credentials, see
   * `clientCredentials`). For a user they carry the latest token pair and
   * write every rotated refresh token back to the secret store.
   */
  credentials?: () => Credentials;
}

/** What a FeishuClient for `account` should use. */
export function clientCredentials(account: Account): Credentials {
  return account.credentials?.() ?? { kind: 'tenant', appId: account.appId, appSecret: account.appSecret };
}

export interface CliContext {
  readonly io: CliIo;
  readonly opts: GlobalOptions;
  readonly lang: Lang;
  readonly t: Translate;
  readonly out: Output;
  readonly settingsFile: SettingsFile;
  readonly stateDir: string;
  /** Loads (and caches) the settings; throws ConfigError on a bad file. */
  settings(): Settings;
  /** Validate and write the settings file (atomically), and use `next` from now on. */
  saveSettings(next: Settings): void;
  secrets(): SecretStore;
  /** Structured log in <state>/logs. */
  logger(): Logger;
  /** The account to talk to: flags, then env, then settings + secret store. */
  account(): Promise<Account>;
  /** Close the log file etc. */
  close(): void;
}

export function createContext(io: CliIo, opts: GlobalOptions): CliContext {
  const env = io.env;
  const settingsFile = openSettingsFile(resolveConfigFile(opts.config, env));
  let cached: Settings | undefined;
  const settings = () => (cached ??= settingsFile.load());

  let setting: Settings['language'] | undefined;
  try {
    setting = settings().language;
  } catch {
    setting = undefined; // reported by the command that needs the settings
  }
  let lang: Lang;
  try {
    lang = resolveLanguage({ flag: opts.lang, setting, env });
  } catch (e) {
    throw new CliError({ code: 'E_USAGE', message: (e as Error).message, remedy: 'Use --lang en or --lang zh-CN.' });
  }
  const t = translator(lang);
  const out = createOutput({ stdout: io.stdout, stderr: io.stderr, json: opts.json === true, colorFlag: opts.color !== false, env, t });
  const stateDir = resolve(opts.state ?? defaultStateDir({ platform: process.platform, env, home: env.HOME || homedir() }));

  let secretStore: SecretStore | undefined;
  const secrets = () => (secretStore ??= createSecretStore({ dir: dirname(settingsFile.path), keychain: io.keychain }));

  let sink: LogSink | undefined;
  let log: Logger | undefined;
  const logger = () => {
    if (log) return log;
    try {
      sink = createRotatingFileSink(resolve(stateDir, 'logs'));
      log = createLogger(sink, { level: env.FEISYNC_LOG_LEVEL === 'debug' ? 'debug' : 'info', fields: { pid: process.pid } });
    } catch (e) {
      out.warn(`cannot write logs in ${stateDir}/logs: ${(e as Error).message}`);
      log = nullLogger;
    }
    return log;
  };

  const account = async (): Promise<Account> => {
    const fromSettings = opts.appId || env.FEISYNC_APP_ID ? undefined : settings().account;
    const appId = opts.appId ?? env.FEISYNC_APP_ID ?? fromSettings?.appId;
    const cloud = opts.baseUrl ?? env.FEISYNC_BASE_URL ?? (opts.appId || env.FEISYNC_APP_ID ? tryCloud(settings) : fromSettings?.cloud);
    if (!appId) {
      throw new CliError({ code: 'E_NOT_LOGGED_IN', message: t('account.missing'), remedy: t('account.missingRemedy') });
    }
    let baseUrl: string;
    try {
      baseUrl = resolveBaseUrl(cloud ?? 'feishu');
    } catch (e) {
      throw new CliError({ code: 'E_USAGE', message: (e as Error).message, remedy: t('account.baseUrlRemedy') });
    }
    let app: Account;
    if (opts.appSecret) app = { baseUrl, appId, appSecret: opts.appSecret, secretFrom: 'flag' };
    else if (env.FEISYNC_APP_SECRET) app = { baseUrl, appId, appSecret: env.FEISYNC_APP_SECRET, secretFrom: 'env' };
    else {
      const stored = await secrets().get(appSecretName(appId));
      if (!stored) {
        throw new CliError({ code: 'E_NOT_LOGGED_IN', message: t('account.noSecret', { appId }), remedy: t('account.missingRemedy') });
      }
      app = { baseUrl, appId, appSecret: stored.value, secretFrom: stored.where };
    }
    return fromSettings?.identity === 'user' ? userAccount(app) : app;
  };

  /** Uploading as the app instead of the signed-in user would change who owns the files: no silent fallback. */
  const userAccount = async (app: Account): Promise<Account> => {
    let tokens: StoredUserTokens | null = await loadUserTokens(secrets(), app.appId);
    if (!tokens) {
      throw new CliError({ code: 'E_NOT_LOGGED_IN', message: t('account.userNotSignedIn', { appId: app.appId }), remedy: t('account.userNotSignedInRemedy') });
    }
    const onRefresh = async (next: StoredUserTokens) => {
      tokens = next; // clients created later start from the newest pair
      try {
        await saveUserTokens(secrets(), app.appId, next);
      } catch (e) {
        logger().warn('cannot store the refreshed user token', { appId: app.appId, error: e });
        out.warn(`the refreshed user login could not be stored (${(e as Error).message}); run \`feisync login --user\` if the next start fails`);
      }
    };
    return {
      ...app,
      identity: 'user',
      credentials: () => ({ kind: 'user', appId: app.appId, appSecret: app.appSecret, tokens: { ...tokens! }, onRefresh }),
    };
  };

  return {
    io,
    opts,
    lang,
    t,
    out,
    settingsFile,
    stateDir,
    settings,
    saveSettings(next) {
      settingsFile.save(next);
      cached = next;
    },
    secrets,
    logger,
    account,
    close() {
      sink?.close?.();
    },
  };
}

/** The cloud of the saved account, if the settings are readable (flags gave the app id). */
function tryCloud(settings: () => Settings): string | undefined {
  try {
    return settings().account?.cloud;
  } catch {
    return undefined;
  }
}
