/**
 * A new file whose last upload attempt was interrupted (the process was
 * killed, or the answer of upload_finish / upload_all was lost) may already
 * be in Drive: the crash can fall between Drive creating the file and the
 * index recording its token. Before uploading it again, look in its folder
 * for a file of that name that no index record owns:
 * - same size (the listing says so) and the local file unchanged since the
 *   attempt → it is our upload: adopt it, nothing is sent;
 * - size unknown (Feishu's listing has none) or different → send the upload
 *   as a new version of that file, never as a second file.
 */
import type { DriveEntry } from '../feishu/driveApi.js';
import type { FileRecord } from '../index/types.js';
import type { ExecutorDeps } from './executor.js';
import { sameIdentity, type FileIdentity } from './localFiles.js';

export type Recovery = { kind: 'adopt'; entry: DriveEntry } | { kind: 'versionOf'; fileToken: string } | { kind: 'none' };

/** Did the last attempt at this new file end without its token being recorded? */
export function wasInterrupted(before: FileRecord | undefined): before is FileRecord {
  return before !== undefined && before.remoteToken === null && (before.state === 'uploading' || before.state === 'failed');
}

export async function recoverInterrupted(
  before: FileRecord,
  identity: FileIdentity,
  parentToken: string,
  fileName: string,
  deps: Pick<ExecutorDeps, 'drive' | 'calls' | 'index'>,
  signal?: AbortSignal,
): Promise<Recovery> {
  const owned = new Set(deps.index.listFiles(before.mappingId).flatMap((f) => (f.remoteToken ? [f.remoteToken] : [])));
  const entry = await deps.calls.run(async () => {
    for await (const e of deps.drive.listFolder(parentToken)) {
      if (e.type === 'file' && e.name === fileName && !owned.has(e.token)) return e;
    }
    return undefined;
  }, signal);
  if (!entry) return { kind: 'none' };
  if (entry.size !== undefined && entry.size === identity.size && sameIdentity(before, identity)) return { kind: 'adopt', entry };
  return { kind: 'versionOf', fileToken: entry.token };
}
