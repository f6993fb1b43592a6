/**
 * Settings migrations, keyed by the schemaVersion they upgrade FROM. Pure
 * functions of the raw JSON, shared by the CLI (settingsFile.ts) and the tray
 * app (run `migrateSettings` on the raw store before electron-store validates).
 */
import { SETTINGS_SCHEMA_VERSION } from './settings.js';
import { ConfigError } from './configError.js';

export type RawSettings = Record<string, unknown>;

export const SETTINGS_MIGRATIONS: Readonly<Record<number, (raw: RawSettings) => RawSettings>> = {
  // Version 0: hand-written files without a schemaVersion (the documented
  // minimal file is `{ "mappings": [...] }`). Nothing to rename; stamp it.
  0: (raw) => ({ ...raw, schemaVersion: 1 }),
};

/** Upgrade raw settings to SETTINGS_SCHEMA_VERSION. `from` is the version found. */
export function migrateSettings(raw: RawSettings, path?: string): { raw: RawSettings; from: number } {
  const found = raw.schemaVersion === undefined ? 0 : raw.schemaVersion;
  if (typeof found !== 'number' || !Number.isInteger(found) || found < 0) {
    throw new ConfigError({
      code: 'E_CONFIG_INVALID',
      message: `schemaVersion = ${JSON.stringify(found)}: must be a non-negative integer`,
      remedy: `Fix or remove "schemaVersion" in ${path ?? 'the settings file'}.`,
      path,
    });
  }
  if (found > SETTINGS_SCHEMA_VERSION) {
    throw new ConfigError({
      code: 'E_CONFIG_VERSION',
      message: `the settings file was written by a newer FeiSync (format ${found}; this version reads up to ${SETTINGS_SCHEMA_VERSION})`,
      remedy: 'Update FeiSync, or point --config at another file.',
      path,
    });
  }
  let current = raw;
  for (let v = found; v < SETTINGS_SCHEMA_VERSION; v++) {
    const step = SETTINGS_MIGRATIONS[v];
    if (!step) throw new Error(`no settings migration from version ${v}`);
    current = step(current);
  }
  return { raw: current, from: found };
}
