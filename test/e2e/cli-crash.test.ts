/**
 * Crash safety of `feisync sync --once`: SIGKILL the real binary at random
 * moments during chunked uploads (≥ 20 times), restart it each time, and
 * check that every file ends up in Drive exactly once with the right bytes,
 * and that each kill costs at most the in-flight blocks (counted at the sandbox).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
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

let sandbox: SandboxHandle;
beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ limits: 'off' });
});
afterAll(async () => {
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

const parts = () => sandbox.counters().calls.filesUploadPart ?? 0;

describe('feisync sync --once under SIGKILL', () => {
  it(`${KILLS} kills during chunked uploads: every file uploaded exactly once, ≤ ${IN_FLIGHT_LIMIT} blocks re-sent per kill`, async () => {
    const random = seededRandom(SEED);
    const home = cliHome();
    const dir = join(home.dir, 'big');
    mkdirSync(dir);
    SIZES.forEach((size, i) => writeRandomFile(join(dir, `video-${i}.bin`), size));
    mkdirSync(join(home.dir, 'config'), { recursive: true });
    writeFileSync(home.config, JSON.stringify({ limits: { fileConcurrency: FILE_CONCURRENCY, blockConcurrency: BLOCK_CONCURRENCY } }));
    const args = ['sync', '--once', '--json', '--local', dir, '--folder', sandbox.rootFolderToken, '--base-url', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret', sandbox.appSecret];

    let kills = 0;
    let finished = false;
    for (let run = 0; run < 200 && !finished; run++) {
      const child = home.spawn(args);
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
      const startParts = parts();
      const target = startParts + 1 + Math.floor(random() * 2);
      const delay = Math.floor(random() * 80);
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
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      const { signal } = await exited;
      if (signal === 'SIGKILL') kills++;
      else finished = true;
    }
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(KILLS);

    expect(expectMirrors(localFiles(dir), remoteFiles(sandbox.tree()))).toEqual([]);
    const needed = SIZES.reduce((s, size) => s + blockCount(size), 0);
    const resent = parts() - needed;
    console.info(`crash test: ${kills} kills, ${parts()} upload_part calls for ${needed} blocks (${resent} re-sent; limit ${kills * IN_FLIGHT_LIMIT}), seed ${SEED}`);
    expect(resent).toBeGreaterThanOrEqual(0);
    expect(resent, `${resent} blocks re-sent over ${kills} kills (seed ${SEED})`).toBeLessThanOrEqual(kills * IN_FLIGHT_LIMIT);
  }, 240_000);
});
