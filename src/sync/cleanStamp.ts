/**
 * "Nothing to do since the last run", across processes: `feisync sync --once`
 * from cron, or the CLI beside an idle app. A run that left a mapping with
 * nothing to do records a CleanStamp in the index: the tree digest taken
 * before its scan (under the index's seed), the rules its plan depended on,
 * and what it reported. The next run digests the tree (about the cost of
 * `find`, off the JS thread) and, when digest and rules are as then and the
 * stamp is still there — any write to the mapping's records drops it, by SQL
 * trigger — reports the same without loading a record or scanning a file.
 * Anything else (an edit, a new ignore rule, a failed upload, a write by
 * another process) means a full pass, as without the stamp.
 */
import type { CleanStamp, IndexStore } from '../index/types.js';
import type { IgnoreMatcher } from '../scan/ignoreRules.js';
import { treeDigest } from '../scan/nativeWalk.js';
import type { PlanItem } from '../plan/types.js';
import type { ScanResult } from '../scan/types.js';
import { ignoredPaths, type ScanStamp } from './scanReuse.js';
import { skipReason, unchangedCount } from './syncSummary.js';

/** The index, when it can keep stamps. */
type StampingIndex = Required<Pick<IndexStore, 'digestSeed' | 'getCleanStamp' | 'putCleanStamp'>>;

export function canStamp(index: IndexStore): index is IndexStore & StampingIndex {
  return index.digestSeed !== undefined && index.getCleanStamp !== undefined && index.putCleanStamp !== undefined;
}

/** Everything besides the tree and the index that a mapping's plan depends on, as one comparable string. */
export function planRules(ignore: IgnoreMatcher, policy: object): string {
  return JSON.stringify({ ignore: ignore.rulesText, policy });
}

/** The mapping's stamp when the tree under `root` and the rules are as it says: the run has nothing to do. */
export async function stillClean(index: IndexStore & StampingIndex, mappingId: string, root: string, rules: string): Promise<CleanStamp | undefined> {
  const stamp = index.getCleanStamp(mappingId);
  if (!stamp || stamp.rules !== rules) return undefined;
  const digest = await treeDigest(root, stamp.pruned, index.digestSeed());
  // Read again: another process may have written (and so dropped it) while the tree was walked.
  return digest === stamp.digest && index.getCleanStamp(mappingId)?.digest === digest ? stamp : undefined;
}

/**
 * The stamp for a run that planned `items` on `scan` and finished every one
 * (none failed or was put off), when its scan has a digest to vouch for it;
 * a later run over the same tree would plan only the skips among `items`.
 */
export function cleanStampFor(mappingId: string, scan: ScanResult, scanStamp: ScanStamp | undefined, rules: string, items: readonly PlanItem[]): CleanStamp | undefined {
  if (!scanStamp) return undefined;
  const skips = items.filter((i): i is PlanItem & { op: 'skip' } => i.op === 'skip');
  return {
    mappingId,
    digest: scanStamp.digest,
    rules,
    pruned: ignoredPaths(scan),
    unchanged: unchangedCount(scan.files.size, skips),
    skipped: skips.map((i) => ({ path: i.relPath, reason: skipReason(i) })),
  };
}
