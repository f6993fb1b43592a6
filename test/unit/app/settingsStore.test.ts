import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSettingsFile } from '../../../src/config/settingsFile.js';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION } from '../../../src/config/settings.js';
import Conf from 'conf';
import { assertValid } from '../../../src/config/settingsFile.js';
import type { Settings } from '../../../src/config/settings.js';
import { confSettingsStore, fileSettingsStore, settingsStoreOptions, type StoredSettings } from '../../../app/main/settingsStore.js';

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

describe('the watched store (conf / electron-store on the shared file)', () => {
  const opened: { close(): void }[] = [];
  afterEach(() => opened.splice(0).forEach((c) => c.close()));

  function open(path: string, onInvalid: (e: unknown) => void = () => {}) {
    openSettingsFile(path).load(); // migrate + validate first, as the app does
    const { name, ...options } = settingsStoreOptions(path);
    const conf = new Conf<StoredSettings>({ ...options, configName: name, projectName: 'feisync-test' });
    const store = confSettingsStore(conf, { validate: (s) => assertValid(s as never, path), onInvalid });
    opened.push(store);
    return store;
  }
  const mapping = { id: 'm1', localPath: '/data/docs', folderToken: 'fldDocs', deletePolicy: 'keep' as const, ignore: [], paused: false };

  it('reads the migrated file, and its writes are what the CLI reads', () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ mappings: [mapping] }));
    const store = open(path);
    expect(store.get().mappings).toEqual([mapping]);
    store.set({ ...store.get(), notifications: false });
    expect(openSettingsFile(path).load().notifications).toBe(false);
    expect(() => store.set({ ...store.get(), rescanIntervalSec: 1 })).toThrow(/rescanIntervalSec/);
    expect(openSettingsFile(path).load().rescanIntervalSec).toBe(DEFAULT_SETTINGS.rescanIntervalSec);
  });

  it('reports what another program (the CLI) wrote, but not its own writes; a broken edit keeps the last good settings', async () => {
    const path = fresh();
    const invalid: unknown[] = [];
    const store = open(path, (e) => invalid.push(e));
    const seen: [Settings, Settings][] = [];
    store.onExternalChange((next, previous) => seen.push([next, previous]));
    store.set({ ...store.get(), language: 'en' });

    openSettingsFile(path).update((s) => ({ ...s, mappings: [mapping] })); // `feisync map add`
    // Written right after the watch started (conf's stat poll took this write as its baseline).
    await expect.poll(() => seen.length, { timeout: 15_000, interval: 50 }).toBe(1);
    expect(seen[0]![0].mappings).toEqual([mapping]);
    expect(seen[0]![1].mappings).toEqual([]);
    expect(seen[0]![1].language).toBe('en');

    writeFileSync(path, JSON.stringify({ ...store.get(), limits: { ...DEFAULT_SETTINGS.limits, qps: -1 } }));
    await expect.poll(() => invalid.length, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
    expect(store.get().limits.qps).toBe(DEFAULT_SETTINGS.limits.qps);
    expect(seen).toHaveLength(1);
  }, 40_000);

  it('sees every later write too: the watch survives the file being replaced by rename', async () => {
    const path = fresh();
    const store = open(path);
    const seen: Settings[] = [];
    store.onExternalChange((next) => seen.push(next));
    for (const [i, notifications] of [false, true, false].entries()) {
      openSettingsFile(path).update((s) => ({ ...s, notifications }));
      await expect.poll(() => seen.length, { timeout: 15_000, interval: 50 }).toBe(i + 1);
      expect(seen[i]!.notifications).toBe(notifications);
    }
  }, 40_000);
});
