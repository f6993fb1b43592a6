/**
 * The settings the app reads and writes: the same file, schema, migrations
 * and validation as the CLI (src/config/settingsFile.ts, built on `conf`, of
 * which electron-store is the Electron flavour). Handlers see this small
 * interface so tests can use memory.
 */
import type { SettingsFile } from '../../src/config/settingsFile.js';
import type { Settings } from '../../src/config/settings.js';

export interface SettingsStore {
  get(): Settings;
  /** Validate and persist; throws ConfigError and keeps the old settings when invalid. */
  set(next: Settings): void;
}

/** Cached in memory; the file is read once (migrated and validated) and written on every change. */
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
