/**
 * One folder's entries as the scanner reads them: names or paths, and a flat
 * Float64Array with LISTING_STRIDE numbers per entry. Columnar on purpose:
 * the native walker fills it without making a JS object per entry, and a
 * rescan of 100,000 unchanged files then allocates almost nothing. The JS
 * walker (Windows, or when the native module did not build) fills the same
 * layout, so the scanner has one code path.
 *
 * Per entry: [kind, size, mtime (ns, the slot's 8 bytes as an int64), spare,
 * inode high 32 bits, inode low 32 bits]. kind is a KIND_* code, or -errno when the entry
 * could not be stat'ed (it vanished, or is unreadable). Size, mtime and inode
 * are set for files only.
 */
import { getSystemErrorMap } from 'node:util';
import type { EntryKind } from './scanFs.js';

export const LISTING_STRIDE = 6;

export const KIND_FILE = 1;
export const KIND_FOLDER = 2;
export const KIND_SYMLINK = 3;
export const KIND_SPECIAL = 4;
/** A name that is not valid UTF-8 (possible on Linux): no Feishu name can say it. */
export const KIND_BAD_NAME = 5;

/**
 * The entries as `names` (exactly as on disk; may be NFD), or as `paths`:
 * each entry's path relative to the scan's root as spelled on disk (folder +
 * '/' + name), which a lister that makes them saves the scanner from
 * concatenating. Never both.
 */
export type FolderListing = ({ names: string[]; paths?: undefined } | { paths: string[]; names?: undefined }) & {
  stats: Float64Array;
  /** True when every name (path) is known to be NFC already (the scanner then skips normalising them one by one). */
  nfc?: boolean;
};

const KIND_CODES: Record<EntryKind, number> = { file: KIND_FILE, folder: KIND_FOLDER, symlink: KIND_SYMLINK, special: KIND_SPECIAL };

export const kindCode = (kind: EntryKind): number => KIND_CODES[kind];

const TWO_32 = 4294967296;

/** The last listing's stats seen as int64s: the scanner reads one listing at a time. */
let lastStats: Float64Array | undefined;
let lastInts: BigInt64Array<ArrayBufferLike> = new BigInt64Array(0);

function intsOf(stats: Float64Array): BigInt64Array<ArrayBufferLike> {
  if (stats !== lastStats) {
    lastStats = stats;
    lastInts = new BigInt64Array(stats.buffer, stats.byteOffset, stats.length);
  }
  return lastInts;
}

/** mtime in ns, exact. */
export function mtimeNsAt(stats: Float64Array, at: number): bigint {
  return intsOf(stats)[at + 2]!;
}

/** The inode as an exact decimal string (64-bit values too). */
export function inoAt(stats: Float64Array, at: number): string {
  const hi = stats[at + 4]!;
  const lo = stats[at + 5]!;
  if (hi < 0x200000) return String(hi * TWO_32 + lo); // below 2^53: exact as a double
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Writes a file's (or any entry's) metadata into `stats` at `at`. */
export function putStat(stats: Float64Array, at: number, kind: EntryKind, size: number, mtimeNs: bigint, ino: bigint): void {
  stats[at] = KIND_CODES[kind];
  stats[at + 1] = size;
  intsOf(stats)[at + 2] = BigInt.asIntN(64, mtimeNs);
  stats[at + 4] = Number(ino >> 32n);
  stats[at + 5] = Number(ino & 0xffffffffn);
}

const SYSTEM_ERRORS = getSystemErrorMap();
const ERRNO_BY_NAME = new Map<string, number>([...SYSTEM_ERRORS].map(([n, [name]]) => [name, -n]));

/** The positive errno of a Node error code ('ENOENT' → 2); unknown codes map to EIO's. */
export function errnoOfCode(code: string | undefined): number {
  return (code && ERRNO_BY_NAME.get(code)) || ERRNO_BY_NAME.get('EIO') || 5;
}

/** A Node-style errno error (code, errno, syscall, path) for a positive errno. */
export function errnoError(errno: number, syscall: string, path: string): NodeJS.ErrnoException {
  const [code, text] = SYSTEM_ERRORS.get(-errno) ?? [`E${errno}`, 'unknown error'];
  const error: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${syscall} '${path}'`);
  error.code = code;
  error.errno = -errno;
  error.syscall = syscall;
  error.path = path;
  return error;
}
