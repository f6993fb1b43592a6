import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/sync/engineApi.js';
import { progressGate } from '../../../app/main/progressGate.js';

describe('progressGate (events pushed to the settings window)', () => {
  it('passes one progress event per interval and every other event', () => {
    let now = 1_000;
    const pass = progressGate(() => now, 250);
    const progress: EngineEvent = { type: 'progress', progress: { mappingId: 'm1', relPath: 'a', bytesDone: 1, bytesTotal: 9 } };
    const done: EngineEvent = { type: 'firstSyncDone', mappingId: 'm1' };
    const seen: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      seen.push(pass(progress), pass(done));
      now += 100;
    }
    expect(seen.filter((_, i) => i % 2 === 1).every(Boolean)).toBe(true);
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual([true, false, false, true, false, false, true, false, false, true]);
  });
});
