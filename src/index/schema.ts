/**
 * The index schema and its migrations. The version lives in SQLite's
 * `user_version` pragma; `application_id` marks the file as ours so FeiSync
 * never migrates (and so damages) somebody else's database.
 */
import type Database from 'better-sqlite3';
import { IndexError } from './indexError.js';

/** 'FSYC' — written once, checked at every open. */
export const APPLICATION_ID = 0x46535943;

export interface Migration {
  /** The version the schema has after this migration. */
  version: number;
  description: string;
  sql: string;
}

const FILE_STATES = "('synced','pending','uploading','failed','skipped')";

/**
 * The same rule as `state IN FILE_STATES`, spelled so SQLite checks it for free:
 * an IN list in a CHECK builds an ephemeral table at every INSERT (measured:
 * 1.6 µs of the 4.5 µs a file record cost to write).
 */
const STATE_CHECK = "state = 'synced' OR state = 'pending' OR state = 'uploading' OR state = 'failed' OR state = 'skipped'";

/**
 * Triggers that drop a mapping's clean-pass stamp on any change to `table`
 * (a table of what its plan is made from), so no writer can forget to: the
 * app, the CLI beside it, a future one.
 */
function stampDroppingTriggers(table: string): string {
  return `
      CREATE TRIGGER ${table}_insert_drops_stamp AFTER INSERT ON ${table}
        BEGIN DELETE FROM clean_stamps WHERE mapping_id = NEW.mapping_id; END;
      CREATE TRIGGER ${table}_update_drops_stamp AFTER UPDATE ON ${table}
        BEGIN DELETE FROM clean_stamps WHERE mapping_id IN (OLD.mapping_id, NEW.mapping_id); END;
      CREATE TRIGGER ${table}_delete_drops_stamp AFTER DELETE ON ${table}
        BEGIN DELETE FROM clean_stamps WHERE mapping_id = OLD.mapping_id; END;`;
}

/** Append only: never edit a released migration, add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'mappings, files, folders, chunked uploads, quota ledger, activity',
    sql: `
      CREATE TABLE mappings (
        id           TEXT PRIMARY KEY,
        local_root   TEXT NOT NULL,
        folder_token TEXT NOT NULL
      );
      CREATE TABLE files (
        mapping_id          TEXT NOT NULL,
        rel_path            TEXT NOT NULL,
        size                INTEGER NOT NULL CHECK (size >= 0),
        mtime_ns            INTEGER NOT NULL,
        ino                 TEXT NOT NULL,
        hash                TEXT,
        remote_token        TEXT,
        remote_parent_token TEXT,
        remote_version      TEXT,
        state               TEXT NOT NULL CHECK (state IN ${FILE_STATES}),
        reason              TEXT,
        failures            INTEGER NOT NULL DEFAULT 0,
        last_synced_at      INTEGER,
        PRIMARY KEY (mapping_id, rel_path)
      ) WITHOUT ROWID;
      CREATE TABLE folders (
        mapping_id   TEXT NOT NULL,
        rel_path     TEXT NOT NULL,
        remote_token TEXT NOT NULL,
        PRIMARY KEY (mapping_id, rel_path)
      ) WITHOUT ROWID;
      CREATE TABLE chunk_uploads (
        mapping_id   TEXT NOT NULL,
        rel_path     TEXT NOT NULL,
        upload_id    TEXT NOT NULL,
        block_size   INTEGER NOT NULL CHECK (block_size > 0),
        block_num    INTEGER NOT NULL CHECK (block_num > 0),
        started_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        size         INTEGER NOT NULL,
        mtime_ns     INTEGER NOT NULL,
        ino          TEXT NOT NULL,
        file_token   TEXT,
        parent_token TEXT NOT NULL,
        PRIMARY KEY (mapping_id, rel_path)
      );
      CREATE TABLE chunk_blocks (
        mapping_id TEXT NOT NULL,
        rel_path   TEXT NOT NULL,
        seq        INTEGER NOT NULL CHECK (seq >= 0),
        checksum   TEXT NOT NULL,
        PRIMARY KEY (mapping_id, rel_path, seq),
        FOREIGN KEY (mapping_id, rel_path) REFERENCES chunk_uploads (mapping_id, rel_path) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE TABLE quota_ledger (
        day      TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        calls    INTEGER NOT NULL CHECK (calls >= 0),
        PRIMARY KEY (day, endpoint)
      ) WITHOUT ROWID;
      CREATE TABLE activity (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        at           INTEGER NOT NULL,
        mapping_id   TEXT,
        rel_path     TEXT NOT NULL,
        kind         TEXT NOT NULL,
        remote_token TEXT,
        url          TEXT,
        detail       TEXT
      );
    `,
  },
  {
    version: 2,
    description: 'files: the state check without an IN list (a third cheaper to write)',
    sql: `
      CREATE TABLE files_v2 (
        mapping_id          TEXT NOT NULL,
        rel_path            TEXT NOT NULL,
        size                INTEGER NOT NULL CHECK (size >= 0),
        mtime_ns            INTEGER NOT NULL,
        ino                 TEXT NOT NULL,
        hash                TEXT,
        remote_token        TEXT,
        remote_parent_token TEXT,
        remote_version      TEXT,
        state               TEXT NOT NULL CHECK (${STATE_CHECK}),
        reason              TEXT,
        failures            INTEGER NOT NULL DEFAULT 0,
        last_synced_at      INTEGER,
        PRIMARY KEY (mapping_id, rel_path)
      ) WITHOUT ROWID;
      INSERT INTO files_v2 SELECT mapping_id, rel_path, size, mtime_ns, ino, hash, remote_token, remote_parent_token,
                                  remote_version, state, reason, failures, last_synced_at FROM files;
      DROP TABLE files;
      ALTER TABLE files_v2 RENAME TO files;
    `,
  },
  {
    version: 3,
    description: 'file packs: a mapping\'s file records in one blob, the files table holding changes since',
    sql: `
      CREATE TABLE file_packs (
        mapping_id TEXT NOT NULL,
        part       INTEGER NOT NULL CHECK (part >= 0),
        records    INTEGER NOT NULL CHECK (records > 0),
        data       BLOB NOT NULL,
        paths      TEXT NOT NULL,
        inos       TEXT NOT NULL,
        hashes     TEXT NOT NULL,
        tokens     TEXT NOT NULL,
        parents    TEXT NOT NULL,
        versions   TEXT NOT NULL,
        reasons    TEXT NOT NULL,
        PRIMARY KEY (mapping_id, part)
      );
      CREATE TABLE file_tombstones (
        mapping_id TEXT NOT NULL,
        rel_path   TEXT NOT NULL,
        PRIMARY KEY (mapping_id, rel_path)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: 'clean-pass stamps (a tree digest per mapping, dropped by any write to its records) and the last scan\'s ignored paths',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE clean_stamps (
        mapping_id TEXT PRIMARY KEY,
        digest     TEXT NOT NULL,
        rules      TEXT NOT NULL,
        pruned     TEXT NOT NULL,
        unchanged  INTEGER NOT NULL CHECK (unchanged >= 0),
        skipped    TEXT NOT NULL
      );
      CREATE TABLE scan_prunes (
        mapping_id TEXT PRIMARY KEY,
        pruned     TEXT NOT NULL
      );
      ${['files', 'folders', 'file_packs', 'file_tombstones'].map(stampDroppingTriggers).join('')}
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings `db` to the newest version in `migrations`, one transaction per
 * step (a failed step leaves the previous version intact). Refuses a file
 * from a newer FeiSync or a database that is not a FeiSync index.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const target = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  /** The file's schema version, after refusing what is not ours or too new. Run inside a transaction: one snapshot. */
  const versionOf = (): number => {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID && (appId !== 0 || hasTables(db))) {
      throw new IndexError('E_INDEX_FOREIGN', `${file} is a SQLite database but not a FeiSync index`);
    }
    if (version > target) {
      throw new IndexError(
        'E_INDEX_NEWER',
        `${file} has index schema version ${version}, this FeiSync knows up to ${target}; it was written by a newer FeiSync`,
      );
    }
    return version;
  };
  const version = db.transaction(versionOf)();
  for (const step of migrations) {
    if (step.version <= version) continue;
    try {
      // IMMEDIATE, and everything read again under the lock: two processes opening
      // a new index at once (the daemon and `feisync send`) must not both migrate.
      db.transaction(() => {
        if (versionOf() >= step.version) return;
        db.exec(step.sql);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${step.version}`);
      }).immediate();
    } catch (cause) {
      if (cause instanceof IndexError) throw cause;
      throw new IndexError(
        'E_INDEX_MIGRATION',
        `${file}: migration to schema version ${step.version} (${step.description}) failed: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
}

function hasTables(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' LIMIT 1").get() !== undefined;
}
