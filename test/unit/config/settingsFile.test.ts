import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/configError.js';
import { openSettingsFile } from '../../../src/config/settingsFile.js';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION } from '../../../src/config/settings.js';

function tempFile(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'feisync-settings-'));
  const path = join(dir, 'config.json');
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

function loadError(content: string): ConfigError {
  const path = tempFile(content);
  try {
    openSettingsFile(path).load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('load did not fail');
}

describe('settings file', () => {
  it('a missing file reads as the defaults and is not created by reading', () => {
    const path = tempFile();
    expect(openSettingsFile(path).load()).toEqual(DEFAULT_SETTINGS);
    expect(existsSync(path)).toBe(false);
  });

  it('saves atomically with mode 0600 and reads back the same settings', () => {
    const path = tempFile();
    const file = openSettingsFile(path);
    const next = { ...DEFAULT_SETTINGS, rescanIntervalSec: 120 };
    file.save(next);
    expect(file.load()).toEqual(next);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('malformed JSON is reported with the path and the parse error, and the file is left untouched', () => {
    const text = '{"mappings": [,]}';
    const e = loadError(text);
    expect(e.code).toBe('E_CONFIG_PARSE');
    expect(e.message).toContain(e.path!);
    expect(e.message).toMatch(/not valid JSON/);
    expect(readFileSync(e.path!, 'utf8')).toBe(text);
  });

  it('a bad value is reported by key path and value', () => {
    const e = loadError(JSON.stringify({ limits: { qps: -1 }, mappings: [{ id: 'm1', localPath: '/x', folderToken: 'tok123', deletePolicy: 'shred' }] }));
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toContain('limits.qps = -1: must be >= 0.1');
    expect(e.message).toContain('mappings[0].deletePolicy = "shred": must be one of "keep", "trash"');
  });

  it('an unknown key is named (typos do not pass silently)', () => {
    expect(loadError(JSON.stringify({ rescanIntervalSecs: 10 })).message).toContain('rescanIntervalSecs = 10: is not a known setting');
  });

  it('a minimal hand-written file gets defaults and is migrated to the current version, keeping a backup', () => {
    const original = JSON.stringify({ mappings: [{ id: 'm1', localPath: '/data', folderToken: 'fldcn123' }], limits: { qps: 2 } });
    const path = tempFile(original);
    const settings = openSettingsFile(path).load();
    expect(settings.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
    expect(settings.limits.qps).toBe(2);
    expect(settings.limits.dailyQuota).toBe(DEFAULT_SETTINGS.limits.dailyQuota);
    expect(settings.mappings[0]).toMatchObject({ deletePolicy: 'keep', ignore: [], paused: false });
    expect(readFileSync(`${path}.v0.bak`, 'utf8')).toBe(original);
    expect(JSON.parse(readFileSync(path, 'utf8')).schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
  });

  it('a file from a newer FeiSync is refused, not downgraded', () => {
    const e = loadError(JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION + 1 }));
    expect(e.code).toBe('E_CONFIG_VERSION');
  });

  it('save refuses invalid settings and keeps the previous file', () => {
    const path = tempFile();
    const file = openSettingsFile(path);
    file.save(DEFAULT_SETTINGS);
    const before = readFileSync(path, 'utf8');
    expect(() => file.save({ ...DEFAULT_SETTINGS, settleMs: -5 })).toThrow(/settleMs = -5/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('an unreadable file is an IO error naming the file', () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const path = tempFile('{}');
    chmodSync(path, 0o000);
    expect(() => openSettingsFile(path).load()).toThrow(/cannot read the settings file/);
  });
});
