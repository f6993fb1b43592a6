import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSettingsFile } from '../../../src/config/settingsFile.js';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION } from '../../../src/config/settings.js';
import { fileSettingsStore } from '../../../app/main/settingsStore.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'feisync-app-settings-')), 'config.json');

describe("the app's settings store (the CLI's file, schema and migrations)", () => {
  it('starts from the defaults when there is no file, and writes what the app changes', () => {
    const path = fresh();
    const store = fileSettingsStore(openSettingsFile(path));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    store.set({ ...store.get(), language: 'zh-CN', startAtLogin: true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ language: 'zh-CN', startAtLogin: true, schemaVersion: SETTINGS_SCHEMA_VERSION });
    expect(fileSettingsStore(openSettingsFile(path)).get().language).toBe('zh-CN');
  });

  it('migrates an old file (no schemaVersion) and keeps a backup of it', () => {
    const path = fresh();
    const old = { mappings: [{ id: 'm1', localPath: '/home/ada/Docs', folderToken: 'fldcnDocs1', deletePolicy: 'keep', ignore: [], paused: false }] };
    writeFileSync(path, JSON.stringify(old));
    const store = fileSettingsStore(openSettingsFile(path));
    expect(store.get().schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
    expect(store.get().mappings[0]!.localPath).toBe('/home/ada/Docs');
    expect(JSON.parse(readFileSync(`${path}.v0.bak`, 'utf8'))).toEqual(old);
  });

  it('refuses a file it cannot validate, naming the key, and never overwrites it', () => {
    const path = fresh();
    const text = JSON.stringify({ ...DEFAULT_SETTINGS, limits: { ...DEFAULT_SETTINGS.limits, fileConcurrency: 0 } });
    writeFileSync(path, text);
    expect(() => fileSettingsStore(openSettingsFile(path))).toThrow(/limits\.fileConcurrency/);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('an invalid change is rejected and the previous settings stay in memory and on disk', () => {
    const path = fresh();
    const store = fileSettingsStore(openSettingsFile(path));
    store.set({ ...store.get(), notifications: false });
    const before = readFileSync(path, 'utf8');
    expect(() => store.set({ ...store.get(), language: 'fr' as never })).toThrow(/language/);
    expect(store.get().language).toBe('auto');
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(path)).toBe(true);
  });
});
