import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type MappingSettings, type Settings } from '../../../src/config/settings.js';
import { applySettingsChange, settingsChangePlan } from '../../../app/main/settingsChange.js';
import { unconfiguredEngine } from '../../../app/main/engineHolder.js';
import { engineState } from './engineStateFixture.js';

const m = (id: string, over: Partial<MappingSettings> = {}): MappingSettings => ({ id, localPath: `/data/${id}`, folderToken: `fld${id}`, deletePolicy: 'keep', ignore: [], paused: false, ...over });
const settings = (over: Partial<Settings> = {}): Settings => ({ ...structuredClone(DEFAULT_SETTINGS), account: { cloud: 'feishu', appId: 'cli_a', identity: 'tenant' }, ...over });

describe('settingsChangePlan (the CLI edited the shared settings file)', () => {
  it('adds new mappings, replaces changed ones, removes deleted ones, leaves the rest', () => {
    const before = settings({ mappings: [m('m1'), m('m2'), m('m3')] });
    const after = settings({ mappings: [m('m1'), m('m2', { ignore: ['*.tmp'] }), m('m4')] });
    expect(settingsChangePlan(before, after)).toEqual({ rebuild: false, upsert: [m('m2', { ignore: ['*.tmp'] }), m('m4')], remove: ['m3'] });
  });

  it('a new account or new limits rebuild the engine', () => {
    expect(settingsChangePlan(settings(), settings({ account: { cloud: 'lark', appId: 'cli_a', identity: 'tenant' } })).rebuild).toBe(true);
    expect(settingsChangePlan(settings(), settings({ limits: { ...DEFAULT_SETTINGS.limits, fileConcurrency: 1 } })).rebuild).toBe(true);
    expect(settingsChangePlan(settings(), settings({ language: 'zh-CN' }))).toEqual({ rebuild: false, upsert: [], remove: [] });
  });

  it('`feisync pause` / `resume` in the file pause or resume the engine', () => {
    expect(settingsChangePlan(settings(), settings({ paused: true })).paused).toBe(true);
    expect(settingsChangePlan(settings({ paused: true }), settings({ paused: false })).paused).toBe(false);
  });

  it('applying a plan drives the engine', () => {
    const calls: string[] = [];
    const engine = {
      ...unconfiguredEngine(engineState().quota),
      addMapping: (x: MappingSettings) => void calls.push(`add ${x.id}`),
      removeMapping: (id: string) => void calls.push(`remove ${id}`),
      pause: () => void calls.push('pause'),
    };
    applySettingsChange(engine, { rebuild: false, upsert: [m('m4')], remove: ['m3'], paused: true });
    expect(calls).toEqual(['remove m3', 'remove m4', 'add m4', 'pause']);
  });
});
