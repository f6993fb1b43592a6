import { describe, expect, it } from 'vitest';
import type { DriveEntry } from '../../../src/feishu/driveApi.js';
import type { FileRecord } from '../../../src/index/types.js';
import { LOST_REMOTE_REASON, verifyRemote } from '../../../src/index/verifyRemote.js';

const record = (relPath: string, remoteToken: string | null, over: Partial<FileRecord> = {}): FileRecord => ({
  mappingId: 'm', relPath, size: 3, mtimeNs: 7n, ino: `i-${relPath}`, hash: 'h', remoteToken, remoteParentToken: 'p',
  remoteVersion: 'v', state: 'synced', reason: null, failures: 0, lastSyncedAt: 1, ...over,
});
const listed = (relPath: string, token: string, type = 'file') => ({ relPath, entry: { token, name: relPath, type, parentToken: 'p' } as DriveEntry });

describe('verifyRemote', () => {
  it('forgets the remote side of files and folders Feishu no longer has, and nothing else', () => {
    const v = verifyRemote({
      files: [
        record('kept.txt', 'T1'),
        record('moved-in-feishu.txt', 'T2'), // listed at another path: still there
        record('deleted.txt', 'T3'),
        record('never-uploaded.txt', null, { state: 'pending' }),
        record('failed.txt', 'T4', { state: 'failed', reason: 'E_X', failures: 2 }),
      ],
      folders: [
        { mappingId: 'm', relPath: '', remoteToken: 'ROOT' }, // the mapping root is never listed inside itself
        { mappingId: 'm', relPath: 'docs', remoteToken: 'F1' },
        { mappingId: 'm', relPath: 'old', remoteToken: 'F2' },
      ],
      remote: [listed('kept.txt', 'T1'), listed('elsewhere/renamed.txt', 'T2'), listed('docs', 'F1', 'folder')],
    });
    expect(v.lostFiles).toEqual([
      record('deleted.txt', null, { remoteParentToken: null, remoteVersion: null, state: 'pending', reason: LOST_REMOTE_REASON }),
      record('failed.txt', null, { remoteParentToken: null, remoteVersion: null, state: 'pending', reason: LOST_REMOTE_REASON, failures: 2 }),
    ]);
    expect(v.lostFolders).toEqual(['old']);
    expect(v.summary).toBe('checked 4 files against 3 entries in Feishu: 2 missing there (uploaded again), 1 folders missing (created again when needed)');
  });
});
