/**
 * Kill -9 a writer at random moments, many times: every time, the index opens
 * (quick_check ok, not rebuilt), keeps every transaction the writer reported
 * committed, and no transaction is half applied — rows, tombstones and packs
 * alike (the writer folds often and bulk-writes a pack in every transaction).
 * Needs the compiled sources (`npm run build`), as the child runs plain node.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openIndex } from '../../../src/index/openIndex.js';
import { seededRandom } from '../../../src/platform/clock.js';

const root = join(import.meta.dirname, '..', '..', '..');
const writer = join(root, 'test', 'fixtures', 'indexCrashWriter.mjs');
const dir = mkdtempSync(join(tmpdir(), 'feisync-crash-'));
const path = join(dir, 'index.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until `delayMs` after it is ready, SIGKILLs it, returns the last commit it reported. */
function runAndKill(delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path, 'm1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let lastCommitted = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), delayMs);
        else if (line.startsWith('committed ')) lastCommitted = Number(line.slice(10));
        else reject(new Error(`writer said: ${line}`));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastCommitted);
      else reject(new Error(`writer exited ${code}: ${err}`));
    });
  });
}

describe('index durability under SIGKILL', () => {
  it('survives 25 kills at random moments with every invariant intact', async () => {
    if (!existsSync(join(root, 'dist', 'src', 'index', 'openIndex.js'))) {
      throw new Error('dist/ is missing: run `npm run build` before this test (the writer child runs compiled JS)');
    }
    const random = seededRandom(20261125);
    let floor = 0;
    for (let round = 0; round < 25; round++) {
      const reported = await runAndKill(Math.floor(random() * 80));
      const index = openIndex(path);
      try {
        expect(index.rebuilt).toBeUndefined();
        expect(index.db.pragma('quick_check', { simple: true })).toBe('ok');
        expect(index.db.pragma('foreign_key_check')).toEqual([]);
        const all = index.listFiles('m1');
        const files = all.filter((f) => !f.relPath.startsWith('mover-'));
        // The folder re-pathed in every transaction is whole, in one place, matching the commit count.
        const mover = all.filter((f) => f.relPath.startsWith('mover-')).map((f) => f.relPath).sort();
        const side = files.length % 2;
        expect(mover).toEqual([`mover-${side}/a`, `mover-${side}/b`, `mover-${side}/c/d`]);
        expect(index.listFolders('m1')).toEqual([{ mappingId: 'm1', relPath: `mover-${side}`, remoteToken: 'mover' }]);
        // Durable: everything reported committed is there; nothing goes backwards.
        expect(files.length).toBeGreaterThanOrEqual(Math.max(reported, floor));
        floor = files.length;
        // Atomic: each transaction added one file, 8 quota calls, one activity row and moved the one upload.
        expect(index.quotaUsed('2026-11-25')).toEqual(files.length ? { filesUploadPart: 8 * files.length } : {});
        expect(index.recentActivity(10_000)).toHaveLength(Math.min(files.length, 1000));
        // …and packed three records of the bulk mapping (putFiles, merged with the pack before).
        const bulk = index.listFiles('m1-bulk').map((f) => f.relPath).sort();
        expect(bulk).toEqual(Array.from({ length: files.length }, (_, n) => [0, 1, 2].map((k) => `gen-${n}/${k}`)).flat().sort());
        const uploads = index.db.prepare('SELECT rel_path FROM chunk_uploads').all() as { rel_path: string }[];
        expect(uploads).toHaveLength(files.length ? 1 : 0);
        if (files.length) {
          const last = files.length - 1;
          const upload = index.getChunkUpload('m1', `dir-${last % 7}/file-${last}.bin`)!;
          expect(upload.ackedBlocks.size).toBe(8);
          expect(index.getFile('m1', upload.relPath)?.remoteToken).toBe(`tok-${last}`);
        }
      } finally {
        index.close();
      }
    }
    expect(floor).toBeGreaterThan(0);
    // The kills did land among packs: both mappings' records are packed by now.
    const index = openIndex(path);
    try {
      const packed = index.db.prepare('SELECT mapping_id AS m, SUM(records) AS n FROM file_packs GROUP BY mapping_id ORDER BY m').all();
      expect(packed).toEqual([{ m: 'm1', n: expect.any(Number) }, { m: 'm1-bulk', n: expect.any(Number) }]);
    } finally {
      index.close();
    }
  });
});
