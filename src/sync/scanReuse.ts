/**
 * "Nothing changed since the last full scan": the running app rescans every
 * mapping on a timer, and most of those passes find nothing. Before a full
 * scan the engine takes a digest of the tree (native, about the cost of
 * `find`: see treeDigest); when it equals the one taken before the previous
 * scan, with the same ignore rules and no index record written since, that
 * scan's result still describes the disk and is planned again as is.
 *
 * The digest is taken before the scan it stands for, never after: a change
 * made while the scan runs then shows as a different digest next time, so it
 * is never hidden. Any watcher-driven (targeted) rescan drops the stamp.
 *
 * A process's first pass has no last scan to reuse, but when the index
 * already holds the mapping's records (a restart) it takes the digest too:
 * the walk runs on a worker thread while the records load from SQLite, so it
 * costs no time, and the second pass can then reuse the first scan instead of
 * scanning again (with two trees in memory at once). A new mapping, whose
 * records load at once, takes no digest on its first pass.
 */
import type { IgnoreMatcher } from '../scan/ignoreRules.js';
import { treeDigest } from '../scan/nativeWalk.js';
import type { KnownFile } from '../scan/scanner.js';
import type { ScanResult } from '../scan/types.js';

export interface ScanStamp {
  digest: string;
  ignore: IgnoreMatcher;
  /** The index's writeCount when the digest was taken. */
  indexWrites: number;
}

/** What the scan ignored: the next digest counts these by name only (ignored churn does not force a scan). */
export function ignoredPaths(scan: ScanResult | undefined): string[] {
  return scan ? scan.skipped.filter((s) => s.reason === 'ignored').map((s) => s.relPath) : [];
}

/** Two path lists equal, entry by entry (ignoredPaths lists come sorted, so order is part of it). */
export function samePaths(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** Whether the last scan still holds, given a digest taken now, pruning what that scan ignored. */
export function scanStillValid(stamp: ScanStamp | undefined, now: { digest: string | undefined; ignore: IgnoreMatcher | undefined; indexWrites: number | undefined }): boolean {
  return (
    stamp !== undefined &&
    now.digest !== undefined &&
    now.digest === stamp.digest &&
    now.ignore === stamp.ignore &&
    now.indexWrites === stamp.indexWrites
  );
}

/**
 * The stamp for a scan that just ran, or undefined when it cannot vouch for
 * it: no digest was taken before it, the index changed during it, or the scan
 * ignored other paths than the digest pruned (the next digest, taken with
 * this scan's list, would not be comparable).
 */
export function stampFor(
  scan: ScanResult,
  before: { digest: string | undefined; ignore: IgnoreMatcher; indexWrites: number | undefined; prune: readonly string[] },
  indexWritesAfter: number | undefined,
): ScanStamp | undefined {
  if (before.digest === undefined || before.indexWrites === undefined || indexWritesAfter !== before.indexWrites) return undefined;
  const prune = ignoredPaths(scan);
  if (!samePaths(prune, before.prune)) return undefined;
  return { digest: before.digest, ignore: before.ignore, indexWrites: before.indexWrites };
}

export interface FreshScanInput {
  root: string;
  ignore: IgnoreMatcher;
  /** The last full scan (possibly patched since) and its stamp. */
  last: ScanResult | undefined;
  stamp: ScanStamp | undefined;
  /** The index's write count (undefined: it cannot tell, so always scan). */
  indexWrites: () => number | undefined;
  /** The index's records for the change test (loading them may take a while in a new process). */
  known: () => ReadonlyMap<string, KnownFile>;
  /** Runs the real scan against those records. */
  scan: (known: ReadonlyMap<string, KnownFile>) => Promise<ScanResult>;
  /** The index holds records of this mapping: worth a digest on the first pass too (see above). */
  indexHasRecords?: boolean;
  /** No digest (always scan): the index is about to be rebuilt, say. */
  noReuse?: boolean;
  /** The index's digest seed (digests then compare across runs: cleanStamp.ts); without it, the process's own. */
  seed?: string;
  /**
   * What to prune on a first pass, with no last scan to say: the ignored
   * paths of the last run's clean stamp, so the digest taken here can stamp
   * this scan when it ignores the same ones.
   */
  prune?: readonly string[];
}

/** A full pass's view of the tree: the last scan when it still holds, a new scan otherwise, with its stamp. */
export async function freshScan(input: FreshScanInput): Promise<{ scan: ScanResult; reused: boolean; stamp: ScanStamp | undefined }> {
  // A stamped scan is never patched (targeted rescans drop the stamp): its ignored paths are the ones the digest pruned.
  const prune = input.last ? ignoredPaths(input.last) : (input.prune ?? []);
  const indexWrites = input.indexWrites();
  const worthIt = input.last !== undefined || input.indexHasRecords === true;
  // Started first: the walk runs on a worker thread while `known` loads.
  const digesting = worthIt && indexWrites !== undefined && !input.noReuse ? treeDigest(input.root, prune, input.seed) : undefined;
  const known = input.known();
  const digest = await digesting;
  if (input.last && scanStillValid(input.stamp, { digest, ignore: input.ignore, indexWrites })) {
    return { scan: input.last, reused: true, stamp: input.stamp };
  }
  const scan = await input.scan(known);
  return { scan, reused: false, stamp: stampFor(scan, { digest, ignore: input.ignore, indexWrites, prune }, input.indexWrites()) };
}
