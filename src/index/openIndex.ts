/**
 * Opens (creating or migrating) the index file. A file SQLite cannot read as
 * a database, or one that fails `quick_check`, is moved aside — never deleted —
 * and a fresh index is created; the caller learns it through `rebuilt` and
 * rebuilds from a full scan plus a remote listing (see adoptRemote.ts).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../platform/clock.js';
import { IndexError } from './indexError.js';
import { migrate, type Migration, MIGRATIONS } from './schema.js';
import { SqliteIndex } from './sqliteIndex.js';

const DEFAULT_CACHE_KB = 4096;

export interface OpenIndexOptions {
  clock?: Pick<Clock, 'now'>;
  /** Milliseconds a statement waits for a lock held by another connection. */
  busyTimeoutMs?: number;
  /** For tests of the migration machinery; defaults to the real schema. */
  migrations?: readonly Migration[];
  /**
   * SQLite page cache per connection, KiB. better-sqlite3 builds SQLite with
   * a 16 MB default, which a full read of 100,000 records fills (measured +5–8 MB RSS)
   * for no gain: the index is read in one sequential pass and written in
   * path order. Default 4,096.
   */
  cacheKb?: number;
  /** Rows over a mapping's pack before they are folded in (default FOLD_MIN_CHANGES); tests lower it. */
  foldAfter?: number;
}

export interface IndexRebuild {
  reason: string;
  /** Where the unreadable file was moved. */
  movedTo: string;
}

export interface OpenedIndex extends SqliteIndex {
  /** Set when the previous file was unreadable and this index is new and empty. */
  readonly rebuilt: IndexRebuild | undefined;
}

/** SQLite result codes that mean "this file is damaged", as opposed to "cannot open it now". */
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);

class CorruptIndex extends Error {}

export function openIndex(path: string, options: OpenIndexOptions = {}): OpenedIndex {
  const clock = options.clock ?? systemClock;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 }); // the index lists the user's file names: private
  let rebuilt: IndexRebuild | undefined;
  let db: Database.Database;
  try {
    db = connect(path, options);
  } catch (error) {
    if (!(error instanceof CorruptIndex)) throw error;
    const movedTo = `${path}.corrupt-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}`;
    moveAside(path, movedTo);
    rebuilt = { reason: error.message, movedTo };
    db = connect(path, options);
  }
  const index = new SqliteIndex(db, { foldAfter: options.foldAfter }) as SqliteIndex & { rebuilt: IndexRebuild | undefined };
  index.rebuilt = rebuilt;
  return index;
}

function connect(path: string, options: OpenIndexOptions): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (cause) {
    throw classify(path, cause);
  }
  try {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Switching a new file to WAL needs an exclusive lock, and SQLite answers BUSY at
    // once (no busy handler) while another process is doing the same: wait and retry.
    retryWhileBusy(() => db.pragma('journal_mode = WAL'), busyTimeoutMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${options.cacheKb ?? DEFAULT_CACHE_KB}`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CorruptIndex(`quick_check: ${String(check)}`);
    migrate(db, path, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error instanceof IndexError || error instanceof CorruptIndex ? error : classify(path, error);
  }
}

function retryWhileBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      return fn();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause); // a synchronous sleep: opening is synchronous
    }
  }
}

function classify(path: string, cause: unknown): Error {
  const code = (cause as { code?: string }).code ?? '';
  if (CORRUPTION_CODES.has(code)) return new CorruptIndex(`${code}: ${(cause as Error).message}`);
  return new IndexError('E_INDEX_OPEN', `cannot open the index ${path}: ${(cause as Error).message}`, { cause });
}

/** The database and its WAL/shared-memory companions move together (the WAL may hold the last commits). */
function moveAside(path: string, movedTo: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
}
