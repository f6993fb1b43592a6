import { describe, expect, it } from 'vitest';
import type { EngineEvent, SyncEngineApi } from '../../../src/sync/engineApi.js';
import { createEngineHolder, unconfiguredEngine } from '../../../app/main/engineHolder.js';
import { FEISHU_ERROR_CODES } from '../../../src/feishu/errorCodes.js';
import { ZH_FEISHU_REMEDIES } from '../../../src/i18n/feishuRemedies.js';
import { engineState, mapping } from './engineStateFixture.js';

function emitter(name: string) {
  const listeners = new Set<(e: EngineEvent) => void>();
  const calls: string[] = [];
  const engine = {
    ...unconfiguredEngine(engineState().quota),
    pause: () => void calls.push(`${name} pause`),
    getState: () => engineState({ mappings: [mapping({ id: name })] }),
    on: (l: (e: EngineEvent) => void) => (listeners.add(l), () => void listeners.delete(l)),
  } satisfies SyncEngineApi;
  return { engine, calls, emit: (e: EngineEvent) => listeners.forEach((l) => l(e)), listeners };
}

describe('engine holder', () => {
  it('forwards calls and events to the current engine, and keeps listeners across a swap', () => {
    const a = emitter('a');
    const b = emitter('b');
    const holder = createEngineHolder(a.engine);
    const seen: string[] = [];
    holder.on((e) => seen.push(e.type === 'state' ? `state ${e.state.mappings[0]?.id}` : e.type));
    holder.pause();
    a.emit({ type: 'firstSyncDone', mappingId: 'm1' });

    expect(holder.swap(b.engine)).toBe(a.engine);
    expect(a.listeners.size).toBe(0); // the old engine no longer reaches the app
    holder.pause();
    a.emit({ type: 'firstSyncDone', mappingId: 'old' });
    b.emit({ type: 'quota', quota: engineState().quota });

    expect(a.calls).toEqual(['a pause']);
    expect(b.calls).toEqual(['b pause']);
    expect(seen).toEqual(['firstSyncDone', 'state b', 'quota']);
    expect(holder.getState().mappings[0]!.id).toBe('b');
  });

  it("shows Feishu's remedies in the display language, asked at every state and event", () => {
    const a = emitter('a');
    let lang: 'en' | 'zh-CN' = 'zh-CN';
    const holder = createEngineHolder(a.engine, { lang: () => lang });
    const seen: string[] = [];
    holder.on((e) => e.type === 'error' && seen.push(e.error.remedy));
    const error = { code: 1061004, message: 'forbidden', remedy: FEISHU_ERROR_CODES.get(1061004)!.remedy, at: 1 };
    a.emit({ type: 'error', error });
    lang = 'en';
    a.emit({ type: 'error', error });
    expect(seen).toEqual([ZH_FEISHU_REMEDIES[1061004], error.remedy]);
  });

  it('forwards syncOnce with its options (the Feishu check) to the engine current at the call', async () => {
    const a = emitter('a');
    const b = emitter('b');
    const asked: string[] = [];
    const answer = (name: string) => async (o?: { mappingId?: string; verify?: boolean }) => {
      asked.push(`${name} ${JSON.stringify(o)}`);
      return { uploaded: [name], versioned: [], moved: [], skipped: [], failed: [], unchanged: 0, callsByEndpoint: {}, quotaExhausted: false };
    };
    const holder = createEngineHolder({ ...a.engine, syncOnce: answer('a') });
    expect((await holder.syncOnce({ mappingId: 'm1', verify: true })).uploaded).toEqual(['a']);
    holder.swap({ ...b.engine, syncOnce: answer('b') });
    expect((await holder.syncOnce({ mappingId: 'm2', verify: true })).uploaded).toEqual(['b']);
    expect(asked).toEqual(['a {"mappingId":"m1","verify":true}', 'b {"mappingId":"m2","verify":true}']);
  });

  it('the unconfigured engine refuses sends with what to do, and tracks pause', async () => {
    const engine = unconfiguredEngine(engineState().quota);
    await expect(engine.send(['/a'])).rejects.toThrow(/Settings → Account/);
    engine.pause();
    expect(engine.getState()).toMatchObject({ running: false, paused: true, mappings: [] });
  });
});
