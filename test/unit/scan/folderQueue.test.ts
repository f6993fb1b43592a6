import { describe, expect, it } from 'vitest';
import type { FolderListing } from '../../../src/scan/folderListing.js';
import { FolderQueue } from '../../../src/scan/folderQueue.js';

const listing = (name: string): FolderListing => ({ names: [name], stats: new Float64Array(6) });

/** A lister whose async listings finish only when the test says so. */
function gatedFs() {
  const started: string[] = [];
  const batches: string[][] = [];
  const gates = new Map<string, { resolve: (l: FolderListing) => void; reject: (e: Error) => void }>();
  return {
    started,
    batches,
    finish: (abs: string) => gates.get(abs)!.resolve(listing(abs)),
    fail: (abs: string, error: Error) => gates.get(abs)!.reject(error),
    fs: {
      list: (): FolderListing => {
        throw new Error('the in-line lister must not be used when listAsync is there');
      },
      listAsync: (root: string, dirs: readonly string[]) => {
        batches.push(dirs.map((d) => `${root}/${d}`));
        return dirs.map(
          (d) =>
            new Promise<FolderListing>((resolve, reject) => {
              started.push(`${root}/${d}`);
              gates.set(`${root}/${d}`, { resolve, reject });
            }),
        );
      },
    },
  };
}

const folder = (rel: string) => ({ rel, disk: rel });

describe('FolderQueue', () => {
  it('lists in the order folders were found, in batches, at most `ahead` folders ahead, topping up at half', async () => {
    const g = gatedFs();
    const queue = new FolderQueue(g.fs, '/r', (disk) => `/r/${disk}`, 4, 2);
    for (const rel of ['a', 'b', 'c', 'd', 'e', 'f']) queue.push(folder(rel));
    expect(g.started).toEqual([]); // nothing is listed before the scanner asks

    const first = queue.shift();
    expect(g.batches).toEqual([['/r/a', '/r/b'], ['/r/c', '/r/d']]);
    g.finish('/r/b'); // out of order: still handed over in order
    g.finish('/r/a');
    expect(await first).toEqual({ folder: folder('a'), listing: listing('/r/a') });

    expect(await queue.shift()).toEqual({ folder: folder('b'), listing: listing('/r/b') });
    expect(g.batches).toHaveLength(2); // c and d are still ahead: more than half of 4

    const third = queue.shift(); // two ahead (c, d): top up to four past b
    expect(g.batches).toEqual([['/r/a', '/r/b'], ['/r/c', '/r/d'], ['/r/e', '/r/f']]);
    g.fail('/r/c', Object.assign(new Error('EACCES: injected'), { code: 'EACCES' }));
    expect(await third).toMatchObject({ folder: folder('c'), error: { code: 'EACCES' } });
    for (const rel of ['d', 'e', 'f']) {
      g.finish(`/r/${rel}`);
      expect(await queue.shift()).toEqual({ folder: folder(rel), listing: listing(`/r/${rel}`) });
    }
    expect(queue.size).toBe(0);

    queue.push(folder('g')); // empty again, then reused
    const last = queue.shift();
    expect(g.batches.at(-1)).toEqual(['/r/g']);
    g.finish('/r/g');
    expect(await last).toEqual({ folder: folder('g'), listing: listing('/r/g') });
    expect(g.started).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((r) => `/r/${r}`)); // each listed once
  });

  it('a listing nobody waits for any more (aborted scan) fails quietly', async () => {
    const g = gatedFs();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const queue = new FolderQueue(g.fs, '/r', (disk) => disk, 4);
      queue.push(folder('x'));
      queue.push(folder('y'));
      const first = queue.shift();
      g.finish('/r/x');
      await first;
      g.fail('/r/y', new Error('ENOENT: gone')); // listed ahead, never taken
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('lists in line, one folder at a time, without listAsync', async () => {
    const listed: string[] = [];
    const queue = new FolderQueue({ list: (abs) => (listed.push(abs), listing(abs)) }, '/', (disk) => disk);
    queue.push(folder('a'));
    queue.push(folder('b'));
    expect(listed).toEqual([]);
    expect(await queue.shift()).toEqual({ folder: folder('a'), listing: listing('a') });
    expect(listed).toEqual(['a']);
    const failing = new FolderQueue({ list: () => { throw new Error('EIO'); } }, '/', (disk) => disk);
    failing.push(folder('z'));
    expect(await failing.shift()).toMatchObject({ folder: folder('z'), error: { message: 'EIO' } });
  });
});
