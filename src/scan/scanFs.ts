/**
 * The file system as the scanner sees it. Synchronous on purpose: measured on
 * a 100,000-file tree, readdirSync + lstatSync take ~270 ms where the promise
 * API with 4–16 calls in flight takes ~1,500 ms (thread-pool round trips
 * dominate tiny metadata calls). The scanner yields to the event loop between
 * batches, so a scan never blocks the process for long.
 */
import { createReadStream, lstatSync, readdirSync, type Dirent } from 'node:fs';
import { createHash } from 'node:crypto';

export type EntryKind = 'file' | 'folder' | 'symlink' | 'special';

export interface ScanDirent {
  /** The name exactly as on disk (may be NFD). */
  name: string;
  /** undefined when the file system does not say (DT_UNKNOWN): the scanner then lstats. */
  kind: EntryKind | undefined;
}

export interface ScanStat {
  kind: EntryKind;
  size: number;
  mtimeNs: bigint;
  /** inode (POSIX) / file id (Windows), exact. */
  ino: string;
}

/** Errors are thrown as Node errno errors (ENOENT, EACCES, EPERM, ENOTDIR, …). */
export interface ScanFs {
  readdir(absPath: string): ScanDirent[];
  lstat(absPath: string): ScanStat;
  /** Content hash (hex) of the file, streamed. */
  hash(absPath: string, signal?: AbortSignal): Promise<string>;
}

/**
 * sha256: strong and, with SHA extensions, the fastest of node:crypto's
 * hashes here (64 MB: sha256 48 ms, sha1 43 ms, blake2b512 81 ms, md5 109 ms).
 */
export const CONTENT_HASH_ALGORITHM = 'sha256';

function kindOfDirent(d: Dirent): EntryKind | undefined {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'folder';
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isFIFO() || d.isSocket() || d.isCharacterDevice() || d.isBlockDevice()) return 'special';
  return undefined;
}

export function hashFile(absPath: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(CONTENT_HASH_ALGORITHM);
    const stream = createReadStream(absPath, { highWaterMark: 1024 * 1024, signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

export const nodeScanFs: ScanFs = {
  readdir: (absPath) => readdirSync(absPath, { withFileTypes: true }).map((d) => ({ name: d.name, kind: kindOfDirent(d) })),
  lstat: (absPath) => {
    const st = lstatSync(absPath, { bigint: true });
    const kind: EntryKind = st.isFile() ? 'file' : st.isDirectory() ? 'folder' : st.isSymbolicLink() ? 'symlink' : 'special';
    return { kind, size: Number(st.size), mtimeNs: st.mtimeNs, ino: st.ino.toString() };
  },
  hash: hashFile,
};
