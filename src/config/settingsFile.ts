/**
 * The settings file: read, migrate, fill defaults, validate — and write
 * atomically through `conf`. A file that cannot be parsed or validated is
 * reported (path, key, value) and never overwritten.
 */
import { readFileSync, existsSync, copyFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import Conf from 'conf';
import { ConfigError } from './configError.js';
import { migrateSettings, type RawSettings } from './migrations.js';
import { SETTINGS_JSON_SCHEMA } from './schema.js';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION, type Settings } from './settings.js';
import { formatIssue, validateAgainstSchema } from './validate.js';

export interface SettingsFile {
  readonly path: string;
  exists(): boolean;
  /** The settings (defaults when the file does not exist). Throws ConfigError. */
  load(): Settings;
  /** Validate and write atomically. */
  save(settings: Settings): void;
  /** load → change → save; returns what was saved. */
  update(change: (settings: Settings) => Settings | void): Settings;
}

export function openSettingsFile(path: string): SettingsFile {
  const exists = () => existsSync(path);
  const save = (settings: Settings) => {
    assertValid(settings as unknown as RawSettings, path);
    const ext = extname(path);
    const store = new Conf<Settings>({
      projectName: 'feisync',
      projectSuffix: '',
      cwd: dirname(path),
      configName: basename(path, ext),
      fileExtension: ext.replace(/^\./, ''),
      configFileMode: 0o600,
      clearInvalidConfig: false,
    });
    store.store = settings;
  };
  const load = (): Settings => {
    if (!exists()) return structuredClone(DEFAULT_SETTINGS);
    const raw = parseFile(path);
    const { raw: migrated, from } = migrateSettings(raw, path);
    const settings = withDefaults(migrated);
    assertValid(settings, path);
    if (from !== SETTINGS_SCHEMA_VERSION) {
      // Keep the old file: a migration must never lose what the user wrote.
      copyFileSync(path, `${path}.v${from}.bak`);
      save(settings as unknown as Settings);
    }
    return settings as unknown as Settings;
  };
  return {
    path,
    exists,
    load,
    save,
    update(change) {
      const current = load();
      const next = change(current) ?? current;
      save(next);
      return next;
    },
  };
}

/** Validate raw settings against the schema; throws one ConfigError listing every issue. */
export function assertValid(raw: RawSettings, path?: string): void {
  const issues = validateAgainstSchema(SETTINGS_JSON_SCHEMA, raw);
  if (issues.length === 0) return;
  const params = { path: path ?? 'the settings', issues: issues.map(formatIssue).join('; ') };
  throw ConfigError.of('E_CONFIG_INVALID', { key: 'cfg.file.invalid', remedyKey: 'cfg.file.invalidRemedy', params }, { path });
}

function parseFile(path: string): RawSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const params = { path, reason: (e as Error).message };
    throw ConfigError.of('E_CONFIG_IO', { key: 'cfg.file.read', remedyKey: 'cfg.file.readRemedy', params }, { path, cause: e });
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const params = { path, reason: (e as Error).message };
    throw ConfigError.of('E_CONFIG_PARSE', { key: 'cfg.file.parse', remedyKey: 'cfg.file.parseRemedy', params }, { path, cause: e });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError({
      code: 'E_CONFIG_INVALID',
      message: `the settings file ${path} must hold a JSON object, found ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`,
      remedy: `Replace the content of ${path} with an object such as {"mappings": []}.`,
      path,
    });
  }
  return parsed as RawSettings;
}

/** Missing keys take their defaults (one level into limits, account and each mapping). */
function withDefaults(raw: RawSettings): RawSettings {
  const out: RawSettings = { ...structuredClone(DEFAULT_SETTINGS), ...raw };
  if (isPlainObject(raw.limits)) out.limits = { ...DEFAULT_SETTINGS.limits, ...raw.limits };
  if (isPlainObject(raw.account)) out.account = { identity: 'tenant', ...raw.account };
  if (Array.isArray(raw.mappings)) {
    out.mappings = raw.mappings.map((m) =>
      isPlainObject(m) ? { deletePolicy: 'keep', ignore: [], paused: false, ...m } : m,
    );
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
