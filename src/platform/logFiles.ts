/** Reading the log files back: `feisync log`, `feisync log --follow` and `feisync diag`. */
import { existsSync, openSync, readSync, closeSync, statSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOG_MAX_FILES, LOG_FILE_NAME, logFileName } from './log.js';

/** The last `count` lines across the rotated files, oldest first. */
export function readLogTail(dir: string, count: number, maxFiles = DEFAULT_LOG_MAX_FILES): string[] {
  const lines: string[] = [];
  for (let n = 0; n < maxFiles && lines.length < count; n++) {
    const file = join(dir, logFileName(n));
    if (!existsSync(file)) continue;
    const fileLines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    lines.unshift(...fileLines.slice(Math.max(0, fileLines.length - (count - lines.length))));
  }
  return lines;
}

/**
 * Calls `onLine` for every line appended to the current log from now on
 * (follows rotation). Returns a function that stops following.
 */
export function followLog(dir: string, onLine: (line: string) => void, pollMs = 250): () => void {
  const file = join(dir, LOG_FILE_NAME);
  let offset = existsSync(file) ? statSync(file).size : 0;
  let partial = '';
  const drain = () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size < offset) offset = 0; // rotated: the new file starts empty
    if (size === offset) return;
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const text = partial + buf.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line) onLine(line);
    } finally {
      closeSync(fd);
    }
  };
  // fs.watch misses events on some filesystems (NFS on a NAS): poll as well.
  const timer = setInterval(drain, pollMs);
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    watcher = watch(dir, () => drain());
  } catch {
    watcher = undefined;
  }
  return () => {
    clearInterval(timer);
    watcher?.close();
  };
}
