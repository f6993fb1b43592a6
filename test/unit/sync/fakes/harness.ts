/** Builds an Executor over the fakes and a temp folder; files are written by the test. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FakeClock } from '../../../../src/platform/clock.js';
import { indexJournal } from '../../../../src/sync/chunkJournal.js';
import { DriveCalls } from '../../../../src/sync/driveCalls.js';
import { Executor, type ExecutorDeps } from '../../../../src/sync/executor.js';
import { statIdentity, type SyncFs } from '../../../../src/sync/localFiles.js';
import { RemoteFolders } from '../../../../src/sync/remoteFolders.js';
import { DEFAULT_UPLOAD_TTL_MS } from '../../../../src/sync/uploadJob.js';
import { FakeDrive } from './fakeDrive.js';
import { MemoryIndex } from './memoryIndex.js';
import { TestScheduler } from './testScheduler.js';

export const testFs: SyncFs = {
  stat: statIdentity,
  hashFile: async (p) => createHash('sha256').update(readFileSync(p)).digest('hex'),
};

export function harness(overrides: Partial<ExecutorDeps> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'feisync-exec-'));
  const drive = new FakeDrive();
  const index = new MemoryIndex();
  const scheduler = new TestScheduler();
  const clock = new FakeClock();
  const calls = new DriveCalls(scheduler);
  const folders = new RemoteFolders(drive, index, calls, () => drive.rootToken);
  const deps: ExecutorDeps = {
    drive, index, fs: testFs, clock, calls, folders, journal: indexJournal(index),
    settleMs: 0, blockConcurrency: 3, uploadTtlMs: DEFAULT_UPLOAD_TTL_MS, diskPath: (_m, rel) => join(dir, rel), quotaResumesAt: (e) => scheduler.quotaResumesAt(e), ...overrides,
  };
  return {
    dir, drive, index, scheduler, clock, deps,
    executor: new Executor(deps),
    /** A fresh executor over the same index and drive: what a restarted process has. */
    restart: () => new Executor({ ...deps, folders: new RemoteFolders(drive, index, calls, () => drive.rootToken) }),
    write(relPath: string, data: Buffer | string) {
      const abs = join(dir, relPath);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, data);
      return abs;
    },
    sha(data: Buffer | string) { return createHash('sha256').update(data).digest('hex'); },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Deterministic pseudo-random bytes (so block contents differ). */
export function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}
