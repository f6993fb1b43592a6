/**
 * Packed file records (schema 3): per mapping, a pack of records in parts
 * (recordPack.ts) plus the changes made since, as rows — a row of the files
 * table replaces the packed record at its path, a tombstone removes it. A
 * mapping's records are: the pack, minus its tombstones, with the rows laid
 * over it. Writing one record stays one small row (an upload at 5 QPS);
 * writing or reading 100,000 is 25 parts instead of 100,000 rows (~85 and
 * ~125 ms instead of ~310 and ~330). When the rows pile up, the index folds
 * them into a new pack (SqliteIndex.fold).
 *
 * A mapping without a pack (every index before schema 3, and each new
 * mapping until its first bulk write or fold) is just its rows.
 */
import type Database from 'better-sqlite3';
import { packRecords, STRING_COLUMNS, unpackRecords } from './recordPack.js';
import type { FileRecord } from './types.js';

/** Rows and tombstones a mapping may gather before its pack is rewritten: at least this many… */
export const FOLD_MIN_CHANGES = 2000;
/** …or this share of the pack's records, whichever is more (so folding costs O(1) per write, amortised). */
export const FOLD_SHARE = 0.25;
/**
 * Records per part of a pack: a part is ~300 KB, so writing or reading a big
 * mapping never holds more than a part's worth of blob and text at once
 * (measured: parts of 16,384 wrote 100,000 records in ~135 ms and 15 MB
 * more peak RSS than parts of 4,096, ~85 ms).
 */
export const PACK_PART_RECORDS = 4096;

export class FilePacks {
  private readonly s;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      parts: p(`SELECT data, ${STRING_COLUMNS.join(', ')} FROM file_packs WHERE mapping_id = ? ORDER BY part`).raw(true),
      records: p('SELECT SUM(records) FROM file_packs WHERE mapping_id = ?').pluck(true),
      putPart: p(
        `INSERT INTO file_packs (mapping_id, part, records, data, ${STRING_COLUMNS.join(', ')})
         VALUES (?, ?, ?, ?${', ?'.repeat(STRING_COLUMNS.length)})`,
      ),
      drop: p('DELETE FROM file_packs WHERE mapping_id = ?'),
      tombstones: p('SELECT rel_path FROM file_tombstones WHERE mapping_id = ?').pluck(true),
      countTombstones: p('SELECT COUNT(*) FROM file_tombstones WHERE mapping_id = ?').pluck(true),
      bury: p('INSERT OR IGNORE INTO file_tombstones (mapping_id, rel_path) VALUES (?, ?)'),
      clearTombstones: p('DELETE FROM file_tombstones WHERE mapping_id = ?'),
      clearRows: p('DELETE FROM files WHERE mapping_id = ?'),
      countRows: p('SELECT COUNT(*) FROM files WHERE mapping_id = ?').pluck(true),
    };
  }

  /** Records in the mapping's pack (tombstones not subtracted); undefined when it has none. */
  packedCount(mappingId: string): number | undefined {
    const n = this.s.records.get(mappingId) as number | null;
    return n === null ? undefined : Number(n);
  }

  /** Passes every packed record of the mapping that no tombstone removes to `add`. */
  readPack(mappingId: string, add: (record: FileRecord) => void): void {
    let keep = add;
    let buried: Set<string> | undefined;
    for (const [data, ...strings] of this.s.parts.iterate(mappingId) as IterableIterator<[Buffer, ...string[]]>) {
      if (!buried) {
        buried = new Set(this.s.tombstones.all(mappingId) as string[]);
        if (buried.size > 0) keep = (r) => buried!.has(r.relPath) || add(r);
      }
      unpackRecords({ data, strings }, mappingId, keep);
    }
  }

  /** No pack, no rows, no tombstones: the mapping has no file records at all. */
  isEmpty(mappingId: string): boolean {
    return this.packedCount(mappingId) === undefined && this.changeCount(mappingId) === 0;
  }

  tombstoneCount(mappingId: string): number {
    return Number(this.s.countTombstones.get(mappingId));
  }

  /** Rows plus tombstones: the changes since the pack was written. */
  changeCount(mappingId: string): number {
    return Number(this.s.countRows.get(mappingId)) + this.tombstoneCount(mappingId);
  }

  /** The packed record at `relPath` is gone (a row there, if any, is deleted by the caller). */
  bury(mappingId: string, relPath: string): void {
    this.s.bury.run(mappingId, relPath);
  }

  /**
   * Replaces the mapping's pack with `records` (all of its records; of two
   * with one path, the later one is read) and drops the rows and tombstones
   * they include. The records are packed a part at a time, so an iterable
   * that makes them on the fly never has more than a part's worth alive.
   */
  write(mappingId: string, records: Iterable<FileRecord>): void {
    this.s.drop.run(mappingId);
    let part = 0;
    let chunk: FileRecord[] = [];
    const flush = () => {
      const { data, strings } = packRecords(chunk);
      this.s.putPart.run(mappingId, part++, chunk.length, data, ...strings);
      chunk = [];
    };
    for (const record of records) {
      chunk.push(record);
      if (chunk.length === PACK_PART_RECORDS) flush();
    }
    if (chunk.length > 0) flush();
    this.s.clearRows.run(mappingId);
    this.s.clearTombstones.run(mappingId);
  }

  /** Forgets the mapping's pack and tombstones (its rows are the caller's). */
  forget(mappingId: string): void {
    this.s.drop.run(mappingId);
    this.s.clearTombstones.run(mappingId);
  }
}
