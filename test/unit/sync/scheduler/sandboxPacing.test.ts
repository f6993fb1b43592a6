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
import { createScheduler, type Scheduler } from '../../../../src/sync/scheduler/index.js';
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

/** Workers calling list-folder through `scheduler`'s gate, reporting answers back like the client hook does. */
function listWorkers(s: SandboxHandle, token: string, scheduler: Scheduler, workers: number, shouldGo: () => boolean, net: { inFlight: number }) {
  const url = `${s.baseUrl}${ENDPOINTS.listFolder.path}?folder_token=${s.rootFolderToken}`;
  const codes: number[] = [];
  const worker = async () => {
    while (shouldGo()) {
      await scheduler.gate.acquire('listFolder');
      net.inFlight++;
      try {
        const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
        const code = ((await res.body.json()) as { code: number }).code;
        codes.push(code);
        const headers = res.headers as Record<string, string>;
        scheduler.hook.afterResponse!({ endpoint: 'listFolder', httpStatus: res.statusCode, code, durationMs: 0, headers });
      } finally {
        net.inFlight--;
      }
    }
  };
  return { codes, done: Promise.all(Array.from({ length: workers }, worker)) };
}

/** Move fake time 1 ms at a time, only while no request is in flight, until `done` settles. */
async function runInFakeTime(clock: FakeClock, done: Promise<unknown>, net: { inFlight: number }): Promise<void> {
  let settled = false;
  void done.finally(() => (settled = true));
  while (!settled) {
    // Let released workers reach the network first, then move time only when nothing is in flight.
    await new Promise((r) => setImmediate(r));
    if (net.inFlight === 0) await clock.advance(1);
  }
  await done;
}

describe('pacing against the sandbox server', () => {
  it('six busy workers make 60 list calls in 12 s of fake time with no 99991400', async () => {
    const clock = new FakeClock(at('2026-01-01T03:00:00Z'));
    sandbox = await startSandbox({ limits: 'feishu', clock });
    const token = await tenantToken(sandbox);
    const scheduler = createScheduler({ clock, random: seededRandom(5), store: new MemoryQuotaStore(), pacing: { guardMs: 0 } });
    const net = { inFlight: 0 };
    let budget = 60;
    const start = clock.now();
    const { codes, done } = listWorkers(sandbox, token, scheduler, 6, () => budget-- > 0, net);
    await runInFakeTime(clock, done, net);

    expect(codes).toHaveLength(60);
    expect(codes.filter((c) => c !== 0)).toEqual([]);
    expect(sandbox.counters().rateLimited.listFolder ?? 0).toBe(0);
    expect(sandbox.counters().calls.listFolder).toBe(60);
    // 59 intervals of 200 ms: the ceiling, not a crawl.
    expect(clock.now() - start).toBeLessThanOrEqual(59 * 200 + 5);
  });

  it('two clients of one app share the limit: both back off on 99991400 and keep most of the rate', async () => {
    const clock = new FakeClock(at('2026-01-01T03:00:00Z'));
    sandbox = await startSandbox({ limits: 'feishu', clock });
    const token = await tenantToken(sandbox);
    const net = { inFlight: 0 };
    const end = clock.now() + 30_000;
    const a = createScheduler({ clock, random: seededRandom(11), store: new MemoryQuotaStore() });
    const b = createScheduler({ clock, random: seededRandom(12), store: new MemoryQuotaStore() });
    const wa = listWorkers(sandbox, token, a, 4, () => clock.now() < end, net);
    const wb = listWorkers(sandbox, token, b, 4, () => clock.now() < end, net);
    await runInFakeTime(clock, Promise.all([wa.done, wb.done]), net);

    const sent = wa.codes.length + wb.codes.length;
    const limited = [...wa.codes, ...wb.codes].filter((c) => c === 99991400).length;
    const accepted = sent - limited;
    expect(accepted / 30).toBeGreaterThan(0.6 * 5);
    expect(limited / sent).toBeLessThan(0.2);
    // Neither client starves the other (AIMD does not promise an even split within 30 s).
    expect(wa.codes.filter((c) => c === 0).length).toBeGreaterThan(accepted / 10);
    expect(wb.codes.filter((c) => c === 0).length).toBeGreaterThan(accepted / 10);
  });
});
