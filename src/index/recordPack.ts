/**
 * File records packed column by column into one part of a mapping's pack:
 * how the index stores records in bulk (see filePacks.ts). SQLite's per-row
 * cost (binding, b-tree, row decoding: ~3 µs a row either way) is paid once
 * per part of 4,096 records instead of once per record.
 *
 * A part is:
 *   data     binary, each section at its own alignment:
 *              header   'FSP1', count, JSON columns (bit per string column), spare (u32 each)
 *              nulls    u8 per record: bit i set = nullable column i is null
 *              states   u8 per record (index into FILE_STATES)
 *              failures u32 per record
 *              sizes    f64 per record
 *              synced   f64 per record (lastSyncedAt; NaN when null)
 *              mtimes   i64 per record (nanoseconds)
 *   strings  one text per string column (STRING_COLUMNS): its non-null
 *            values in record order, joined by '\0'; a column where some
 *            value holds a '\0' itself (a failure reason could) is a JSON
 *            array instead. One text per column, not one for all: a path
 *            read back is a slice of its column's text and keeps that text
 *            alive, which then holds paths only.
 *
 * A part that does not add up (length, counts, states, strings) is refused
 * with E_INDEX_CORRUPT instead of being read as records.
 */
import { smallInt } from '../platform/smallInt.js';
import { IndexError } from './indexError.js';
import { FILE_STATES } from './fileRows.js';
import type { FileRecord, FileState } from './types.js';

const MAGIC = 0x31505346; // 'FSP1', little-endian
const HEADER = 16;

/** The string columns, in storage order; the first two are never null, the others have a null bit each (1 << (index - 2)). */
export const STRING_COLUMNS = ['paths', 'inos', 'hashes', 'tokens', 'parents', 'versions', 'reasons'] as const;
const NULLABLE_FROM = 2;

const STATE_CODES = new Map<FileState, number>(FILE_STATES.map((s, i) => [s, i]));

const align8 = (n: number) => (n + 7) & ~7;

function layout(count: number) {
  const nulls = HEADER;
  const states = nulls + count;
  const failures = align8(states + count);
  const sizes = align8(failures + 4 * count);
  const synced = sizes + 8 * count;
  const mtimes = synced + 8 * count;
  return { nulls, states, failures, sizes, synced, mtimes, end: mtimes + 8 * count };
}

export interface PackedPart {
  data: Buffer;
  /** One text per STRING_COLUMNS entry, in that order. */
  strings: string[];
}

/** Appends a non-null value to its column; returns `nullBit` for a null one. */
function addString(column: string[], value: string | null, nullBit: number): number {
  if (value === null) return nullBit;
  column.push(value);
  return 0;
}

/** Packs `records` (each must have passed checkFile). */
export function packRecords(records: readonly FileRecord[]): PackedPart {
  const count = records.length;
  const at = layout(count);
  const raw = new ArrayBuffer(at.end);
  const bytes = new Uint8Array(raw);
  const failures = new Uint32Array(raw, at.failures, count);
  const sizes = new Float64Array(raw, at.sizes, count);
  const synced = new Float64Array(raw, at.synced, count);
  const mtimes = new BigInt64Array(raw, at.mtimes, count);
  const columns: string[][] = STRING_COLUMNS.map(() => []);
  const [paths, inos, hashes, tokens, parents, versions, reasons] = columns as [string[], string[], string[], string[], string[], string[], string[]];
  for (let k = 0; k < count; k++) {
    const r = records[k]!;
    paths.push(r.relPath);
    inos.push(r.ino);
    bytes[at.nulls + k] =
      addString(hashes, r.hash, 1) | addString(tokens, r.remoteToken, 2) | addString(parents, r.remoteParentToken, 4) |
      addString(versions, r.remoteVersion, 8) | addString(reasons, r.reason, 16);
    bytes[at.states + k] = STATE_CODES.get(r.state)!;
    failures[k] = r.failures;
    sizes[k] = r.size;
    synced[k] = r.lastSyncedAt ?? NaN;
    mtimes[k] = r.mtimeNs;
  }
  // A value holding '\0' would split in two: its column goes as JSON (relPath never holds one: checkFile).
  let jsonColumns = 0;
  const strings = columns.map((values, c) => {
    if (c === 0 || !values.some((v) => v.includes('\0'))) return values.join('\0');
    jsonColumns |= 1 << c;
    return JSON.stringify(values);
  });
  const header = new Uint32Array(raw, 0, 4);
  header[0] = MAGIC;
  header[1] = count;
  header[2] = jsonColumns;
  return { data: Buffer.from(raw), strings };
}

/** Passes each record of a part to `add`, in pack order. */
export function unpackRecords(part: { data: Uint8Array; strings: readonly string[] }, mappingId: string, add: (record: FileRecord) => void): void {
  const damaged = (what: string) =>
    new IndexError('E_INDEX_CORRUPT', `the packed file records of mapping ${mappingId} are damaged (${what})`);
  let data = part.data;
  if (data.length < HEADER) throw damaged('too short');
  if (data.byteOffset % 8 !== 0) data = new Uint8Array(data); // typed views need the alignment
  const header = new Uint32Array(data.buffer, data.byteOffset, 4);
  const count = header[1]!;
  const jsonColumns = header[2]!;
  const at = layout(count);
  if (header[0] !== MAGIC) throw damaged('unknown format');
  if (data.length !== at.end) throw damaged('wrong length');
  const failures = new Uint32Array(data.buffer, data.byteOffset + at.failures, count);
  const sizes = new Float64Array(data.buffer, data.byteOffset + at.sizes, count);
  const synced = new Float64Array(data.buffer, data.byteOffset + at.synced, count);
  const mtimes = new BigInt64Array(data.buffer, data.byteOffset + at.mtimes, count);
  const nulls = data.subarray(at.nulls, at.nulls + count);
  const columns = STRING_COLUMNS.map((name, c) => {
    let present = count;
    if (c >= NULLABLE_FROM) for (let k = 0; k < count; k++) if ((nulls[k]! & (1 << (c - NULLABLE_FROM))) !== 0) present--;
    const text = part.strings[c];
    let values: unknown;
    try {
      if ((jsonColumns & (1 << c)) !== 0) values = JSON.parse(text!);
      else if (present > 0) values = text!.split('\0');
      else values = text === '' ? [] : [text]; // all null: any text there is one value too many
    } catch {
      throw damaged(`column ${name} is unreadable`);
    }
    if (!Array.isArray(values) || values.length !== present || values.some((v) => typeof v !== 'string')) {
      throw damaged(`column ${name} does not hold ${present} strings`);
    }
    return values as string[];
  });
  const [paths, inos, hashes, tokens, parents, versions, reasons] = columns as [string[], string[], string[], string[], string[], string[], string[]];
  let h = 0;
  let t = 0;
  let p = 0;
  let v = 0;
  let r = 0;
  for (let k = 0; k < count; k++) {
    const n = nulls[k]!;
    const state = FILE_STATES[data[at.states + k]!];
    if (state === undefined) throw damaged(`record ${k} has no valid state`);
    const lastSyncedAt = synced[k]!;
    add({
      mappingId,
      relPath: paths[k]!,
      size: smallInt(sizes[k]!),
      mtimeNs: mtimes[k]!,
      ino: inos[k]!,
      hash: n & 1 ? null : hashes[h++]!,
      remoteToken: n & 2 ? null : tokens[t++]!,
      remoteParentToken: n & 4 ? null : parents[p++]!,
      remoteVersion: n & 8 ? null : versions[v++]!,
      state,
      reason: n & 16 ? null : reasons[r++]!,
      failures: failures[k]!,
      lastSyncedAt: Number.isNaN(lastSyncedAt) ? null : smallInt(lastSyncedAt),
    });
  }
}
