import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_HASH_ALGORITHM, hashFile, nodeScanFs } from '../../../src/scan/scanFs.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'feisync-scanfs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeScanFs', () => {
  it('hashes a file in a stream, equal to hashing its bytes at once', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // spans several read chunks
    writeFileSync(join(dir, 'f'), bytes);
    expect(await hashFile(join(dir, 'f'))).toBe(createHash(CONTENT_HASH_ALGORITHM).update(bytes).digest('hex'));
  });

  it('stops hashing when aborted', async () => {
    writeFileSync(join(dir, 'f'), Buffer.alloc(1024 * 1024));
    const controller = new AbortController();
    controller.abort();
    await expect(hashFile(join(dir, 'f'), controller.signal)).rejects.toThrow();
  });

  it('reports kinds without following links, with exact ns mtime and inode', () => {
    writeFileSync(join(dir, 'f'), 'abc');
    mkdirSync(join(dir, 'd'));
    symlinkSync(join(dir, 'd'), join(dir, 'l'));
    const f = nodeScanFs.lstat(join(dir, 'f'));
    const exact = statSync(join(dir, 'f'), { bigint: true });
    expect(f).toEqual({ kind: 'file', size: 3, mtimeNs: exact.mtimeNs, ino: exact.ino.toString() });
    expect(nodeScanFs.lstat(join(dir, 'l')).kind).toBe('symlink');
    expect(nodeScanFs.readdir(dir).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'd', kind: 'folder' },
      { name: 'f', kind: 'file' },
      { name: 'l', kind: 'symlink' },
    ]);
  });
});
