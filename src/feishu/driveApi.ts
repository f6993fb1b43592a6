/**
 * The one interface the engine uses to talk to a Drive. `FeishuClient`
 * implements it over HTTP; tests may implement it in memory. Like rclone's
 * `Fs`, the engine never asks which cloud is behind it.
 *
 * Implementations do not retry and do not pace: every failure is thrown as a
 * `FeishuError` (see feishuError.ts) and the scheduler decides.
 */
import type { Readable } from 'node:stream';
import type { EndpointId } from './endpoints.js';

/** Where an upload goes: a Drive folder, or (media) a document. */
export type UploadParent =
  | { kind: 'explorer'; folderToken: string }
  | { kind: 'media'; parentType: string; parentNode: string; extra?: string };

/** Bytes to send, read from disk when the request is sent (never buffered whole). */
export interface ByteSource {
  /** Absolute path of the file. */
  path: string;
  /** Offset of the first byte. */
  start: number;
  /** Number of bytes. */
  length: number;
  /**
   * Send the `checksum` field (default true). The client reads the range into
   * one buffer (a block ≤ 4 MB, or an upload_all file ≤ 20 MB), computes its
   * Adler-32 in that same pass, and sends the buffer: the multipart field order
   * puts `checksum` before `file`, so it must be known before the body starts.
   */
  sendChecksum?: boolean;
  /** Called with every chunk as it leaves (progress, bandwidth accounting). */
  onBytes?: (n: number) => void;
  /**
   * Called with the range's bytes, in order from its first byte, as the
   * client reads them from disk (before the request is sent), so a caller can
   * hash the content in the same pass instead of reading the file again. One
   * call of uploadAll / uploadPart reads the range once (a re-auth resend
   * reuses the buffer); a caller that retries the call should give each call
   * a fresh observer. Must not keep or modify the chunk.
   */
  onData?: (chunk: Uint8Array) => void;
  /**
   * Size the whole file must still have when it is read (a change is a local
   * `SourceChangedError`, code E_SOURCE_CHANGED, and nothing is sent). Catches
   * a file that grew, which a range read alone cannot see. `uploadAll` of a
   * range starting at 0 defaults it to `length` (the whole file).
   */
  expectedFileSize?: number;
}

export interface UploadAllRequest {
  fileName: string;
  parent: UploadParent;
  source: ByteSource;
  /** Upload as a new version of this remote file. */
  fileToken?: string;
  /** Aborts the call (waiting, reading or sending); it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface UploadPrepareRequest {
  fileName: string;
  parent: UploadParent;
  size: number;
  fileToken?: string;
  /** Aborts the call (waiting, reading or sending); it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface UploadPrepareResult {
  uploadId: string;
  blockSize: number;
  blockNum: number;
}

export interface UploadPartRequest {
  media?: boolean;
  uploadId: string;
  seq: number;
  source: ByteSource;
  /** Aborts the call (waiting, reading or sending); it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface UploadFinishRequest {
  media?: boolean;
  uploadId: string;
  blockNum: number;
  /** Aborts the call (waiting, reading or sending); it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface UploadResult {
  fileToken: string;
  /** Adler-32 (unsigned decimal) of the bytes sent by upload_all; absent after upload_finish. */
  checksum?: string;
  version?: string;
  url?: string;
}

export interface DriveEntry {
  token: string;
  name: string;
  /** 'file' | 'folder' | 'docx' | 'sheet' | 'shortcut' | … */
  type: string;
  parentToken: string;
  url?: string;
  createdTime?: string;
  modifiedTime?: string;
  ownerId?: string;
  /** Not in Feishu's list answer; the sandbox adds it, real Drive leaves it undefined. */
  size?: number;
}

export interface RootFolderMeta {
  token: string;
  id: string;
  userId: string;
}

export interface DocMeta {
  docToken: string;
  docType: string;
  title: string;
  url?: string;
  createTime?: string;
  latestModifyTime?: string;
}

export interface ListOptions {
  pageSize?: number;
  orderBy?: 'EditedTime' | 'CreatedTime';
  direction?: 'ASC' | 'DESC';
}

export interface DriveApi {
  uploadAll(req: UploadAllRequest): Promise<UploadResult>;
  uploadPrepare(req: UploadPrepareRequest): Promise<UploadPrepareResult>;
  /** Resolves with the Adler-32 (unsigned decimal) of the block that was sent. */
  uploadPart(req: UploadPartRequest): Promise<{ checksum: string }>;
  uploadFinish(req: UploadFinishRequest): Promise<UploadResult>;
  rootFolderMeta(): Promise<RootFolderMeta>;
  /** All entries of a folder, following next_page_token. */
  listFolder(folderToken: string, options?: ListOptions): AsyncIterable<DriveEntry>;
  createFolder(name: string, parentToken: string): Promise<{ token: string; url?: string }>;
  /** Files move synchronously; folders answer with a task id. */
  move(token: string, type: string, folderToken: string): Promise<{ taskId?: string }>;
  copy(token: string, type: string, name: string, folderToken: string): Promise<DriveEntry>;
  /** To the recycle bin. Folders answer with a task id. */
  delete(token: string, type: string): Promise<{ taskId?: string }>;
  taskCheck(taskId: string): Promise<{ status: string }>;
  /** The raw bytes. */
  download(token: string): Promise<Readable>;
  batchQueryMetas(docs: { docToken: string; docType: string }[]): Promise<DocMeta[]>;
}

/** Observes every HTTP call the client makes (the scheduler counts them per endpoint). */
export interface RequestHook {
  /**
   * Called just before a request is sent. Throwing aborts the call (e.g. quota exhausted).
   * `signal` is the call's abort signal, when the caller gave one (stop waiting when it fires).
   */
  beforeRequest?(endpoint: EndpointId, signal?: AbortSignal): void | Promise<void>;
  /** Called with the outcome of every request. */
  afterResponse?(info: {
    endpoint: EndpointId;
    httpStatus: number;
    code: number;
    logId?: string;
    durationMs: number;
    headers: Record<string, string>;
  }): void;
}
