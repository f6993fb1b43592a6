/**
 * The folders a scan still has to list, in the order it lists them
 * (breadth first: first found, first listed). With a lister that works off
 * the JS thread (ScanFs.listAsync), folders are listed ahead in batches: the
 * next ones are already being read on worker threads while the scanner turns
 * the current listing into records, so a walk's system calls run in parallel
 * with the JS work instead of one after another on the JS thread.
 *
 * Batches, not one job per folder: a thread hand-off and a promise per
 * folder cost the JS thread about as much as the folder's records (measured:
 * 5,050 folders listed one job each kept the JS thread busy ~50 ms, in
 * batches ~10 ms). A new batch starts when half the folders listed ahead
 * have been taken, so the worker threads keep running while the JS thread
 * works; at most `ahead` listings are in flight or waiting, whatever the
 * tree's size.
 */
import type { FolderListing } from './folderListing.js';
import type { ScanFs } from './scanFs.js';

export interface PendingFolder {
  /** NFC path relative to the root ('' for the root). */
  rel: string;
  /** The same path as spelled on disk. */
  disk: string;
}

export type ListedFolder = { folder: PendingFolder; listing: FolderListing } | { folder: PendingFolder; error: unknown };

/** Folders listed ahead of the scanner, by default. */
export const DEFAULT_LIST_AHEAD = 128;

/** Folders per batch (one worker-thread job), by default: two batches in flight when the queue is full. */
export const DEFAULT_BATCH = 32;

export class FolderQueue {
  private readonly folders: PendingFolder[] = [];
  private readonly started: (Promise<FolderListing> | undefined)[] = [];
  private next = 0;
  /** Folders before this index have been started (listing is in order). */
  private startedTo = 0;

  constructor(
    private readonly fs: Pick<ScanFs, 'list' | 'listAsync'>,
    /** The scan's root: folders are listed in line as absOf(disk), ahead as (root, disk). */
    private readonly root: string,
    private readonly absOf: (disk: string) => string,
    private readonly ahead = DEFAULT_LIST_AHEAD,
    private readonly batch = DEFAULT_BATCH,
  ) {}

  get size(): number {
    return this.folders.length - this.next;
  }

  push(folder: PendingFolder): void {
    this.folders.push(folder);
  }

  /** The next folder with its listing, or the error listing it gave. */
  async shift(): Promise<ListedFolder> {
    this.readAhead();
    const at = this.next++;
    const folder = this.folders[at]!;
    const started = this.started[at];
    this.folders[at] = undefined as unknown as PendingFolder; // listed: let it go
    this.started[at] = undefined;
    if (this.next === this.folders.length) {
      this.folders.length = 0;
      this.started.length = 0;
      this.next = 0;
      this.startedTo = 0;
    }
    try {
      const listing = started ? await started : this.fs.list(this.absOf(folder.disk));
      return { folder, listing };
    } catch (error) {
      return { folder, error };
    }
  }

  /** Starts batches up to `ahead` folders past the next one, once half of those listed ahead are taken. */
  private readAhead(): void {
    const listAsync = this.fs.listAsync;
    if (!listAsync) return;
    const from = Math.max(this.startedTo, this.next);
    const end = Math.min(this.folders.length, this.next + this.ahead);
    if (from >= end || (from > this.next && from - this.next > this.ahead / 2)) return;
    for (let start = from; start < end; start += this.batch) {
      const stop = Math.min(end, start + this.batch);
      const dirs: string[] = [];
      for (let at = start; at < stop; at++) dirs.push(this.folders[at]!.disk);
      const listings = listAsync.call(this.fs, this.root, dirs);
      for (let k = 0; k < listings.length; k++) {
        listings[k]!.catch(() => undefined); // a scan that stops early (abort, unreadable root) never awaits it
        this.started[start + k] = listings[k];
      }
    }
    this.startedTo = end;
  }
}
