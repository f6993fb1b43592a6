/**
 * "Is everything I synced still in Feishu?" A sync client never learns that a
 * file was deleted on the other side unless it looks (a listing costs a call
 * per folder page, so it does not look on every pass): `feisync sync --once
 * --verify` lists the mapping's remote tree and this decides what the index
 * must forget so the next plan sends it again.
 * - a file record whose remote token is nowhere in the listing → its remote
 *   file was deleted (or moved out of the mapping's folder): the record keeps
 *   the local identity, loses the token and is pending → uploaded as new;
 * - a folder record whose token is not listed → forgotten, so the folder is
 *   created again when something goes into it.
 * A remote file found at another path than its record's (moved or renamed in
 * Feishu) still exists: left as it is, and new versions keep going to it.
 */
import type { RemoteListingEntry } from './adoptRemote.js';
import type { FileRecord, FolderRecord, VerificationCounts } from './types.js';

export interface Verification {
  /** The records to write back: remote token cleared, state pending. */
  lostFiles: FileRecord[];
  /** Folder paths whose remote folder is gone (never the root). */
  lostFolders: string[];
  counts: VerificationCounts;
  /** One line for the log. */
  summary: string;
}


export const LOST_REMOTE_REASON = 'missing in Feishu (found by --verify): uploading it again';

export function verifyRemote(input: {
  files: Iterable<FileRecord>;
  folders: Iterable<FolderRecord>;
  remote: readonly RemoteListingEntry[];
  /** A dry run: nothing will be written, the summary says what would happen. */
  dryRun?: boolean;
}): Verification {
  const listed = new Set(input.remote.map((r) => r.entry.token));
  const lostFiles: FileRecord[] = [];
  let checked = 0;
  for (const record of input.files) {
    if (record.remoteToken === null) continue;
    checked++;
    if (listed.has(record.remoteToken)) continue;
    lostFiles.push({
      ...record, remoteToken: null, remoteParentToken: null, remoteVersion: null, state: 'pending', reason: LOST_REMOTE_REASON,
    });
  }
  const lostFolders: string[] = [];
  for (const folder of input.folders) {
    if (folder.relPath !== '' && !listed.has(folder.remoteToken)) lostFolders.push(folder.relPath);
  }
  const again = input.dryRun ? 'would be uploaded again' : 'uploaded again';
  const summary =
    `checked ${checked} files against ${input.remote.length} entries in Feishu: ` +
    `${lostFiles.length} missing there (${again}), ${lostFolders.length} folders missing (created again when needed)`;
  const counts = { checked, listed: input.remote.length, lostFiles: lostFiles.length, lostFolders: lostFolders.length };
  return { lostFiles, lostFolders, counts, summary };
}
