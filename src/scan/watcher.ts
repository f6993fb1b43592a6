/**
 * Live watching of one mapping root (chokidar 5). Events are filtered by the
 * mapping's ignore rules inside the watcher (ignored folders are never even
 * watched), then coalesced per path over a short window: a burst of 1,000
 * writes, or an editor's atomic save (write temp + rename over), arrives as
 * one batch of touched paths. The engine rescans exactly those paths.
 *
 * Linux inotify has a per-user watch limit; when chokidar hits it (ENOSPC /
 * EMFILE) the watcher reports 'watchLimit' with the remedy, and the engine
 * falls back to periodic rescans instead of silently missing changes.
 */
import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Clock } from '../platform/clock.js';
import type { IgnoreMatcher } from './ignoreRules.js';

/** Paths touched during one coalescing window, relative to the root, '/'-separated, NFC. */
export interface ChangeBatch {
  /** Files created, changed or removed (the rescan tells which). */
  files: Set<string>;
  /** Folders created or removed: their whole subtree must be rescanned. */
  folders: Set<string>;
}

export interface WatcherOptions {
  root: string;
  ignore: Pick<IgnoreMatcher, 'ignoresPath'>;
  clock: Clock;
  /** Coalescing window after the first event of a batch (default 300 ms). */
  debounceMs?: number;
  onChanges: (batch: ChangeBatch) => void;
  /** The OS refused more watches: `message` says how to raise the limit. */
  onWatchLimit: (message: string) => void;
  onError?: (error: Error) => void;
}

export const WATCH_LIMIT_REMEDY =
  'The system limit of file watches is reached: raise it with `sudo sysctl fs.inotify.max_user_watches=524288` ' +
  '(add it to /etc/sysctl.conf to keep it); until then FeiSync rescans the folder every minute.';

export function isWatchLimitError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EMFILE';
}

export class MappingWatcher {
  private watcher: FSWatcher | undefined;
  private batch: ChangeBatch = { files: new Set(), folders: new Set() };
  private flushing: AbortController | undefined;
  private limitReported = false;

  constructor(private readonly options: WatcherOptions) {}

  /** Resolves once the initial tree is being watched. */
  start(): Promise<void> {
    const { root, ignore } = this.options;
    const watcher = watch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      // Editors' temp-and-rename saves within 100 ms are reported as one change.
      atomic: true,
      ignored: (path: string, stats?: { isDirectory(): boolean }) => path !== root && ignore.ignoresPath(path, stats?.isDirectory() ?? false),
    });
    this.watcher = watcher;
    watcher.on('all', (event, path) => {
      const rel = this.relOf(path);
      if (rel === undefined) return;
      if (event === 'addDir' || event === 'unlinkDir') this.batch.folders.add(rel);
      else this.batch.files.add(rel);
      this.scheduleFlush();
    });
    watcher.on('error', (error: unknown) => {
      if (isWatchLimitError(error)) {
        if (!this.limitReported) {
          this.limitReported = true;
          this.options.onWatchLimit(WATCH_LIMIT_REMEDY);
        }
        return;
      }
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    });
    return new Promise((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    this.flushing?.abort();
    this.flushing = undefined;
    await this.watcher?.close();
    this.watcher = undefined;
  }

  /** Deliver what is pending now (tests, shutdown). */
  flush(): void {
    this.flushing?.abort();
    this.flushing = undefined;
    const batch = this.batch;
    if (batch.files.size === 0 && batch.folders.size === 0) return;
    this.batch = { files: new Set(), folders: new Set() };
    this.options.onChanges(batch);
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    const controller = new AbortController();
    this.flushing = controller;
    this.options.clock.sleep(this.options.debounceMs ?? 300, controller.signal).then(
      () => {
        if (this.flushing === controller) this.flush();
      },
      () => undefined,
    );
  }

  private relOf(path: string): string | undefined {
    const rel = relative(this.options.root, path);
    if (rel === '' || rel.startsWith('..')) return undefined;
    return rel.split(sep).join('/').normalize('NFC');
  }
}
