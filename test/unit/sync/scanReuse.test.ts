import { describe, expect, it } from 'vitest';
import { IgnoreMatcher } from '../../../src/scan/ignoreRules.js';
import type { ScanResult } from '../../../src/scan/types.js';
import { ignoredPaths, scanStillValid, stampFor } from '../../../src/sync/scanReuse.js';

const ignore = new IgnoreMatcher('/root');
const scan = (ignored: string[]): ScanResult => ({
  files: new Map(),
  folders: new Map(),
  skipped: [...ignored.map((relPath) => ({ relPath, reason: 'ignored' as const })), { relPath: 'link', reason: 'symlink' as const }],
});

describe('scan reuse', () => {
  it('stamps a scan only when a digest was taken before it with the same pruned paths and the index did not change during it', () => {
    const before = { digest: 'd1', ignore, indexWrites: 4, prune: ['.DS_Store'] };
    expect(stampFor(scan(['.DS_Store']), before, 4)).toEqual({ digest: 'd1', ignore, indexWrites: 4 });
    expect(stampFor(scan(['.DS_Store']), { ...before, digest: undefined }, 4)).toBeUndefined(); // first scan: no digest
    expect(stampFor(scan(['.DS_Store']), before, 5)).toBeUndefined(); // an upload wrote a record meanwhile
    expect(stampFor(scan(['.DS_Store', 'x.tmp']), before, 4)).toBeUndefined(); // next digest would prune differently
    expect(stampFor(scan(['.DS_Store']), { ...before, indexWrites: undefined }, undefined)).toBeUndefined(); // index cannot tell
  });

  it('reuses only with the same digest, the same ignore rules and no index write since', () => {
    const stamp = stampFor(scan([]), { digest: 'd1', ignore, indexWrites: 4, prune: [] }, 4)!;
    expect(scanStillValid(stamp, { digest: 'd1', ignore, indexWrites: 4 })).toBe(true);
    expect(scanStillValid(stamp, { digest: 'd2', ignore, indexWrites: 4 })).toBe(false);
    expect(scanStillValid(stamp, { digest: undefined, ignore, indexWrites: 4 })).toBe(false);
    expect(scanStillValid(stamp, { digest: 'd1', ignore: new IgnoreMatcher('/root'), indexWrites: 4 })).toBe(false);
    expect(scanStillValid(stamp, { digest: 'd1', ignore, indexWrites: 5 })).toBe(false);
    expect(scanStillValid(undefined, { digest: 'd1', ignore, indexWrites: 4 })).toBe(false);
  });

  it('prunes what the scan ignored, not what it skipped for other reasons', () => {
    expect(ignoredPaths(scan(['a', 'b/c']))).toEqual(['a', 'b/c']);
    expect(ignoredPaths(undefined)).toEqual([]);
  });
});
