/**
 * One file to upload and the services an upload uses. Shared by the small
 * (upload_all) and the chunked (prepare/part/finish) paths.
 */
import type { DriveApi, UploadParent, UploadResult } from '../feishu/driveApi.js';
import type { ChunkUploadRecord } from '../index/types.js';
import type { Clock } from '../platform/clock.js';
import type { DriveCalls } from './driveCalls.js';
import type { FileIdentity, SyncFs } from './localFiles.js';

export interface UploadJob {
  /** Key of the resume journal: the mapping id, or a synthetic one for explicit sends. */
  journalKey: string;
  relPath: string;
  absPath: string;
  fileName: string;
  parent: UploadParent;
  /** Upload as a new version of this remote file. */
  fileToken?: string;
  /** The settled identity the upload is made for. */
  identity: FileIdentity;
  /** Tokens a "did my create already happen?" lookup must not adopt (files known elsewhere). */
  knownTokens?: () => Set<string>;
}

/** Where in-flight chunked uploads are recorded (the index for mappings; memory for sends). */
export interface ChunkJournal {
  get(key: string, relPath: string): ChunkUploadRecord | undefined;
  start(record: ChunkUploadRecord): void;
  ack(key: string, relPath: string, seq: number, checksum: string): void;
  remove(key: string, relPath: string): void;
}

export interface UploadContext {
  drive: DriveApi;
  calls: DriveCalls;
  fs: SyncFs;
  clock: Clock;
  journal: ChunkJournal;
  blockConcurrency: number;
  /** Lifetime assumed for an upload_id (unconfirmed by the docs; 1061021 restarts anyway). */
  uploadTtlMs: number;
  signal?: AbortSignal;
  /** Runs one block send under the scheduler's global block cap. */
  runBlock?: <T>(sendBlock: () => Promise<T>) => Promise<T>;
  /** Bandwidth limiter: awaited before each block / upload_all is sent. */
  takeBandwidth?: (bytes: number, signal?: AbortSignal) => Promise<void>;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export type UploadOutcome = UploadResult;

/** Default assumed upload_id lifetime: the sandbox's 24 h. */
export const DEFAULT_UPLOAD_TTL_MS = 24 * 3600_000;

/**
 * Send the call that creates the remote file (upload_all / upload_finish).
 * A new file in a Drive folder is not idempotent: after an ambiguous failure,
 * look for a file of this name and size that nothing else in the index owns
 * before sending again. Versions and media need no such care (a repeated
 * version is harmless; media are not listed).
 */
export function runCreatingCall(job: UploadJob, ctx: UploadContext, call: () => Promise<UploadResult>): Promise<UploadResult> {
  const parent = job.parent;
  if (parent.kind !== 'explorer' || job.fileToken) return ctx.calls.run(call, ctx.signal);
  return ctx.calls.runCreate(
    call,
    async () => {
      const known = job.knownTokens?.() ?? new Set<string>();
      for await (const entry of ctx.drive.listFolder(parent.folderToken)) {
        if (entry.type !== 'file' || entry.name !== job.fileName || known.has(entry.token)) continue;
        if (entry.size !== undefined && entry.size !== job.identity.size) continue;
        return { fileToken: entry.token, url: entry.url };
      }
      return undefined;
    },
    ctx.signal,
  );
}
