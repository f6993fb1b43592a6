import type { FileRecord } from '../../../src/index/types.js';

/** A synced file record of mapping m1 with every field set (64-bit inode, ns mtime), changed by `over`. */
export function fileRecord(relPath: string, over: Partial<FileRecord> = {}): FileRecord {
  return {
    mappingId: 'm1',
    relPath,
    size: 10,
    mtimeNs: 1_764_000_000_123_456_789n,
    ino: '18446744073709551557',
    hash: 'ab'.repeat(32),
    remoteToken: 'tok',
    remoteParentToken: 'parent',
    remoteVersion: '7',
    state: 'synced',
    reason: null,
    failures: 0,
    lastSyncedAt: 1_764_000_000_000,
    ...over,
  };
}
