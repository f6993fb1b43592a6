import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex } from '../../../src/index/openIndex.js';
import { APPLICATION_ID, migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../../src/index/schema.js';
import { FakeClock } from '../../../src/platform/clock.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'feisync-open-'));
  path = join(dir, 'state', 'index.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function seed(): void {
  const index = openIndex(path);
  index.upsertFolder({ mappingId: 'm1', relPath: '', remoteToken: 'root' });
  index.close();
}

describe('openIndex', () => {
  it('creates the state folder and a WAL database at the newest schema', () => {
    const index = openIndex(path);
    expect(index.rebuilt).toBeUndefined();
    expect(index.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(index.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(index.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(index.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    index.close();
  });

  it('reopens an existing index without losing data', () => {
    seed();
    const index = openIndex(path);
    expect(index.getFolder('m1', '')).toEqual({ mappingId: 'm1', relPath: '', remoteToken: 'root' });
    index.close();
  });

  it('refuses an index written by a newer FeiSync and leaves the file untouched', () => {
    seed();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(path);
    expect(() => openIndex(path)).toThrow(expect.objectContaining({ code: 'E_INDEX_NEWER', message: expect.stringMatching(/newer FeiSync.*update FeiSync/) }));
    expect(readFileSync(path)).toEqual(before);
    expect(existsSync(`${path}.corrupt-`)).toBe(false);
  });

  it('refuses to migrate somebody else’s SQLite database', () => {
    mkdirSync(join(dir, 'state'));
    const db = new Database(path);
    db.exec('CREATE TABLE photos (id INTEGER)');
    db.close();
    expect(() => openIndex(path)).toThrow(expect.objectContaining({ code: 'E_INDEX_FOREIGN' }));
  });

  it('moves a file that is not a database aside and starts a fresh index', () => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(path, 'this is not a database '.repeat(500));
    const clock = new FakeClock(Date.UTC(2026, 10, 25, 20, 1, 2, 3));
    const index = openIndex(path, { clock });
    const movedTo = `${path}.corrupt-2026-11-25T20-01-02-003Z`;
    expect(index.rebuilt).toEqual({ reason: expect.stringContaining('SQLITE_NOTADB'), movedTo });
    expect(readFileSync(movedTo, 'utf8')).toContain('this is not a database');
    index.upsertFolder({ mappingId: 'm1', relPath: '', remoteToken: 'root' });
    expect(index.listFolders('m1')).toHaveLength(1);
    index.close();
  });

  it('detects damaged pages with quick_check and moves the file aside', () => {
    const index = openIndex(path);
    index.transaction(() => {
      for (let i = 0; i < 2000; i++) index.addQuotaCall(`day-${i}`, 'filesUploadAll', i);
    });
    index.db.pragma('wal_checkpoint(TRUNCATE)');
    index.close();
    const fd = openSync(path, 'r+');
    const pageSize = 4096;
    writeSync(fd, Buffer.alloc(pageSize * 3, 0xa5), 0, pageSize * 3, pageSize * 2); // garble pages 3–5
    closeSync(fd);
    const reopened = openIndex(path);
    expect(reopened.rebuilt?.reason).toMatch(/quick_check|SQLITE_CORRUPT/);
    expect(existsSync(reopened.rebuilt!.movedTo)).toBe(true);
    expect(reopened.quotaUsed('day-5')).toEqual({});
    reopened.close();
  });

  it('reports a path it cannot open without moving anything', () => {
    mkdirSync(path, { recursive: true }); // a folder where the file should be
    expect(() => openIndex(path)).toThrow(expect.objectContaining({ code: 'E_INDEX_OPEN' }));
    expect(existsSync(path)).toBe(true);
  });
});

describe('openIndex from several processes at once', () => {
  it('creates a new index once, whoever comes first (the daemon and `feisync send` starting together)', async () => {
    const openIndexJs = join(process.cwd(), 'dist/src/index/openIndex.js');
    if (!existsSync(openIndexJs)) throw new Error('dist/ is missing: run `npm run build` before this test (the children run compiled JS)');
    const child = `const { openIndex } = await import(${JSON.stringify(openIndexJs)});
      const start = Number(process.argv[1]); while (Date.now() < start) {}
      const index = openIndex(process.argv[2]); index.upsertFolder({ mappingId: 'm', relPath: String(process.pid), remoteToken: 't' }); index.close();`;
    for (let round = 0; round < 6; round++) {
      const file = join(dir, `race-${round}`, 'index.db');
      const start = Date.now() + 400; // every child spins until the same moment, then opens
      const runs = Array.from({ length: 4 }, () =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const p = spawn(process.execPath, ['--input-type=module', '-e', child, String(start), file], { stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          p.stderr.on('data', (d) => (err += d));
          p.on('close', (code) => resolve({ code, err }));
        }),
      );
      for (const r of await Promise.all(runs)) expect(r, r.err).toMatchObject({ code: 0 });
      const index = openIndex(file);
      expect(index.listFolders('m')).toHaveLength(4);
      index.close();
    }
  }, 60_000);
});

describe('schema migrations', () => {
  it('version 2 keeps every record of a version 1 index and still refuses an unknown state', () => {
    mkdirSync(join(dir, 'state'));
    const old = new Database(path);
    migrate(old, path, MIGRATIONS.slice(0, 1));
    old.prepare(`INSERT INTO files VALUES ('m', 'a/b.txt', 5, 1700000000123456789, '42', 'h', 'tok', 'ptok', 'v1', 'failed', 'E_X', 2, 1700)`).run();
    old.prepare(`INSERT INTO files (mapping_id, rel_path, size, mtime_ns, ino, state) VALUES ('m', 'c', 0, 1, '7', 'skipped')`).run();
    old.close();

    const index = openIndex(path);
    expect(index.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(index.listFiles('m')).toEqual([
      {
        mappingId: 'm', relPath: 'a/b.txt', size: 5, mtimeNs: 1700000000123456789n, ino: '42', hash: 'h', remoteToken: 'tok',
        remoteParentToken: 'ptok', remoteVersion: 'v1', state: 'failed', reason: 'E_X', failures: 2, lastSyncedAt: 1700,
      },
      {
        mappingId: 'm', relPath: 'c', size: 0, mtimeNs: 1n, ino: '7', hash: null, remoteToken: null,
        remoteParentToken: null, remoteVersion: null, state: 'skipped', reason: null, failures: 0, lastSyncedAt: null,
      },
    ]);
    const insert = (state: string) =>
      index.db.prepare(`INSERT INTO files (mapping_id, rel_path, size, mtime_ns, ino, state) VALUES ('m', ?, 1, 1, '1', ?)`).run(state, state);
    expect(() => insert('lost')).toThrow(/CHECK constraint failed/);
    for (const state of ['synced', 'pending', 'uploading', 'failed', 'skipped']) insert(state);
    expect(() => index.db.prepare(`INSERT INTO files (mapping_id, rel_path, size, mtime_ns, ino, state) VALUES ('m', 'neg', -1, 1, '1', 'synced')`).run())
      .toThrow(/CHECK constraint failed/);
    index.close();
  });
});

describe('migrate', () => {
  const steps: Migration[] = [
    { version: 1, description: 'table a', sql: 'CREATE TABLE a (x INTEGER)' },
    { version: 2, description: 'column y', sql: 'ALTER TABLE a ADD COLUMN y TEXT' },
  ];

  it('applies only the steps a file has not seen, in order', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem', steps.slice(0, 1));
    db.prepare('INSERT INTO a (x) VALUES (1)').run();
    migrate(db, 'mem', steps);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT x, y FROM a').all()).toEqual([{ x: 1, y: null }]);
    migrate(db, 'mem', steps); // idempotent
  });

  it('a failing step rolls back and keeps the previous version', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem', steps);
    const broken: Migration[] = [...steps, { version: 3, description: 'broken', sql: 'CREATE TABLE b (x); SELECT * FROM nowhere' }];
    expect(() => migrate(db, 'mem', broken)).toThrow(expect.objectContaining({ code: 'E_INDEX_MIGRATION' }));
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'b'").get()).toBeUndefined();
  });
});
