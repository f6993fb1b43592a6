import { describe, expect, it } from 'vitest';
import type { PlanItem } from '../../../src/plan/types.js';
import type { ScanResult } from '../../../src/scan/types.js';
import { PlanReuse, type PlanInputs } from '../../../src/sync/planReuse.js';

const scan = (): ScanResult => ({ files: new Map(), folders: new Map(), skipped: [] });
const item = (relPath: string): PlanItem => ({ mappingId: 'm', op: 'forget', relPath, cost: {}, type: 'file' }) as PlanItem;

describe('PlanReuse', () => {
  it('plans again only when the scan, its patches, the index or the policy changed', () => {
    const plans = new PlanReuse();
    let made = 0;
    const make = () => [item(`p${++made}`)];
    const base: PlanInputs = { scan: scan(), scanVersion: 0, indexWrites: 7, policy: 'keep' };

    const first = plans.items(base, make);
    expect(plans.items({ ...base }, make)).toBe(first); // equal inputs (a new object): reused
    expect(made).toBe(1);

    const changes: Partial<PlanInputs>[] = [{ scan: scan() }, { scanVersion: 1 }, { indexWrites: 8 }, { policy: 'trash' }];
    let inputs = base;
    for (const change of changes) {
      inputs = { ...inputs, ...change };
      const before = made;
      expect(plans.items(inputs, make)).toEqual([item(`p${before + 1}`)]);
      expect(plans.items(inputs, make)).toEqual([item(`p${before + 1}`)]); // and that one is reused next
      expect(made).toBe(before + 1);
    }
  });

  it('never reuses when the index cannot count its writes, and forgets on request', () => {
    const plans = new PlanReuse();
    let made = 0;
    const make = () => [item(`p${++made}`)];
    const blind: PlanInputs = { scan: scan(), scanVersion: 0, indexWrites: undefined, policy: 'keep' };
    plans.items(blind, make);
    plans.items(blind, make);
    expect(made).toBe(2);

    const counted = { ...blind, indexWrites: 1 };
    plans.items(counted, make);
    plans.forget();
    plans.items(counted, make);
    expect(made).toBe(4);
  });
});
