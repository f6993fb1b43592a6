import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UPLOAD_ALL_MAX_BYTES } from '../../src/feishu/limits.js';
import { e2ePerTest } from './engineHelpers.js';

const start = e2ePerTest();

/** Faults one at a time, then all together; every run must end with nothing lost and nothing doubled. */
const SPECS = [
  '1061045:0.3,seed:1',
  '1061001:0.2,seed:2',
  '5xx:0.2,seed:3',
  'reset:0.15,seed:4',
  'latency:40',
  '1061045:0.1,1061001:0.05,5xx:0.05,reset:0.05,latency:5,seed:42',
  // Upload-protocol answers: corrupted blocks, expired uploads, missing blocks at finish.
  '1062008:0.2,seed:5',
  '1061021:0.1,1062010:0.1,seed:6',
];

describe('engine under injected Feishu faults', () => {
  for (const spec of SPECS) {
    it(`survives "${spec}": nothing lost, no duplicate remote files`, async () => {
      const t = await start({
        sandbox: { limits: 'off', faults: spec },
        qps: 200,
        scheduler: { retry: { baseMs: 5, capMs: 50, maxAttempts: 6 } },
      });
      for (let i = 0; i < 30; i++) t.write(`dir${i % 3}/f${i}.txt`, `content ${i}`);
      t.write('big/chunked.bin', randomBytes(UPLOAD_ALL_MAX_BYTES + 3_000_000));
      let summary = await t.handle.engine.syncOnce();
      // Whatever outlasted the retries is failed (never lost): the next run sends it.
      for (let run = 0; run < 5 && summary.failed.length > 0; run++) summary = await t.handle.engine.syncOnce();
      expect(summary.failed).toEqual([]);
      t.sandbox.setFaults('none');
      expect(t.remoteFiles()).toEqual(t.localFiles());
      expect(t.duplicatePaths()).toEqual([]);
      expect((await t.handle.engine.syncOnce()).callsByEndpoint).toEqual({});
      // The faults really happened: more calls than the fault-free minimum (4 folders, 30 + 1 files of which one in 6 blocks).
      const calls = Object.entries(t.sandbox.counters().calls).filter(([k]) => k !== 'tenantToken').reduce((n, [, v]) => n + (v ?? 0), 0);
      if (!spec.startsWith('latency')) expect(calls).toBeGreaterThan(4 + 30 + 1 + 6 + 1);
    }, 120_000);
  }
});
