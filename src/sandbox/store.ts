/**
 * The sandbox's persistent state: SQLite metadata (folder tree, files,
 * recycle bin, media, upload sessions, access tokens, async tasks) in
 * `<dataDir>/sandbox.db`. File bytes live in the blob store (blobs.ts), keyed
 * by content hash — never by a name a client sent.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { EndpointId } from '../feishu/endpoints.js';
import { newToken } from './ids.js';
import type { CallLedger, DayCount } from './limits.js';
import { SCHEMA } from './schema.js';

export type NodeType = 'folder' | 'file';

export interface NodeRow {
  token: string;
  type: NodeType;
  name: string;
  parent_token: string;
  created_ms: number;
  modified_ms: number;
  size: number | null;
  sha256: string | null;
  version: number;
  deleted_ms: number | null;
  owner: string;
}

export interface MediaRow {
  token: string;
  name: string;
  parent_type: string;
  parent_node: string;
  extra: string | null;
  size: number;
  sha256: string;
  created_ms: number;
  owner: string;
}

export interface UploadRow {
  upload_id: string;
  media: number;
  identity: string;
  file_name: string;
  parent_type: string;
  parent_node: string;
  extra: string | null;
  size: number;
  block_num: number;
  file_token: string | null;
  created_ms: number;
}

export class SandboxStore implements CallLedger {
  private readonly db: Database.Database;
  readonly rootToken: string;
  /**
   * Live nodes in the whole space (checked on every upload), kept in step with
   * inserts and trashing; undefined = count again (after a rolled-back transaction).
   */
  private liveNodes: number | undefined;

  constructor(readonly dataDir: string, now: number, owner: string) {
    this.db = new Database(join(dataDir, 'sandbox.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const root = this.sql(`SELECT value FROM meta WHERE key = 'root_token'`).get() as { value: string } | undefined;
    if (root) {
      this.rootToken = root.value;
    } else {
      this.rootToken = newToken('nodcn');
      this.db.transaction(() => {
        this.sql(`INSERT INTO meta (key, value) VALUES ('root_token', ?)`).run(this.rootToken);
        this.sql(`INSERT INTO nodes (token, type, name, parent_token, created_ms, modified_ms, size, sha256, version, deleted_ms, owner) VALUES (?, 'folder', '', '', ?, ?, NULL, NULL, 1, NULL, ?)`)
          .run(this.rootToken, now, now, owner);
      })();
    }
  }

  close(): void {
    this.db.close();
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, prepared once per SQL text. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (error) {
      this.liveNodes = undefined;
      throw error;
    }
  }

  // ---- nodes ----
  node(token: string): NodeRow | undefined {
    return this.sql(`SELECT * FROM nodes WHERE token = ?`).get(token) as NodeRow | undefined;
  }

  insertNode(row: NodeRow): void {
    this.sql(
        `INSERT INTO nodes (token, type, name, parent_token, created_ms, modified_ms, size, sha256, version, deleted_ms, owner)
         VALUES (@token, @type, @name, @parent_token, @created_ms, @modified_ms, @size, @sha256, @version, @deleted_ms, @owner)`,
      )
      .run(row);
    if (row.deleted_ms === null && this.liveNodes !== undefined) this.liveNodes++;
  }

  liveChildren(parentToken: string): NodeRow[] {
    return this.sql(`SELECT * FROM nodes WHERE parent_token = ? AND deleted_ms IS NULL`).all(parentToken) as NodeRow[];
  }

  liveChildCount(parentToken: string): number {
    return (this.sql(`SELECT COUNT(*) AS n FROM nodes WHERE parent_token = ? AND deleted_ms IS NULL`).get(parentToken) as { n: number }).n;
  }

  liveNodeCount(): number {
    this.liveNodes ??= (this.sql(`SELECT COUNT(*) AS n FROM nodes WHERE deleted_ms IS NULL`).get() as { n: number }).n;
    return this.liveNodes;
  }

  allLiveNodes(): NodeRow[] {
    return this.sql(`SELECT * FROM nodes WHERE deleted_ms IS NULL`).all() as NodeRow[];
  }

  /** Folder depth below the root (the root is 0). */
  depth(folderToken: string): number {
    let depth = 0;
    for (let row = this.node(folderToken); row && row.parent_token !== ''; row = this.node(row.parent_token)) depth++;
    return depth;
  }

  /** Tokens of the live folders and files strictly below `token`. */
  liveDescendants(token: string): NodeRow[] {
    return this.sql(
        `WITH RECURSIVE sub(token) AS (SELECT token FROM nodes WHERE parent_token = ? AND deleted_ms IS NULL
           UNION ALL SELECT n.token FROM nodes n JOIN sub ON n.parent_token = sub.token WHERE n.deleted_ms IS NULL)
         SELECT nodes.* FROM nodes JOIN sub USING (token)`,
      )
      .all(token) as NodeRow[];
  }

  replaceContent(token: string, size: number, sha256: string, now: number): number {
    this.sql(`UPDATE nodes SET size = ?, sha256 = ?, version = version + 1, modified_ms = ? WHERE token = ?`).run(size, sha256, now, token);
    return this.node(token)!.version;
  }

  moveNode(token: string, parentToken: string, now: number): void {
    this.sql(`UPDATE nodes SET parent_token = ?, modified_ms = ? WHERE token = ?`).run(parentToken, now, token);
  }

  /** To the recycle bin: the node and everything below it leave every listing. */
  trash(token: string, now: number): void {
    const trashed = this.transaction(() => {
      const below = this.liveDescendants(token);
      const mark = this.sql(`UPDATE nodes SET deleted_ms = ? WHERE token = ? AND deleted_ms IS NULL`);
      let changes = mark.run(now, token).changes;
      for (const row of below) changes += mark.run(now, row.token).changes;
      return changes;
    });
    if (this.liveNodes !== undefined) this.liveNodes -= trashed;
  }

  // ---- media ----
  insertMedia(row: MediaRow): void {
    this.sql(
        `INSERT INTO media (token, name, parent_type, parent_node, extra, size, sha256, created_ms, owner)
         VALUES (@token, @name, @parent_type, @parent_node, @extra, @size, @sha256, @created_ms, @owner)`,
      )
      .run(row);
  }

  media(token: string): MediaRow | undefined {
    return this.sql(`SELECT * FROM media WHERE token = ?`).get(token) as MediaRow | undefined;
  }

  // ---- upload sessions ----
  insertUpload(row: UploadRow): void {
    this.sql(
        `INSERT INTO uploads (upload_id, media, identity, file_name, parent_type, parent_node, extra, size, block_num, file_token, created_ms)
         VALUES (@upload_id, @media, @identity, @file_name, @parent_type, @parent_node, @extra, @size, @block_num, @file_token, @created_ms)`,
      )
      .run(row);
  }

  upload(uploadId: string): UploadRow | undefined {
    return this.sql(`SELECT * FROM uploads WHERE upload_id = ?`).get(uploadId) as UploadRow | undefined;
  }

  deleteUpload(uploadId: string): void {
    this.transaction(() => {
      this.sql(`DELETE FROM upload_blocks WHERE upload_id = ?`).run(uploadId);
      this.sql(`DELETE FROM uploads WHERE upload_id = ?`).run(uploadId);
    });
  }

  /** Sessions prepared before `createdBefore` that still hold blocks. */
  expiredUploadsWithBlocks(createdBefore: number): { upload_id: string; block_num: number }[] {
    return this.sql(`SELECT upload_id, block_num FROM uploads u WHERE created_ms < ? AND EXISTS (SELECT 1 FROM upload_blocks b WHERE b.upload_id = u.upload_id)`)
      .all(createdBefore) as { upload_id: string; block_num: number }[];
  }

  dropBlocks(uploadId: string): void {
    this.sql(`DELETE FROM upload_blocks WHERE upload_id = ?`).run(uploadId);
  }

  putBlock(uploadId: string, seq: number, size: number): void {
    this.sql(`INSERT OR REPLACE INTO upload_blocks (upload_id, seq, size) VALUES (?, ?, ?)`).run(uploadId, seq, size);
  }

  blockSeqs(uploadId: string): number[] {
    return (this.sql(`SELECT seq FROM upload_blocks WHERE upload_id = ? ORDER BY seq`).all(uploadId) as { seq: number }[]).map((r) => r.seq);
  }

  // ---- access tokens ----
  insertAccessToken(token: string, identity: string, expiresMs: number): void {
    this.sql(`INSERT INTO access_tokens (token, identity, expires_ms) VALUES (?, ?, ?)`).run(token, identity, expiresMs);
  }

  accessToken(token: string): { identity: string; expires_ms: number } | undefined {
    return this.sql(`SELECT identity, expires_ms FROM access_tokens WHERE token = ?`).get(token) as { identity: string; expires_ms: number } | undefined;
  }

  insertRefreshToken(token: string, identity: string, expiresMs: number): void {
    this.sql(`INSERT INTO refresh_tokens (token, identity, expires_ms) VALUES (?, ?, ?)`).run(token, identity, expiresMs);
  }

  /** Take a refresh token (each is good for one refresh: Feishu rotates them). */
  takeRefreshToken(token: string): { identity: string; expires_ms: number } | undefined {
    const row = this.sql(`SELECT identity, expires_ms FROM refresh_tokens WHERE token = ?`).get(token) as { identity: string; expires_ms: number } | undefined;
    if (row) this.sql(`DELETE FROM refresh_tokens WHERE token = ?`).run(token);
    return row;
  }

  // ---- daily call counts (a CallLedger) ----
  load(day: string): Map<EndpointId, DayCount> {
    this.sql(`DELETE FROM call_counts WHERE day <> ?`).run(day);
    const rows = this.sql(`SELECT endpoint, calls, rate_limited, admitted FROM call_counts WHERE day = ?`).all(day) as
      { endpoint: EndpointId; calls: number; rate_limited: number; admitted: number }[];
    return new Map(rows.map((r) => [r.endpoint, { calls: r.calls, rateLimited: r.rate_limited, admitted: r.admitted }]));
  }

  save(day: string, endpoint: EndpointId, count: DayCount): void {
    this.sql(`INSERT OR REPLACE INTO call_counts (day, endpoint, calls, rate_limited, admitted) VALUES (?, ?, ?, ?, ?)`)
      .run(day, endpoint, count.calls, count.rateLimited, count.admitted);
  }

  // ---- async tasks ----
  insertTask(taskId: string, kind: string, token: string, now: number): void {
    this.sql(`INSERT INTO tasks (task_id, kind, token, created_ms) VALUES (?, ?, ?, ?)`).run(taskId, kind, token, now);
  }

  task(taskId: string): { kind: string; token: string; createdMs: number } | undefined {
    return this.sql(`SELECT kind, token, created_ms AS createdMs FROM tasks WHERE task_id = ?`).get(taskId) as { kind: string; token: string; createdMs: number } | undefined;
  }
}
