/**
 * Where the app secret (and, later, user refresh tokens) are kept: the OS
 * keychain through @napi-rs/keyring when it answers, else a 0600 JSON file
 * next to the settings file (headless Linux, NAS boxes: the keychain answers
 * AccessDenied there). The settings file itself never holds a secret.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './configError.js';

export const SECRETS_FILE_NAME = 'secrets.json';
const SERVICE = 'feisync';
const KEYCHAIN_TIMEOUT_MS = 3000;

/** The OS credential store, reduced to what FeiSync needs. Throws when the store is unusable. */
export interface Keychain {
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, secret: string): Promise<void>;
  delete(service: string, account: string): Promise<boolean>;
}

export type SecretLocation = 'keychain' | 'file';

export interface SecretStore {
  /** The secret stored under `name`, or null. Looks in the keychain, then the file. */
  get(name: string): Promise<{ value: string; where: SecretLocation } | null>;
  /** Store in the keychain if possible, else in the file (with a warning to show). */
  set(name: string, value: string): Promise<{ where: SecretLocation; warning?: string }>;
  /** Remove from both places; says where something was removed. */
  delete(name: string): Promise<{ keychain: boolean; file: boolean }>;
  readonly filePath: string;
}

/** Name under which an app's secret is stored. */
export function appSecretName(appId: string): string {
  return `app-secret:${appId}`;
}

/** The real keychain (loaded lazily: the native module is optional at runtime). */
export function osKeychain(): Keychain {
  const entry = async (service: string, account: string) => {
    const { AsyncEntry } = await import('@napi-rs/keyring');
    return new AsyncEntry(service, account);
  };
  const signal = () => AbortSignal.timeout(KEYCHAIN_TIMEOUT_MS);
  return {
    get: async (s, a) => (await entry(s, a)).getPassword(signal()),
    set: async (s, a, secret) => (await entry(s, a)).setPassword(secret, signal()),
    delete: async (s, a) => (await entry(s, a)).deletePassword(signal()),
  };
}

interface SecretsFileContent {
  version: 1;
  secrets: Record<string, string>;
}

export function createSecretStore(options: { dir: string; keychain?: Keychain | null }): SecretStore {
  const keychain = options.keychain === undefined ? osKeychain() : options.keychain;
  const filePath = join(options.dir, SECRETS_FILE_NAME);

  const readFile = (): SecretsFileContent => {
    if (!existsSync(filePath)) return { version: 1, secrets: {} };
    try {
      const parsed = JSON.parse(readFileSync(filePath, 'utf8')) as Partial<SecretsFileContent>;
      return { version: 1, secrets: { ...(parsed.secrets ?? {}) } };
    } catch (e) {
      throw new ConfigError({
        code: 'E_SECRET_STORE',
        message: `the secrets file ${filePath} is unreadable: ${(e as Error).message}`,
        remedy: `Delete ${filePath} and run \`feisync login\` again.`,
        path: filePath,
        cause: e,
      });
    }
  };
  const writeFile = (content: SecretsFileContent) => {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const tmp = `${filePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600); // the umask may have widened the mode
    renameSync(tmp, filePath);
  };

  return {
    filePath,
    async get(name) {
      if (keychain) {
        try {
          const value = await keychain.get(SERVICE, name);
          if (value) return { value, where: 'keychain' };
        } catch {
          // Keychain unusable: the file is the fallback.
        }
      }
      const value = readFile().secrets[name];
      if (value === undefined) return null;
      if (process.platform !== 'win32' && (statSync(filePath).mode & 0o077) !== 0) chmodSync(filePath, 0o600);
      return { value, where: 'file' };
    },
    async set(name, value) {
      let keychainError: unknown;
      if (keychain) {
        try {
          await keychain.set(SERVICE, name, value);
          // Do not leave an older copy in the file.
          const content = existsSync(filePath) ? readFile() : null;
          if (content && name in content.secrets) {
            delete content.secrets[name];
            writeFile(content);
          }
          return { where: 'keychain' };
        } catch (e) {
          keychainError = e;
        }
      }
      const content = readFile();
      content.secrets[name] = value;
      writeFile(content);
      const reason = keychainError ? ` (${(keychainError as Error).message})` : '';
      return {
        where: 'file',
        warning: `the OS keychain is not available${reason}; the secret is stored in ${filePath} (readable only by you, mode 0600)`,
      };
    },
    async delete(name) {
      let fromKeychain = false;
      if (keychain) {
        try {
          fromKeychain = (await keychain.get(SERVICE, name)) !== null && (await keychain.delete(SERVICE, name));
        } catch {
          fromKeychain = false;
        }
      }
      let fromFile = false;
      if (existsSync(filePath)) {
        const content = readFile();
        if (name in content.secrets) {
          delete content.secrets[name];
          fromFile = true;
          if (Object.keys(content.secrets).length === 0) rmSync(filePath, { force: true });
          else writeFile(content);
        }
      }
      return { keychain: fromKeychain, file: fromFile };
    },
  };
}
