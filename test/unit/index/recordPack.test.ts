import { describe, expect, it } from 'vitest';
import { FILE_STATES } from '../../../src/index/fileRows.js';
import { IndexError } from '../../../src/index/indexError.js';
import { packRecords, STRING_COLUMNS, unpackRecords, type PackedPart } from '../../../src/index/recordPack.js';
import type { FileRecord } from '../../../src/index/types.js';
import { fileRecord } from './fileRecords.js';

const MAPPING = 'm1';

/** Records of mapping MAPPING ('m1', fileRecord's). */
const rec = fileRecord;

function unpack(part: { data: Uint8Array; strings: readonly string[] }, mappingId = MAPPING): FileRecord[] {
  const out: FileRecord[] = [];
  unpackRecords(part, mappingId, (r) => out.push(r));
  return out;
}

const roundTrip = (records: FileRecord[]) => unpack(packRecords(records));

/** The part's data as a fresh, 8-aligned, writable copy. */
const copyOf = (part: PackedPart): PackedPart => ({ data: Buffer.from(new Uint8Array(part.data)), strings: [...part.strings] });

/** Byte offset of the per-record states section (header 16 bytes, then one null byte per record). */
const statesAt = (count: number) => 16 + count;

function expectCorrupt(part: { data: Uint8Array; strings: readonly string[] }, detail?: RegExp): void {
  let caught: unknown;
  try {
    unpack(part, 'map-X');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IndexError);
  expect((caught as IndexError).code).toBe('E_INDEX_CORRUPT');
  expect((caught as IndexError).message).toContain('mapping map-X');
  if (detail) expect((caught as IndexError).message).toMatch(detail);
}

describe('packRecords / unpackRecords round trip', () => {
  it('keeps every field of an ordinary record exact', () => {
    const record = rec('a/b.txt');
    const [back, ...rest] = roundTrip([record]);
    expect(rest).toEqual([]);
    expect(back).toStrictEqual(record);
    expect(back!.mtimeNs).toBe(1_764_000_000_123_456_789n);
    expect(back!.ino).toBe('18446744073709551557');
  });

  it('reads zero records from a part of zero records', () => {
    const part = packRecords([]);
    expect(part.strings).toHaveLength(STRING_COLUMNS.length);
    expect(part.data.length).toBe(16);
    expect(unpack(part)).toEqual([]);
  });

  it('keeps a null in each nullable column apart from its neighbours', () => {
    const nullable = ['hash', 'remoteToken', 'remoteParentToken', 'remoteVersion', 'reason'] as const;
    const records: FileRecord[] = [
      rec('all-set', { reason: 'r0' }),
      ...nullable.map((field, i) => rec(`null-${field}`, { [field]: null, hash: field === 'hash' ? null : `h${i}`, reason: field === 'reason' ? null : `why ${i}` })),
      rec('all-null', { hash: null, remoteToken: null, remoteParentToken: null, remoteVersion: null, reason: null, lastSyncedAt: null }),
      rec('after', { hash: 'h-last', remoteToken: 't-last', remoteParentToken: 'p-last', remoteVersion: 'v-last', reason: 'r-last' }),
    ];
    expect(roundTrip(records)).toStrictEqual(records);
  });

  it('keeps empty strings as empty strings, not nulls, in every string column', () => {
    const records = [
      rec('e1', { ino: '', hash: '', remoteToken: '', remoteParentToken: '', remoteVersion: '', reason: '' }),
      rec('e2', { ino: '', hash: null, remoteToken: '', remoteParentToken: null, remoteVersion: '', reason: null }),
      rec('e3', { ino: 'x', hash: '', remoteToken: null, remoteParentToken: '', remoteVersion: null, reason: '' }),
      rec('e4', { ino: '', hash: null, remoteToken: null, remoteParentToken: null, remoteVersion: null, reason: '' }),
    ];
    const back = roundTrip(records);
    expect(back).toStrictEqual(records);
    expect(back[3]!.reason).toBe('');
    expect(back[3]!.hash).toBeNull();
  });

  it('keeps a column whose only value is the empty string', () => {
    const records = [rec('a', { hash: null }), rec('b', { hash: '' }), rec('c', { hash: null })];
    expect(roundTrip(records)).toStrictEqual(records);
  });

  it('keeps 64-bit nanosecond mtimes exact, negative ones and the extremes included', () => {
    const mtimes = [
      0n,
      1n,
      -1n,
      -1_500_000_001n,
      1_700_000_000_123_456_789n,
      -1_700_000_000_123_456_789n,
      9_223_372_036_854_775_807n,
      -9_223_372_036_854_775_808n,
      2n ** 53n + 1n,
    ];
    const records = mtimes.map((mtimeNs, i) => rec(`m${i}`, { mtimeNs }));
    const back = roundTrip(records);
    expect(back.map((r) => r.mtimeNs)).toEqual(mtimes);
    expect(back).toStrictEqual(records);
  });

  it('reads sizes back as the same numbers, above 2^32 included', () => {
    const sizes = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 5 * 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
    const back = roundTrip(sizes.map((size, i) => rec(`s${i}`, { size })));
    expect(back.map((r) => r.size)).toEqual(sizes);
    for (const [i, r] of back.entries()) {
      expect(typeof r.size).toBe('number');
      expect(Number.isSafeInteger(r.size)).toBe(true);
      expect(Object.is(r.size, sizes[i])).toBe(true);
    }
  });

  it('keeps failure counts, lastSyncedAt null and real millisecond timestamps', () => {
    const records = [
      rec('f0', { failures: 0, lastSyncedAt: null }),
      rec('f1', { failures: 1, lastSyncedAt: 0 }),
      rec('f2', { failures: 7, lastSyncedAt: 1_764_000_000_123 }),
      rec('f3', { failures: 2 ** 31, lastSyncedAt: 4_102_444_800_000 }), // 2100-01-01
      rec('f4', { failures: 2 ** 32 - 1, lastSyncedAt: null }),
    ];
    const back = roundTrip(records);
    expect(back).toStrictEqual(records);
    expect(back.map((r) => r.lastSyncedAt)).toEqual([null, 0, 1_764_000_000_123, 4_102_444_800_000, null]);
    for (const r of back) if (r.lastSyncedAt !== null) expect(Number.isSafeInteger(r.lastSyncedAt)).toBe(true);
  });

  it('keeps every FileState', () => {
    const records = FILE_STATES.map((state, i) => rec(`st${i}`, { state, reason: state === 'failed' || state === 'skipped' ? `because ${state}` : null }));
    expect(records.map((r) => r.state)).toEqual(['synced', 'pending', 'uploading', 'failed', 'skipped']);
    expect(roundTrip(records)).toStrictEqual(records);
  });

  it('keeps non-ASCII NFC paths and strings (Chinese, emoji, combining marks composed)', () => {
    const records = [
      rec('文档/报告 2026.docx', { reason: '上传失败：配额已用完' }),
      rec('照片/🎉 party/🧑‍💻.png', { ino: '🙂', remoteToken: 'tök' }),
      rec('café/résumé.pdf'.normalize('NFC')),
      rec('한국어/파일.txt'),
      rec('a b/c\td\\e'),
    ];
    const back = roundTrip(records);
    expect(back).toStrictEqual(records);
    expect(back.map((r) => r.relPath)).toEqual(['文档/报告 2026.docx', '照片/🎉 party/🧑‍💻.png', 'café/résumé.pdf', '한국어/파일.txt', 'a b/c\td\\e']);
  });

  it("stores a column holding '\\0' in a value as JSON and reads it back", () => {
    const records = [rec('a', { reason: 'one\0two', state: 'failed' }), rec('b', { reason: null }), rec('c', { reason: '\0', state: 'skipped' })];
    const part = packRecords(records);
    const reasons = STRING_COLUMNS.indexOf('reasons');
    expect(part.strings[reasons]).toBe(JSON.stringify(['one\0two', '\0']));
    expect(part.strings[STRING_COLUMNS.indexOf('paths')]).toBe('a\0b\0c'); // other columns stay '\0'-joined
    expect(unpack(part)).toStrictEqual(records);
  });

  it("takes '\\0' in any string column but the paths", () => {
    const records = [
      rec('a', { ino: 'i\0', hash: '\0h', remoteToken: 't\0t', remoteParentToken: '\0', remoteVersion: 'v\0\0', reason: 'r\0' }),
      rec('b', { ino: 'plain', hash: null, remoteToken: '', remoteParentToken: null, remoteVersion: '', reason: null }),
    ];
    const part = packRecords(records);
    for (const c of [1, 2, 3, 4, 5, 6]) expect(() => JSON.parse(part.strings[c]!)).not.toThrow();
    expect(unpack(part)).toStrictEqual(records);
  });

  it('keeps a reason with newlines (and JSON-looking text) as it is, not as JSON', () => {
    const records = [
      rec('x', { state: 'failed', reason: 'line 1\nline 2\r\n\ttabbed' }),
      rec('y', { state: 'failed', reason: '["looks","like","json"]' }),
      rec('z', { state: 'failed', reason: '' }),
    ];
    const part = packRecords(records);
    expect(part.strings[STRING_COLUMNS.indexOf('reasons')]).toBe('line 1\nline 2\r\n\ttabbed\0["looks","like","json"]\0');
    expect(unpack(part)).toStrictEqual(records);
  });

  it('passes the records in pack order, each its own object, with the given mapping id', () => {
    const records = Array.from({ length: 300 }, (_, i) =>
      rec(`dir${i % 7}/f${i}`, {
        size: i * 1_000_003,
        mtimeNs: BigInt(i) * -123_456_789_012n,
        hash: i % 3 === 0 ? null : `h${i}`,
        remoteToken: i % 5 === 0 ? null : `t${i}`,
        remoteParentToken: i % 2 === 0 ? null : `p${i}`,
        remoteVersion: i % 4 === 0 ? null : `${i}`,
        state: FILE_STATES[i % FILE_STATES.length]!,
        reason: i % 6 === 0 ? `r${i}` : null,
        failures: i % 9,
        lastSyncedAt: i % 8 === 0 ? null : 1_700_000_000_000 + i,
      }),
    );
    const back = roundTrip(records);
    expect(back).toStrictEqual(records);
    expect(new Set(back).size).toBe(300);
    const other = unpack(packRecords(records), 'other-mapping');
    expect(other.every((r) => r.mappingId === 'other-mapping')).toBe(true);
    expect(other.map((r) => r.relPath)).toEqual(records.map((r) => r.relPath));
  });

  it('reads data that is not 8-byte aligned (a Buffer from SQLite may start anywhere)', () => {
    const records = [rec('a', { size: 2 ** 40 + 5, mtimeNs: -1_500_000_001n }), rec('b', { lastSyncedAt: null })];
    const part = packRecords(records);
    const shifted = new Uint8Array(part.data.length + 3);
    shifted.set(part.data, 3);
    const view = shifted.subarray(3);
    expect(view.byteOffset % 8).toBe(3);
    expect(unpack({ data: view, strings: part.strings })).toStrictEqual(records);
  });
});

describe('unpackRecords refuses damaged parts with E_INDEX_CORRUPT', () => {
  const records = [
    rec('a', { hash: null }),
    rec('b', { reason: 'x\0y', state: 'failed' }), // reasons column is JSON
    rec('c', { state: 'skipped', reason: 'plain' }),
  ];
  const good = packRecords(records);

  it('reads the undamaged part (the control case)', () => {
    expect(unpack(copyOf(good))).toStrictEqual(records);
  });

  it('refuses empty and truncated data', () => {
    expectCorrupt({ data: new Uint8Array(0), strings: good.strings }, /too short/);
    expectCorrupt({ data: good.data.subarray(0, 15), strings: good.strings }, /too short/);
    expectCorrupt({ data: good.data.subarray(0, 16), strings: good.strings }, /wrong length/);
    expectCorrupt({ data: good.data.subarray(0, good.data.length - 1), strings: good.strings }, /wrong length/);
    expectCorrupt({ data: good.data.subarray(0, good.data.length - 8), strings: good.strings }, /wrong length/);
  });

  it('refuses data with bytes added at the end', () => {
    expectCorrupt({ data: Buffer.concat([good.data, Buffer.alloc(8)]), strings: good.strings }, /wrong length/);
  });

  it('refuses a wrong magic', () => {
    const part = copyOf(good);
    part.data[0] = part.data[0]! ^ 0x01;
    expectCorrupt(part, /unknown format/);
    const zeros = copyOf(good);
    zeros.data.fill(0, 0, 4);
    expectCorrupt(zeros, /unknown format/);
  });

  it('refuses a record count that does not match the length', () => {
    const part = copyOf(good);
    Buffer.from(part.data.buffer, part.data.byteOffset).writeUInt32LE(4, 4);
    expectCorrupt(part, /wrong length/);
    const huge = copyOf(good);
    Buffer.from(huge.data.buffer, huge.data.byteOffset).writeUInt32LE(0xffffffff, 4);
    expectCorrupt(huge, /wrong length/);
  });

  it('refuses a state byte out of range', () => {
    for (const bad of [FILE_STATES.length, 0x7f, 0xff]) {
      const part = copyOf(good);
      part.data[statesAt(records.length) + 1] = bad;
      expectCorrupt(part, /record 1 has no valid state/);
    }
    const last = copyOf(good);
    last.data[statesAt(records.length) + 2] = FILE_STATES.length;
    expectCorrupt(last, /record 2/);
  });

  it('reads every valid state byte (the range check is exact)', () => {
    for (const [code, state] of FILE_STATES.entries()) {
      const part = copyOf(good);
      part.data[statesAt(records.length) + 2] = code;
      expect(unpack(part)[2]!.state).toBe(state);
    }
  });

  it('refuses a string column with too few values', () => {
    const paths = copyOf(good);
    paths.strings[0] = 'a\0b';
    expectCorrupt(paths, /column paths/);
    const inos = copyOf(good);
    inos.strings[1] = good.strings[1]!.split('\0').slice(1).join('\0');
    expectCorrupt(inos, /column inos/);
    const hashes = copyOf(good); // two non-null hashes: 'b' and 'c'
    hashes.strings[2] = 'ab'.repeat(32);
    expectCorrupt(hashes, /column hashes/);
    const reasons = copyOf(good); // JSON column
    reasons.strings[6] = JSON.stringify(['x\0y']);
    expectCorrupt(reasons, /column reasons/);
  });

  it('refuses a string column with too many values', () => {
    const paths = copyOf(good);
    paths.strings[0] = `${good.strings[0]}\0d`;
    expectCorrupt(paths, /column paths/);
    const trailing = copyOf(good);
    trailing.strings[0] = `${good.strings[0]}\0`;
    expectCorrupt(trailing, /column paths/);
    const tokens = copyOf(good);
    tokens.strings[3] = `${good.strings[3]}\0extra`;
    expectCorrupt(tokens, /column tokens/);
    const reasons = copyOf(good);
    reasons.strings[6] = JSON.stringify(['x\0y', 'plain', 'more']);
    expectCorrupt(reasons, /column reasons/);
  });

  it('refuses text in a column whose values are all null', () => {
    const allNull = packRecords([rec('a', { hash: null }), rec('b', { hash: null })]);
    expect(allNull.strings[2]).toBe('');
    const part = copyOf(allNull);
    part.strings[2] = 'a stray hash';
    expectCorrupt(part, /column hashes/);
  });

  it('refuses a missing string column', () => {
    const part = copyOf(good);
    part.strings.length = 1;
    expectCorrupt(part, /column inos/);
  });

  it('refuses an unparsable JSON column when its JSON bit is set', () => {
    for (const text of ['[', '', 'x\0y\0plain', '["x\\u0000y",']) {
      const part = copyOf(good);
      part.strings[6] = text;
      expectCorrupt(part, /column reasons is unreadable/);
    }
  });

  it('refuses a JSON column that is not an array of strings', () => {
    for (const text of ['{"0":"a","1":"b"}', '[1,2]', '["x\\u0000y",null]', '"x\\u0000y"', 'null']) {
      const part = copyOf(good);
      part.strings[6] = text;
      expectCorrupt(part, /column reasons/);
    }
  });

  it('refuses a JSON bit set on a column stored plain', () => {
    const part = copyOf(good);
    const view = Buffer.from(part.data.buffer, part.data.byteOffset);
    view.writeUInt32LE(view.readUInt32LE(8) | (1 << 1), 8); // inos: 'ino\0ino\0ino' is no JSON
    expectCorrupt(part, /column inos is unreadable/);
  });
});
