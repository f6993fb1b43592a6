/**
 * Whole-folder moves: a folder that went missing and reappeared under
 * another parent with the same name, every tracked file inside it at the same
 * place with the same content, costs one `move` call for the folder instead of
 * one per file plus a create and a trash. The test is strict — the whole
 * remote subtree must still be right after the move — anything less falls
 * back to per-file moves, which are always correct.
 * (A folder cannot be renamed server-side: Drive has no rename call and copy
 * takes files only, so a renamed folder stays per-file.)
 */
import type { FileRecord, FolderRecord } from '../index/types.js';
import type { RenameMatch } from './renameMatch.js';
import { comparePaths, coveringPath, nameOf, parentOf, sortParentsFirst } from './relPath.js';

export interface FolderMove {
  from: FolderRecord;
  to: string;
  /** Index paths (files and folders) that move along: no item of their own. */
  movedRecords: Set<string>;
  /** Local paths (files and folders) that arrive with the move: no item of their own. */
  arrived: Set<string>;
}

export interface FolderMoveInput {
  /** Missing folders that could be moved (live token, not ignored, not held). */
  goneFolders: readonly FolderRecord[];
  /** Local folders with no live remote folder. */
  newFolders: readonly string[];
  indexFiles: ReadonlyMap<string, FileRecord>;
  indexFolders: ReadonlyMap<string, FolderRecord>;
  /** New local path → the missing record it continues (renameMatch). */
  matches: ReadonlyMap<string, RenameMatch>;
}

export function detectFolderMoves(input: FolderMoveInput): FolderMove[] {
  if (input.goneFolders.length === 0 || input.newFolders.length === 0) return [];
  const goneSet = new Set(input.goneFolders.map((f) => f.relPath));
  const newSet = new Set(input.newFolders);
  // What each missing folder held, found once by walking each record's ancestors.
  const contents = new Map<string, { files: FileRecord[]; folders: string[] }>();
  for (const rel of goneSet) contents.set(rel, { files: [], folders: [] });
  const ancestorsIn = (path: string, visit: (folder: string) => void) => {
    for (let p = parentOf(path); p !== ''; p = parentOf(p)) if (goneSet.has(p)) visit(p);
  };
  for (const record of input.indexFiles.values()) ancestorsIn(record.relPath, (g) => contents.get(g)!.files.push(record));
  for (const rel of input.indexFolders.keys()) ancestorsIn(rel, (g) => contents.get(g)!.folders.push(rel));
  // Where each missing record reappeared with the same content.
  const arrivedAt = new Map<string, string>();
  for (const [to, match] of input.matches) if (match.sameContent) arrivedAt.set(match.from.relPath, to);

  const byName = new Map<string, string[]>();
  for (const rel of [...input.newFolders].sort(comparePaths)) {
    const list = byName.get(nameOf(rel));
    if (list) list.push(rel);
    else byName.set(nameOf(rel), [rel]);
  }

  const moves: FolderMove[] = [];
  const movedFrom = new Set<string>();
  const movedTo = new Set<string>();
  const ordered = sortParentsFirst(input.goneFolders);
  for (const from of ordered) {
    if (coveringPath(parentOf(from.relPath), movedFrom) !== undefined) continue; // moves with its parent
    const held = contents.get(from.relPath)!;
    // What exists remotely must arrive intact; records never uploaded just follow the index.
    const remote = held.files.filter((r) => r.remoteToken !== null);
    if (remote.length === 0) continue;
    for (const to of byName.get(nameOf(from.relPath)) ?? []) {
      if (parentOf(to) === parentOf(from.relPath) || coveringPath(to, movedTo) !== undefined) continue;
      const target = (path: string) => to + path.slice(from.relPath.length);
      const filesFollow = remote.every((r) => r.state === 'synced' && arrivedAt.get(r.relPath) === target(r.relPath));
      const foldersFollow = held.folders.every((rel) => newSet.has(target(rel)));
      if (!filesFollow || !foldersFollow) continue;
      moves.push({
        from,
        to,
        movedRecords: new Set([...held.files.map((r) => r.relPath), ...held.folders, from.relPath]),
        arrived: new Set([...remote.map((r) => target(r.relPath)), ...held.folders.map(target), to]),
      });
      movedFrom.add(from.relPath);
      movedTo.add(to);
      break;
    }
  }
  return moves;
}
