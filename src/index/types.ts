/**
 * The records the index keeps (SQLite is the truth; in-memory state can
 * always be rebuilt from it). Paths are relative to the mapping root,
 * '/'-separated, NFC-normalised.
 */
import type { EndpointId } from '../feishu/endpoints.js';

export type FileState = 'synced' | 'pending' | 'uploading' | 'failed' | 'skipped';

export interface FileRecord {
  mappingId: string;
  relPath: string;
  size: number;
  mtimeNs: bigint;
  ino: string;
  /** Content hash (hex) of the last synced/seen content; null until hashed. */
  hash: string | null;
  remoteToken: string | null;
  remoteParentToken: string | null;
  remoteVersion: string | null;
  state: FileState;
  /** Reason for failed / skipped. */
  reason: string | null;
  /** Consecutive failures (for backoff and "failed after N"). */
  failures: number;
  lastSyncedAt: number | null;
}

/** Which local folder and remote folder a mapping id describes. */
export interface MappingRecord {
  id: string;
  /** Absolute local folder. */
  localRoot: string;
  /** Remote Drive folder token. */
  folderToken: string;
}

export interface FolderRecord {
  mappingId: string;
  /** '' is the mapping root. */
  relPath: string;
  remoteToken: string;
}

/** An in-flight chunked upload, recorded so it can resume after a crash. */
export interface ChunkUploadRecord {
  mappingId: string;
  relPath: string;
  uploadId: string;
  blockSize: number;
  blockNum: number;
  /** Sequence numbers acknowledged by upload_part, with the Adler-32 sent for each. */
  ackedBlocks: Map<number, string>;
  startedAt: number;
  expiresAt: number;
  /** Identity of the file the upload was started for; resume only if unchanged. */
  size: number;
  mtimeNs: bigint;
  ino: string;
  /** The remote file being versioned, if any. */
  fileToken: string | null;
  parentToken: string;
}

export interface QuotaUsage {
  /** Quota day, 'YYYY-MM-DD' in the quota time zone. */
  day: string;
  endpoint: EndpointId;
  calls: number;
}

/** A recent upload, for the tray's "Recent uploads" and the activity page. */
export interface ActivityRecord {
  at: number;
  mappingId: string | null;
  relPath: string;
  kind: 'uploaded' | 'versioned' | 'moved' | 'renamed' | 'deleted' | 'sent' | 'failed' | 'skipped';
  remoteToken: string | null;
  url: string | null;
  detail: string | null;
}

/**
 * The index API. One writer (the engine's process). Every method is
 * synchronous (better-sqlite3) and each write is durable when it returns
 * (WAL, synchronous=NORMAL: durable across process kills; OS crashes may lose the
 * last transactions, never corrupt).
 */
export interface IndexStore {
  // mappings (optional so in-memory test doubles stay valid)
  getMapping?(id: string): MappingRecord | undefined;
  /**
   * Record which local root and remote folder `id` describes. When either
   * changed, the mapping's files, folders and chunked uploads describe another
   * pair and are forgotten ('rebound'); the engine then rebuilds from a scan.
   */
  bindMapping?(record: MappingRecord): 'new' | 'unchanged' | 'rebound';

  // files
  getFile(mappingId: string, relPath: string): FileRecord | undefined;
  listFiles(mappingId: string): FileRecord[];
  /** The same records keyed by relPath (one read for the scanner's `known` and the planner). Optional so test doubles stay valid. */
  fileMap?(mappingId: string): ReadonlyMap<string, FileRecord>;
  /**
   * What was wrong when the mapping's stored records were found damaged and
   * dropped since the last call (they are read as none: adopt what Feishu
   * holds). Optional so test doubles stay valid.
   */
  takeDamage?(mappingId: string): string | undefined;
  /** Whether the mapping has any file record (cheap: no records are loaded). Optional so test doubles stay valid. */
  hasFiles?(mappingId: string): boolean;
  /** Changes whenever a file or folder record may have changed (see SqliteIndex). Optional: without it every full pass scans. */
  writeCount?(): number;
  upsertFile(record: FileRecord): void;
  /**
   * Many records of one mapping at once (an adoption): what upsertFile does
   * for each, in one transaction, much faster. The records are the index's
   * from then on: do not change them. Optional so test doubles stay valid.
   */
  putFiles?(mappingId: string, records: Iterable<FileRecord>): void;
  deleteFile(mappingId: string, relPath: string): void;
  /** Move a record to a new path (rename/move detected by the planner). */
  renameFile(mappingId: string, from: string, to: string): void;
  /**
   * Re-path a folder and everything recorded under it (files, folders,
   * chunked uploads) after a whole-folder move. Optional so in-memory test
   * doubles stay valid.
   */
  renameFolder?(mappingId: string, from: string, to: string): void;
  countByState(mappingId: string): Record<FileState, number>;

  // folders
  getFolder(mappingId: string, relPath: string): FolderRecord | undefined;
  listFolders(mappingId: string): FolderRecord[];
  upsertFolder(record: FolderRecord): void;
  deleteFolder(mappingId: string, relPath: string): void;

  // chunked uploads
  getChunkUpload(mappingId: string, relPath: string): ChunkUploadRecord | undefined;
  startChunkUpload(record: ChunkUploadRecord): void;
  ackBlock(mappingId: string, relPath: string, seq: number, checksum: string): void;
  deleteChunkUpload(mappingId: string, relPath: string): void;
  /** Drops the chunked uploads whose journal key starts with `keyPrefix` and that expired by `now`; returns how many. */
  dropExpiredChunkUploads(keyPrefix: string, now: number): number;

  // daily quota ledger (count BEFORE sending)
  addQuotaCall(day: string, endpoint: EndpointId, n?: number): void;
  quotaUsed(day: string): Partial<Record<EndpointId, number>>;

  // activity
  addActivity(record: ActivityRecord): void;
  recentActivity(limit: number): ActivityRecord[];

  /** The index's seed for tree digests (16 hex digits, made once): digests compare across runs. Optional so test doubles stay valid. */
  digestSeed?(): string;
  getCleanStamp?(mappingId: string): CleanStamp | undefined;
  /** Records a clean pass; dropped again by any later write to the mapping's files or folders. */
  putCleanStamp?(stamp: CleanStamp): void;
  /**
   * The paths the mapping's last full scan ignored: what a new process's
   * first digest prunes, so it can vouch for a scan that ignores the same.
   */
  getIgnoredPaths?(mappingId: string): string[] | undefined;
  putIgnoredPaths?(mappingId: string, paths: readonly string[]): void;

  /** Remove everything about a mapping. */
  forgetMapping(mappingId: string): void;
  /** Run `fn` in one transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/**
 * What a `syncOnce` pass that left nothing to do saw (see cleanStamp.ts): a
 * later run whose tree digest, rules and index are all as then has nothing
 * to do either, and says so without loading or scanning anything. Any write
 * to the mapping's records drops it (SQL triggers).
 */
export interface CleanStamp {
  mappingId: string;
  /** treeDigest of the mapping root under the index's digest seed, taken before the scan that pass planned. */
  digest: string;
  /** Everything else that pass's plan depended on (ignore rules, policy), as one string. */
  rules: string;
  /** The paths that scan ignored: the digest counts them by name only. */
  pruned: string[];
  /** What a pass over that tree reports: files unchanged, and the entries it skips (with the reason shown). */
  unchanged: number;
  skipped: { path: string; reason: string }[];
}

/** What `sync --verify` found for one mapping (see verifyRemote.ts). */
export interface VerificationCounts {
  /** File records with a remote token, checked against the listing. */
  checked: number;
  /** Entries in the remote listing. */
  listed: number;
  lostFiles: number;
  lostFolders: number;
}
