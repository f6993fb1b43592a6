/**
 * Scanner and planner together on a real folder, with the index in between:
 * the decisions that save API calls, end to end.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex, type OpenedIndex } from '../../../src/index/openIndex.js';
import { planSync } from '../../../src/plan/planSync.js';
import type { Plan } from '../../../src/plan/types.js';
import { IgnoreMatcher } from '../../../src/scan/ignoreRules.js';
import { nodeScanFs } from '../../../src/scan/scanFs.js';
import { scanMapping } from '../../../src/scan/scanner.js';

let root: string;
let state: string;
let index: OpenedIndex;
const ignore = new IgnoreMatcher('/unused');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'feisync-s2p-'));
  state = mkdtempSync(join(tmpdir(), 'feisync-s2p-state-'));
  index = openIndex(join(state, 'index.db'));
});
afterEach(() => {
  index.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

/** Scan, plan, and pretend the engine executed the plan (records as a successful sync would leave them). */
async function syncOnce(): Promise<Plan> {
  const known = new Map(index.listFiles('m1').map((f) => [f.relPath, f]));
  const scan = await scanMapping(root, { ignore, known });
  const plan = planSync({
    mappingId: 'm1',
    scan,
    index: { files: index.listFiles('m1'), folders: index.listFolders('m1') },
    policy: { deletePolicy: 'trash' },
  });
  // An uploader hashes what it sends; here the test reads each sent file once.
  const sentHashes = new Map<string, string>();
  for (const item of plan.items) {
    if (item.op === 'upload' || item.op === 'uploadVersion') {
      const file = scan.files.get(item.relPath)!;
      sentHashes.set(item.relPath, item.hash ?? (await nodeScanFs.hash(join(root, file.diskRelPath ?? file.relPath))));
    }
  }
  index.transaction(() => {
    for (const item of plan.items) {
      if (item.op === 'createFolder') index.upsertFolder({ mappingId: 'm1', relPath: item.relPath, remoteToken: `fld:${item.relPath}` });
      if (item.op === 'upload' || item.op === 'uploadVersion' || item.op === 'touch') {
        const previous = index.getFile('m1', item.relPath);
        index.upsertFile({
          mappingId: 'm1', relPath: item.relPath, size: item.size, mtimeNs: item.mtimeNs, ino: item.ino,
          hash: item.op === 'touch' ? item.hash : sentHashes.get(item.relPath)!,
          remoteToken: previous?.remoteToken ?? `tok:${item.relPath}`, remoteParentToken: null,
          remoteVersion: null, state: 'synced', reason: null, failures: 0, lastSyncedAt: 1,
        });
      }
      if (item.op === 'move' || item.op === 'rename') index.renameFile('m1', item.fromRelPath, item.relPath);
      if (item.op === 'trash' || item.op === 'forget') {
        if (item.type === 'folder') index.deleteFolder('m1', item.relPath);
        else index.deleteFile('m1', item.relPath);
      }
    }
  });
  return plan;
}

const opsOf = (p: Plan) => p.items.map((i) => `${i.op} ${i.relPath}`);

describe('scan → plan on a real folder', () => {
  beforeEach(() => {
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'report.txt'), 'quarterly numbers');
    writeFileSync(join(root, 'notes.txt'), 'notes');
  });

  it('a second sync of an untouched tree plans nothing', async () => {
    expect(opsOf(await syncOnce())).toEqual(['createFolder docs', 'upload docs/report.txt', 'upload notes.txt']);
    const again = await syncOnce();
    expect(again.items).toEqual([]);
  });

  it('touch without a content change → no upload, only the index is updated', async () => {
    await syncOnce();
    utimesSync(join(root, 'notes.txt'), new Date(2031, 1, 1), new Date(2031, 1, 1));
    const p = await syncOnce();
    expect(opsOf(p)).toEqual(['touch notes.txt']);
    expect(p.totalCost).toEqual({});
    expect((await syncOnce()).items).toEqual([]);
  });

  it('an edit is sent as a new version', async () => {
    await syncOnce();
    writeFileSync(join(root, 'notes.txt'), 'notes, edited');
    const p = await syncOnce();
    expect(p.items).toEqual([expect.objectContaining({ op: 'uploadVersion', relPath: 'notes.txt', fileToken: 'tok:notes.txt' })]);
  });

  it('a rename and a move on disk become one rename and one move, no upload', async () => {
    await syncOnce();
    renameSync(join(root, 'notes.txt'), join(root, 'Notes.txt'));
    mkdirSync(join(root, 'archive'));
    renameSync(join(root, 'docs', 'report.txt'), join(root, 'archive', 'report.txt'));
    const p = await syncOnce();
    expect(opsOf(p)).toEqual(['createFolder archive', 'rename Notes.txt', 'move archive/report.txt']);
    expect(p.totalCost).toEqual({ createFolder: 1, copy: 1, delete: 1, move: 1 });
    expect((await syncOnce()).items).toEqual([]);
    rmSync(join(root, 'docs'), { recursive: true });
    expect(opsOf(await syncOnce())).toEqual(['trash docs']);
  });

  it('an NFD copy of a synced NFC name is the same file', async () => {
    writeFileSync(join(root, 'caf\u00e9.txt'), 'menu');
    await syncOnce();
    rmSync(join(root, 'caf\u00e9.txt'));
    writeFileSync(join(root, 'cafe\u0301.txt'), 'menu'); // as copied from a Mac: new inode, same content
    const p = await syncOnce();
    expect(p.items).toEqual([expect.objectContaining({ op: 'touch', relPath: 'caf\u00e9.txt' })]);
  });
});
