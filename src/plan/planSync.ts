/**
 * The planner: a pure function from (scan, index, remote facts, policy) to the
 * list of operations that bring Feishu in line with the disk, each with its
 * cost in API calls. No I/O, no clock: the same input gives the same plan.
 *
 * Decisions (cheapest correct sequence; see the shared protocol page):
 * - unchanged identity (size, mtime, inode) and synced → nothing;
 * - identity changed, content hash equal → `touch` (index only, no call);
 * - content changed → `uploadVersion` on the same remote file (file_token);
 * - a file that went missing at one path and appeared at another with the same
 *   inode (and same size+mtime) or the same content hash is the same file:
 *   same name in another folder → one `move`; a new name (same or other
 *   folder) → `rename` = copy under the new name into the target folder, then
 *   trash the old (2 calls, never more: copy takes the target folder, so a move
 *   first would only add a call). A rename is not a deletion: it trashes the
 *   old name under either delete policy;
 * - renamed AND changed (same inode, other content) → upload at the new path,
 *   and the old path is handled like a deletion (policy);
 * - missing → `forget` (policy keep, no call) or `trash` (policy trash); a
 *   whole missing folder is trashed with one call, its files forgotten;
 * - newly ignored → `forget`, never trashed; a path the scanner skipped
 *   (unreadable, symlink, special file, vanished mid-scan) or the planner
 *   skips → its records are left alone: nothing there counts as deleted.
 * - with `folderMoves`, a folder moved intact under another parent → one
 *   `move` of the folder (see folderMoves.ts);
 * Order: file trash/forget, folder creation and folder moves (parents first), file moves/renames,
 * folder trash/forget, uploads/touches, skips — so a file replaced by a
 * folder of the same name (or the reverse) is removed before its successor
 * is created, and files moved out of a deleted folder leave it before it goes.
 */
import type { DeletePolicy } from '../config/settings.js';
import type { FileRecord, FolderRecord } from '../index/types.js';
import type { LocalFile, ScanResult, SkipReason } from '../scan/types.js';
import {
  CREATE_FOLDER_COST, FOLDER_MOVE_COST, FOLDER_TRASH_COST, MOVE_COST, NO_COST, RENAME_COST, sumCosts, TRASH_COST, uploadCost,
} from './callCost.js';
import { eligibleEntries } from './eligibility.js';
import { detectFolderMoves } from './folderMoves.js';
import { matchRenames } from './renameMatch.js';
import { type FolderNode, pathOrdered } from './folderTree.js';
import { compareByPath, coveringPath, mergeByPath, nameOf, parentOf, sortByPath, sortParentsFirst } from './relPath.js';
import type { Plan, PlanItem } from './types.js';

/** What is known about the remote side beyond the index. */
export interface RemoteFacts {
  /** Remote tokens known to be gone (listing, or 1061007 "file has been deleted"): their files upload as new. */
  deletedTokens?: ReadonlySet<string>;
}

export interface PlanPolicy {
  deletePolicy: DeletePolicy;
  /** Bytes; larger files are skipped 'file-too-large'. Default: no limit. */
  maxFileSize?: number;
  /**
   * Plan a folder moved to another parent (same name, contents intact) as one
   * `move` of type 'folder' (see folderMoves.ts). Default false; the engine
   * turns it on when its index can re-path a folder (IndexStore.renameFolder).
   */
  folderMoves?: boolean;
}

export interface PlanInput {
  mappingId: string;
  scan: ScanResult;
  /** Index records of the mapping: lists, or Maps keyed by relPath (used without copying). */
  index: { files: Iterable<FileRecord> | ReadonlyMap<string, FileRecord>; folders: Iterable<FolderRecord> | ReadonlyMap<string, FolderRecord> };
  remote?: RemoteFacts;
  policy: PlanPolicy;
}

/** Scanner skips shown to the user (ignored entries are the user's choice, vanished ones are gone). */
const SHOWN_SCANNER_SKIPS: ReadonlySet<SkipReason> = new Set<SkipReason>(['symlink', 'special-file', 'permission-denied']);

/** Records by path; a Map keyed by path (the engine's change-test map) is used as is. */
function byPath<T extends { relPath: string }>(records: Iterable<T> | ReadonlyMap<string, T>): ReadonlyMap<string, T> {
  if (records instanceof Map) return records;
  const map = new Map<string, T>();
  for (const r of records as Iterable<T>) map.set(r.relPath, r);
  return map;
}

export function planSync(input: PlanInput): Plan {
  const { mappingId, scan, policy } = input;
  const deleted = input.remote?.deletedTokens ?? new Set<string>();
  const alive = (token: string | null): token is string => token !== null && !deleted.has(token);
  const indexFiles = byPath(input.index.files);
  const indexFolders = byPath(input.index.folders);

  const eligible = eligibleEntries({
    scan,
    maxFileSize: policy.maxFileSize,
    isRemote: (rel, kind) => alive((kind === 'file' ? indexFiles.get(rel) : indexFolders.get(rel))?.remoteToken ?? null),
  });

  // Paths the scanner saw but will not sync (shown to the user), and whose index
  // records must not be read as deletions: unreadable ones may still hold files,
  // and a skip recorded in the index must not be forgotten on the next pass.
  const scannerSkips = scan.skipped.filter((s) => SHOWN_SCANNER_SKIPS.has(s.reason));
  // Vanished mid-scan means the tree was changing under the scanner (a move in
  // progress?): nothing is deleted on that evidence; the next pass sees the end state.
  const seenSkipped = new Set(scan.skipped.filter((s) => s.reason !== 'ignored').map((s) => s.relPath));
  const ignored = new Set(scan.skipped.filter((s) => s.reason === 'ignored').map((s) => s.relPath));
  const held = (rel: string) => coveringPath(rel, seenSkipped) !== undefined || coveringPath(rel, eligible.skips) !== undefined;

  const fileRemovals: PlanItem[] = [];
  const relocations: PlanItem[] = [];
  const folderRemovals: PlanItem[] = [];
  const uploads: PlanItem[] = [];
  const skips: PlanItem[] = [];

  const { fresh, changes, recorded } = localChanges(eligible.tree, indexFiles, alive, mappingId);

  // Index records with no eligible local file: none when every record was met by a file that goes.
  const goes = (rel: string) => scan.files.has(rel) && (eligible.skips.size === 0 || !eligible.skips.has(rel));
  const gone: FileRecord[] = [];
  if (recorded < indexFiles.size) {
    for (const record of indexFiles.values()) {
      if (goes(record.relPath) || held(record.relPath)) continue;
      gone.push(record);
    }
  }
  const goneFolders = [...indexFolders.values()].filter(
    (f) => f.relPath !== '' && !eligible.folders.has(f.relPath) && !held(f.relPath),
  );
  const isIgnored = (rel: string) => coveringPath(rel, ignored) !== undefined;

  // Folders to create (parents first), unless a whole folder move brings them.
  const newFolders = [...eligible.folders].filter((rel) => {
    const record = indexFolders.get(rel);
    return !record || !alive(record.remoteToken);
  });

  // Renames and moves: a missing synced file reappearing elsewhere.
  const candidates = gone.filter((g) => g.state === 'synced' && alive(g.remoteToken) && !isIgnored(g.relPath));
  const matches = matchRenames(fresh, candidates);
  const folderMoves = policy.folderMoves
    ? detectFolderMoves({
        goneFolders: goneFolders.filter((f) => alive(f.remoteToken) && !isIgnored(f.relPath)),
        newFolders,
        indexFiles,
        indexFolders,
        matches,
      })
    : [];
  const arrived = new Set(folderMoves.flatMap((m) => [...m.arrived]));
  const consumed = new Set(folderMoves.flatMap((m) => [...m.movedRecords]));
  const arrivals: PlanItem[] = [];
  for (const move of folderMoves) {
    arrivals.push({ mappingId, op: 'move', type: 'folder', relPath: move.to, cost: FOLDER_MOVE_COST, fromRelPath: move.from.relPath, fileToken: move.from.remoteToken });
  }
  for (const rel of newFolders) {
    if (!arrived.has(rel)) arrivals.push({ mappingId, op: 'createFolder', relPath: rel, cost: CREATE_FOLDER_COST });
  }
  const creations = sortParentsFirst(arrivals);

  for (const file of fresh) {
    if (arrived.has(file.relPath)) continue;
    const match = matches.get(file.relPath);
    if (match?.sameContent) {
      consumed.add(match.from.relPath);
      const op = nameOf(match.from.relPath) === nameOf(file.relPath) ? 'move' : 'rename';
      relocations.push({ mappingId, op, relPath: file.relPath, cost: op === 'move' ? MOVE_COST : RENAME_COST, fromRelPath: match.from.relPath, fileToken: match.from.remoteToken! });
      continue;
    }
    const { size, mtimeNs, ino } = file;
    uploads.push({ mappingId, op: 'upload', relPath: file.relPath, cost: uploadCost(size), size, mtimeNs, ino, hash: file.hash ?? null });
  }

  // Deletions. A missing folder is trashed whole (one call) when its parent stays.
  const goneFolderPaths = new Set(goneFolders.map((f) => f.relPath));
  const trashedFolders = new Set<string>();
  for (const folder of goneFolders.sort(compareByPath)) {
    if (consumed.has(folder.relPath)) continue;
    const parentGone = coveringPath(parentOf(folder.relPath), goneFolderPaths) !== undefined;
    if (policy.deletePolicy === 'trash' && !parentGone && !isIgnored(folder.relPath) && alive(folder.remoteToken)) {
      trashedFolders.add(folder.relPath);
      folderRemovals.push({ mappingId, op: 'trash', relPath: folder.relPath, cost: FOLDER_TRASH_COST, fileToken: folder.remoteToken, type: 'folder' });
    } else {
      folderRemovals.push({ mappingId, op: 'forget', relPath: folder.relPath, cost: NO_COST, type: 'folder' });
    }
  }
  for (const record of gone.sort(compareByPath)) {
    if (consumed.has(record.relPath)) continue;
    const trash =
      policy.deletePolicy === 'trash' &&
      alive(record.remoteToken) &&
      !isIgnored(record.relPath) &&
      coveringPath(parentOf(record.relPath), trashedFolders) === undefined;
    if (trash) {
      fileRemovals.push({ mappingId, op: 'trash', relPath: record.relPath, cost: TRASH_COST, fileToken: record.remoteToken!, type: 'file' });
    } else if (coveringPath(parentOf(record.relPath), trashedFolders) !== undefined) {
      folderRemovals.push({ mappingId, op: 'forget', relPath: record.relPath, cost: NO_COST, type: 'file' });
    } else {
      fileRemovals.push({ mappingId, op: 'forget', relPath: record.relPath, cost: NO_COST, type: 'file' });
    }
  }

  // Skips: the planner's own, and the scanner's shown ones.
  const allSkips = [...eligible.skips.values(), ...scannerSkips];
  for (const s of allSkips.sort(compareByPath)) {
    skips.push(
      s.detail === undefined
        ? { mappingId, op: 'skip', relPath: s.relPath, cost: NO_COST, reason: s.reason }
        : { mappingId, op: 'skip', relPath: s.relPath, cost: NO_COST, reason: s.reason, detail: s.detail },
    );
  }

  const items = fileRemovals.concat(creations, relocations, folderRemovals, mergeByPath(changes, uploads), skips);
  return { items, totalCost: sumCosts(items) };
}

/**
 * Files that go against their records: unchanged → nothing; touched → `touch`; changed →
 * `uploadVersion` (`changes`). Files without a live record are `fresh`; both lists in path
 * order. `recorded` counts the files with a record, live or not.
 */
function localChanges(
  tree: FolderNode,
  indexFiles: ReadonlyMap<string, FileRecord>,
  alive: (token: string | null) => token is string,
  mappingId: string,
): { fresh: LocalFile[]; changes: PlanItem[]; recorded: number } {
  if (indexFiles.size === 0) return { fresh: pathOrdered(tree, (files) => files), changes: [], recorded: 0 }; // a first sync: no lookup per file
  const changes: PlanItem[] = [];
  let recorded = 0;
  const fresh = pathOrdered(tree, (files) => {
    const freshHere: LocalFile[] = [];
    for (const file of files) {
      const record = indexFiles.get(file.relPath);
      if (record) recorded++;
      if (!record || !alive(record.remoteToken)) {
        freshHere.push(file);
        continue;
      }
      const sameIdentity = record.size === file.size && record.mtimeNs === file.mtimeNs && record.ino === file.ino;
      if (sameIdentity && record.state === 'synced') continue;
      const { size, mtimeNs, ino } = file;
      if (!sameIdentity && record.state === 'synced' && file.hash !== undefined && file.hash === record.hash) {
        changes.push({ mappingId, op: 'touch', relPath: file.relPath, cost: NO_COST, size, mtimeNs, ino, hash: file.hash });
      } else {
        const hash = file.hash ?? (sameIdentity ? record.hash : null);
        changes.push({ mappingId, op: 'uploadVersion', relPath: file.relPath, cost: uploadCost(size), size, mtimeNs, ino, hash, fileToken: record.remoteToken });
      }
    }
    return freshHere;
  });
  return { fresh, changes: sortByPath(changes), recorded };
}
