/**
 * Packed file records (schema 3) through the public SqliteIndex API: bulk
 * writes as a pack, single writes as rows and tombstones over it, folding,
 * other connections, damage and the migration from schema 2.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOLD_MIN_CHANGES, FOLD_SHARE, PACK_PART_RECORDS } from '../../../src/index/filePacks.js';
import { FILE_STATES } from '../../../src/index/fileRows.js';
import { IndexError } from '../../../src/index/indexError.js';
import { openIndex, type OpenedIndex } from '../../../src/index/openIndex.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../src/index/schema.js';
import type { FileRecord, FileState } from '../../../src/index/types.js';
import { fileRecord } from './fileRecords.js';

let dir: string;
let path: string;
let index: OpenedIndex;
const others: OpenedIndex[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'feisync-packs-'));
  path = join(dir, 'index.db');
  index = openIndex(path);
});
afterEach(() => {
  index.close();
  for (const other of others.splice(0)) other.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Closes the index and opens the same file again (nothing kept in memory). */
function reopen(): void {
  index.close();
  index = openIndex(path);
}

/** Another connection to the same file (the CLI beside the running app). */
function second(): OpenedIndex {
  const other = openIndex(path);
  others.push(other);
  return other;
}

const file = fileRecord;

/** `n` records with varied fields (nulls, states, big sizes, negative mtimes), paths `${prefix}${i}`. */
function many(n: number, prefix = 'd/f', over: Partial<FileRecord> = {}): FileRecord[] {
  return Array.from({ length: n }, (_, i) =>
    file(`${prefix}${i}`, {
      size: i % 3 === 0 ? 2 ** 32 + i : i,
      mtimeNs: i % 2 === 0 ? 1_700_000_000_123_456_789n + BigInt(i) : -1_500_000_001n - BigInt(i),
      ino: String(1000 + i),
      hash: i % 4 === 0 ? null : `h${i}`,
      remoteToken: i % 5 === 0 ? null : `t${i}`,
      remoteParentToken: i % 7 === 0 ? null : `p${i % 13}`,
      remoteVersion: i % 6 === 0 ? null : String(i),
      state: FILE_STATES[i % FILE_STATES.length]!,
      reason: i % 5 === 3 ? `failed: ${i}` : null,
      failures: i % 4,
      lastSyncedAt: i % 9 === 0 ? null : 1_764_000_000_000 + i,
      ...over,
    }),
  );
}

const byPath = (records: Iterable<FileRecord>) => [...records].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));

function countStates(records: readonly FileRecord[]): Record<FileState, number> {
  const counts = Object.fromEntries(FILE_STATES.map((s) => [s, 0])) as Record<FileState, number>;
  for (const r of records) counts[r.state]++;
  return counts;
}

/** Every read of the API gives exactly `expected` for the mapping. */
function expectRecords(idx: OpenedIndex, mappingId: string, expected: readonly FileRecord[], opts: { getEach?: boolean } = {}): void {
  const want = byPath(expected);
  const map = idx.fileMap(mappingId);
  expect(map.size).toBe(want.length);
  expect(byPath(map.values())).toStrictEqual(want);
  for (const [key, record] of map) expect(record.relPath).toBe(key);
  expect(byPath(idx.listFiles(mappingId))).toStrictEqual(want);
  expect(idx.countByState(mappingId)).toEqual(countStates(want));
  expect(idx.hasFiles(mappingId)).toBe(want.length > 0);
  if (opts.getEach ?? true) for (const r of want) expect(idx.getFile(mappingId, r.relPath)).toStrictEqual(r);
}

// What is stored, read straight from SQLite.
const rowCount = (idx: OpenedIndex, m = 'm1') => idx.db.prepare('SELECT COUNT(*) FROM files WHERE mapping_id = ?').pluck().get(m) as number;
const tombstoneCount = (idx: OpenedIndex, m = 'm1') =>
  idx.db.prepare('SELECT COUNT(*) FROM file_tombstones WHERE mapping_id = ?').pluck().get(m) as number;
const packParts = (idx: OpenedIndex, m = 'm1') =>
  idx.db.prepare('SELECT part, records FROM file_packs WHERE mapping_id = ? ORDER BY part').all(m) as { part: number; records: number }[];
const packedTotal = (idx: OpenedIndex, m = 'm1') => packParts(idx, m).reduce((n, p) => n + p.records, 0);
const snapshot = (idx: OpenedIndex) => ({
  packs: idx.db.prepare('SELECT * FROM file_packs ORDER BY mapping_id, part').all(),
  rows: idx.db.prepare('SELECT * FROM files ORDER BY mapping_id, rel_path').all(),
  tombstones: idx.db.prepare('SELECT * FROM file_tombstones ORDER BY mapping_id, rel_path').all(),
});

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IndexError);
  expect((caught as IndexError).code).toBe(code);
}

describe('putFiles', () => {
  it('writes an empty mapping as a pack that every read gives back, before and after reopening', () => {
    const records = many(40);
    index.putFiles('m1', records);
    expect(rowCount(index)).toBe(0);
    expect(packParts(index)).toEqual([{ part: 0, records: 40 }]);
    expect(index.hasFiles('m1')).toBe(true);
    expect(index.countByState('m1')).toEqual({ synced: 8, pending: 8, uploading: 8, failed: 8, skipped: 8 });
    expectRecords(index, 'm1', records);
    expect(index.getFile('m1', 'd/f3')).toStrictEqual(records[3]);
    expect(index.getFile('m1', 'd/f3')!.size).toBe(2 ** 32 + 3);
    expect(index.getFile('m1', 'd/f1')!.mtimeNs).toBe(-1_500_000_002n);
    expect(index.getFile('m1', 'd/nope')).toBeUndefined();
    expect(index.hasFiles('m2')).toBe(false);
    expect(index.listFiles('m2')).toEqual([]);
    reopen();
    expectRecords(index, 'm1', records);
    expect(index.fileMap('m2').size).toBe(0);
  });

  it('reads back every record of a pack of several parts', () => {
    const n = 2 * PACK_PART_RECORDS + 5;
    const records = many(n);
    index.putFiles('m1', records);
    expect(packParts(index)).toEqual([
      { part: 0, records: PACK_PART_RECORDS },
      { part: 1, records: PACK_PART_RECORDS },
      { part: 2, records: 5 },
    ]);
    expect(rowCount(index)).toBe(0);
    expectRecords(index, 'm1', records, { getEach: false });
    reopen();
    expectRecords(index, 'm1', records, { getEach: false });
    expect(index.getFile('m1', `d/f${n - 1}`)).toStrictEqual(records[n - 1]);
    expect(index.getFile('m1', `d/f${PACK_PART_RECORDS}`)).toStrictEqual(records[PACK_PART_RECORDS]);
  });

  it('fills exactly one part with PACK_PART_RECORDS records', () => {
    index.putFiles('m1', many(PACK_PART_RECORDS));
    expect(packParts(index)).toEqual([{ part: 0, records: PACK_PART_RECORDS }]);
    expect(index.fileMap('m1').size).toBe(PACK_PART_RECORDS);
  });

  it('takes the records from a generator, made on the fly', () => {
    const records = many(PACK_PART_RECORDS + 3);
    let made = 0;
    index.putFiles('m1', (function* () {
      for (const r of records) {
        made++;
        yield r;
      }
    })());
    expect(made).toBe(records.length);
    reopen();
    expectRecords(index, 'm1', records, { getEach: false });
  });

  it('writes nothing for no records', () => {
    index.putFiles('m1', []);
    expect(packParts(index)).toEqual([]);
    expect(index.hasFiles('m1')).toBe(false);
    expectRecords(index, 'm1', []);
  });

  it('keeps the later record of a path given twice (into an empty mapping, also across parts)', () => {
    const records = many(PACK_PART_RECORDS + 10);
    const early = file('dup', { size: 1, state: 'pending', hash: null });
    const late = file('dup', { size: 2, state: 'failed', reason: 'late', failures: 3 });
    const later = file('d/f5', { size: 55, remoteToken: null }); // d/f5 is in part 0; this one goes to part 1
    index.putFiles('m1', [early, ...records, late, later]);
    const want = [...records.filter((r) => r.relPath !== 'd/f5'), late, later];
    expect(index.getFile('m1', 'dup')).toStrictEqual(late);
    expect(index.getFile('m1', 'd/f5')).toStrictEqual(later);
    expectRecords(index, 'm1', want, { getEach: false });
    reopen();
    expectRecords(index, 'm1', want, { getEach: false });
  });

  it('keeps the later record of a path given twice (into a mapping that has records)', () => {
    index.putFiles('m1', [file('a'), file('b')]);
    index.putFiles('m1', [file('b', { size: 1 }), file('c'), file('b', { size: 2, state: 'skipped', reason: 'too big' })]);
    const want = [file('a'), file('b', { size: 2, state: 'skipped', reason: 'too big' }), file('c')];
    expectRecords(index, 'm1', want);
    reopen();
    expectRecords(index, 'm1', want);
  });

  it('merges into a mapping with a pack, rows and tombstones: old records not in the new list stay', () => {
    const packed = many(20);
    index.putFiles('m1', packed);
    index.upsertFile(file('row-only', { state: 'pending', hash: null })); // a row beside the pack
    index.upsertFile({ ...packed[1]!, size: 999, state: 'uploading' }); // a row over the pack
    index.deleteFile('m1', 'd/f2'); // a tombstone
    expect(rowCount(index)).toBe(2);
    expect(tombstoneCount(index)).toBe(1);
    reopen(); // the merge reads the mapping from the file, not from memory
    const added = [file('new/x', { mtimeNs: -5n }), { ...packed[3]!, remoteVersion: '8', lastSyncedAt: null }];
    index.putFiles('m1', added);
    const want = [
      ...packed.filter((r) => !['d/f1', 'd/f2', 'd/f3'].includes(r.relPath)),
      { ...packed[1]!, size: 999, state: 'uploading' as const },
      file('row-only', { state: 'pending', hash: null }),
      ...added,
    ];
    expectRecords(index, 'm1', want);
    expect(rowCount(index)).toBe(0);
    expect(tombstoneCount(index)).toBe(0);
    expect(packedTotal(index)).toBe(want.length);
    reopen();
    expectRecords(index, 'm1', want);
  });

  it('merges with the records held in memory the same way', () => {
    index.putFiles('m1', [file('a'), file('b'), file('c')]);
    index.fileMap('m1'); // loaded
    index.deleteFile('m1', 'b');
    index.upsertFile(file('c', { size: 3 }));
    index.putFiles('m1', [file('d'), file('a', { state: 'pending' })]);
    const want = [file('a', { state: 'pending' }), file('c', { size: 3 }), file('d')];
    expectRecords(index, 'm1', want);
    expect([rowCount(index), tombstoneCount(index), packedTotal(index)]).toEqual([0, 0, 3]);
    reopen();
    expectRecords(index, 'm1', want);
  });

  it('packs a mapping that had rows only together with the new records', () => {
    index.upsertFile(file('r1'));
    index.upsertFile(file('r2', { state: 'failed', reason: 'E_X' }));
    expect(packParts(index)).toEqual([]);
    index.putFiles('m1', [file('p1'), file('r1', { size: 11 })]);
    const want = [file('p1'), file('r1', { size: 11 }), file('r2', { state: 'failed', reason: 'E_X' })];
    expect([rowCount(index), packedTotal(index)]).toEqual([0, 3]);
    reopen();
    expectRecords(index, 'm1', want);
  });

  it('leaves other mappings alone', () => {
    index.putFiles('m2', [file('x', { mappingId: 'm2' })]);
    index.upsertFile(file('y', { mappingId: 'm2' }));
    index.putFiles('m1', many(5));
    index.putFiles('m1', [file('z')]);
    reopen();
    expectRecords(index, 'm2', [file('x', { mappingId: 'm2' }), file('y', { mappingId: 'm2' })]);
    expectRecords(index, 'm1', [...many(5), file('z')]);
  });

  const refused: [string, FileRecord][] = [
    ['a record of another mapping', file('other', { mappingId: 'm2' })],
    ['an empty path', file('')],
    ['an absolute path', file('/abs/x')],
    ['a path with NUL', file('a\0b')],
    ['a non-NFC path', file('cafe\u0301')],
    ['a negative size', file('neg', { size: -1 })],
    ['a fractional size', file('frac', { size: 1.5 })],
    ['an unsafe size', file('huge', { size: 2 ** 53 })],
  ];

  for (const [what, bad] of refused) {
    it(`refuses ${what} with E_INDEX_RECORD and leaves an empty mapping empty`, () => {
      expectCode(() => index.putFiles('m1', [...many(3), bad, file('after')]), 'E_INDEX_RECORD');
      expect(snapshot(index)).toEqual({ packs: [], rows: [], tombstones: [] });
      expect(index.hasFiles('m1')).toBe(false);
      expectRecords(index, 'm1', []);
    });
  }

  it('rolls back a refused putFiles into a mapping with a pack, rows and tombstones, on disk and in memory', () => {
    for (const [, bad] of refused) {
      index.putFiles('m1', many(10));
      index.upsertFile(file('row'));
      index.deleteFile('m1', 'd/f4');
      const want = [...many(10).filter((r) => r.relPath !== 'd/f4'), file('row')];
      expectRecords(index, 'm1', want); // loaded: the refused merge works on this copy
      const before = snapshot(index);
      expectCode(() => index.putFiles('m1', [file('d/f0', { size: 1 }), file('fresh'), bad]), 'E_INDEX_RECORD');
      expect(snapshot(index)).toEqual(before);
      expectRecords(index, 'm1', want);
      reopen();
      expectRecords(index, 'm1', want);
      index.forgetMapping('m1');
    }
  });
});

describe('single writes over a pack', () => {
  it('an upsert over a packed record wins, also after reopening', () => {
    const records = many(10);
    index.putFiles('m1', records);
    const changed = { ...records[4]!, size: 2 ** 40, state: 'failed' as const, reason: 'quota', failures: 2, hash: null };
    index.upsertFile(changed);
    const want = records.map((r) => (r.relPath === changed.relPath ? changed : r));
    expect(index.getFile('m1', 'd/f4')).toStrictEqual(changed);
    expectRecords(index, 'm1', want);
    expect([rowCount(index), packedTotal(index)]).toEqual([1, 10]);
    reopen();
    expect(index.getFile('m1', 'd/f4')).toStrictEqual(changed);
    expectRecords(index, 'm1', want);
  });

  it('an upsert over a packed record wins when the records were loaded before', () => {
    const records = many(10);
    index.putFiles('m1', records);
    expect(index.fileMap('m1').get('d/f4')).toStrictEqual(records[4]);
    const changed = { ...records[4]!, remoteToken: 'new-token' };
    index.upsertFile(changed);
    expect(index.fileMap('m1').get('d/f4')).toStrictEqual(changed);
    reopen();
    expect(index.fileMap('m1').get('d/f4')).toStrictEqual(changed);
  });

  it('a delete hides a packed record (after reopening too); an upsert at its path brings it back', () => {
    const records = many(10);
    index.putFiles('m1', records);
    index.deleteFile('m1', 'd/f6');
    const without = records.filter((r) => r.relPath !== 'd/f6');
    expect(index.getFile('m1', 'd/f6')).toBeUndefined();
    expectRecords(index, 'm1', without);
    expect([rowCount(index), tombstoneCount(index)]).toEqual([0, 1]);
    reopen();
    expect(index.getFile('m1', 'd/f6')).toBeUndefined();
    expectRecords(index, 'm1', without);
    const back = file('d/f6', { size: 66, state: 'pending', hash: null });
    index.upsertFile(back);
    expect(index.getFile('m1', 'd/f6')).toStrictEqual(back);
    expectRecords(index, 'm1', [...without, back]);
    reopen();
    expectRecords(index, 'm1', [...without, back]);
    index.deleteFile('m1', 'd/f6'); // the row and the packed record both gone
    reopen();
    expectRecords(index, 'm1', without);
  });

  it('a delete of a packed record with a row over it hides both', () => {
    index.putFiles('m1', [file('a'), file('b')]);
    index.upsertFile(file('a', { size: 1 }));
    index.deleteFile('m1', 'a');
    expectRecords(index, 'm1', [file('b')]);
    reopen();
    expectRecords(index, 'm1', [file('b')]);
  });

  it('renames a packed record, replacing a packed record at the target', () => {
    const records = [file('a/x', { size: 1, state: 'pending' }), file('b/y', { size: 2 }), file('c')];
    index.putFiles('m1', records);
    index.renameFile('m1', 'a/x', 'b/y');
    const want = [file('b/y', { size: 1, state: 'pending' }), file('c')];
    expect(index.getFile('m1', 'a/x')).toBeUndefined();
    expectRecords(index, 'm1', want);
    reopen();
    expectRecords(index, 'm1', want);
    index.renameFile('m1', 'c', 'new/c');
    reopen();
    expectRecords(index, 'm1', [file('b/y', { size: 1, state: 'pending' }), file('new/c')]);
  });

  it('re-paths a moved folder of packed records, replacing what was at the target, nothing beside it', () => {
    const records = [
      file('a', { size: 0, state: 'pending' }),
      file('a/x', { size: 1 }),
      file('a/y/z', { size: 2, hash: null }),
      file('ab/w', { size: 3 }), // shares the prefix only
      file('b/old', { size: 4 }), // at the target: replaced
      file('c/a/x', { size: 5 }),
    ];
    index.putFiles('m1', records);
    index.renameFolder('m1', 'a', 'b');
    const want = [
      file('b', { size: 0, state: 'pending' }),
      file('b/x', { size: 1 }),
      file('b/y/z', { size: 2, hash: null }),
      file('ab/w', { size: 3 }),
      file('c/a/x', { size: 5 }),
    ];
    expectRecords(index, 'm1', want);
    reopen();
    expect(byPath(index.fileMap('m1').values())).toStrictEqual(byPath(want));
    expect([...index.fileMap('m1').keys()].sort()).toEqual(['ab/w', 'b', 'b/x', 'b/y/z', 'c/a/x']);
  });

  it('re-paths a folder whose records are partly rows, partly packed, partly deleted', () => {
    index.putFiles('m1', [file('a/p1'), file('a/p2'), file('a/p3')]);
    index.upsertFile(file('a/r1', { state: 'pending' }));
    index.upsertFile(file('a/p2', { size: 22 }));
    index.deleteFile('m1', 'a/p3');
    reopen();
    index.renameFolder('m1', 'a', 'z/a');
    reopen();
    expectRecords(index, 'm1', [file('z/a/p1'), file('z/a/p2', { size: 22 }), file('z/a/r1', { state: 'pending' })]);
  });

  it('forgetMapping removes the pack, the rows and the tombstones of that mapping only', () => {
    index.putFiles('m1', many(PACK_PART_RECORDS + 1));
    index.upsertFile(file('row'));
    index.deleteFile('m1', 'd/f0');
    index.putFiles('m2', [file('keep', { mappingId: 'm2' })]);
    index.upsertFile(file('keep-row', { mappingId: 'm2' }));
    index.deleteFile('m2', 'keep');
    index.forgetMapping('m1');
    expect([rowCount(index), tombstoneCount(index), packParts(index)]).toEqual([0, 0, []]);
    expect(index.hasFiles('m1')).toBe(false);
    expectRecords(index, 'm1', []);
    reopen();
    expectRecords(index, 'm1', []);
    expect([rowCount(index, 'm2'), tombstoneCount(index, 'm2'), packedTotal(index, 'm2')]).toEqual([1, 1, 1]);
    expectRecords(index, 'm2', [file('keep-row', { mappingId: 'm2' })]);
    index.putFiles('m1', [file('fresh')]); // an empty mapping again
    expectRecords(index, 'm1', [file('fresh')]);
  });
});

describe('folding rows and tombstones into the pack', () => {
  it(`folds once rows + tombstones exceed FOLD_MIN_CHANGES (${FOLD_MIN_CHANGES}), not before`, () => {
    const packed = many(10, 'p/');
    index.putFiles('m1', packed);
    index.fileMap('m1'); // the records are in memory: single writes are counted
    for (let i = 0; i < 5; i++) index.deleteFile('m1', `p/${i}`);
    const upserts = many(FOLD_MIN_CHANGES - 5 + 1, 'u/', { state: 'pending' });
    for (const r of upserts.slice(0, -1)) index.upsertFile(r);
    // Exactly FOLD_MIN_CHANGES changes: not yet.
    expect([rowCount(index), tombstoneCount(index), packedTotal(index)]).toEqual([FOLD_MIN_CHANGES - 5, 5, 10]);
    index.upsertFile(upserts.at(-1)!);
    const want = [...packed.slice(5), ...upserts];
    expect([rowCount(index), tombstoneCount(index), packedTotal(index)]).toEqual([0, 0, want.length]);
    expectRecords(index, 'm1', want, { getEach: false });
    reopen();
    expect([rowCount(index), tombstoneCount(index), packedTotal(index)]).toEqual([0, 0, want.length]);
    expectRecords(index, 'm1', want, { getEach: false });
  });

  it('folds only when the changes also exceed FOLD_SHARE of the pack', () => {
    const n = Math.ceil((2 * FOLD_MIN_CHANGES) / FOLD_SHARE);
    const due = Math.max(FOLD_MIN_CHANGES, n * FOLD_SHARE);
    expect(due).toBeGreaterThan(FOLD_MIN_CHANGES);
    const packed = many(n, 'p/');
    index.putFiles('m1', packed);
    index.fileMap('m1');
    const updated = packed.slice(0, due + 1).map((r) => ({ ...r, failures: r.failures + 10 }));
    index.transaction(() => {
      for (const r of updated.slice(0, due)) index.upsertFile(r);
    });
    expect([rowCount(index), packedTotal(index)]).toEqual([due, n]);
    index.upsertFile(updated.at(-1)!);
    expect([rowCount(index), packedTotal(index)]).toEqual([0, n]);
    const want = [...updated, ...packed.slice(due + 1)];
    reopen();
    expectRecords(index, 'm1', want, { getEach: false });
  });

  it('folds at the end of a transaction, not inside it', () => {
    index.putFiles('m1', [file('p')]);
    index.fileMap('m1');
    const upserts = many(FOLD_MIN_CHANGES + 1, 'u/');
    let rowsInside = -1;
    index.transaction(() => {
      for (const r of upserts) index.upsertFile(r);
      rowsInside = rowCount(index);
    });
    expect(rowsInside).toBe(FOLD_MIN_CHANGES + 1);
    expect([rowCount(index), packedTotal(index)]).toEqual([0, FOLD_MIN_CHANGES + 2]);
    reopen();
    expectRecords(index, 'm1', [file('p'), ...upserts], { getEach: false });
  });

  it('folds deletes away: a pack whose every record was deleted goes', () => {
    const packed = many(FOLD_MIN_CHANGES + 1, 'p/');
    index.putFiles('m1', packed);
    index.fileMap('m1');
    index.transaction(() => {
      for (const r of packed) index.deleteFile('m1', r.relPath);
    });
    expect([rowCount(index), tombstoneCount(index), packParts(index)]).toEqual([0, 0, []]);
    expect(index.hasFiles('m1')).toBe(false);
    reopen();
    expect(index.hasFiles('m1')).toBe(false);
    expectRecords(index, 'm1', []);
  });
});

describe('another connection', () => {
  it("sees the first one's putFiles, upserts, deletes and folds (data_version reloads its copy)", () => {
    const other = second();
    expect(other.fileMap('m1').size).toBe(0); // loaded (empty) before the writes below
    expect(other.hasFiles('m1')).toBe(false);

    const records = many(30);
    index.putFiles('m1', records);
    expectRecords(other, 'm1', records);

    const changed = { ...records[7]!, size: 77, state: 'failed' as const, reason: 'boom' };
    index.upsertFile(changed);
    index.upsertFile(file('added'));
    index.deleteFile('m1', 'd/f8');
    let want = [...records.filter((r) => r.relPath !== 'd/f7' && r.relPath !== 'd/f8'), changed, file('added')];
    expect(other.fileMap('m1').get('d/f7')).toStrictEqual(changed);
    expect(other.getFile('m1', 'd/f8')).toBeUndefined();
    expectRecords(other, 'm1', want);

    // The second one writes: the first sees it.
    index.fileMap('m1');
    other.upsertFile(file('from-other', { state: 'uploading' }));
    other.deleteFile('m1', 'd/f9');
    want = [...want.filter((r) => r.relPath !== 'd/f9'), file('from-other', { state: 'uploading' })];
    expectRecords(index, 'm1', want);

    // The first folds (many changes in one transaction) while the second holds its copy.
    const bulk = many(FOLD_MIN_CHANGES + 1, 'bulk/');
    index.transaction(() => {
      for (const r of bulk) index.upsertFile(r);
    });
    expect([rowCount(other), tombstoneCount(other)]).toEqual([0, 0]);
    want = [...want, ...bulk];
    expectRecords(other, 'm1', want, { getEach: false });
    expect(other.getFile('m1', 'bulk/0')).toStrictEqual(bulk[0]);
  });

  it("merges its putFiles with the first one's writes it had not read yet", () => {
    const other = second();
    index.putFiles('m1', [file('a'), file('b')]);
    other.fileMap('m1');
    index.upsertFile(file('c'));
    index.deleteFile('m1', 'a');
    other.putFiles('m1', [file('d')]); // must not write its stale copy back
    const want = [file('b'), file('c'), file('d')];
    expectRecords(other, 'm1', want);
    expectRecords(index, 'm1', want);
  });
});

describe('hasFiles on a packed mapping', () => {
  it('is true without loading the records (a damaged pack is not even read)', () => {
    index.putFiles('m1', many(3));
    index.db.prepare("UPDATE file_packs SET data = X'00' WHERE mapping_id = 'm1'").run();
    expect(index.hasFiles('m1')).toBe(true);
    expect(index.fileMap('m1').size).toBe(0); // read: found damaged, dropped (see 'a damaged pack')
    expect(index.takeDamage('m1')).toMatch(/E_INDEX_CORRUPT|damaged/);
  });

  it('is false once every packed record is deleted, in this connection and a new one', () => {
    index.putFiles('m1', [file('a'), file('b')]);
    index.deleteFile('m1', 'a');
    expect(index.hasFiles('m1')).toBe(true);
    index.deleteFile('m1', 'b');
    expect(index.hasFiles('m1')).toBe(false);
    reopen();
    expect(index.hasFiles('m1')).toBe(false);
    index.upsertFile(file('b'));
    reopen();
    expect(index.hasFiles('m1')).toBe(true);
  });

  it('is false once the only record of a pack that named its path twice is deleted', () => {
    index.putFiles('m1', [file('dup', { size: 1 }), file('dup', { size: 2 })]);
    expect(index.getFile('m1', 'dup')!.size).toBe(2);
    reopen();
    index.deleteFile('m1', 'dup');
    expect(index.fileMap('m1').size).toBe(0);
    reopen();
    // The pack holds 2 records, 1 tombstone, no rows; its records are: none.
    expect(index.hasFiles('m1')).toBe(false);
    expect(index.fileMap('m1').size).toBe(0);
  });
});

describe('a damaged pack', () => {
  /** The damage as takeDamage reports it: the E_INDEX_CORRUPT message, naming the mapping. */
  const damageOf = (m: string) => index.takeDamage(m);

  it('reads as no records (dropped, its tombstones with it), is reported once, and keeps the rows written since and other mappings', () => {
    index.putFiles('m1', many(5));
    index.putFiles('m2', [file('ok', { mappingId: 'm2' })]);
    index.upsertFile(file('later')); // a row over the pack: sound
    index.deleteFile('m1', 'd/f1'); // a tombstone
    index.db.prepare("UPDATE file_packs SET data = substr(data, 1, length(data) - 8) WHERE mapping_id = 'm1'").run();
    reopen();
    expect(damageOf('m1')).toBeUndefined(); // nothing read yet
    expectRecords(index, 'm1', [file('later')]);
    expect(damageOf('m1')).toMatch(/packed file records of mapping m1 are damaged/);
    expect(damageOf('m1')).toBeUndefined(); // reported once
    expect([packedTotal(index), tombstoneCount(index), rowCount(index), packedTotal(index, 'm2')]).toEqual([0, 0, 1, 1]);
    expectRecords(index, 'm2', [file('ok', { mappingId: 'm2' })]);
    reopen();
    expectRecords(index, 'm1', [file('later')]); // dropped for good: not damaged again
    expect(damageOf('m1')).toBeUndefined();
  });

  it('is found by every read (getFile, countByState) and by one garbled part of several', () => {
    index.putFiles('m1', many(PACK_PART_RECORDS + 2));
    index.db.prepare("UPDATE file_packs SET data = randomblob(length(data)) WHERE mapping_id = 'm1' AND part = 1").run();
    reopen();
    expect(index.getFile('m1', 'd/f0')).toBeUndefined();
    expect(damageOf('m1')).toMatch(/mapping m1/);
    index.putFiles('m1', many(3));
    index.db.prepare("UPDATE file_packs SET paths = ? WHERE mapping_id = 'm1'").run('a\0b'); // a string column lost a value
    reopen();
    expect(Object.values(index.countByState('m1')).reduce((a, b) => a + b, 0)).toBe(0);
    expect(damageOf('m1')).toMatch(/paths/);
  });

  it('then takes what an adoption writes, as a new pack', () => {
    index.putFiles('m1', many(4));
    index.db.prepare("UPDATE file_packs SET data = X'00' WHERE mapping_id = 'm1'").run();
    reopen();
    expect(index.fileMap('m1').size).toBe(0);
    expect(damageOf('m1')).toBeDefined();
    index.putFiles('m1', many(4));
    reopen();
    expectRecords(index, 'm1', many(4));
  });
});

describe('migration from schema 2 (before packs)', () => {
  it('opens a version 2 index with rows at the newest version and keeps every record', () => {
    expect(MIGRATIONS[1]!.version).toBe(2);
    index.close();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    const old = new Database(path);
    migrate(old, path, MIGRATIONS.slice(0, 2));
    expect(old.pragma('user_version', { simple: true })).toBe(2);
    const insert = old.prepare(
      `INSERT INTO files (mapping_id, rel_path, size, mtime_ns, ino, hash, remote_token, remote_parent_token,
                          remote_version, state, reason, failures, last_synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const records = [...many(25), file('文档/报告.docx', { mtimeNs: -1n }), file('x', { mappingId: 'm2', size: 2 ** 40 })];
    for (const f of records) {
      insert.run(f.mappingId, f.relPath, f.size, f.mtimeNs, f.ino, f.hash, f.remoteToken, f.remoteParentToken, f.remoteVersion, f.state, f.reason, f.failures, f.lastSyncedAt);
    }
    old.close();

    index = openIndex(path);
    expect(index.rebuilt).toBeUndefined();
    expect(index.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(snapshot(index).packs).toEqual([]);
    expect(snapshot(index).tombstones).toEqual([]);
    const m1 = records.filter((r) => r.mappingId === 'm1');
    expectRecords(index, 'm1', m1);
    expectRecords(index, 'm2', [records.at(-1)!]);

    // The migrated rows merge into the first pack.
    index.putFiles('m1', [file('new')]);
    index.deleteFile('m1', 'd/f0');
    const want = [...m1.filter((r) => r.relPath !== 'd/f0'), file('new')];
    reopen();
    expect([rowCount(index), tombstoneCount(index), packedTotal(index)]).toEqual([0, 1, m1.length + 1]);
    expectRecords(index, 'm1', want);
    expectRecords(index, 'm2', [records.at(-1)!]);
  });
});
