/**
 * Watch one file (the settings file: the tray app and the CLI daemon both
 * follow it) for changes made by other programs, robustly against atomic
 * writes. conf (and so `feisync map add`) writes by renaming a temp file over
 * the target, so a watch on the file itself follows the old, deleted inode.
 * conf's own `watch` on Linux is `fs.watchFile` instead: a 5 s stat poll whose
 * baseline stat is taken asynchronously, so a change written right after
 * arming becomes part of the baseline and is never reported. We watch the
 * DIRECTORY (inotify / FSEvents / ReadDirectoryChangesW), which sees the
 * rename into place, filter on the file's name, and debounce the burst a
 * write produces (temp file created, renamed) into one notice.
 */
import { watch as fsWatch, type FSWatcher, type WatchListener } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FileWatchOptions {
  /** Quiet time before a burst of events is reported once (default 100 ms). */
  debounceMs?: number;
  /** node:fs `watch`, injectable for tests. */
  watch?: (dir: string, options: { persistent: boolean; encoding: 'utf8' }, listener: WatchListener<string>) => FSWatcher;
  /** The directory watch failed (e.g. the folder was removed): no more notices. */
  onError?(error: unknown): void;
}

export interface FileWatch {
  close(): void;
}

export function watchFileChanges(path: string, onChange: () => void, options: FileWatchOptions = {}): FileWatch {
  const { debounceMs = 100, watch = fsWatch } = options;
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = () => {
    timer = undefined;
    if (!closed) onChange();
  };
  const watcher = watch(dirname(path), { persistent: false, encoding: 'utf8' }, (_event, filename) => {
    // Some platforms omit the name: then any change in the folder may be ours.
    if (filename && filename !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  });
  watcher.on('error', (e) => {
    close();
    options.onError?.(e);
  });
  function close() {
    closed = true;
    if (timer) clearTimeout(timer);
    watcher.close();
  }
  return { close };
}
