import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/platform/clock.js';
import { IgnoreMatcher } from '../../../src/scan/ignoreRules.js';
import { isWatchLimitError, MappingWatcher, type ChangeBatch } from '../../../src/scan/watcher.js';

let root: string;
let watcher: MappingWatcher | undefined;
afterEach(async () => {
  await watcher?.close();
  rmSync(root, { recursive: true, force: true });
});

async function watching(): Promise<ChangeBatch[]> {
  root = mkdtempSync(join(tmpdir(), 'feisync-watch-'));
  mkdirSync(join(root, 'node_modules_like'));
  const batches: ChangeBatch[] = [];
  watcher = new MappingWatcher({
    root,
    ignore: new IgnoreMatcher(root, { extra: ['node_modules_like/'] }),
    clock: systemClock,
    debounceMs: 150,
    onChanges: (b) => batches.push(b),
    onWatchLimit: () => {},
  });
  await watcher.start();
  return batches;
}

const settle = () => new Promise((r) => setTimeout(r, 600));

describe('MappingWatcher (chokidar)', () => {
  it('reports touched paths relative to the root, and never ignored ones', async () => {
    const batches = await watching();
    writeFileSync(join(root, 'a.txt'), 'a');
    writeFileSync(join(root, 'scratch.tmp'), 'ignored by the defaults');
    writeFileSync(join(root, 'node_modules_like', 'x.js'), 'ignored by the mapping');
    await settle();
    const files = new Set(batches.flatMap((b) => [...b.files]));
    expect(files).toEqual(new Set(['a.txt']));
  });

  it('coalesces a burst of writes into few batches, each path once per batch', async () => {
    const batches = await watching();
    for (let i = 0; i < 200; i++) writeFileSync(join(root, `f${i}.txt`), `${i}`);
    for (let i = 0; i < 200; i++) writeFileSync(join(root, `f${i}.txt`), `${i} again`);
    await settle();
    const all = batches.flatMap((b) => [...b.files]);
    expect(new Set(all).size).toBe(200);
    // 400 writes (each file twice) arrive as far fewer deliveries: a path is reported once per batch.
    expect(all.length).toBeLessThan(400);
    expect(batches.length).toBeLessThan(50);
  });

  it('an atomic save (temp + rename over) touches the saved path', async () => {
    const batches = await watching();
    writeFileSync(join(root, 'doc.txt'), 'v1');
    await settle();
    batches.length = 0;
    writeFileSync(join(root, 'doc.txt.tmp'), 'v2');
    renameSync(join(root, 'doc.txt.tmp'), join(root, 'doc.txt'));
    await settle();
    expect(batches.flatMap((b) => [...b.files])).toContain('doc.txt');
  });

  it('new folders are reported as folders (their subtree is rescanned)', async () => {
    const batches = await watching();
    mkdirSync(join(root, 'newdir'));
    await settle();
    expect(batches.flatMap((b) => [...b.folders])).toContain('newdir');
  });

  it('recognises the inotify watch-limit errors', () => {
    expect(isWatchLimitError(Object.assign(new Error('watch'), { code: 'ENOSPC' }))).toBe(true);
    expect(isWatchLimitError(Object.assign(new Error('watch'), { code: 'EMFILE' }))).toBe(true);
    expect(isWatchLimitError(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe(false);
  });
});
