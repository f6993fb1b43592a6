/**
 * Which scanned entries Feishu can take: a file must be non-empty (size 0 is
 * refused), its name ≤ 250 characters, its size ≤ the configured maximum; a
 * folder must be ≤ 15 levels deep and have ≤ 1,500 children. Everything under
 * a folder that cannot be created is skipped with that folder's reason.
 * When a folder has too many children, the ones already in Feishu are kept
 * first, then the rest in path order, so the same files are skipped every run.
 */
import { MAX_FOLDER_CHILDREN, MAX_FOLDER_DEPTH, MAX_NAME_LENGTH } from '../feishu/limits.js';
import type { LocalFile, ScanResult, SkipReason } from '../scan/types.js';
import { folderTree, type FolderNode } from './folderTree.js';
import { comparePaths, nameLength, nameOf } from './relPath.js';

export interface Skip {
  relPath: string;
  reason: SkipReason;
  detail?: string;
}

export interface Eligibility {
  /** Folders that will exist remotely (scanned ones and their ancestors), root excluded. */
  folders: Set<string>;
  /** The folders and files that go: everything scanned but `skips` and what lies under them. */
  tree: FolderNode;
  /** Files and topmost folders that will not go, by path. */
  skips: Map<string, Skip>;
}

export interface EligibilityInput {
  scan: ScanResult;
  /** Paths already in Feishu (index records with a remote token): kept first when a folder is full. */
  isRemote: (relPath: string, kind: 'file' | 'folder') => boolean;
  maxFileSize?: number;
}

type Problem = [SkipReason, string];

export function eligibleEntries({ scan, isRemote, maxFileSize }: EligibilityInput): Eligibility {
  const result: Eligibility = { folders: new Set(), tree: folderTree(scan), skips: new Map() };
  const skip = (relPath: string, reason: SkipReason, detail?: string) =>
    result.skips.set(relPath, detail === undefined ? { relPath, reason } : { relPath, reason, detail });

  /** Everything below a folder that cannot be created: each file is recorded, with the folder named. */
  const skipSubtree = (node: FolderNode, reason: SkipReason, top: string) => {
    for (const file of node.files) skip(file.relPath, reason, `inside ${top}`);
    for (const folder of node.folders) skipSubtree(folder, reason, top);
  };

  // The UTF-16 length (from the parent's prefix, no slicing) bounds the characters from above: only a long name is counted.
  const nameProblem = (relPath: string, parent: FolderNode): Problem | undefined => {
    if (relPath.length - parent.prefix.length <= MAX_NAME_LENGTH) return undefined;
    const length = nameLength(nameOf(relPath));
    return length > MAX_NAME_LENGTH ? ['name-too-long', `${length} characters, Feishu takes ${MAX_NAME_LENGTH}`] : undefined;
  };
  const fileProblem = (file: LocalFile, parent: FolderNode): Problem | undefined => {
    const name = nameProblem(file.relPath, parent);
    if (name) return name;
    if (file.size === 0) return ['empty-file', 'Feishu refuses empty files'];
    if (maxFileSize !== undefined && file.size > maxFileSize) return ['file-too-large', `${file.size} bytes, the limit is ${maxFileSize}`];
    return undefined;
  };
  const folderProblem = (folder: FolderNode, parent: FolderNode, depth: number): Problem | undefined => {
    const name = nameProblem(folder.relPath, parent);
    if (name) return name;
    if (depth > MAX_FOLDER_DEPTH) return ['too-deep', `${depth} levels, Feishu takes ${MAX_FOLDER_DEPTH}`];
    return undefined;
  };

  /** `list` without the entries that have a problem (each one handed to `drop`); `list` itself when all go (no copy). */
  const going = <T>(list: T[], problemOf: (entry: T) => Problem | undefined, drop: (entry: T, problem: Problem) => void): T[] => {
    let kept: T[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      const problem = problemOf(entry);
      if (!problem) kept?.push(entry);
      else {
        drop(entry, problem);
        kept ??= list.slice(0, i);
      }
    }
    return kept ?? list;
  };
  const goingFiles = (node: FolderNode): LocalFile[] =>
    going(node.files, (file) => fileProblem(file, node), (file, problem) => skip(file.relPath, ...problem));
  /** Subfolders `depth` levels deep: a skipped one takes its subtree along. */
  const goingFolders = (node: FolderNode, depth: number): FolderNode[] =>
    going(node.folders, (folder) => folderProblem(folder, node, depth), (folder, problem) => {
      skip(folder.relPath, ...problem);
      skipSubtree(folder, problem[0], folder.relPath);
    });

  /** Decides a folder's entries and keeps those that go, then visits the subfolders that go. */
  const visit = (node: FolderNode, depth: number) => {
    let files = goingFiles(node);
    let folders = goingFolders(node, depth + 1);
    const count = files.length + folders.length;
    if (count > MAX_FOLDER_CHILDREN) {
      const ranked = [
        ...files.map((entry) => ({ relPath: entry.relPath, folder: undefined, remote: isRemote(entry.relPath, 'file') })),
        ...folders.map((entry) => ({ relPath: entry.relPath, folder: entry, remote: isRemote(entry.relPath, 'folder') })),
      ].sort((a, b) => Number(b.remote) - Number(a.remote) || comparePaths(a.relPath, b.relPath));
      const detail = `${node.relPath === '' ? 'the mapping root' : node.relPath} has ${count} entries, Feishu takes ${MAX_FOLDER_CHILDREN}`;
      for (const { relPath, folder } of ranked.slice(MAX_FOLDER_CHILDREN)) {
        skip(relPath, 'too-many-siblings', detail);
        if (folder) skipSubtree(folder, 'too-many-siblings', relPath);
      }
      files = files.filter((f) => !result.skips.has(f.relPath));
      folders = folders.filter((f) => !result.skips.has(f.relPath));
    }
    node.files = files;
    node.folders = folders;
    for (const folder of folders) {
      result.folders.add(folder.relPath);
      visit(folder, depth + 1);
    }
  };
  visit(result.tree, 0);
  return result;
}
