/**
 * A mapping's last plan, planned again only when something it was made from
 * changed. The planner is a pure function of the scan, the index records and
 * the policy; on a timer pass that finds the tree as it was (scanReuse.ts)
 * and nothing written to the index since, it would build the same plan from
 * the same inputs — for 100,000 files ~40 ms and ~10 MB of garbage each time.
 */
import type { PlanItem } from '../plan/types.js';
import type { ScanResult } from '../scan/types.js';

export interface PlanInputs {
  /** The scan planned, by identity… */
  scan: ScanResult;
  /** …and how many times it was patched in place (LiveTree.version). */
  scanVersion: number;
  /** The index's write count (undefined: it cannot tell, so never reuse). */
  indexWrites: number | undefined;
  /** Everything else the plan depends on, as one comparable string. */
  policy: string;
}

export class PlanReuse {
  private last: { inputs: PlanInputs; items: readonly PlanItem[] } | undefined;

  /** The last plan's items when `inputs` are the same as then; otherwise `make()`'s, remembered. */
  items(inputs: PlanInputs, make: () => readonly PlanItem[]): readonly PlanItem[] {
    const last = this.last;
    if (last && inputs.indexWrites !== undefined && sameInputs(last.inputs, inputs)) return last.items;
    const items = make();
    this.last = inputs.indexWrites === undefined ? undefined : { inputs, items };
    return items;
  }

  forget(): void {
    this.last = undefined;
  }
}

function sameInputs(a: PlanInputs, b: PlanInputs): boolean {
  return a.scan === b.scan && a.scanVersion === b.scanVersion && a.indexWrites === b.indexWrites && a.policy === b.policy;
}
