import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, MAX_FOLDER_CHILDREN, UPLOAD_ALL_MAX_BYTES } from '../../../src/feishu/limits.js';
import { MTIME, folderRecord, foldersFor, local, ops, plan, record, scanOf } from './fixtures.js';
import { TASK_CHECKS_AT_MOST } from '../../../src/plan/callCost.js';

describe('planSync: local changes → calls', () => {
  it('uploads a new file with one upload_all call', () => {
    const p = plan(scanOf([local('a.txt')]));
    expect(ops(p)).toEqual(['upload a.txt']);
    expect(p.items[0]).toMatchObject({ mappingId: 'm1', size: 100, hash: null, cost: { filesUploadAll: 1 } });
    expect(p.totalCost).toEqual({ filesUploadAll: 1 });
  });

  it('creates missing folders parents first, before the files that go in them', () => {
    const p = plan(scanOf([local('a/b/c.txt'), local('z.txt')], ['a/empty']));
    expect(ops(p)).toEqual(['createFolder a', 'createFolder a/b', 'createFolder a/empty', 'upload a/b/c.txt', 'upload z.txt']);
    expect(p.totalCost).toEqual({ createFolder: 3, filesUploadAll: 2 });
  });

  it('costs nothing for an unchanged file', () => {
    const p = plan(scanOf([local('a.txt')]), [record('a.txt')]);
    expect(p.items).toEqual([]);
    expect(p.totalCost).toEqual({});
  });

  it('sends a changed file as a new version of the same remote file', () => {
    const p = plan(scanOf([local('a.txt', { size: 120, mtimeNs: MTIME + 5n, hash: 'new' })]), [record('a.txt')]);
    expect(p.items).toEqual([
      expect.objectContaining({ op: 'uploadVersion', relPath: 'a.txt', fileToken: 'tok:a.txt', size: 120, hash: 'new', cost: { filesUploadAll: 1 } }),
    ]);
  });

  it('a touched but unchanged file costs no API call (same hash → touch)', () => {
    const p = plan(scanOf([local('a.txt', { mtimeNs: MTIME + 1_000_000n, hash: 'hash:a.txt' })]), [record('a.txt')]);
    expect(ops(p)).toEqual(['touch a.txt']);
    expect(p.items[0]).toMatchObject({ mtimeNs: MTIME + 1_000_000n, hash: 'hash:a.txt', cost: {} });
    expect(p.totalCost).toEqual({});
  });

  it('renames in the same folder by copy + trash, without re-sending bytes', () => {
    const p = plan(scanOf([local('b.txt', { ino: 'ino:a.txt' })]), [record('a.txt')]);
    expect(ops(p)).toEqual(['rename b.txt ← a.txt']);
    expect(p.items[0]).toMatchObject({ fileToken: 'tok:a.txt', cost: { copy: 1, delete: 1 } });
  });

  it('moves a file to another folder with one move call, after creating that folder', () => {
    const p = plan(scanOf([local('new/a.txt', { ino: 'ino:old/a.txt' })]), [record('old/a.txt')], { folders: foldersFor(['old/a.txt']) });
    expect(ops(p)).toEqual(['createFolder new', 'move new/a.txt ← old/a.txt', 'forget old [folder]']);
    expect(p.totalCost).toEqual({ createFolder: 1, move: 1 }); // a file move is no task: no task_check
  });

  it('moves and renames at once with one copy into the target folder + one trash', () => {
    const p = plan(scanOf([local('x/b.txt', { ino: 'ino:a.txt' })], []), [record('a.txt')], { folders: foldersFor(['x/b.txt']) });
    expect(ops(p)).toEqual(['rename x/b.txt ← a.txt']);
    expect(p.totalCost).toEqual({ copy: 1, delete: 1 });
  });

  it('recognises a move across volumes (new inode) by the content hash', () => {
    const p = plan(scanOf([local('x/a.txt', { ino: 'other', mtimeNs: MTIME + 9n, hash: 'hash:a.txt' })]), [record('a.txt')]);
    expect(ops(p)).toEqual(['createFolder x', 'move x/a.txt ← a.txt']);
  });

  it('a renamed and changed file is uploaded anew; the old one follows the delete policy', () => {
    const scan = scanOf([local('b.txt', { ino: 'ino:a.txt', size: 300, mtimeNs: MTIME + 7n })]);
    expect(ops(plan(scan, [record('a.txt')]))).toEqual(['forget a.txt [file]', 'upload b.txt']);
    const trashed = plan(scan, [record('a.txt')], { policy: { deletePolicy: 'trash' } });
    expect(ops(trashed)).toEqual(['trash a.txt [file]', 'upload b.txt']);
    expect(trashed.totalCost).toEqual({ delete: 1, filesUploadAll: 1 });
  });

  it('a deleted file is forgotten (keep, no call) or trashed (trash, one delete)', () => {
    const scan = scanOf([]);
    const kept = plan(scan, [record('a.txt')]);
    expect(ops(kept)).toEqual(['forget a.txt [file]']);
    expect(kept.totalCost).toEqual({});
    const trashed = plan(scan, [record('a.txt')], { policy: { deletePolicy: 'trash' } });
    expect(trashed.items).toEqual([expect.objectContaining({ op: 'trash', relPath: 'a.txt', fileToken: 'tok:a.txt', type: 'file', cost: { delete: 1 } })]);
  });

  it('a deleted folder is trashed with one call and its files forgotten', () => {
    const files = [record('d/a.txt'), record('d/sub/b.txt'), record('keep.txt')];
    const p = plan(scanOf([local('keep.txt')]), files, { policy: { deletePolicy: 'trash' } });
    expect(ops(p)).toEqual(['trash d [folder]', 'forget d/sub [folder]', 'forget d/a.txt [file]', 'forget d/sub/b.txt [file]']);
    expect(p.totalCost).toEqual({ delete: 1, taskCheck: TASK_CHECKS_AT_MOST }); // and its task checks, at most
    expect(ops(plan(scanOf([local('keep.txt')]), files))).toEqual([
      'forget d/a.txt [file]', 'forget d/sub/b.txt [file]', 'forget d [folder]', 'forget d/sub [folder]',
    ]);
  });

  it('moves files out of a deleted folder before trashing it', () => {
    const p = plan(scanOf([local('saved.txt', { ino: 'ino:d/saved.txt' })]), [record('d/saved.txt'), record('d/junk.txt')], {
      policy: { deletePolicy: 'trash' },
    });
    expect(ops(p)).toEqual(['move saved.txt ← d/saved.txt', 'trash d [folder]', 'forget d/junk.txt [file]']);
  });

  it('a case-only rename (same inode) is a rename, also where the file system ignores case', () => {
    const p = plan(scanOf([local('A.txt', { ino: 'ino:a.txt' })]), [record('a.txt')]);
    expect(ops(p)).toEqual(['rename A.txt ← a.txt']);
  });

  it('an NFD spelling on disk of an indexed NFC name is the same file, not a new upload', () => {
    const nfc = 'caf\u00e9.txt';
    const p = plan(scanOf([local(nfc, { diskRelPath: 'cafe\u0301.txt', ino: `ino:${nfc}` })]), [record(nfc)]);
    expect(p.items).toEqual([]);
  });

  it('skips an empty file (Feishu refuses size 0) at no cost', () => {
    const p = plan(scanOf([local('empty.txt', { size: 0 })]));
    expect(p.items).toEqual([expect.objectContaining({ op: 'skip', relPath: 'empty.txt', reason: 'empty-file', cost: {} })]);
  });

  it('skips a 251-character name and takes a 250-character one', () => {
    const long = 'n'.repeat(251);
    const ok = 'é'.repeat(250); // characters, not bytes
    expect(ops(plan(scanOf([local(long), local(ok)])))).toEqual([`upload ${ok}`, `skip ${long} (name-too-long)`]);
  });

  it('skips files over the configured size limit', () => {
    expect(ops(plan(scanOf([local('big.iso', { size: 11 })]), [], { policy: { maxFileSize: 10 } }))).toEqual(['skip big.iso (file-too-large)']);
  });

  it('takes 1,500 entries of a folder and skips the rest deterministically, keeping those already in Feishu', () => {
    const names = Array.from({ length: MAX_FOLDER_CHILDREN + 1 }, (_, i) => `d/f-${String(i).padStart(4, '0')}.txt`);
    const p = plan(scanOf(names.map((n) => local(n))), [record('d/f-1500.txt')], { folders: foldersFor(['d/x']) });
    const skipped = p.items.filter((i) => i.op === 'skip');
    expect(skipped).toEqual([expect.objectContaining({ relPath: 'd/f-1499.txt', reason: 'too-many-siblings' })]);
    expect(p.items.filter((i) => i.op === 'upload')).toHaveLength(MAX_FOLDER_CHILDREN - 1);
    expect(plan(scanOf([...names].reverse().map((n) => local(n))), [record('d/f-1500.txt')]).items.filter((i) => i.op === 'skip')).toEqual(skipped);
  });

  it('creates 15 levels of folders and skips what lies deeper', () => {
    const fifteen = Array.from({ length: 15 }, (_, i) => `l${i + 1}`).join('/');
    const p = plan(scanOf([local(`${fifteen}/ok.txt`), local(`${fifteen}/l16/deep.txt`)]));
    const created = p.items.filter((i) => i.op === 'createFolder');
    expect(created).toHaveLength(15);
    expect(ops(p).slice(15)).toEqual([`upload ${fifteen}/ok.txt`, `skip ${fifteen}/l16 (too-deep)`, `skip ${fifteen}/l16/deep.txt (too-deep)`]);
  });

  it('a file replaced by a folder of the same name: the file goes first, then the folder is created and filled', () => {
    const scan = scanOf([local('x/inner.txt')]);
    expect(ops(plan(scan, [record('x')], { policy: { deletePolicy: 'trash' } }))).toEqual(['trash x [file]', 'createFolder x', 'upload x/inner.txt']);
    expect(ops(plan(scan, [record('x')]))).toEqual(['forget x [file]', 'createFolder x', 'upload x/inner.txt']);
  });

  it('a folder replaced by a file of the same name: the folder goes first, then the file is uploaded', () => {
    const scan = scanOf([local('x', { ino: 'new' })]);
    const files = [record('x/inner.txt')];
    expect(ops(plan(scan, files, { policy: { deletePolicy: 'trash' } }))).toEqual(['trash x [folder]', 'forget x/inner.txt [file]', 'upload x']);
    expect(ops(plan(scan, files))).toEqual(['forget x/inner.txt [file]', 'forget x [folder]', 'upload x']);
  });

  it('sums per-endpoint costs, with chunked uploads above 20 MB', () => {
    const big = 30 * 1024 * 1024;
    const p = plan(scanOf([local('big.bin', { size: big }), local('edge.bin', { size: UPLOAD_ALL_MAX_BYTES }), local('d/s.txt')]), [], {});
    expect(p.items.find((i) => i.relPath === 'big.bin')!.cost).toEqual({ filesUploadPrepare: 1, filesUploadPart: Math.ceil(big / BLOCK_SIZE), filesUploadFinish: 1 });
    expect(p.totalCost).toEqual({ createFolder: 1, filesUploadAll: 2, filesUploadPrepare: 1, filesUploadPart: 8, filesUploadFinish: 1 });
  });
});

describe('planSync: determinism and edge cases', () => {
  it('gives the same plan whatever order the scan and the index list entries in', () => {
    const files = [local('b/x.txt', { ino: 'ino:a/x.txt' }), local('c.txt'), local('d/e/f.txt'), local('z.txt', { size: 0 })];
    const records = [record('a/x.txt'), record('old.txt'), record('c.txt', { size: 1 })];
    const forward = plan(scanOf(files), records, { policy: { deletePolicy: 'trash' } });
    const backward = plan(scanOf([...files].reverse()), [...records].reverse(), { policy: { deletePolicy: 'trash' } });
    expect(backward).toEqual(forward);
    expect(ops(forward)).toEqual([
      'trash old.txt [file]', 'createFolder b', 'createFolder d', 'createFolder d/e', 'move b/x.txt ← a/x.txt', 'trash a [folder]',
      'uploadVersion c.txt', 'upload d/e/f.txt', 'skip z.txt (empty-file)',
    ]);
  });

  it('lists transfers in path order, where a folder\'s contents sort at "name/" among its siblings', () => {
    const paths = ['x.txt', 'x/b.txt', 'x-y.txt', 'x/a/c.txt', 'x.d/e.txt', 'x/z.txt', 'y.txt', 'x/a.txt', 'x/a b.txt'];
    const files = paths.map((p) => (p === 'x-y.txt' ? local(p, { mtimeNs: MTIME + 1n, hash: `hash:${p}` }) : local(p)));
    const records = [record('x/z.txt', { size: 1 }), record('x-y.txt')];
    const transfers = (p: ReturnType<typeof plan>) => ops(p).filter((o) => !o.startsWith('createFolder'));
    expect(transfers(plan(scanOf(files), records))).toEqual([
      'touch x-y.txt', 'upload x.d/e.txt', 'upload x.txt', 'upload x/a b.txt', 'upload x/a.txt', 'upload x/a/c.txt', 'upload x/b.txt',
      'uploadVersion x/z.txt', 'upload y.txt',
    ]);
    expect(transfers(plan(scanOf([...files].reverse()), records))).toEqual(transfers(plan(scanOf(files), records)));
    expect(transfers(plan(scanOf([...files].reverse())))).toEqual([...paths].sort().map((p) => `upload ${p}`));
  });

  it('skips a folder whose name is too long, with everything inside it', () => {
    const long = 'f'.repeat(251);
    expect(ops(plan(scanOf([local(`${long}/a.txt`), local(`${long}/sub/b.txt`)])))).toEqual([
      `skip ${long} (name-too-long)`, `skip ${long}/a.txt (name-too-long)`, `skip ${long}/sub/b.txt (name-too-long)`,
    ]);
  });

  it('two hard links to one moved file: one is the move, the other a new upload', () => {
    const p = plan(scanOf([local('x/a.txt', { ino: 'ino:a.txt' }), local('y/a.txt', { ino: 'ino:a.txt' })]), [record('a.txt')]);
    expect(ops(p)).toEqual(['createFolder x', 'createFolder y', 'move x/a.txt ← a.txt', 'upload y/a.txt']);
  });
});

describe('planSync: whole-folder moves (policy folderMoves)', () => {
  const index = [record('Projects/2024/a.txt'), record('Projects/2024/sub/b.txt')];
  const folders = foldersFor(['Projects/2024/sub/b.txt']);
  const movedTree = [
    local('Archive/2024/a.txt', { ino: 'ino:Projects/2024/a.txt' }),
    local('Archive/2024/sub/b.txt', { ino: 'ino:Projects/2024/sub/b.txt' }),
  ];
  const moveOps = (p: ReturnType<typeof plan>) => ops(p).map((o, i) => (p.items[i]!.op === 'move' && (p.items[i] as { type?: string }).type === 'folder' ? `${o} [folder]` : o));

  it('a folder moved intact under another parent is one move call', () => {
    const p = plan(scanOf(movedTree, ['Projects']), index, { folders, policy: { folderMoves: true, deletePolicy: 'trash' } });
    expect(moveOps(p)).toEqual(['createFolder Archive', 'move Archive/2024 ← Projects/2024 [folder]']);
    expect(p.items[1]).toMatchObject({ fileToken: 'fld:Projects/2024', cost: { move: 1, taskCheck: TASK_CHECKS_AT_MOST } });
    expect(p.totalCost).toEqual({ createFolder: 1, move: 1, taskCheck: TASK_CHECKS_AT_MOST }); // and the folder move's task checks, at most
  });

  it('without the policy, the same move costs one call per file and per folder', () => {
    const p = plan(scanOf(movedTree, ['Projects']), index, { folders, policy: { deletePolicy: 'trash' } });
    expect(p.totalCost).toEqual({ createFolder: 3, move: 2, delete: 1, taskCheck: TASK_CHECKS_AT_MOST });
  });

  it('new files and folders inside the moved folder are created after it arrives', () => {
    const tree = [...movedTree, local('Archive/2024/new.txt'), local('Archive/2024/fresh/c.txt')];
    const p = plan(scanOf(tree, ['Projects']), index, { folders, policy: { folderMoves: true, deletePolicy: 'keep' } });
    expect(moveOps(p)).toEqual([
      'createFolder Archive', 'move Archive/2024 ← Projects/2024 [folder]', 'createFolder Archive/2024/fresh',
      'upload Archive/2024/fresh/c.txt', 'upload Archive/2024/new.txt',
    ]);
  });

  it('falls back to per-file operations when a file inside changed or is missing', () => {
    const edited = [movedTree[0]!, local('Archive/2024/sub/b.txt', { ino: 'ino:Projects/2024/sub/b.txt', size: 5, mtimeNs: MTIME + 1n })];
    const p = plan(scanOf(edited, ['Projects']), index, { folders, policy: { folderMoves: true, deletePolicy: 'keep' } });
    expect(p.items.some((i) => i.op === 'move' && i.type === 'folder')).toBe(false);
    expect(ops(p)).toContain('move Archive/2024/a.txt ← Projects/2024/a.txt');
    const missing = plan(scanOf([movedTree[0]!], ['Projects']), index, { folders, policy: { folderMoves: true, deletePolicy: 'keep' } });
    expect(missing.items.some((i) => i.op === 'move' && i.type === 'folder')).toBe(false);
  });

  it('a renamed folder is not moved (Drive cannot rename folders), but its intact subfolders are', () => {
    const renamed = movedTree.map((f) => ({ ...f, relPath: f.relPath.replace('Archive/2024', 'Projects/2025') }));
    const p = plan(scanOf(renamed), index, { folders, policy: { folderMoves: true, deletePolicy: 'keep' } });
    expect(moveOps(p)).toEqual([
      'createFolder Projects/2025', 'move Projects/2025/sub ← Projects/2024/sub [folder]', 'move Projects/2025/a.txt ← Projects/2024/a.txt',
      'forget Projects/2024 [folder]',
    ]);
    expect(p.totalCost).toEqual({ createFolder: 1, move: 2, taskCheck: TASK_CHECKS_AT_MOST });
  });
});

describe('planSync: what must not be deleted', () => {
  it('forgets a newly ignored file without trashing it', () => {
    const p = plan(scanOf([], [], [{ relPath: 'notes.tmp', reason: 'ignored' }]), [record('notes.tmp')], { policy: { deletePolicy: 'trash' } });
    expect(ops(p)).toEqual(['forget notes.tmp [file]']);
    expect(p.totalCost).toEqual({});
  });

  it('leaves everything under an unreadable folder alone', () => {
    const p = plan(scanOf([], [], [{ relPath: 'locked', reason: 'permission-denied', detail: 'EACCES' }]), [record('locked/a.txt')], {
      policy: { deletePolicy: 'trash' },
    });
    expect(ops(p)).toEqual(['skip locked (permission-denied)']);
  });

  it('keeps the remote copy of a file that is now skipped', () => {
    const p = plan(scanOf([local('a.txt', { size: 0 })]), [record('a.txt')], { policy: { deletePolicy: 'trash' } });
    expect(ops(p)).toEqual(['skip a.txt (empty-file)']);
  });

  it('keeps the record of a path that became a symlink, so the skip is not forgotten and re-recorded every pass', () => {
    const scan = scanOf([], [], [{ relPath: 'link', reason: 'symlink' }]);
    expect(ops(plan(scan, [record('link')], { policy: { deletePolicy: 'trash' } }))).toEqual(['skip link (symlink)']);
    expect(ops(plan(scan, [record('link', { state: 'skipped', reason: 'symlink', remoteToken: null })]))).toEqual(['skip link (symlink)']);
  });

  it('deletes nothing on the evidence of an entry that vanished mid-scan; the next pass decides', () => {
    const scan = scanOf([], [], [{ relPath: 'moving', reason: 'vanished' }]);
    expect(plan(scan, [record('moving/a.txt')], { policy: { deletePolicy: 'trash' } }).items).toEqual([]);
    expect(ops(plan(scanOf([]), [record('moving/a.txt')], { policy: { deletePolicy: 'trash' } }))).toEqual(['trash moving [folder]', 'forget moving/a.txt [file]']);
  });

  it('reports symlinks and special files the scanner skipped', () => {
    const p = plan(scanOf([], [], [{ relPath: 'link', reason: 'symlink' }, { relPath: 'gone', reason: 'vanished' }, { relPath: 'fifo', reason: 'special-file' }]));
    expect(ops(p)).toEqual(['skip fifo (special-file)', 'skip link (symlink)']);
  });
});

describe('planSync: index states and remote facts', () => {
  it('uploads a file whose earlier upload never finished', () => {
    expect(ops(plan(scanOf([local('a.txt')]), [record('a.txt', { state: 'pending', remoteToken: null })]))).toEqual(['upload a.txt']);
  });

  it('re-sends a failed version upload as a version of the same remote file', () => {
    const p = plan(scanOf([local('a.txt')]), [record('a.txt', { state: 'failed' })]);
    expect(p.items).toEqual([expect.objectContaining({ op: 'uploadVersion', fileToken: 'tok:a.txt', hash: 'hash:a.txt' })]);
  });

  it('uploads as new when the remote file was deleted in Feishu', () => {
    const p = plan(scanOf([local('a.txt', { size: 5, hash: 'h2' })]), [record('a.txt')], { remote: { deletedTokens: new Set(['tok:a.txt']) } });
    expect(ops(p)).toEqual(['upload a.txt']);
  });

  it('recreates a folder deleted in Feishu', () => {
    const p = plan(scanOf([local('d/a.txt')]), [record('d/a.txt', { remoteToken: 'gone-file' })], {
      folders: [folderRecord(''), folderRecord('d')],
      remote: { deletedTokens: new Set(['fld:d', 'gone-file']) },
    });
    expect(ops(p)).toEqual(['createFolder d', 'upload d/a.txt']);
  });

  it('does not move from a record whose content never reached Feishu', () => {
    const p = plan(scanOf([local('b.txt', { ino: 'ino:a.txt' })]), [record('a.txt', { state: 'failed' })]);
    expect(ops(p)).toEqual(['forget a.txt [file]', 'upload b.txt']);
  });
});
