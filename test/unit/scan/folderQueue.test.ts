import { describe, expect, it } from 'vitest';
import type { FolderListing } from '../../../src/scan/folderListing.js';
import { FolderQueue } from '../../../src/scan/folderQueue.js';

const listing = (name: string): FolderListing => ({ names: [name], stats: new Float64Array(6) });

/** A lister whose async listings finish only when the test says so. */
function gatedFs() {
  const started: string[] = [];
  const gates = new Map<string, { resolve: (l: FolderListing) => void; reject: (e: Error) => void }>();
  return {
    started,
    finish: (abs: string) => gates.get(abs)!.resolve(listing(abs)),
    fail: (abs: string, error: Error) => gates.get(abs)!.reject(error),
    fs: {
      list: (): FolderListing => {
        throw new Error('the in-line lister must not be used when listAsync is there');
      },
      listAsync: (abs: string) =>
        new Promise<FolderListing>((resolve, reject) => {
          started.push(abs);
          gates.set(abs, { resolve, reject });
        }),
    },
  };
}

const folder = (rel: string) => ({ rel, disk: rel });

describe('FolderQueue', () => {
  it('lists in the order folders were found, with at most `ahead` listings started', async () => {
    const g = gatedFs();
    const queue = new FolderQueue(g.fs, (disk) => `/r/${disk}`, 2);
    for (const rel of ['a', 'b', 'c', 'd']) queue.push(folder(rel));
    expect(g.started).toEqual(['/r/a', '/r/b']);

    g.finish('/r/b'); // out of order: still handed over in order
    const first = queue.shift();
    g.finish('/r/a');
    expect(await first).toEqual({ folder: folder('a'), listing: listing('/r/a') });
    expect(g.started).toEqual(['/r/a', '/r/b', '/r/c']);

    expect(await queue.shift()).toEqual({ folder: folder('b'), listing: listing('/r/b') });
    expect(g.started).toEqual(['/r/a', '/r/b', '/r/c', '/r/d']);
    g.fail('/r/c', Object.assign(new Error('EACCES: injected'), { code: 'EACCES' }));
    expect(await queue.shift()).toMatchObject({ folder: folder('c'), error: { code: 'EACCES' } });
    g.finish('/r/d');
    expect(await queue.shift()).toEqual({ folder: folder('d'), listing: listing('/r/d') });
    expect(queue.size).toBe(0);

    queue.push(folder('e')); // empty again, then reused
    expect(g.started.at(-1)).toBe('/r/e');
    g.finish('/r/e');
    expect(await queue.shift()).toEqual({ folder: folder('e'), listing: listing('/r/e') });
  });

  it('a listing nobody waits for any more (aborted scan) fails quietly', async () => {
    const g = gatedFs();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const queue = new FolderQueue(g.fs, (disk) => disk, 4);
      queue.push(folder('x'));
      queue.push(folder('y'));
      g.fail('y', new Error('ENOENT: gone'));
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('lists in line, one folder at a time, without listAsync', async () => {
    const listed: string[] = [];
    const queue = new FolderQueue({ list: (abs) => (listed.push(abs), listing(abs)) }, (disk) => disk);
    queue.push(folder('a'));
    queue.push(folder('b'));
    expect(listed).toEqual([]);
    expect(await queue.shift()).toEqual({ folder: folder('a'), listing: listing('a') });
    expect(listed).toEqual(['a']);
    const failing = new FolderQueue({ list: () => { throw new Error('EIO'); } }, (disk) => disk);
    failing.push(folder('z'));
    expect(await failing.shift()).toMatchObject({ folder: folder('z'), error: { message: 'EIO' } });
  });
});
