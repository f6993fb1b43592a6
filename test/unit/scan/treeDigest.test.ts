import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeScanAvailable, treeDigest } from '../../../src/scan/nativeWalk.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'feisync-digest-'));
  mkdirSync(join(root, 'dir/sub'), { recursive: true });
  mkdirSync(join(root, 'node_modules/pkg'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'alpha');
  writeFileSync(join(root, 'dir/b.txt'), 'beta');
  writeFileSync(join(root, 'dir/sub/c.txt'), 'gamma');
  writeFileSync(join(root, 'node_modules/pkg/index.js'), 'x');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const prune = ['node_modules'];
const digest = () => treeDigest(root, prune);

describe.skipIf(!nativeScanAvailable)('treeDigest', () => {
  it('is stable while nothing changes', async () => {
    const first = await digest();
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await digest()).toBe(first);
  });

  // Each change a scan would see must change the digest.
  const changes: [string, () => void][] = [
    ['an edit of the same size', () => { writeFileSync(join(root, 'a.txt'), 'ALPHA'); utimesSync(join(root, 'a.txt'), 1, 1); }],
    ['a touch (mtime only, by one nanosecond-level step)', () => { const st = statSync(join(root, 'dir/b.txt')); utimesSync(join(root, 'dir/b.txt'), st.atime, new Date(st.mtimeMs + 1)); }],
    ['a file replaced by a copy (new inode, same size and mtime)', () => {
      const st = statSync(join(root, 'a.txt'));
      writeFileSync(join(root, 'a.tmp'), 'alpha');
      utimesSync(join(root, 'a.tmp'), st.atime, st.mtime);
      renameSync(join(root, 'a.tmp'), join(root, 'a.txt'));
    }],
    ['a new file deep down', () => writeFileSync(join(root, 'dir/sub/new.txt'), '')],
    ['a deleted file', () => unlinkSync(join(root, 'dir/sub/c.txt'))],
    ['a rename within a folder', () => renameSync(join(root, 'dir/b.txt'), join(root, 'dir/b2.txt'))],
    ['a move to another folder under the same name', () => renameSync(join(root, 'dir/b.txt'), join(root, 'dir/sub/b.txt'))],
    ['a new empty folder', () => mkdirSync(join(root, 'dir/empty'))],
    ['a file replaced by a folder of the same name', () => { unlinkSync(join(root, 'a.txt')); mkdirSync(join(root, 'a.txt')); }],
  ];
  for (const [what, change] of changes) {
    it(`changes on ${what}`, async () => {
      const before = await digest();
      change();
      expect(await digest()).not.toBe(before);
    });
  }

  it('does not look inside pruned (ignored) paths, but sees them appear and go', async () => {
    const before = await digest();
    writeFileSync(join(root, 'node_modules/pkg/index.js'), 'changed inside an ignored folder');
    writeFileSync(join(root, 'node_modules/new.js'), 'x');
    expect(await digest()).toBe(before);
    rmSync(join(root, 'node_modules'), { recursive: true });
    expect(await digest()).not.toBe(before);
  });

  it('is keyed by the seed it is given: equal across processes under one seed, different under another', async () => {
    const seed = '0123456789abcdef';
    const here = await treeDigest(root, prune, seed);
    // Another process (the compiled module, as the CLI runs it) gets the same digest under the same seed.
    const dist = pathToFileURL(join(import.meta.dirname, '../../../dist/src/scan/nativeWalk.js')).href;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const { treeDigest } = await import(${JSON.stringify(dist)}); console.log(await treeDigest(${JSON.stringify(root)}, ${JSON.stringify(prune)}, ${JSON.stringify(seed)}));`,
    ], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(here);
    expect(await treeDigest(root, prune, 'fedcba9876543210')).not.toBe(here);
    expect(await treeDigest(root, prune)).not.toBe(here); // the process's own seed
    await expect(treeDigest(root, prune, 'not-hex')).rejects.toThrow(/seed/);
  });

  it('gives up (undefined) when the root cannot be read, so the caller scans', async () => {
    expect(await treeDigest(join(root, 'missing'), [])).toBeUndefined();
  });

  it('walks off the JS thread: timers keep firing while it runs', async () => {
    for (let i = 0; i < 300; i++) mkdirSync(join(root, `many/${i}`), { recursive: true });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const walks = Array.from({ length: 20 }, () => digest());
    await Promise.all(walks);
    clearInterval(timer);
    expect(new Set(await Promise.all(walks)).size).toBe(1);
    expect(ticks).toBeGreaterThan(0);
  });
});
