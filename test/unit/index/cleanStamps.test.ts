import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex, type OpenedIndex } from '../../../src/index/openIndex.js';
import type { CleanStamp, FileRecord } from '../../../src/index/types.js';

let dir: string;
let index: OpenedIndex;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'feisync-stamps-'));
  index = openIndex(join(dir, 'index.db'));
});
afterEach(() => {
  index.close();
  rmSync(dir, { recursive: true, force: true });
});

const stamp = (mappingId = 'm1'): CleanStamp => ({
  mappingId, digest: '0123456789abcdef', rules: '{"ignore":""}', pruned: ['d/.DS_Store'], unchanged: 2, skipped: [{ path: 'empty.txt', reason: 'empty-file' }],
});
const file = (relPath: string, mappingId = 'm1'): FileRecord => ({
  mappingId, relPath, size: 1, mtimeNs: 1n, ino: '1', hash: null, remoteToken: 't', remoteParentToken: null, remoteVersion: null,
  state: 'synced', reason: null, failures: 0, lastSyncedAt: null,
});

describe('clean-pass stamps', () => {
  it('are kept as written, and dropped by any write to the mapping\'s files or folders, by this connection or another', () => {
    const writes: [string, () => void][] = [
      ['upsertFile', () => index.upsertFile(file('x'))],
      ['deleteFile', () => index.deleteFile('m1', 'x')],
      ['putFiles', () => index.putFiles('m1', [file('p')])],
      ['deleteFile of a packed record (tombstone)', () => index.deleteFile('m1', 'p')],
      ['upsertFolder', () => index.upsertFolder({ mappingId: 'm1', relPath: 'd', remoteToken: 'f' })],
      ['deleteFolder', () => index.deleteFolder('m1', 'd')],
      ['renameFile', () => (index.upsertFile(file('r')), index.putCleanStamp(stamp()), index.renameFile('m1', 'r', 's'))],
      ['forgetMapping', () => index.forgetMapping('m1')],
      ['another connection', () => { const other = openIndex(join(dir, 'index.db')); other.upsertFile(file('y')); other.close(); }],
    ];
    for (const [what, write] of writes) {
      index.putCleanStamp(stamp());
      index.putCleanStamp(stamp('m2'));
      expect(index.getCleanStamp('m1'), what).toEqual(stamp());
      write();
      expect(index.getCleanStamp('m1'), what).toBeUndefined();
      expect(index.getCleanStamp('m2'), `${what} leaves other mappings' stamps`).toEqual(stamp('m2'));
    }
  });

  it('survive what is not a record: quota, activity, chunked-upload journals', () => {
    index.putCleanStamp(stamp());
    index.addQuotaCall('2026-11-26', 'filesUploadAll', 1);
    index.addActivity({ at: 1, mappingId: 'm1', relPath: 'a', kind: 'uploaded', remoteToken: null, url: null, detail: null });
    expect(index.getCleanStamp('m1')).toEqual(stamp());
  });

  it('share one digest seed per index, made once, across connections', () => {
    const seed = index.digestSeed();
    expect(seed).toMatch(/^[0-9a-f]{16}$/);
    const other = openIndex(join(dir, 'index.db'));
    try {
      expect(other.digestSeed()).toBe(seed);
    } finally {
      other.close();
    }
    const elsewhere = openIndex(join(dir, 'other.db'));
    try {
      expect(elsewhere.digestSeed()).not.toBe(seed);
    } finally {
      elsewhere.close();
    }
  });
});
