/**
 * How a FileRecord is stored: the column list, the row → record conversion
 * and the checks a record passes before it is written.
 */
import { IndexError } from './indexError.js';
import type { FileRecord, FileState } from './types.js';

export type Row = Record<string, unknown>;

export const num = (v: unknown): number => Number(v as bigint | number);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v as bigint));

export const FILE_STATES: readonly FileState[] = ['synced', 'pending', 'uploading', 'failed', 'skipped'];

/** Rows are read raw (arrays, in this column order): measured ~2× faster than objects for 100,000 rows. */
export const FILE_COLUMNS =
  'mapping_id, rel_path, size, mtime_ns, ino, hash, remote_token, remote_parent_token, remote_version, state, reason, failures, last_synced_at';

/** One shared string per state instead of one copy per row (100,000 rows → 100,000 copies). */
const STATE_STRINGS = new Map<string, FileState>(FILE_STATES.map((s) => [s, s]));

/** `r` is a raw row of FILE_COLUMNS read with safeIntegers (integers are bigints). */
export function fileFromRow(r: unknown[], mappingId: string): FileRecord {
  return {
    mappingId,
    relPath: r[1] as string,
    size: num(r[2]),
    mtimeNs: BigInt(r[3] as bigint),
    ino: r[4] as string,
    hash: r[5] as string | null,
    remoteToken: r[6] as string | null,
    remoteParentToken: r[7] as string | null,
    remoteVersion: r[8] as string | null,
    state: STATE_STRINGS.get(r[9] as string) ?? (r[9] as FileState),
    reason: r[10] as string | null,
    failures: num(r[11]),
    lastSyncedAt: numOrNull(r[12]),
  };
}

/** Refuses what would corrupt the index's meaning (the SQL CHECKs catch the rest). */
export function checkFile(record: FileRecord): void {
  if (!record.relPath || record.relPath.startsWith('/') || record.relPath !== record.relPath.normalize('NFC')) {
    throw new IndexError('E_INDEX_RECORD', `file path ${JSON.stringify(record.relPath)} must be relative, '/'-separated and NFC`);
  }
  if (!Number.isSafeInteger(record.size) || record.size < 0) {
    throw new IndexError('E_INDEX_RECORD', `file ${record.relPath}: size ${record.size} is not a byte count`);
  }
}
