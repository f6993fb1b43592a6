import { describe, expect, it } from 'vitest';
import { mappingChanges } from '../../../src/cli/settingsReload.js';
import type { MappingSettings } from '../../../src/config/settings.js';

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
