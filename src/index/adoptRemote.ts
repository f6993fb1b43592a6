/**
 * Rebuilding a lost index (corrupt file moved aside, or a mapping rebound)
 * without re-uploading what Feishu already has: a full local scan is matched
 * against a recursive remote listing of the mapping's folder.
 * - same path, remote size known and equal → adopted: synced, no call;
 * - same path, remote size unknown (Feishu's list answer has no size) or
 *   different → linked: the record keeps the remote token and stays pending,
 *   so the planner sends a new version of that file instead of a duplicate;
 * - no remote file at that path → left to the planner: a plain upload.
 * Remote folders at local folder paths are adopted (no create_folder call).
 */
import type { DriveEntry } from '../feishu/driveApi.js';
import type { ScanResult } from '../scan/types.js';
import type { FileRecord, FolderRecord, IndexStore } from './types.js';

/** One remote entry and its path below the mapping folder ('/'-separated, NFC). */
export interface RemoteListingEntry {
  relPath: string;
  entry: DriveEntry;
}

export interface Adoption {
  files: FileRecord[];
  folders: FolderRecord[];
  adopted: number;
  linked: number;
  toUpload: number;
  /** One line for the log and the UI. */
  summary: string;
}

export function adoptRemote(input: {
  mappingId: string;
  scan: ScanResult;
  remote: readonly RemoteListingEntry[];
  /** The mapping's folder token: the root's record. */
  rootToken: string;
  now: number;
}): Adoption {
  const { mappingId, scan, now } = input;
  // Drive allows duplicate names: the first listed entry at a path wins, deterministically.
  const remoteFiles = new Map<string, DriveEntry>();
  const remoteFolders = new Map<string, DriveEntry>();
  for (const { relPath, entry } of input.remote) {
    const key = relPath.normalize('NFC');
    const target = entry.type === 'folder' ? remoteFolders : entry.type === 'file' ? remoteFiles : undefined;
    if (target && !target.has(key)) target.set(key, entry);
  }

  const folders: FolderRecord[] = [{ mappingId, relPath: '', remoteToken: input.rootToken }];
  for (const rel of scan.folders.keys()) {
    const remote = remoteFolders.get(rel);
    if (remote) folders.push({ mappingId, relPath: rel, remoteToken: remote.token });
  }

  const files: FileRecord[] = [];
  let adopted = 0;
  let linked = 0;
  for (const local of scan.files.values()) {
    const remote = remoteFiles.get(local.relPath);
    if (!remote) continue;
    const same = remote.size !== undefined && remote.size === local.size;
    if (same) adopted++;
    else linked++;
    files.push({
      mappingId,
      relPath: local.relPath,
      size: local.size,
      mtimeNs: local.mtimeNs,
      ino: local.ino,
      hash: local.hash ?? null,
      remoteToken: remote.token,
      remoteParentToken: remote.parentToken,
      remoteVersion: null,
      state: same ? 'synced' : 'pending',
      reason: same ? null : 'rebuilt index: remote size unknown or different, sending a new version',
      failures: 0,
      lastSyncedAt: same ? now : null,
    });
  }
  const toUpload = scan.files.size - adopted - linked;
  const summary =
    `adopted ${adopted} files already in Feishu, ${linked} to send as new versions, ${toUpload} to upload; ` +
    `${folders.length - 1} of ${scan.folders.size} folders found in Feishu`;
  return { files, folders, adopted, linked, toUpload, summary };
}

/** Writes an adoption in one transaction. */
export function writeAdoption(index: IndexStore, adoption: Adoption): void {
  index.transaction(() => {
    for (const folder of adoption.folders) index.upsertFolder(folder);
    const first = adoption.files[0];
    if (first && index.putFiles) index.putFiles(first.mappingId, adoption.files);
    else for (const file of adoption.files) index.upsertFile(file);
  });
}
