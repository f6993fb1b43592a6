/** Small facts about mapping-relative paths ('/'-separated, NFC, '' is the root). */

export function parentOf(relPath: string): string {
  const i = relPath.lastIndexOf('/');
  return i < 0 ? '' : relPath.slice(0, i);
}

export function nameOf(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf('/') + 1);
}

/** Folder levels below the root: 'a' → 1, 'a/b' → 2. */
export function depthOf(relPath: string): number {
  if (relPath === '') return 0;
  let depth = 1;
  for (let i = relPath.indexOf('/'); i >= 0; i = relPath.indexOf('/', i + 1)) depth++;
  return depth;
}

/** Length as Feishu counts a name: characters (code points), not UTF-16 units or bytes. */
export function nameLength(name: string): number {
  let n = 0;
  for (const _ of name) n++;
  return n;
}

/** The nearest of `relPath` and its ancestors that is in `paths`, if any. */
export function coveringPath(relPath: string, paths: ReadonlySet<string> | ReadonlyMap<string, unknown>): string | undefined {
  if (paths.size === 0) return undefined;
  for (let p = relPath; ; p = parentOf(p)) {
    if (paths.has(p)) return p;
    if (p === '') return undefined;
  }
}

/** UTF-16 code-unit order, locale-independent, so plans are the same on every machine. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** comparePaths on entries, for sort. */
export function compareByPath(a: { relPath: string }, b: { relPath: string }): number {
  return comparePaths(a.relPath, b.relPath);
}

/** Sorts entries by path in place, unless they already are in order (checked in one pass, no sort). */
export function sortByPath<T extends { relPath: string }>(list: T[]): T[] {
  for (let i = 1; i < list.length; i++) {
    if (comparePaths(list[i - 1]!.relPath, list[i]!.relPath) > 0) return list.sort(compareByPath);
  }
  return list;
}

/** Two lists in path order merged into one, in path order (on a tie, `a` first). */
export function mergeByPath<T extends { relPath: string }>(a: T[], b: T[]): T[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(comparePaths(b[j]!.relPath, a[i]!.relPath) < 0 ? b[j++]! : a[i++]!);
  while (i < a.length) merged.push(a[i++]!);
  while (j < b.length) merged.push(b[j++]!);
  return merged;
}

/** Entries parents first: by depth, then path, ties kept in order. Each depth is counted once, not per comparison. */
export function sortParentsFirst<T extends { relPath: string }>(list: readonly T[]): T[] {
  const levels: T[][] = [];
  for (const entry of list) (levels[depthOf(entry.relPath)] ??= []).push(entry);
  // flatMap skips the depths nobody is at.
  return levels.flatMap((level) => sortByPath(level));
}
