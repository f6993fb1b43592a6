/**
 * Structured logs: one JSON object per line in `<stateDir>/logs/feisync.log`,
 * rotated by size (feisync.log → feisync.1.log → … → feisync.<maxFiles-1>.log).
 * Every record passes through `redact` first, so no secret is ever written.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { redact } from './logRedact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record (e.g. `{ component: 'ipc' }`). */
  child(fields: LogFields): Logger;
}

/** Where formatted lines go. */
export interface LogSink {
  write(line: string): void;
  close?(): void;
}

export const LOG_FILE_NAME = 'feisync.log';
export const DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 5;

/** Name of the n-th log file (0 = the current one). */
export function logFileName(n: number): string {
  return n === 0 ? LOG_FILE_NAME : LOG_FILE_NAME.replace(/\.log$/, `.${n}.log`);
}

export function createLogger(sink: LogSink, options: { level?: LogLevel; clock?: Clock; fields?: LogFields } = {}): Logger {
  const min = LEVEL_RANK[options.level ?? 'info'];
  const clock = options.clock ?? systemClock;
  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (LEVEL_RANK[level] < min) return;
      const record = redact({ ts: new Date(clock.now()).toISOString(), level, msg, ...base, ...fields });
      let line: string;
      try {
        line = JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      } catch (e) {
        line = JSON.stringify({ ts: record.ts, level, msg, logError: `unserialisable fields: ${String(e)}` });
      }
      sink.write(line + '\n');
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/** A logger that drops everything (tests, library use without a state dir). */
export const nullLogger: Logger = createLogger({ write: () => {} }, { level: 'error' });

/**
 * A sink appending to `<dir>/feisync.log`, rotating when the next line would
 * pass `maxBytes`. Writes are synchronous so the last lines before a crash are
 * on disk.
 */
export function createRotatingFileSink(
  dir: string,
  options: { maxBytes?: number; maxFiles?: number } = {},
): LogSink {
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_LOG_MAX_FILES);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const current = join(dir, logFileName(0));
  let fd = openSync(current, 'a', 0o600);
  let size = fstatSync(fd).size;

  const rotate = () => {
    closeSync(fd);
    rmSync(join(dir, logFileName(maxFiles - 1)), { force: true });
    for (let n = maxFiles - 2; n >= 0; n--) {
      try {
        renameSync(join(dir, logFileName(n)), join(dir, logFileName(n + 1)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    fd = openSync(current, 'a', 0o600);
    size = 0;
  };

  return {
    write(line) {
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) {
        if (maxFiles === 1) {
          closeSync(fd);
          fd = openSync(current, 'w', 0o600);
          size = 0;
        } else rotate();
      }
      writeSync(fd, line);
      size += bytes;
    },
    close() {
      closeSync(fd);
    },
  };
}
