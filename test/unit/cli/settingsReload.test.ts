import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followSettings, mappingChanges } from '../../../src/cli/settingsReload.js';
import type { MappingSettings } from '../../../src/config/settings.js';
import { openSettingsFile } from '../../../src/config/settingsFile.js';
import type { Logger } from '../../../src/platform/log.js';

const m = (id: string, over: Partial<MappingSettings> = {}): MappingSettings => ({
  id, localPath: `/data/${id}`, folderToken: `tok${id}`, deletePolicy: 'keep', ignore: [], paused: false, ...over,
});

describe('daemon settings reload', () => {
  it('adds new mappings, re-adds changed ones, removes deleted ones, leaves the rest alone', () => {
    const before = [m('m1'), m('m2'), m('m3')];
    const after = [m('m1'), m('m2', { deletePolicy: 'trash' }), m('m4')];
    expect(mappingChanges(before, after)).toEqual({ add: [m('m2', { deletePolicy: 'trash' }), m('m4')], remove: ['m3'] });
    expect(mappingChanges(before, before)).toEqual({ add: [], remove: [] });
  });
});

describe('the daemon following the settings file', () => {
  function setup() {
    const path = join(mkdtempSync(join(tmpdir(), 'feisync-follow-')), 'config.json');
    const file = openSettingsFile(path);
    const calls: string[] = [];
    const engine = {
      addMapping: (mapping: MappingSettings) => void calls.push(`add ${mapping.id}`),
      removeMapping: (id: string) => void calls.push(`remove ${id}`),
      pause: () => void calls.push('pause'),
      resume: () => void calls.push('resume'),
    };
    const warnings: unknown[] = [];
    const log = { debug() {}, info() {}, warn: (...args: unknown[]) => void warnings.push(args), error() {} } as unknown as Logger;
    return { file, calls, engine, log, warnings };
  }

  it('applies a write made while it was starting, and every later (atomic, by rename) write', async () => {
    const { file, calls, engine, log } = setup();
    const initial = file.load();
    file.update((s) => ({ ...s, mappings: [m('m1')] })); // `feisync map add` between load and follow
    const stop = followSettings(file, engine, initial, log, 20);
    try {
      await expect.poll(() => calls, { timeout: 10_000, interval: 20 }).toEqual(['add m1']);
      file.update((s) => ({ ...s, mappings: [...s.mappings, m('m2')] }));
      await expect.poll(() => calls, { timeout: 10_000, interval: 20 }).toEqual(['add m1', 'add m2']);
      file.update((s) => ({ ...s, mappings: [m('m2')], paused: true }));
      await expect.poll(() => calls, { timeout: 10_000, interval: 20 }).toEqual(['add m1', 'add m2', 'remove m1', 'pause']);
    } finally {
      stop();
    }
  });

  it('an invalid edit is logged and the running mappings stay', async () => {
    const { file, calls, engine, log, warnings } = setup();
    file.update((s) => ({ ...s, mappings: [m('m1')] }));
    const stop = followSettings(file, engine, file.load(), log, 20);
    try {
      writeFileSync(file.path, '{ "mappings": [ broken');
      await expect.poll(() => warnings.length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
      expect(calls).toEqual([]);
    } finally {
      stop();
    }
  });
});
