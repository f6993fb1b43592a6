// Pacing benchmark: how close does the CallGate run one endpoint to Feishu's
// 5 calls/s without a single 99991400? Runs against the sandbox server with
// real limits ('feishu': 5 QPS per endpoint, sliding one-second window) and a
// busy client (several concurrent workers, all gated), using raw undici requests.
//
//   npm run build && node test/bench/rate.mjs
//
// Env: RATE_BENCH_SECONDS (default 20), RATE_BENCH_WORKERS (default 8),
//      RATE_BENCH_CONTENTION_SECONDS (default 10; 0 skips the two-client phase).
import { request, Agent } from 'undici';
import { startSandbox } from '../../dist/src/sandbox/index.js';
import { createScheduler } from '../../dist/src/sync/scheduler/index.js';
import { systemClock, seededRandom } from '../../dist/src/platform/clock.js';
import { ENDPOINTS } from '../../dist/src/feishu/endpoints.js';
import { DEFAULT_QPS } from '../../dist/src/feishu/limits.js';
import { retryAfterMsOf } from '../../dist/src/feishu/envelope.js';

const SECONDS = Number(process.env.RATE_BENCH_SECONDS ?? 20);
const WORKERS = Number(process.env.RATE_BENCH_WORKERS ?? 8);
const CONTENTION_SECONDS = Number(process.env.RATE_BENCH_CONTENTION_SECONDS ?? 10);
const ENDPOINT = 'listFolder';
const RATE_LIMITED = 99991400;

class MemoryQuotaStore {
  days = new Map();
  addQuotaCall(day, endpoint, n = 1) {
    const counts = this.days.get(day) ?? {};
    counts[endpoint] = (counts[endpoint] ?? 0) + n;
    this.days.set(day, counts);
  }
  quotaUsed(day) {
    return { ...this.days.get(day) };
  }
}

const dispatcher = new Agent({ connections: WORKERS * 2, keepAliveTimeout: 30_000 });

async function tenantToken(sandbox) {
  const res = await request(`${sandbox.baseUrl}${ENDPOINTS.tenantToken.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: sandbox.appId, app_secret: sandbox.appSecret }),
    dispatcher,
  });
  const body = await res.body.json();
  if (body.code !== 0) throw new Error(`tenant token: ${body.code} ${body.msg}`);
  return body.tenant_access_token;
}

/** `workers` loops hammering list-folder through `scheduler`'s gate until `endAt`. */
async function hammer(sandbox, token, scheduler, workers, endAt) {
  const sends = [];
  let rateLimited = 0;
  let errors = 0;
  const url = `${sandbox.baseUrl}${ENDPOINTS[ENDPOINT].path}?folder_token=${sandbox.rootFolderToken}&page_size=50`;
  // Workers still waiting for a slot at the end give up instead of overrunning the measured time.
  const stop = AbortSignal.timeout(Math.max(0, endAt - Date.now()));
  const worker = async () => {
    for (;;) {
      try {
        await scheduler.gate.acquire(ENDPOINT, stop);
      } catch (e) {
        if (stop.aborted) return;
        throw e;
      }
      const sentAt = Date.now();
      if (sentAt >= endAt) return;
      sends.push(sentAt);
      const res = await request(url, { headers: { authorization: `Bearer ${token}` }, dispatcher });
      const text = await res.body.text();
      let code = -1;
      try {
        code = JSON.parse(text).code;
      } catch {
        errors++;
      }
      const limited = code === RATE_LIMITED;
      if (limited) rateLimited++;
      else if (code !== 0) errors++;
      scheduler.gate.report(ENDPOINT, { rateLimited: limited, retryAfterMs: limited ? retryAfterMsOf(res.headers, Date.now()) : undefined });
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { sends, rateLimited, errors };
}

function maxInWindow(times, windowMs) {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j] <= sorted[i] - windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

function newScheduler(seed) {
  return createScheduler({ clock: systemClock, random: seededRandom(seed), store: new MemoryQuotaStore() });
}

const sandbox = await startSandbox({ limits: 'feishu' });
try {
  const token = await tenantToken(sandbox);

  // Phase 1: one busy client.
  const scheduler = newScheduler(1);
  const start = Date.now();
  const one = await hammer(sandbox, token, scheduler, WORKERS, start + SECONDS * 1000);
  const elapsedS = (Date.now() - start) / 1000;
  const achieved = one.sends.length / SECONDS;
  const server = sandbox.counters();
  console.log(`rate benchmark: ${ENDPOINT}, ${WORKERS} workers, ${SECONDS} s against the sandbox (limits 'feishu', ${DEFAULT_QPS} QPS)`);
  console.log(`  calls sent:           ${one.sends.length} in ${elapsedS.toFixed(2)} s`);
  console.log(`  achieved rate:        ${achieved.toFixed(3)} calls/s = ${((achieved / DEFAULT_QPS) * 100).toFixed(1)}% of ${DEFAULT_QPS}/s`);
  console.log(`  99991400 answers:     ${one.rateLimited} (server counted ${server.rateLimited[ENDPOINT] ?? 0} of ${server.calls[ENDPOINT] ?? 0} calls)`);
  console.log(`  other errors:         ${one.errors}`);
  console.log(`  max sends in any 1 s: ${maxInWindow(one.sends, 1000)}`);

  // Phase 2: a second client of the same app appears (two processes, two gates, one server limit).
  if (CONTENTION_SECONDS > 0) {
    await new Promise((r) => setTimeout(r, 1100));
    const a = newScheduler(2);
    const b = newScheduler(3);
    const endAt = Date.now() + CONTENTION_SECONDS * 1000;
    const [ra, rb] = await Promise.all([hammer(sandbox, token, a, WORKERS, endAt), hammer(sandbox, token, b, WORKERS, endAt)]);
    const ok = ra.sends.length + rb.sends.length - ra.rateLimited - rb.rateLimited;
    console.log(`two clients sharing one app quota for ${CONTENTION_SECONDS} s (each backs off on 99991400):`);
    console.log(`  calls sent:           ${ra.sends.length} + ${rb.sends.length}, accepted ${ok} = ${(ok / CONTENTION_SECONDS).toFixed(2)} calls/s`);
    console.log(`  99991400 answers:     ${ra.rateLimited} + ${rb.rateLimited} (${(((ra.rateLimited + rb.rateLimited) / Math.max(1, ra.sends.length + rb.sends.length)) * 100).toFixed(1)}% of sends)`);
    console.log(`  final rates:          ${a.pace(ENDPOINT).currentQps.toFixed(2)} / ${b.pace(ENDPOINT).currentQps.toFixed(2)} calls/s`);
  }
} finally {
  await sandbox.close();
  await dispatcher.close();
}
