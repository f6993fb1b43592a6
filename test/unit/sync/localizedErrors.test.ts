import { describe, expect, it } from 'vitest';
import { ZH_CORE_REMEDIES } from '../../../src/i18n/coreRemedies.js';
import { ZH_FEISHU_REMEDIES } from '../../../src/i18n/feishuRemedies.js';
import { SCAN_ERROR_REMEDIES } from '../../../src/scan/scanError.js';
import type { EngineErrorInfo } from '../../../src/sync/engineApi.js';
import { localizeEvent, localizeState } from '../../../src/sync/localizedErrors.js';
import { engineState, mapping } from '../app/engineStateFixture.js';

const feishu: EngineErrorInfo = { code: 1061004, message: 'filesUploadAll: Feishu error 1061004 (HTTP 403) forbidden — x', remedy: 'x', at: 1 };
const own: EngineErrorInfo = { code: 'E_LOCAL_MISSING', message: 'gone', remedy: 'The file is gone.', at: 2 };
const zh = ZH_FEISHU_REMEDIES[1061004];

describe('engine errors in the display language', () => {
  it("rewrites the remedies of a state's mappings and last errors, and nothing else", () => {
    const state = engineState({ mappings: [mapping({ id: 'a', error: feishu }), mapping({ id: 'b' })], lastErrors: [feishu, own] });
    const shown = localizeState(state, 'zh-CN');
    expect(shown.mappings[0]!.error).toEqual({ ...feishu, remedy: zh });
    expect(shown.mappings[1]).toBe(state.mappings[1]);
    expect(shown.lastErrors).toEqual([{ ...feishu, remedy: zh }, own]);
    expect(state.lastErrors[0]!.remedy).toBe('x'); // the engine's own state is untouched
    expect(localizeState(state, 'en')).toBe(state);
  });

  it('rewrites error, mapping, state and send events', () => {
    expect(localizeEvent({ type: 'error', error: feishu }, 'zh-CN')).toEqual({ type: 'error', error: { ...feishu, remedy: zh } });
    const sent = localizeEvent({ type: 'sendDone', sendId: 's', results: [{ path: '/a', ok: false, error: feishu }, { path: '/b', ok: true }] }, 'zh-CN');
    expect(sent).toEqual({ type: 'sendDone', sendId: 's', results: [{ path: '/a', ok: false, error: { ...feishu, remedy: zh } }, { path: '/b', ok: true }] });
    const m = localizeEvent({ type: 'mapping', mapping: mapping({ error: feishu }) }, 'zh-CN');
    expect(m.type === 'mapping' && m.mapping.error?.remedy).toBe(zh);
    const quota = { type: 'quota', quota: engineState().quota } as const;
    expect(localizeEvent(quota, 'zh-CN')).toBe(quota);
  });

  it("rewrites the remedy of FeiSync's own code, but not one it has no line for", () => {
    const remedy = SCAN_ERROR_REMEDIES.E_SCAN_ROOT_MISSING;
    const scan: EngineErrorInfo = { code: 'E_SCAN_ROOT_MISSING', message: `cannot scan /Volumes/USB/photos: E_SCAN_ROOT_MISSING — ${remedy}`, remedy, at: 3 };
    const shown = localizeState(engineState({ mappings: [mapping({ id: 'a', error: scan })], lastErrors: [scan, own] }), 'zh-CN');
    expect(shown.mappings[0]!.error).toEqual({ ...scan, remedy: ZH_CORE_REMEDIES.E_SCAN_ROOT_MISSING });
    expect(shown.lastErrors).toEqual([{ ...scan, remedy: ZH_CORE_REMEDIES.E_SCAN_ROOT_MISSING }, own]);
  });
});
