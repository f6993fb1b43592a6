/**
 * The gate against the sandbox server's own rate limiter (the Feishu rule:
 * 5 calls per endpoint per rolling second), over real HTTP, in fake time
 * shared by both sides. Time moves only while no request is in flight, so
 * each call reaches the server at the instant the gate released it: this
 * checks the pacing rule itself, with no guard and no luck involved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { FakeClock, seededRandom } from '../../../../src/platform/clock.js';
import { ENDPOINTS } from '../../../../src/feishu/endpoints.js';
import { startSandbox, type SandboxHandle } from '../../../../src/sandbox/index.js';
import { createScheduler } from '../../../../src/sync/scheduler/index.js';
import { MemoryQuotaStore, at } from './fakes.js';

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function tenantToken(s: SandboxHandle): Promise<string> {
  const res = await request(`${s.baseUrl}${ENDPOINTS.tenantToken.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: s.appId, app_secret: s.appSecret }),
  });
  const body = (await res.body.json()) as { tenant_access_token: string };
  return body.tenant_access_token;
}

describe('pacing against the sandbox server', () => {
  it('six busy workers make 60 list calls in 12 s of fake time with no 99991400', async () => {
    const clock = new FakeClock(at('2026-01-01T03:00:00Z'));
    sandbox = await startSandbox({ limits: 'feishu', clock });
    const token = await tenantToken(sandbox);
    const scheduler = createScheduler({ clock, random: seededRandom(5), store: new MemoryQuotaStore(), pacing: { guardMs: 0 } });
    const url = `${sandbox.baseUrl}${ENDPOINTS.listFolder.path}?folder_token=${sandbox.rootFolderToken}`;

    let inFlight = 0;
    let remaining = 60;
    const codes: number[] = [];
    const worker = async () => {
      while (remaining > 0) {
        remaining--;
        await scheduler.gate.acquire('listFolder');
        inFlight++;
        try {
          const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
          codes.push(((await res.body.json()) as { code: number }).code);
        } finally {
          inFlight--;
        }
      }
    };
    const start = clock.now();
    let done = false;
    const all = Promise.all(Array.from({ length: 6 }, worker)).finally(() => (done = true));
    while (!done) {
      // Let released workers reach the network first, then move time only when nothing is in flight.
      await new Promise((r) => setImmediate(r));
      if (inFlight === 0) await clock.advance(1);
    }
    await all;

    expect(codes).toHaveLength(60);
    expect(codes.filter((c) => c !== 0)).toEqual([]);
    expect(sandbox.counters().rateLimited.listFolder ?? 0).toBe(0);
    expect(sandbox.counters().calls.listFolder).toBe(60);
    // 59 intervals of 200 ms: the ceiling, not a crawl.
    expect(clock.now() - start).toBeLessThanOrEqual(59 * 200 + 5);
  });
});
