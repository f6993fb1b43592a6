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
 *
 * File records are stored packed (filePacks.ts): a bulk write (`putFiles`)
 * or a fold writes a mapping's records as one blob, single writes add rows
 * over it, and the rows are folded into a new pack once they pile up.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { EndpointId } from '../feishu/endpoints.js';
import { checkFile, copyRecord, FILE_COLUMNS, FILE_STATES, fileFromRow, num, type Row } from './fileRows.js';
import { FilePacks, FOLD_MIN_CHANGES, FOLD_SHARE } from './filePacks.js';
import { IndexError } from './indexError.js';
import type {
  ActivityRecord,
  ChunkUploadRecord,
  CleanStamp,
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
  /** Per mapping whose records are in memory: rows + tombstones since its pack, and the pack's size. */
  private readonly changes = new Map<string, { since: number; packed: number }>();
  private readonly packs: FilePacks;
  /** Mappings whose pack was found damaged and dropped, with what was wrong (see takeDamage). */
  private readonly damaged = new Map<string, string>();
  private dataVersion: unknown;
  private writes = 0;

  /** Changes over a pack that are always let pile up before a fold (FOLD_MIN_CHANGES; tests lower it). */
  private readonly foldAfter: number;

  constructor(
    readonly db: Database.Database,
    options: { foldAfter?: number } = {},
  ) {
    this.foldAfter = options.foldAfter ?? FOLD_MIN_CHANGES;
    const p = (sql: string) => db.prepare(sql);
    const big = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.packs = new FilePacks(db);
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
      getMeta: p('SELECT value FROM meta WHERE key = ?').pluck(true),
      putMetaOnce: p('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
      getStamp: p('SELECT digest, rules, pruned, unchanged, skipped FROM clean_stamps WHERE mapping_id = ?'),
      putStamp: p(
        `INSERT OR REPLACE INTO clean_stamps (mapping_id, digest, rules, pruned, unchanged, skipped) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      dropStamp: p('DELETE FROM clean_stamps WHERE mapping_id = ?'),
      getPrunes: p('SELECT pruned FROM scan_prunes WHERE mapping_id = ?').pluck(true),
      putPrunes: p('INSERT OR REPLACE INTO scan_prunes (mapping_id, pruned) VALUES (?, ?)'),
      dropPrunes: p('DELETE FROM scan_prunes WHERE mapping_id = ?'),
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
    if (this.packs.packedCount(mappingId) !== undefined) {
      const record = this.fileMap(mappingId).get(relPath);
      return record && copyRecord(record);
    }
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
    return this.recordsOf(mappingId);
  }

  /** The mapping's records in memory, read (pack, tombstones, rows) when they are not. */
  private recordsOf(mappingId: string): Map<string, FileRecord> {
    let files = this.files.get(mappingId);
    if (!files) {
      const loaded = new Map<string, FileRecord>();
      try {
        this.packs.readPack(mappingId, (file) => loaded.set(file.relPath, file));
      } catch (error) {
        if (!(error instanceof IndexError) || error.code !== 'E_INDEX_CORRUPT') throw error;
        // Unreadable records are no records: drop the pack (its tombstones with it; the rows
        // written since are sound and stay) and let the engine rebuild from the Feishu listing.
        this.transaction(() => this.packs.forget(mappingId));
        this.damaged.set(mappingId, error.message);
        loaded.clear();
      }
      const packed = loaded.size;
      for (const row of this.s.listFiles.iterate(mappingId) as IterableIterator<unknown[]>) {
        const file = fileFromRow(row, mappingId);
        loaded.set(file.relPath, file);
      }
      files = loaded;
      this.files.set(mappingId, files);
      this.changes.set(mappingId, { since: this.packs.changeCount(mappingId), packed });
    }
    return files;
  }

  /**
   * What was wrong when the mapping's packed records were found damaged and
   * dropped since the last call (undefined: nothing). The engine then adopts
   * what Feishu holds, as after any index rebuild.
   */
  takeDamage(mappingId: string): string | undefined {
    const damage = this.damaged.get(mappingId);
    this.damaged.delete(mappingId);
    return damage;
  }

  hasFiles(mappingId: string): boolean {
    this.checkOthersWrites();
    const cached = this.files.get(mappingId);
    if (cached) return cached.size > 0;
    if (this.s.hasFiles.get(mappingId) !== undefined) return true;
    if (this.packs.packedCount(mappingId) === undefined) return false;
    // A pack is never empty; only tombstones (until the next fold) may hide all of it: then look.
    return this.packs.tombstoneCount(mappingId) === 0 || this.fileMap(mappingId).size > 0;
  }

  upsertFile(f: FileRecord): void {
    checkFile(f);
    this.s.upsertFile.run(
      f.mappingId, f.relPath, f.size, f.mtimeNs, f.ino, f.hash, f.remoteToken, f.remoteParentToken,
      f.remoteVersion, f.state, f.reason, f.failures, f.lastSyncedAt,
    );
    this.files.get(f.mappingId)?.set(f.relPath, copyRecord(f));
    this.changed(f.mappingId);
  }

  deleteFile(mappingId: string, relPath: string): void {
    this.s.deleteFile.run(mappingId, relPath);
    // A row over the pack goes with the DELETE; the packed record needs a tombstone.
    if (this.packs.packedCount(mappingId) !== undefined) this.packs.bury(mappingId, relPath);
    this.files.get(mappingId)?.delete(relPath);
    this.changed(mappingId);
  }

  /**
   * Writes many records of one mapping at once, as its pack (the rebuild's
   * and a new mapping's adoption): ~100 ms for 100,000 records where rows
   * take ~300 ms. A path given twice keeps the later record. The records are
   * the index's from then on: do not change them. `records` may make them on
   * the fly: into a mapping with no records yet they are packed as they come.
   */
  putFiles(mappingId: string, records: Iterable<FileRecord>): void {
    const checked = function* () {
      for (const record of records) {
        checkFile(record);
        if (record.mappingId !== mappingId) {
          throw new IndexError('E_INDEX_RECORD', `file ${record.relPath} of mapping ${record.mappingId} given as one of mapping ${mappingId}`);
        }
        yield record;
      }
    };
    this.immediate(() => {
      if (!this.files.has(mappingId) && this.packs.isEmpty(mappingId)) {
        // Nothing to merge with: the records are the pack. Like upsertFile, this keeps
        // no in-memory copy nobody asked for (the next fileMap reads the pack).
        this.packs.write(mappingId, checked());
      } else {
        const files = this.recordsOf(mappingId);
        for (const record of checked()) files.set(record.relPath, record);
        this.fold(mappingId, files);
      }
      this.writes++;
    });
  }

  renameFile(mappingId: string, from: string, to: string): void {
    if (from === to) return;
    this.transaction(() => {
      const moved = this.getFile(mappingId, from);
      // A record at the target describes a file that is gone: the moved one replaces it.
      this.deleteFile(mappingId, to);
      if (!moved) return;
      this.deleteFile(mappingId, from);
      this.upsertFile({ ...moved, relPath: to });
    });
  }

  renameFolder(mappingId: string, from: string, to: string): void {
    if (from === to || from === '' || to === '') {
      throw new IndexError('E_INDEX_RECORD', `cannot re-path folder ${JSON.stringify(from)} to ${JSON.stringify(to)}`);
    }
    // Lengths in SQL (characters), not JS (UTF-16 units): the prefix test must count like substr does.
    const under = "mapping_id = @m AND (rel_path = @at OR substr(rel_path, 1, length(@at) + 1) = @at || '/')";
    const isUnder = (relPath: string, at: string) => relPath === at || relPath.startsWith(`${at}/`);
    this.transaction(() => {
      // File records go one by one (rows over the pack; folded later when many).
      const files = this.fileMap(mappingId);
      for (const rel of [...files.keys()]) if (isUnder(rel, to)) this.deleteFile(mappingId, rel);
      for (const record of [...files.values()]) {
        if (!isUnder(record.relPath, from)) continue;
        this.deleteFile(mappingId, record.relPath);
        this.upsertFile({ ...record, relPath: to + record.relPath.slice(from.length) });
      }
      // chunk_blocks reference chunk_uploads by path: both move inside this transaction.
      this.db.pragma('defer_foreign_keys = ON');
      for (const table of ['folders', 'chunk_uploads', 'chunk_blocks']) {
        // Records already at the target describe things that are gone: the moved ones replace them.
        this.db.prepare(`DELETE FROM ${table} WHERE ${under}`).run({ m: mappingId, at: to });
        this.db
          .prepare(`UPDATE ${table} SET rel_path = @to || substr(rel_path, length(@at) + 1) WHERE ${under}`)
          .run({ m: mappingId, at: from, to });
      }
      this.writes++;
    });
  }

  countByState(mappingId: string): Record<FileState, number> {
    const counts = Object.fromEntries(FILE_STATES.map((s) => [s, 0])) as Record<FileState, number>;
    if (this.files.has(mappingId) || this.packs.packedCount(mappingId) !== undefined) {
      for (const record of this.fileMap(mappingId).values()) counts[record.state]++;
      return counts;
    }
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

  // clean-pass stamps

  digestSeed(): string {
    const seed = this.s.getMeta.get('digest_seed') as string | undefined;
    if (seed) return seed;
    this.s.putMetaOnce.run('digest_seed', randomBytes(8).toString('hex')); // another process may have made one first
    return this.s.getMeta.get('digest_seed') as string;
  }

  getCleanStamp(mappingId: string): CleanStamp | undefined {
    const r = this.s.getStamp.get(mappingId) as Row | undefined;
    return (
      r && {
        mappingId,
        digest: r.digest as string,
        rules: r.rules as string,
        pruned: JSON.parse(r.pruned as string) as string[],
        unchanged: num(r.unchanged),
        skipped: JSON.parse(r.skipped as string) as CleanStamp['skipped'],
      }
    );
  }

  putCleanStamp(stamp: CleanStamp): void {
    this.s.putStamp.run(stamp.mappingId, stamp.digest, stamp.rules, JSON.stringify(stamp.pruned), stamp.unchanged, JSON.stringify(stamp.skipped));
  }

  getIgnoredPaths(mappingId: string): string[] | undefined {
    const text = this.s.getPrunes.get(mappingId) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as string[]);
  }

  putIgnoredPaths(mappingId: string, paths: readonly string[]): void {
    this.s.putPrunes.run(mappingId, JSON.stringify(paths));
  }

  // whole index

  forgetMapping(mappingId: string): void {
    this.transaction(() => {
      for (const table of ['files', 'folders', 'chunk_uploads']) {
        this.db.prepare(`DELETE FROM ${table} WHERE mapping_id = ?`).run(mappingId);
      }
      this.packs.forget(mappingId);
      this.s.dropStamp.run(mappingId);
      this.s.dropPrunes.run(mappingId);
      this.db.prepare('DELETE FROM mappings WHERE id = ?').run(mappingId);
      this.files.delete(mappingId);
      this.changes.delete(mappingId);
      this.writes++;
    });
  }

  transaction<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    const result = this.guarded(() => this.db.transaction(fn)());
    if (outermost) this.foldDue();
    return result;
  }

  /** A transaction that takes the write lock at once, so what it reads cannot change before it writes. */
  private immediate(fn: () => void): void {
    this.guarded(() => this.db.transaction(() => {
      this.checkOthersWrites(); // read again under the lock: another connection may have written since
      fn();
    }).immediate());
  }

  private guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      this.forgetMemory(); // the records written in it were rolled back
      this.writes++;
      throw error;
    }
  }

  /** One more row or tombstone over the mapping's pack; folds them in when they are due and no transaction is open. */
  private changed(mappingId: string): void {
    this.writes++;
    const changes = this.changes.get(mappingId);
    if (changes) changes.since++;
    if (!this.db.inTransaction) this.foldDue();
  }

  /** Folds every mapping whose changes outgrew its pack (see FOLD_MIN_CHANGES). */
  private foldDue(): void {
    for (const [mappingId, { since, packed }] of this.changes) {
      if (since <= Math.max(this.foldAfter, packed * FOLD_SHARE)) continue;
      try {
        this.immediate(() => {
          const files = this.files.get(mappingId);
          if (files) this.fold(mappingId, files); // gone when another connection wrote meanwhile: folded another time
        });
      } catch {
        // The write that brought the fold due has committed; a fold that cannot run now (another
        // process holds the lock past the busy timeout) changes nothing and runs at a later write.
      }
    }
  }

  /** Writes the mapping's records (`files`, as in memory) as its new pack; in a transaction. */
  private fold(mappingId: string, files: ReadonlyMap<string, FileRecord>): void {
    this.packs.write(mappingId, [...files.values()]);
    this.changes.set(mappingId, { since: 0, packed: files.size });
  }

  private forgetMemory(): void {
    this.files.clear();
    this.changes.clear();
  }

  /** Drops the in-memory records when another connection has committed since the last look. */
  private checkOthersWrites(): void {
    const version = this.s.dataVersion.get();
    if (version !== this.dataVersion) {
      this.forgetMemory();
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
