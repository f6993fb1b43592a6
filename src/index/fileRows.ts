/**
 * How a FileRecord is stored: the column list, the row → record conversion
 * and the checks a record passes before it is written.
 */
import { isNfc } from '../platform/nfc.js';
import { IndexError } from './indexError.js';
import type { FileRecord, FileState } from './types.js';

export type Row = Record<string, unknown>;

export const num = (v: unknown): number => Number(v as bigint | number);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v as bigint | number));

export const FILE_STATES: readonly FileState[] = ['synced', 'pending', 'uploading', 'failed', 'skipped'];

/**
 * Rows are read raw (arrays, in this column order; measured ~2× faster than
 * objects for 100,000 rows) and without safeIntegers, so a row makes no
 * throw-away bigints (less young garbage: a lower peak RSS; time is about
 * even). The one 64-bit column, mtime_ns, comes as exact decimal text; the
 * other integers are safe (sizes are checked on write). mapping_id is not
 * read: the caller knows it.
 */
export const FILE_COLUMNS =
  'rel_path, size, CAST(mtime_ns AS TEXT), ino, hash, remote_token, remote_parent_token, remote_version, state, reason, failures, last_synced_at';

/** One shared string per state instead of one copy per row (100,000 rows → 100,000 copies). */
const STATE_STRINGS = new Map<string, FileState>(FILE_STATES.map((s) => [s, s]));

/** `r` is a raw row of FILE_COLUMNS. */
export function fileFromRow(r: unknown[], mappingId: string): FileRecord {
  return {
    mappingId,
    relPath: r[0] as string,
    size: num(r[1]),
    mtimeNs: BigInt(r[2] as string),
    ino: r[3] as string,
    hash: r[4] as string | null,
    remoteToken: r[5] as string | null,
    remoteParentToken: r[6] as string | null,
    remoteVersion: r[7] as string | null,
    state: STATE_STRINGS.get(r[8] as string) ?? (r[8] as FileState),
    reason: r[9] as string | null,
    failures: num(r[10]),
    lastSyncedAt: numOrNull(r[11]),
  };
}

/** The record as the index holds it in memory: its own object, the FileRecord fields only. */
export function copyRecord(f: FileRecord): FileRecord {
  return {
    mappingId: f.mappingId,
    relPath: f.relPath,
    size: f.size,
    mtimeNs: f.mtimeNs,
    ino: f.ino,
    hash: f.hash,
    remoteToken: f.remoteToken,
    remoteParentToken: f.remoteParentToken,
    remoteVersion: f.remoteVersion,
    state: STATE_STRINGS.get(f.state) ?? f.state,
    reason: f.reason,
    failures: f.failures,
    lastSyncedAt: f.lastSyncedAt,
  };
}

/** Refuses what would corrupt the index's meaning (the SQL CHECKs catch the rest). */
export function checkFile(record: FileRecord): void {
  const path = record.relPath;
  if (!path || path.startsWith('/') || path.includes('\0') || !isNfc(path)) {
    throw new IndexError('E_INDEX_RECORD', `file path ${JSON.stringify(path)} must be relative, '/'-separated, NFC and without NUL`);
  }
  if (!Number.isSafeInteger(record.size) || record.size < 0) {
    throw new IndexError('E_INDEX_RECORD', `file ${record.relPath}: size ${record.size} is not a byte count`);
  }
  if (!Number.isInteger(record.failures) || record.failures < 0 || record.failures > 0xffffffff) {
    throw new IndexError('E_INDEX_RECORD', `file ${record.relPath}: failures ${record.failures} is not a count`);
  }
}
