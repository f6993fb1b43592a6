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
