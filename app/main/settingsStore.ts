/**
 * The settings the app reads and writes: the CLI's file (src/config/paths.ts),
 * with its JSON schema, migrations and validation. In the app the file is
 * held by electron-store (a `conf` with Electron's paths), its folder watched
 * (src/config/fileWatch.ts) so that a `feisync map add` while the app runs reaches
 * the engine. Handlers see the
 * small SettingsStore interface, so tests can use memory or plain `conf`.
 */
import { basename, dirname, extname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Options as ConfOptions, Schema } from 'conf';
import { SETTINGS_JSON_SCHEMA } from '../../src/config/schema.js';
import type { SettingsFile } from '../../src/config/settingsFile.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { watchFileChanges, type FileWatch } from '../../src/config/fileWatch.js';

export interface SettingsStore {
  get(): Settings;
  /** Validate and persist; throws ConfigError and keeps the old settings when invalid. */
  set(next: Settings): void;
}

export interface WatchedSettingsStore extends SettingsStore {
  /** Settings written by another program (the CLI), already validated. */
  onExternalChange(listener: (next: Settings, previous: Settings) => void): () => void;
  /** Stop watching the file. */
  close(): void;
}

/** What the app needs of a conf / electron-store instance. */
export interface ConfLike<T> {
  /** Reading parses and validates the file; writing validates and writes atomically. */
  store: T;
  /** Fires 'change' after our writes (conf's own `watch` is off: see src/config/fileWatch.ts). */
  readonly events: EventTarget;
  /** The file conf reads and writes. */
  readonly path: string;
}

/**
 * Options for `new ElectronStore(...)` (or `new Conf(...)` in tests) on the
 * shared settings file. Run `openSettingsFile(path).load()` first: it
 * migrates old files (keeping a backup) and refuses invalid ones.
 */
export function settingsStoreOptions(path: string): ElectronStoreSettingsOptions {
  const { required } = SETTINGS_JSON_SCHEMA;
  return {
    cwd: dirname(path),
    fileExtension: extname(path).replace(/^\./, ''),
    name: basename(path, extname(path)),
    // One schema for both validators (the subset of JSON Schema it uses is ajv's too).
    schema: SETTINGS_JSON_SCHEMA.properties as unknown as Schema<StoredSettings>,
    rootSchema: { required, additionalProperties: false },
    // The schema uses ['object', 'null'] for the account.
    ajvOptions: { allowUnionTypes: true, strict: false },
    // A first start writes the defaults, so the watched file exists.
    defaults: DEFAULT_SETTINGS as StoredSettings,
    clearInvalidConfig: false,
    configFileMode: 0o600,
    // conf's watcher misses writes made right after it starts (Linux: an async
    // stat-poll baseline); confSettingsStore watches the folder itself.
    watch: false,
  };
}

/** electron-store's options: conf's, named by `name` instead of `configName`. */
export type ElectronStoreSettingsOptions = Omit<ConfOptions<StoredSettings>, 'configName' | 'projectName' | 'projectVersion' | 'projectSuffix'> & { name: string };

/** Settings as conf types its store (an object with string keys). */
export type StoredSettings = Settings & Record<string, unknown>;

export interface ConfSettingsOptions {
  /** The CLI's validator (assertValid): its errors name the key and say what to do. */
  validate(settings: Settings): void;
  /** An external edit left the file invalid: the last good settings stay in use. */
  onInvalid?(error: unknown): void;
  /** The watch itself failed (e.g. the folder was removed): later edits go unseen. */
  onWatchError?(error: unknown): void;
  /** How the file is watched for other programs' writes (default: watchFileChanges on its folder). */
  watch?: (path: string, onChange: () => void) => FileWatch;
}

export function confSettingsStore(conf: ConfLike<Settings>, options: ConfSettingsOptions): WatchedSettingsStore {
  // conf hands out prototype-less objects; plain copies compare (and spread) like everything else.
  const read = (): Settings => JSON.parse(JSON.stringify(conf.store)) as Settings;
  let current = read();
  const listeners = new Set<(next: Settings, previous: Settings) => void>();
  const reload = () => {
    let next: Settings;
    try {
      next = read();
      options.validate(next);
    } catch (e) {
      options.onInvalid?.(e);
      return;
    }
    if (isDeepStrictEqual(next, current)) return; // our own write, or nothing changed
    const previous = current;
    current = next;
    for (const listener of listeners) listener(next, previous);
  };
  conf.events.addEventListener('change', reload);
  const watcher = (options.watch ?? ((path, onChange) => watchFileChanges(path, onChange, { onError: options.onWatchError })))(conf.path, reload);
  return {
    get: () => current,
    set(next) {
      options.validate(next);
      const previous = current;
      current = next; // before the write: its 'change' event must see it as ours
      try {
        conf.store = next;
      } catch (e) {
        current = previous;
        throw e;
      }
    },
    onExternalChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () => watcher.close(),
  };
}

/** Read once through the CLI's SettingsFile (no watching): tests and tools. */
export function fileSettingsStore(file: SettingsFile): SettingsStore {
  let current = file.load();
  return {
    get: () => current,
    set(next) {
      file.save(next);
      current = next;
    },
  };
}

export function memorySettingsStore(initial: Settings, validate: (s: Settings) => void = () => {}): SettingsStore {
  let current = initial;
  return {
    get: () => current,
    set(next) {
      validate(next);
      current = next;
    },
  };
}
