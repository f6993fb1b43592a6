/**
 * The folders a scan still has to list, in the order it lists them
 * (breadth first: first found, first listed). With a lister that works off
 * the JS thread (ScanFs.listAsync) the next `ahead` folders are already being
 * read while the scanner turns the current listing into records, so a walk's
 * system calls run on the worker threads, in parallel, instead of one after
 * another on the JS thread. At most `ahead` listings are in flight or waiting,
 * whatever the tree's size.
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

/** Folders read ahead of the scanner, by default: measured: 4–8 leave the worker threads waiting on the JS thread (slower than listing in line), 16–64 list 100,000 files in 0.75× the time of one thread. */
export const DEFAULT_LIST_AHEAD = 32;

export class FolderQueue {
  private readonly folders: PendingFolder[] = [];
  private readonly started: (Promise<FolderListing> | undefined)[] = [];
  private next = 0;

  constructor(
    private readonly fs: Pick<ScanFs, 'list' | 'listAsync'>,
    private readonly absOf: (disk: string) => string,
    private readonly ahead = DEFAULT_LIST_AHEAD,
  ) {}

  get size(): number {
    return this.folders.length - this.next;
  }

  push(folder: PendingFolder): void {
    this.folders.push(folder);
    this.readAhead();
  }

  /** The next folder with its listing, or the error listing it gave. */
  async shift(): Promise<ListedFolder> {
    const at = this.next++;
    const folder = this.folders[at]!;
    const started = this.started[at];
    this.folders[at] = undefined as unknown as PendingFolder; // listed: let it go
    this.started[at] = undefined;
    if (this.next === this.folders.length) {
      this.folders.length = 0;
      this.started.length = 0;
      this.next = 0;
    }
    try {
      const listing = started ? await started : this.fs.list(this.absOf(folder.disk));
      return { folder, listing };
    } catch (error) {
      return { folder, error };
    } finally {
      this.readAhead();
    }
  }

  private readAhead(): void {
    const listAsync = this.fs.listAsync;
    if (!listAsync) return;
    const end = Math.min(this.folders.length, this.next + this.ahead);
    for (let at = this.next; at < end; at++) {
      if (this.started[at] !== undefined) continue;
      const listing = listAsync.call(this.fs, this.absOf(this.folders[at]!.disk));
      listing.catch(() => undefined); // a scan that stops early (abort, unreadable root) never awaits it
      this.started[at] = listing;
    }
  }
}
