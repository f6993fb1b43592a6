/**
 * The local filesystem as the engine sees it: identity (size, mtime, inode)
 * and the content hash. Injected so tests can simulate a file changing under
 * an upload without racing real writes.
 */
import { stat } from 'node:fs/promises';
import { hashFile } from '../scan/scanFs.js';
import { SyncError } from './syncError.js';

/** What identifies one version of a local file (the scanner's change test). */
export interface FileIdentity {
  size: number;
  mtimeNs: bigint;
  ino: string;
}

export interface SyncFs {
  /** Throws SyncError E_LOCAL_MISSING when the file is gone, E_LOCAL_UNREADABLE on EACCES. */
  stat(absPath: string): Promise<FileIdentity>;
  /** Content hash with the scanner's algorithm (streamed, never buffered whole). */
  hashFile(absPath: string, signal?: AbortSignal): Promise<string>;
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino;
}

export async function statIdentity(absPath: string): Promise<FileIdentity> {
  try {
    const s = await stat(absPath, { bigint: true });
    if (!s.isFile()) throw new SyncError('E_LOCAL_MISSING', `${absPath} is no longer a regular file`);
    return { size: Number(s.size), mtimeNs: s.mtimeNs, ino: s.ino.toString() };
  } catch (e) {
    if (e instanceof SyncError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SyncError('E_LOCAL_MISSING', `${absPath} no longer exists`, { cause: e });
    }
    throw new SyncError('E_LOCAL_UNREADABLE', `cannot stat ${absPath}: ${(e as Error).message}`, { cause: e });
  }
}

/** The real filesystem, hashing with the scanner's algorithm. */
export const nodeSyncFs: SyncFs = { stat: statIdentity, hashFile };
