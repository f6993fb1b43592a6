import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../../src/index/types.js';
import { IgnoreMatcher } from '../../../src/scan/ignoreRules.js';
import { scanMapping } from '../../../src/scan/scanner.js';
import { LiveTree } from '../../../src/sync/liveTree.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function tree() {
  const ignore = new IgnoreMatcher(root);
  const live = new LiveTree(await scanMapping(root, { ignore }));
  const known = new Map<string, FileRecord>();
  for (const f of live.scan.files.values()) {
    known.set(f.relPath, { mappingId: 'm', relPath: f.relPath, size: f.size, mtimeNs: f.mtimeNs, ino: f.ino, hash: 'h', remoteToken: `t-${f.relPath}`, remoteParentToken: null, remoteVersion: null, state: 'synced', reason: null, failures: 0, lastSyncedAt: 1 });
  }
  return { live, opts: { root, ignore, known } };
}

describe('LiveTree: targeted rescans of the paths the watcher reported', () => {
  it('a rename in one batch removes the old path and hashes the new one (so the planner sees a rename)', async () => {
    root = mkdtempSync(join(tmpdir(), 'feisync-live-'));
    writeFileSync(join(root, 'a.txt'), 'same content');
    const { live, opts } = await tree();
    renameSync(join(root, 'a.txt'), join(root, 'b.txt'));
    expect(await live.applyBatch({ files: new Set(['b.txt', 'a.txt']), folders: new Set() }, opts)).toBe(true);
    expect([...live.scan.files.keys()]).toEqual(['b.txt']);
    expect(live.scan.files.get('b.txt')?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a brand-new file of an unrelated size is not read (the upload reads it)', async () => {
    root = mkdtempSync(join(tmpdir(), 'feisync-live-'));
    const { live, opts } = await tree();
    writeFileSync(join(root, 'new.txt'), 'new');
    await live.applyBatch({ files: new Set(['new.txt']), folders: new Set() }, opts);
    expect(live.scan.files.get('new.txt')).toMatchObject({ size: 3 });
    expect(live.scan.files.get('new.txt')?.hash).toBeUndefined();
  });

  it('ignored files stay out; a new folder asks for a full scan', async () => {
    root = mkdtempSync(join(tmpdir(), 'feisync-live-'));
    const { live, opts } = await tree();
    writeFileSync(join(root, 'x.tmp'), 'temp');
    expect(await live.applyBatch({ files: new Set(['x.tmp']), folders: new Set() }, opts)).toBe(true);
    expect(live.scan.files.has('x.tmp')).toBe(false);
    mkdirSync(join(root, 'dir'));
    expect(await live.applyBatch({ files: new Set(), folders: new Set(['dir']) }, opts)).toBe(false);
    writeFileSync(join(root, 'dir', 'y.txt'), 'y');
    expect(await live.applyBatch({ files: new Set(['dir/y.txt']), folders: new Set() }, opts)).toBe(false);
  });
});
