/**
 * The public face of the sync engine: the CLI and the tray app drive this and
 * render its events; neither reaches further into src/. No Electron here.
 */
import type { EndpointId } from '../feishu/endpoints.js';
import type { MappingSettings } from '../config/settings.js';
import type { ActivityRecord, VerificationCounts } from '../index/types.js';

export type MappingStatus =
  | 'idle' // everything eligible is synced
  | 'scanning'
  | 'syncing'
  | 'paused'
  | 'waiting-quota' // quota exhausted; resumes at quota.resetsAt
  | 'stopped' // an error that needs the user (permission, folder deleted, login expired)
  | 'offline';

export interface MappingState {
  id: string;
  localPath: string;
  folderToken: string;
  folderUrl?: string;
  status: MappingStatus;
  pending: number;
  uploading: number;
  failed: number;
  skipped: number;
  synced: number;
  /** Present when status is 'stopped' (or the last error seen). */
  error?: EngineErrorInfo;
  /** True once the first full sync of this mapping has completed. */
  firstSyncDone: boolean;
}

export interface EndpointQuota {
  endpoint: EndpointId;
  used: number;
  limit: number;
  left: number;
}

export interface QuotaState {
  /** 'YYYY-MM-DD' in the quota zone. */
  day: string;
  /** Epoch ms of the next reset. */
  resetsAt: number;
  endpoints: EndpointQuota[];
  exhausted: boolean;
}

export interface EngineErrorInfo {
  /** Feishu code, or a FeiSync code such as 'E_LOCAL_MISSING'. */
  code: number | string;
  message: string;
  remedy: string;
  logId?: string;
  relPath?: string;
  at: number;
}

export interface EngineState {
  running: boolean;
  paused: boolean;
  online: boolean;
  mappings: MappingState[];
  quota: QuotaState;
  /** Files currently being uploaded (relPath, bytes done/total). */
  inFlight: FileProgress[];
  recent: ActivityRecord[];
  lastErrors: EngineErrorInfo[];
}

export interface FileProgress {
  mappingId: string | null;
  relPath: string;
  bytesDone: number;
  bytesTotal: number;
}

export type EngineEvent =
  | { type: 'state'; state: EngineState }
  | { type: 'mapping'; mapping: MappingState }
  | { type: 'progress'; progress: FileProgress }
  | { type: 'fileDone'; activity: ActivityRecord }
  | { type: 'quota'; quota: QuotaState }
  | { type: 'error'; error: EngineErrorInfo; mappingId?: string }
  | { type: 'sendDone'; sendId: string; results: SendResult[] }
  | { type: 'firstSyncDone'; mappingId: string }
  | { type: 'watchLimit'; mappingId: string; message: string }
  /**
   * The engine had no records for a mapping (index rebuilt after corruption, mapping rebound, or a new
   * mapping over a Feishu folder that already holds its files) and adopted what Feishu has.
   */
  | { type: 'indexRebuilt'; mappingId: string; summary: string }
  /** A full pass looked at the whole tree: scanned it, or found it as the last scan left it (see scanReuse.ts). */
  | { type: 'scanDone'; mappingId: string; reusedLastScan: boolean; files: number; ms: number };

/** Where an explicit send goes. */
export type SendTarget =
  | { kind: 'folder'; folderToken: string }
  | { kind: 'doc'; docToken: string; as: 'image' | 'file'; docType?: 'docx' | 'doc' | 'sheet' | 'bitable' };

export interface SendResult {
  path: string;
  ok: boolean;
  fileToken?: string;
  url?: string;
  error?: EngineErrorInfo;
}

/** Outcome of one `syncOnce` run (what `feisync sync --once --json` prints). */
export interface SyncSummary {
  uploaded: string[];
  versioned: string[];
  moved: { from: string; to: string }[];
  skipped: { path: string; reason: string }[];
  failed: { path: string; reason: string; code?: number | string }[];
  unchanged: number;
  callsByEndpoint: Partial<Record<EndpointId, number>>;
  quotaExhausted: boolean;
  /** Epoch ms, when quotaExhausted. */
  resumesAt?: number;
  /** Dry runs: API calls the plan would make, per endpoint. */
  plannedCost?: Partial<Record<EndpointId, number>>;
  /** Index rebuilds done during this run (one line each). */
  rebuilt?: { mappingId: string; summary: string }[];
  /** With `verify`: what the remote listing showed, per mapping. */
  verified?: ({ mappingId: string; summary: string } & VerificationCounts)[];
}

export interface SyncEngineApi {
  addMapping(mapping: MappingSettings): void;
  removeMapping(id: string): void;
  /** Full scan → plan → work, then live watching. */
  start(): Promise<void>;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Rescan all (or one) mapping now. */
  syncNow(mappingId?: string): Promise<void>;
  /**
   * One-shot: scan, plan and upload everything eligible, then resolve. `verify`
   * first lists each mapping's remote tree (a call per folder page) and sends
   * again what was deleted in Feishu.
   */
  syncOnce(options?: { mappingId?: string; dryRun?: boolean; verify?: boolean }): Promise<SyncSummary>;
  /** Upload at top priority. Resolves when all paths are done. */
  send(paths: string[], target?: SendTarget): Promise<SendResult[]>;
  /** Retry failed files now. */
  retryFailed(mappingId?: string): void;
  getState(): EngineState;
  on(listener: (event: EngineEvent) => void): () => void;
}
