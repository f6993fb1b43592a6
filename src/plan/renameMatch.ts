/**
 * Pairs files that appeared (no usable index record at their path) with
 * synced files that went missing, so a rename or move costs a server-side
 * copy/move instead of a re-upload. Same inode first (a rename on the same
 * volume keeps it, including a case-only rename on a case-insensitive file
 * system); then the same size and content hash (a copy + delete, another
 * volume). Deterministic: candidates are taken in path order.
 */
import type { FileRecord } from '../index/types.js';
import type { LocalFile } from '../scan/types.js';
import { compareByPath, sortByPath } from './relPath.js';

export interface RenameMatch {
  from: FileRecord;
  /**
   * Same bytes: (size, mtime) unchanged under the same inode, or equal hashes.
   * False: the same file, renamed and edited — it is uploaded anew.
   */
  sameContent: boolean;
}

/** New path → the missing record it continues. Each missing record is used at most once. */
export function matchRenames(fresh: readonly LocalFile[], missing: readonly FileRecord[]): Map<string, RenameMatch> {
  if (missing.length === 0 || fresh.length === 0) return new Map(); // a first sync: 100,000 new files, nothing to pair
  const byIno = new Map<string, FileRecord[]>();
  const byContent = new Map<string, FileRecord[]>();
  const push = (map: Map<string, FileRecord[]>, key: string, r: FileRecord) => {
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  };
  for (const r of [...missing].sort(compareByPath)) {
    push(byIno, r.ino, r);
    if (r.hash !== null) push(byContent, `${r.size}:${r.hash}`, r);
  }
  const used = new Set<FileRecord>();
  const take = (list: FileRecord[] | undefined) => list?.find((r) => !used.has(r));

  const matches = new Map<string, RenameMatch>();
  const ordered = sortByPath([...fresh]); // the planner's are in path order already: checked, not sorted
  // Pass 1: inode (the strongest evidence); pass 2: content, for the rest.
  for (const file of ordered) {
    const from = take(byIno.get(file.ino));
    if (!from) continue;
    used.add(from);
    const sameStamp = from.size === file.size && from.mtimeNs === file.mtimeNs;
    const sameHash = file.hash !== undefined && from.hash !== null && from.size === file.size && file.hash === from.hash;
    matches.set(file.relPath, { from, sameContent: sameStamp || sameHash });
  }
  for (const file of ordered) {
    if (matches.has(file.relPath) || file.hash === undefined) continue;
    const from = take(byContent.get(`${file.size}:${file.hash}`));
    if (!from) continue;
    used.add(from);
    matches.set(file.relPath, { from, sameContent: true });
  }
  return matches;
}
