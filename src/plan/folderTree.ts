/**
 * The scanned entries grouped by folder: every file under its parent, every
 * folder under its parent, and every ancestor of a scanned entry present,
 * listed or not, so no entry is lost to a gap. Walked in path order by
 * pathOrdered without sorting whole lists: only what is picked per folder.
 */
import type { LocalFile, ScanResult } from '../scan/types.js';
import { comparePaths, parentOf, sortByPath } from './relPath.js';

export interface FolderNode {
  relPath: string;
  /** relPath + '/' ('' for the root): what every path below starts with. */
  prefix: string;
  /** In scan order. */
  files: LocalFile[];
  /** In the order first met. */
  folders: FolderNode[];
}

export function folderTree(scan: ScanResult): FolderNode {
  const root: FolderNode = { relPath: '', prefix: '', files: [], folders: [] };
  const nodes = new Map<string, FolderNode>([['', root]]);
  const nodeOf = (relPath: string): FolderNode => {
    let node = nodes.get(relPath);
    if (node) return node;
    node = { relPath, prefix: `${relPath}/`, files: [], folders: [] };
    nodes.set(relPath, node);
    nodeOf(parentOf(relPath)).folders.push(node);
    return node;
  };
  for (const folder of scan.folders.values()) nodeOf(folder.relPath);
  // A scan lists a folder's files one after another: while the parent stays the
  // same, reuse its node (no path slice, no map lookup per file). An array copy
  // first: a cold loop over a Map iterator costs more than the copy.
  const files = [...scan.files.values()];
  let last = root;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const rel = file.relPath;
    if (!rel.startsWith(last.prefix) || rel.indexOf('/', last.prefix.length) >= 0) last = nodeOf(parentOf(rel));
    last.files.push(file);
  }
  return root;
}

/** A folder's contents sort among its siblings at 'name/', not 'name': 'a-b' < 'a.txt' < 'a/x'. */
const compareByContents = (a: FolderNode, b: FolderNode) => comparePaths(a.prefix, b.prefix);

/**
 * What `pick` takes from each folder's files, all in path order (comparePaths):
 * a folder's picks are sorted among themselves and placed around its
 * subfolders' contents, so only what is picked is ever sorted. Sorts the
 * picked lists and each folder's subfolders in place.
 */
export function pathOrdered<T extends { relPath: string }>(root: FolderNode, pick: (files: LocalFile[]) => T[]): T[] {
  const ordered: T[] = [];
  const walk = (node: FolderNode) => {
    const picked = sortByPath(pick(node.files));
    if (node.folders.length > 1) node.folders.sort(compareByContents);
    let next = 0;
    for (const folder of node.folders) {
      while (next < picked.length && comparePaths(picked[next]!.relPath, folder.prefix) < 0) ordered.push(picked[next++]!);
      walk(folder);
    }
    while (next < picked.length) ordered.push(picked[next++]!);
  };
  walk(root);
  return ordered;
}
