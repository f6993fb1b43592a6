import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex, type OpenedIndex } from '../../../src/index/openIndex.js';
import { ACTIVITY_CAP } from '../../../src/index/sqliteIndex.js';
import type { ChunkUploadRecord, FileRecord } from '../../../src/index/types.js';
import { fileRecord } from './fileRecords.js';

let dir: string;
let index: OpenedIndex;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'feisync-index-'));
  index = openIndex(join(dir, 'index.db'));
});
afterEach(() => {
  index.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = fileRecord;

function upload(relPath: string, over: Partial<ChunkUploadRecord> = {}): ChunkUploadRecord {
  return {
    mappingId: 'm1',
    relPath,
    uploadId: 'up-1',
    blockSize: 4 * 1024 * 1024,
    blockNum: 6,
    ackedBlocks: new Map(),
    startedAt: 1000,
    expiresAt: 2000,
    size: 21 * 1024 * 1024,
    mtimeNs: 1_764_000_000_987_654_321n,
    ino: '42',
    fileToken: null,
    parentToken: 'fld',
    ...over,
  };
}

describe('SqliteIndex files', () => {
  it('keeps nanosecond mtimes and 64-bit inodes exact through a round trip', () => {
    const record = file('a/b.txt');
    index.upsertFile(record);
    expect(index.getFile('m1', 'a/b.txt')).toEqual(record);
    expect(index.getFile('m1', 'a/b.txt')!.mtimeNs).toBe(1_764_000_000_123_456_789n);
  });

  it('upserts replace every field and listFiles is per mapping', () => {
    index.upsertFile(file('x'));
    index.upsertFile(file('x', { state: 'failed', reason: 'boom', failures: 2, remoteToken: null, hash: null }));
    index.upsertFile(file('y', { mappingId: 'm2' }));
    expect(index.listFiles('m1')).toEqual([file('x', { state: 'failed', reason: 'boom', failures: 2, remoteToken: null, hash: null })]);
    expect(index.listFiles('m2').map((f) => f.relPath)).toEqual(['y']);
  });

  it('fileMap holds the same records as listFiles, keyed by path, per mapping', () => {
    const records = [file('a'), file('b/c', { mtimeNs: -1n, lastSyncedAt: null, remoteVersion: null }), file('d', { mtimeNs: 9_223_372_036_854_775_807n })];
    for (const r of records) index.upsertFile(r);
    index.upsertFile(file('other', { mappingId: 'm2' }));
    const map = index.fileMap('m1');
    expect([...map.keys()].sort()).toEqual(['a', 'b/c', 'd']);
    for (const r of records) expect(map.get(r.relPath)).toEqual(r);
    expect(index.listFiles('m1').sort((x, y) => (x.relPath < y.relPath ? -1 : 1))).toEqual(records);
  });

  describe('the records held in memory', () => {
    /** What a fresh connection reads: the truth on disk. */
    const onDisk = (mappingId = 'm1') => {
      const other = openIndex(join(dir, 'index.db'));
      try {
        return new Map([...other.fileMap(mappingId)].sort(([a], [b]) => (a < b ? -1 : 1)));
      } finally {
        other.close();
      }
    };
    const inMemory = (mappingId = 'm1') => new Map([...index.fileMap(mappingId)].sort(([a], [b]) => (a < b ? -1 : 1)));

    it('are read once, then kept equal to the file by every kind of write', () => {
      index.upsertFile(file('a'));
      index.upsertFile(file('dir/b'));
      index.upsertFolder({ mappingId: 'm1', relPath: 'dir', remoteToken: 'fld' });
      const first = index.fileMap('m1');
      expect(index.fileMap('m1')).toBe(first); // no second read
      index.upsertFile(file('a', { state: 'pending', reason: 'edited', hash: null }));
      index.upsertFile(file('new'));
      index.deleteFile('m1', 'new');
      index.renameFile('m1', 'a', 'dir/a2');
      expect(inMemory()).toEqual(onDisk());
      index.renameFolder('m1', 'dir', 'moved');
      expect([...index.fileMap('m1').keys()].sort()).toEqual(['moved/a2', 'moved/b']);
      expect(inMemory()).toEqual(onDisk());
      index.forgetMapping('m1');
      expect(index.fileMap('m1').size).toBe(0);
    });

    it('hold their own copies: changing a record after writing it changes nothing in the index', () => {
      const record = file('a');
      index.fileMap('m1');
      index.upsertFile(record);
      record.state = 'failed';
      expect(index.fileMap('m1').get('a')!.state).toBe('synced');
    });

    it('drop a rolled-back transaction', () => {
      index.upsertFile(file('kept'));
      index.fileMap('m1');
      expect(() =>
        index.transaction(() => {
          index.upsertFile(file('rolled-back'));
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect([...index.fileMap('m1').keys()]).toEqual(['kept']);
    });

    it("see another connection's commits (the CLI beside the running app)", () => {
      index.upsertFile(file('a'));
      expect(index.fileMap('m1').size).toBe(1);
      const cli = openIndex(join(dir, 'index.db'));
      cli.upsertFile(file('from-cli'));
      cli.deleteFile('m1', 'a');
      cli.close();
      expect([...index.fileMap('m1').keys()]).toEqual(['from-cli']);
      expect(index.listFiles('m1').map((f) => f.relPath)).toEqual(['from-cli']);
    });
  });

  it('tells whether a mapping has records without loading them, loaded or not, after another connection\'s deletes too', () => {
    expect(index.hasFiles('m1')).toBe(false);
    index.upsertFile(file('a'));
    expect(index.hasFiles('m1')).toBe(true);
    expect(index.hasFiles('m2')).toBe(false);
    index.fileMap('m1');
    const cli = openIndex(join(dir, 'index.db'));
    cli.deleteFile('m1', 'a');
    cli.close();
    expect(index.hasFiles('m1')).toBe(false);
  });

  it('rejects a non-NFC path or a negative size instead of storing it', () => {
    expect(() => index.upsertFile(file('cafe\u0301.txt'))).toThrow(expect.objectContaining({ code: 'E_INDEX_RECORD' }));
    expect(() => index.upsertFile(file('a', { size: -1 }))).toThrow(expect.objectContaining({ code: 'E_INDEX_RECORD' }));
    expect(index.listFiles('m1')).toEqual([]);
  });

  it('renames a record, replacing a stale record at the target', () => {
    index.upsertFile(file('old.txt', { remoteToken: 'keep' }));
    index.upsertFile(file('new.txt', { remoteToken: 'stale' }));
    index.renameFile('m1', 'old.txt', 'new.txt');
    expect(index.getFile('m1', 'old.txt')).toBeUndefined();
    expect(index.getFile('m1', 'new.txt')!.remoteToken).toBe('keep');
  });

  it('re-paths a moved folder with everything recorded under it, and nothing beside it', () => {
    index.upsertFile(file('Projects/2024/a.txt'));
    index.upsertFile(file('Projects/2024/sub/é.txt'));
    index.upsertFile(file('Projects/20245/other.txt'));
    index.upsertFolder({ mappingId: 'm1', relPath: 'Projects/2024', remoteToken: 'f1' });
    index.upsertFolder({ mappingId: 'm1', relPath: 'Projects/2024/sub', remoteToken: 'f2' });
    index.startChunkUpload(upload('Projects/2024/big.bin', { ackedBlocks: new Map([[0, '7']]) }));
    index.renameFolder('m1', 'Projects/2024', 'Archive/2024');
    expect(index.listFiles('m1').map((f) => f.relPath).sort()).toEqual(['Archive/2024/a.txt', 'Archive/2024/sub/é.txt', 'Projects/20245/other.txt']);
    expect(index.listFolders('m1').map((f) => [f.relPath, f.remoteToken])).toEqual([['Archive/2024', 'f1'], ['Archive/2024/sub', 'f2']]);
    expect(index.getChunkUpload('m1', 'Archive/2024/big.bin')?.ackedBlocks).toEqual(new Map([[0, '7']]));
    expect(index.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('counts files by state with zeros for absent states', () => {
    index.upsertFile(file('a'));
    index.upsertFile(file('b', { state: 'pending' }));
    index.upsertFile(file('c', { state: 'pending' }));
    expect(index.countByState('m1')).toEqual({ synced: 1, pending: 2, uploading: 0, failed: 0, skipped: 0 });
  });
});

describe('SqliteIndex folders and mappings', () => {
  it('stores folder tokens by path', () => {
    index.upsertFolder({ mappingId: 'm1', relPath: '', remoteToken: 'root' });
    index.upsertFolder({ mappingId: 'm1', relPath: 'a', remoteToken: 'fa' });
    index.upsertFolder({ mappingId: 'm1', relPath: 'a', remoteToken: 'fa2' });
    expect(index.listFolders('m1')).toEqual([
      { mappingId: 'm1', relPath: '', remoteToken: 'root' },
      { mappingId: 'm1', relPath: 'a', remoteToken: 'fa2' },
    ]);
    index.deleteFolder('m1', 'a');
    expect(index.getFolder('m1', 'a')).toBeUndefined();
  });

  it('binding a mapping to another root or folder forgets what it knew', () => {
    expect(index.bindMapping({ id: 'm1', localRoot: '/home/u/Docs', folderToken: 'F1' })).toBe('new');
    index.upsertFile(file('a'));
    expect(index.bindMapping({ id: 'm1', localRoot: '/home/u/Docs', folderToken: 'F1' })).toBe('unchanged');
    expect(index.listFiles('m1')).toHaveLength(1);
    expect(index.bindMapping({ id: 'm1', localRoot: '/home/u/Docs', folderToken: 'F2' })).toBe('rebound');
    expect(index.listFiles('m1')).toEqual([]);
    expect(index.getMapping('m1')).toEqual({ id: 'm1', localRoot: '/home/u/Docs', folderToken: 'F2' });
  });

  it('forgetMapping removes files, folders and uploads of that mapping only', () => {
    index.upsertFile(file('a'));
    index.upsertFile(file('a', { mappingId: 'm2' }));
    index.upsertFolder({ mappingId: 'm1', relPath: 'd', remoteToken: 't' });
    index.startChunkUpload(upload('big'));
    index.forgetMapping('m1');
    expect(index.listFiles('m1')).toEqual([]);
    expect(index.listFolders('m1')).toEqual([]);
    expect(index.getChunkUpload('m1', 'big')).toBeUndefined();
    expect(index.listFiles('m2')).toHaveLength(1);
  });
});

describe('SqliteIndex chunked uploads', () => {
  it('drops expired uploads under a key prefix only (stale sends), blocks included', () => {
    index.startChunkUpload(upload('/home/u/old.iso', { mappingId: 'send:fld1', expiresAt: 5000, ackedBlocks: new Map([[0, '1']]) }));
    index.startChunkUpload(upload('/home/u/new.iso', { mappingId: 'send:fld1', expiresAt: 9000 }));
    index.startChunkUpload(upload('big.bin', { expiresAt: 5000 })); // a mapping's: resumed or restarted by its own pass
    expect(index.dropExpiredChunkUploads('send:', 5000)).toBe(1);
    expect(index.getChunkUpload('send:fld1', '/home/u/old.iso')).toBeUndefined();
    expect(index.db.prepare("SELECT COUNT(*) FROM chunk_blocks WHERE mapping_id = 'send:fld1'").pluck().get()).toBe(0);
    expect(index.getChunkUpload('send:fld1', '/home/u/new.iso')).toBeDefined();
    expect(index.getChunkUpload('m1', 'big.bin')).toBeDefined();
  });

  it('round-trips an upload with its acknowledged blocks', () => {
    index.startChunkUpload(upload('big.bin', { ackedBlocks: new Map([[0, '111']]), fileToken: 'ft' }));
    index.ackBlock('m1', 'big.bin', 3, '3248270248');
    index.ackBlock('m1', 'big.bin', 3, '3248270248'); // a resent block is acknowledged once
    expect(index.getChunkUpload('m1', 'big.bin')).toEqual(
      upload('big.bin', { ackedBlocks: new Map([[0, '111'], [3, '3248270248']]), fileToken: 'ft' }),
    );
  });

  it('starting again replaces the old upload and its blocks', () => {
    index.startChunkUpload(upload('big.bin'));
    index.ackBlock('m1', 'big.bin', 1, '1');
    index.startChunkUpload(upload('big.bin', { uploadId: 'up-2' }));
    const again = index.getChunkUpload('m1', 'big.bin')!;
    expect(again.uploadId).toBe('up-2');
    expect(again.ackedBlocks.size).toBe(0);
  });

  it('deleting an upload deletes its blocks', () => {
    index.startChunkUpload(upload('big.bin'));
    index.ackBlock('m1', 'big.bin', 0, '1');
    index.deleteChunkUpload('m1', 'big.bin');
    expect(index.getChunkUpload('m1', 'big.bin')).toBeUndefined();
    expect(index.db.prepare('SELECT COUNT(*) AS n FROM chunk_blocks').get()).toEqual({ n: 0 });
  });

  it('refuses a block for an unknown upload or outside the block range', () => {
    expect(() => index.ackBlock('m1', 'nope', 0, '1')).toThrow(expect.objectContaining({ code: 'E_INDEX_NO_UPLOAD' }));
    index.startChunkUpload(upload('big.bin'));
    expect(() => index.ackBlock('m1', 'big.bin', 6, '1')).toThrow(expect.objectContaining({ code: 'E_INDEX_RECORD' }));
  });
});

describe('SqliteIndex quota ledger and activity', () => {
  it('adds calls per day and endpoint', () => {
    index.addQuotaCall('2026-11-25', 'filesUploadAll');
    index.addQuotaCall('2026-11-25', 'filesUploadAll', 4);
    index.addQuotaCall('2026-11-25', 'move');
    index.addQuotaCall('2026-11-26', 'filesUploadAll', 2);
    expect(index.quotaUsed('2026-11-25')).toEqual({ filesUploadAll: 5, move: 1 });
    expect(index.quotaUsed('2026-11-26')).toEqual({ filesUploadAll: 2 });
    expect(index.quotaUsed('2026-11-27')).toEqual({});
  });

  it('keeps the newest activity rows, capped', () => {
    index.transaction(() => {
      for (let i = 0; i < ACTIVITY_CAP + 25; i++) {
        index.addActivity({ at: i, mappingId: 'm1', relPath: `f${i}`, kind: 'uploaded', remoteToken: null, url: null, detail: null });
      }
    });
    const recent = index.recentActivity(3);
    expect(recent.map((a) => a.relPath)).toEqual([`f${ACTIVITY_CAP + 24}`, `f${ACTIVITY_CAP + 23}`, `f${ACTIVITY_CAP + 22}`]);
    expect(index.recentActivity(10_000)).toHaveLength(ACTIVITY_CAP);
  });

  it('a failed transaction leaves nothing behind', () => {
    expect(() =>
      index.transaction(() => {
        index.upsertFile(file('a'));
        index.addQuotaCall('2026-11-25', 'move');
        throw new Error('crash in the middle');
      }),
    ).toThrow('crash in the middle');
    expect(index.listFiles('m1')).toEqual([]);
    expect(index.quotaUsed('2026-11-25')).toEqual({});
  });
});
