/**
 * IndexStore over better-sqlite3. Every statement is prepared once; every
 * write is one implicit transaction unless the caller batches with
 * `transaction()`. mtimes are 64-bit nanoseconds: read with safeIntegers so
 * they come back as exact bigints.
 *
 * File records are also held in memory, per mapping, from the first
 * `fileMap`/`listFiles` on: the running app is the index's one writer, so
 * every write here updates the copy too, and a rescan of 100,000 files does
 * not re-read 100,000 rows (~300 ms) each pass. A commit by another
 * connection (the CLI beside the app) changes SQLite's `data_version`, which
 * every read checks: the copy is then dropped and read again. A failed
 * transaction drops it as well (its writes were rolled back).
 */
import type Database from 'better-sqlite3';
import type { EndpointId } from '../feishu/endpoints.js';
import { checkFile, copyRecord, FILE_COLUMNS, FILE_STATES, fileFromRow, num, type Row } from './fileRows.js';
import { IndexError } from './indexError.js';
import type {
  ActivityRecord,
  ChunkUploadRecord,
  FileRecord,
  FileState,
  FolderRecord,
  IndexStore,
  MappingRecord,
} from './types.js';

/** Activity rows kept (the tray and the activity page show the newest). */
export const ACTIVITY_CAP = 1000;

export class SqliteIndex implements IndexStore {
  private readonly s;
  /** Mapping id → its file records by relPath, as stored (see the header). */
  private readonly files = new Map<string, Map<string, FileRecord>>();
  private dataVersion: unknown;
  private writes = 0;

  constructor(readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    const big = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.s = {
      getMapping: p('SELECT id, local_root, folder_token FROM mappings WHERE id = ?'),
      putMapping: p(
        `INSERT INTO mappings (id, local_root, folder_token) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET local_root = excluded.local_root, folder_token = excluded.folder_token`,
      ),
      getFile: p(`SELECT ${FILE_COLUMNS} FROM files WHERE mapping_id = ? AND rel_path = ?`).raw(true),
      listFiles: p(`SELECT ${FILE_COLUMNS} FROM files WHERE mapping_id = ?`).raw(true),
      upsertFile: p(
        `INSERT INTO files (mapping_id, rel_path, size, mtime_ns, ino, hash, remote_token, remote_parent_token,
                            remote_version, state, reason, failures, last_synced_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (mapping_id, rel_path) DO UPDATE SET
           size = excluded.size, mtime_ns = excluded.mtime_ns, ino = excluded.ino, hash = excluded.hash,
           remote_token = excluded.remote_token, remote_parent_token = excluded.remote_parent_token,
           remote_version = excluded.remote_version, state = excluded.state, reason = excluded.reason,
           failures = excluded.failures, last_synced_at = excluded.last_synced_at`,
      ),
      deleteFile: p('DELETE FROM files WHERE mapping_id = ? AND rel_path = ?'),
      renameFile: p('UPDATE files SET rel_path = ? WHERE mapping_id = ? AND rel_path = ?'),
      countByState: p('SELECT state, COUNT(*) AS n FROM files WHERE mapping_id = ? GROUP BY state'),
      hasFiles: p('SELECT 1 FROM files WHERE mapping_id = ? LIMIT 1').pluck(true),
      getFolder: p('SELECT * FROM folders WHERE mapping_id = ? AND rel_path = ?'),
      listFolders: p('SELECT * FROM folders WHERE mapping_id = ? ORDER BY rel_path'),
      upsertFolder: p(
        `INSERT INTO folders (mapping_id, rel_path, remote_token) VALUES (?, ?, ?)
         ON CONFLICT (mapping_id, rel_path) DO UPDATE SET remote_token = excluded.remote_token`,
      ),
      deleteFolder: p('DELETE FROM folders WHERE mapping_id = ? AND rel_path = ?'),
      getChunk: big('SELECT * FROM chunk_uploads WHERE mapping_id = ? AND rel_path = ?'),
      getBlocks: p('SELECT seq, checksum FROM chunk_blocks WHERE mapping_id = ? AND rel_path = ? ORDER BY seq'),
      putChunk: p(
        `INSERT OR REPLACE INTO chunk_uploads (mapping_id, rel_path, upload_id, block_size, block_num, started_at,
                                              expires_at, size, mtime_ns, ino, file_token, parent_token)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      putBlock: p('INSERT OR REPLACE INTO chunk_blocks (mapping_id, rel_path, seq, checksum) VALUES (?, ?, ?, ?)'),
      hasChunk: p('SELECT block_num FROM chunk_uploads WHERE mapping_id = ? AND rel_path = ?'),
      deleteChunk: p('DELETE FROM chunk_uploads WHERE mapping_id = ? AND rel_path = ?'),
      dropExpiredChunks: p('DELETE FROM chunk_uploads WHERE substr(mapping_id, 1, length(@prefix)) = @prefix AND expires_at <= @now'),
      addQuota: p(
        `INSERT INTO quota_ledger (day, endpoint, calls) VALUES (?, ?, ?)
         ON CONFLICT (day, endpoint) DO UPDATE SET calls = calls + excluded.calls`,
      ),
      quotaUsed: p('SELECT endpoint, calls FROM quota_ledger WHERE day = ?'),
      addActivity: p(
        'INSERT INTO activity (at, mapping_id, rel_path, kind, remote_token, url, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      trimActivity: p('DELETE FROM activity WHERE id <= ?'),
      recentActivity: p('SELECT * FROM activity ORDER BY id DESC LIMIT ?'),
      dataVersion: p('PRAGMA data_version').pluck(true),
    };
  }

  // mappings

  getMapping(id: string): MappingRecord | undefined {
    const r = this.s.getMapping.get(id) as Row | undefined;
    return r && { id: r.id as string, localRoot: r.local_root as string, folderToken: r.folder_token as string };
  }

  bindMapping(record: MappingRecord): 'new' | 'unchanged' | 'rebound' {
    return this.transaction(() => {
      const old = this.getMapping(record.id);
      if (old && old.localRoot === record.localRoot && old.folderToken === record.folderToken) return 'unchanged';
      if (old) this.forgetMapping(record.id);
      this.s.putMapping.run(record.id, record.localRoot, record.folderToken);
      return old ? 'rebound' : 'new';
    });
  }

  // files

  getFile(mappingId: string, relPath: string): FileRecord | undefined {
    const r = this.s.getFile.get(mappingId, relPath) as unknown[] | undefined;
    return r && fileFromRow(r, mappingId);
  }

  listFiles(mappingId: string): FileRecord[] {
    return [...this.fileMap(mappingId).values()];
  }

  /**
   * The mapping's records keyed by relPath: what the scanner's change test
   * (`known`) and the planner (`index.files`) both take. The index's own
   * copy, kept current by every write: read it, never change it.
   */
  fileMap(mappingId: string): ReadonlyMap<string, FileRecord> {
    this.checkOthersWrites();
    let files = this.files.get(mappingId);
    if (!files) {
      files = new Map();
      for (const row of this.s.listFiles.iterate(mappingId) as IterableIterator<unknown[]>) {
        const file = fileFromRow(row, mappingId);
        files.set(file.relPath, file);
      }
      this.files.set(mappingId, files);
    }
    return files;
  }

  hasFiles(mappingId: string): boolean {
    this.checkOthersWrites();
    const cached = this.files.get(mappingId);
    return cached ? cached.size > 0 : this.s.hasFiles.get(mappingId) !== undefined;
  }

  upsertFile(f: FileRecord): void {
    checkFile(f);
    this.s.upsertFile.run(
      f.mappingId, f.relPath, f.size, f.mtimeNs, f.ino, f.hash, f.remoteToken, f.remoteParentToken,
      f.remoteVersion, f.state, f.reason, f.failures, f.lastSyncedAt,
    );
    this.files.get(f.mappingId)?.set(f.relPath, copyRecord(f));
    this.writes++;
  }

  deleteFile(mappingId: string, relPath: string): void {
    this.s.deleteFile.run(mappingId, relPath);
    this.files.get(mappingId)?.delete(relPath);
    this.writes++;
  }

  renameFile(mappingId: string, from: string, to: string): void {
    if (from === to) return;
    this.transaction(() => {
      // A record at the target describes a file that is gone: the moved one replaces it.
      this.s.deleteFile.run(mappingId, to);
      this.s.renameFile.run(to, mappingId, from);
      const files = this.files.get(mappingId);
      const moved = files?.get(from);
      files?.delete(to);
      files?.delete(from);
      if (moved) files!.set(to, { ...moved, relPath: to });
      this.writes++;
    });
  }

  renameFolder(mappingId: string, from: string, to: string): void {
    if (from === to || from === '' || to === '') {
      throw new IndexError('E_INDEX_RECORD', `cannot re-path folder ${JSON.stringify(from)} to ${JSON.stringify(to)}`);
    }
    // Lengths in SQL (characters), not JS (UTF-16 units): the prefix test must count like substr does.
    const under = "mapping_id = @m AND (rel_path = @at OR substr(rel_path, 1, length(@at) + 1) = @at || '/')";
    this.transaction(() => {
      // chunk_blocks reference chunk_uploads by path: both move inside this transaction.
      this.db.pragma('defer_foreign_keys = ON');
      for (const table of ['files', 'folders', 'chunk_uploads', 'chunk_blocks']) {
        // Records already at the target describe things that are gone: the moved ones replace them.
        this.db.prepare(`DELETE FROM ${table} WHERE ${under}`).run({ m: mappingId, at: to });
        this.db
          .prepare(`UPDATE ${table} SET rel_path = @to || substr(rel_path, length(@at) + 1) WHERE ${under}`)
          .run({ m: mappingId, at: from, to });
      }
      this.files.delete(mappingId); // read again when next asked for
      this.writes++;
    });
  }

  countByState(mappingId: string): Record<FileState, number> {
    const counts = Object.fromEntries(FILE_STATES.map((s) => [s, 0])) as Record<FileState, number>;
    for (const r of this.s.countByState.all(mappingId) as Row[]) counts[r.state as FileState] = num(r.n);
    return counts;
  }

  // folders

  getFolder(mappingId: string, relPath: string): FolderRecord | undefined {
    const r = this.s.getFolder.get(mappingId, relPath) as Row | undefined;
    return r && { mappingId, relPath, remoteToken: r.remote_token as string };
  }

  listFolders(mappingId: string): FolderRecord[] {
    return (this.s.listFolders.all(mappingId) as Row[]).map((r) => ({
      mappingId,
      relPath: r.rel_path as string,
      remoteToken: r.remote_token as string,
    }));
  }

  upsertFolder(f: FolderRecord): void {
    this.s.upsertFolder.run(f.mappingId, f.relPath, f.remoteToken);
    this.writes++;
  }

  deleteFolder(mappingId: string, relPath: string): void {
    this.s.deleteFolder.run(mappingId, relPath);
    this.writes++;
  }

  /**
   * Changes whenever a file or folder record may have changed, here or by
   * another connection: equal counts mean the records are as they were.
   */
  writeCount(): number {
    this.checkOthersWrites();
    return this.writes;
  }

  // chunked uploads

  getChunkUpload(mappingId: string, relPath: string): ChunkUploadRecord | undefined {
    const r = this.s.getChunk.get(mappingId, relPath) as Row | undefined;
    if (!r) return undefined;
    const blocks = this.s.getBlocks.all(mappingId, relPath) as Row[];
    return {
      mappingId,
      relPath,
      uploadId: r.upload_id as string,
      blockSize: num(r.block_size),
      blockNum: num(r.block_num),
      ackedBlocks: new Map(blocks.map((b) => [num(b.seq), b.checksum as string])),
      startedAt: num(r.started_at),
      expiresAt: num(r.expires_at),
      size: num(r.size),
      mtimeNs: BigInt(r.mtime_ns as bigint),
      ino: r.ino as string,
      fileToken: (r.file_token as string | null) ?? null,
      parentToken: r.parent_token as string,
    };
  }

  /** Starting an upload replaces any previous one for the path, with its acknowledged blocks. */
  startChunkUpload(c: ChunkUploadRecord): void {
    this.transaction(() => {
      this.s.deleteChunk.run(c.mappingId, c.relPath);
      this.s.putChunk.run(
        c.mappingId, c.relPath, c.uploadId, c.blockSize, c.blockNum, c.startedAt, c.expiresAt, c.size,
        c.mtimeNs, c.ino, c.fileToken, c.parentToken,
      );
      for (const [seq, checksum] of c.ackedBlocks) this.ackBlock(c.mappingId, c.relPath, seq, checksum);
    });
  }

  ackBlock(mappingId: string, relPath: string, seq: number, checksum: string): void {
    const upload = this.s.hasChunk.get(mappingId, relPath) as Row | undefined;
    if (!upload) {
      throw new IndexError('E_INDEX_NO_UPLOAD', `block ${seq} acknowledged for ${relPath}, which has no chunked upload`);
    }
    if (!Number.isInteger(seq) || seq < 0 || seq >= num(upload.block_num)) {
      throw new IndexError('E_INDEX_RECORD', `block ${seq} of ${relPath} is outside 0..${num(upload.block_num) - 1}`);
    }
    this.s.putBlock.run(mappingId, relPath, seq, checksum);
  }

  deleteChunkUpload(mappingId: string, relPath: string): void {
    this.s.deleteChunk.run(mappingId, relPath); // blocks go by ON DELETE CASCADE
  }

  dropExpiredChunkUploads(keyPrefix: string, now: number): number {
    return this.s.dropExpiredChunks.run({ prefix: keyPrefix, now }).changes;
  }

  // quota ledger

  addQuotaCall(day: string, endpoint: EndpointId, n = 1): void {
    if (!Number.isInteger(n) || n < 0) throw new IndexError('E_INDEX_RECORD', `quota call count ${n} is not a count`);
    this.s.addQuota.run(day, endpoint, n);
  }

  quotaUsed(day: string): Partial<Record<EndpointId, number>> {
    const used: Partial<Record<EndpointId, number>> = {};
    for (const r of this.s.quotaUsed.all(day) as Row[]) used[r.endpoint as EndpointId] = num(r.calls);
    return used;
  }

  // activity

  addActivity(a: ActivityRecord): void {
    this.transaction(() => {
      const { lastInsertRowid } = this.s.addActivity.run(
        a.at, a.mappingId, a.relPath, a.kind, a.remoteToken, a.url, a.detail,
      );
      this.s.trimActivity.run(Number(lastInsertRowid) - ACTIVITY_CAP);
    });
  }

  recentActivity(limit: number): ActivityRecord[] {
    return (this.s.recentActivity.all(limit) as Row[]).map((r) => ({
      at: num(r.at),
      mappingId: (r.mapping_id as string | null) ?? null,
      relPath: r.rel_path as string,
      kind: r.kind as ActivityRecord['kind'],
      remoteToken: (r.remote_token as string | null) ?? null,
      url: (r.url as string | null) ?? null,
      detail: (r.detail as string | null) ?? null,
    }));
  }

  // whole index

  forgetMapping(mappingId: string): void {
    this.transaction(() => {
      for (const table of ['files', 'folders', 'chunk_uploads']) {
        this.db.prepare(`DELETE FROM ${table} WHERE mapping_id = ?`).run(mappingId);
      }
      this.db.prepare('DELETE FROM mappings WHERE id = ?').run(mappingId);
      this.files.delete(mappingId);
      this.writes++;
    });
  }

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (error) {
      this.files.clear(); // the records written in it were rolled back
      this.writes++;
      throw error;
    }
  }

  /** Drops the in-memory records when another connection has committed since the last look. */
  private checkOthersWrites(): void {
    const version = this.s.dataVersion.get();
    if (version !== this.dataVersion) {
      this.files.clear();
      this.dataVersion = version;
      this.writes++;
    }
  }

  close(): void {
    if (!this.db.open) return;
    this.db.pragma('optimize'); // cheap; keeps the query planner's statistics fresh (SQLite's advice for long-lived connections)
    this.db.close();
  }
}
