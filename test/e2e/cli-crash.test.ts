/**
 * Crash safety of `feisync sync --once`: SIGKILL the real binary at random
 * moments during chunked uploads (≥ 20 times), restart it each time, and
 * check that every file ends up in Drive exactly once with the right bytes,
 * and that each kill costs at most the in-flight blocks. The blocks are
 * counted on the wire by a recording proxy between the CLI and the sandbox:
 * each upload_part's (file, seq) is noted, with the run that sent it, once the
 * sandbox accepted it; a block sent again later is a re-send charged to the
 * kill that ended the run whose copy was lost.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ENDPOINTS } from '../../src/feishu/endpoints.js';
import { blockCount } from '../../src/feishu/limits.js';
import { seededRandom } from '../../src/platform/clock.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { assertBuilt, cliHome, exitOf } from './helpers/cliRunner.js';
import { expectMirrors, localFiles, remoteFiles } from './helpers/trees.js';

const MB = 1024 * 1024;
const SIZES = [30 * MB + 17, 38 * MB + 4099, 45 * MB, 52 * MB + 1, 60 * MB - 3];
const KILLS = 20;
const FILE_CONCURRENCY = 2;
const BLOCK_CONCURRENCY = 3;
/** Blocks that can be on the wire at once (below the scheduler's global cap of 8). */
const IN_FLIGHT_LIMIT = FILE_CONCURRENCY * BLOCK_CONCURRENCY;
const SEED = Number(process.env.FEISYNC_CRASH_SEED ?? 20261125);

/**
 * Blocks the sandbox accepted, keyed by file name and seq (a new upload
 * session for the same file re-sends the same keys), and how many accepted
 * upload_part requests re-sent a key already accepted.
 */
interface BlockLedger {
  /** upload_part requests the sandbox accepted so far. */
  accepted(): number;
  /** Accepted upload_part requests whose (file, seq) had been accepted before. */
  resent(): number;
  /**
   * A base URL for one run: the proxy listens on a port of its own per run, so a
   * request is charged to the run that sent it even when a killed child's last
   * request is still being forwarded after the next run has started.
   */
  startRun(run: number): Promise<string>;
  /** Re-sends of blocks whose earlier accepted copy was sent by `run`. */
  resentFrom(run: number): number;
  /** Distinct (file, seq) accepted. */
  distinct(): number;
  /**
   * While on, accepted blocks' answers are held back: the sandbox has the
   * block, the CLI does not know it yet (a kill now must cost a re-send).
   * Turning it off drops the held answers (their client is dead by then).
   */
  hold(on: boolean): void;
  /** Answers held back now. */
  held(): number;
  close(): Promise<void>;
}

async function startBlockLedger(target: string): Promise<BlockLedger> {
  const fileOfUpload = new Map<string, string>();
  /** (file, seq) → the run whose copy the sandbox accepted last. */
  const seen = new Map<string, number>();
  const resentByRun = new Map<number, number>();
  let accepted = 0;
  let resent = 0;
  let holding = false;
  const held: ServerResponse[] = [];
  const field = (body: string, name: string) => new RegExp(`name="${name}"\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([^\\r]*)\\r\\n`).exec(body)?.[1];
  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const out = request(new URL(path, target), { method, headers: { ...headers, host: new URL(target).host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  const servers: Server[] = [];
  const handlerFor = (run: number) => (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      forward(req.method ?? 'GET', path, req.headers, body).then(
        (reply) => {
          const ok = reply.status === 200 && (JSON.parse(reply.body.toString('utf8')) as { code?: number }).code === 0;
          if (ok && path.startsWith(ENDPOINTS.filesUploadPrepare.path)) {
            const data = (JSON.parse(reply.body.toString('utf8')) as { data: { upload_id: string } }).data;
            fileOfUpload.set(data.upload_id, (JSON.parse(body.toString('utf8')) as { file_name: string }).file_name);
          }
          if (ok && path.startsWith(ENDPOINTS.filesUploadPart.path)) {
            // The form fields come before the block's bytes.
            const head = body.subarray(0, 4096).toString('latin1');
            const key = `${fileOfUpload.get(field(head, 'upload_id') ?? '') ?? '?'}#${field(head, 'seq') ?? '?'}`;
            accepted++;
            const earlier = seen.get(key);
            if (earlier !== undefined) {
              resent++;
              resentByRun.set(earlier, (resentByRun.get(earlier) ?? 0) + 1);
            }
            seen.set(key, run);
            if (holding) return void held.push(res);
          }
          res.writeHead(reply.status, reply.headers).end(reply.body);
        },
        () => res.destroy(),
      );
    });
  };
  return {
    accepted: () => accepted,
    resent: () => resent,
    async startRun(run) {
      const server = createServer(handlerFor(run));
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    resentFrom: (run) => resentByRun.get(run) ?? 0,
    distinct: () => seen.size,
    hold(on) {
      holding = on;
      if (!on) held.splice(0).forEach((res) => res.destroy());
    },
    held: () => held.length,
    close: () =>
      Promise.all(servers.map((server) => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }))).then(() => undefined),
  };
}

let sandbox: SandboxHandle;
let ledger: BlockLedger;
beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ limits: 'off' });
  ledger = await startBlockLedger(sandbox.baseUrl);
});
afterAll(async () => {
  await ledger?.close();
  await sandbox?.close();
});

function writeRandomFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  for (let done = 0; done < size; ) {
    const n = Math.min(4 * MB, size - done);
    writeSync(fd, randomBytes(n));
    done += n;
  }
  closeSync(fd);
}

const parts = () => ledger.accepted();

describe('feisync sync --once under SIGKILL', () => {
  it(`${KILLS} kills during chunked uploads: every file uploaded exactly once, ≤ ${IN_FLIGHT_LIMIT} blocks re-sent per kill`, async () => {
    const random = seededRandom(SEED);
    const home = cliHome();
    const dir = join(home.dir, 'big');
    mkdirSync(dir);
    SIZES.forEach((size, i) => writeRandomFile(join(dir, `video-${i}.bin`), size));
    mkdirSync(join(home.dir, 'config'), { recursive: true });
    writeFileSync(home.config, JSON.stringify({ limits: { fileConcurrency: FILE_CONCURRENCY, blockConcurrency: BLOCK_CONCURRENCY } }));
    const args = (baseUrl: string) => ['sync', '--once', '--json', '--local', dir, '--folder', sandbox.rootFolderToken, '--base-url', baseUrl, '--app-id', sandbox.appId, '--app-secret', sandbox.appSecret];

    let kills = 0;
    let finished = false;
    /** The runs that ended in a kill. */
    const killedRuns: number[] = [];
    /** Acknowledgements held back at each holding kill. */
    const heldBack: number[] = [];
    for (let run = 0; run < 200 && !finished; run++) {
      const child = home.spawn(args(await ledger.startRun(run)));
      onTestFinished(() => void child.kill('SIGKILL'));
      child.stdout!.resume();
      child.stderr!.resume();
      if (kills >= KILLS) {
        const { code } = await exitOf(child);
        expect(code, 'the run after the last kill completes').toBe(0);
        finished = true;
        break;
      }
      // Kill after 1-2 more blocks reached the server, plus a random 0-80 ms: mid-block, between blocks, around finish.
      // Every other run, the answers to blocks accepted after that point are held back until the kill:
      // the worst case, where everything in flight reached the server but its acknowledgement did not.
      const startParts = parts();
      const target = startParts + 1 + Math.floor(random() * 2);
      const delay = Math.floor(random() * 80);
      const holding = run % 2 === 1;
      const exited = exitOf(child);
      let done = false;
      void exited.then(() => (done = true));
      while (!done && parts() < target) await new Promise((r) => setTimeout(r, 5));
      if (done) {
        // Finished before the kill point: the upload is complete.
        expect((await exited).code).toBe(0);
        finished = true;
        break;
      }
      if (holding) {
        ledger.hold(true);
        const heldFrom = Date.now();
        while (!done && ledger.held() === 0 && Date.now() - heldFrom < 5000) await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      const { signal } = await exited;
      if (holding) heldBack.push(ledger.held());
      ledger.hold(false);
      if (signal === 'SIGKILL') {
        kills++;
        killedRuns.push(run);
      }
      else finished = true;
    }
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(KILLS);

    expect(expectMirrors(localFiles(dir), remoteFiles(sandbox.tree()))).toEqual([]);
    const needed = SIZES.reduce((s, size) => s + blockCount(size), 0);
    // Blocks the run cut short by each kill had delivered but had to send again.
    const resentAfterKill = killedRuns.map((run) => ledger.resentFrom(run));
    console.info(`crash test: ${kills} kills, ${parts()} upload_part calls for ${needed} blocks; re-sent per kill [${resentAfterKill.join(', ')}] (limit ${IN_FLIGHT_LIMIT}); acknowledgements held back at holding kills [${heldBack.join(', ')}]; seed ${SEED}`);
    // The holding kills did cost re-sends: the measure sees them.
    expect(heldBack.some((n) => n > 0)).toBe(true);
    expect(resentAfterKill.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // The ledger saw every block (and nothing but re-sends on top of them).
    expect(ledger.distinct()).toBe(needed);
    expect(parts()).toBe(needed + ledger.resent());
    expect(resentAfterKill.reduce((a, b) => a + b, 0), 'every re-send is charged to a kill').toBe(ledger.resent());
    expect(sandbox.counters().calls.filesUploadPart).toBeGreaterThanOrEqual(parts());
    expect(resentAfterKill).toHaveLength(kills);
    for (const [kill, resent] of resentAfterKill.entries()) {
      expect(resent, `blocks re-sent after kill ${kill + 1} of ${kills} (seed ${SEED})`).toBeLessThanOrEqual(IN_FLIGHT_LIMIT);
    }
  }, 240_000);
});
