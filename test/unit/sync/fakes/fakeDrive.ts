/**
 * An in-memory Drive implementing the DriveApi contract: folders, files with
 * versions, chunked uploads with per-block storage, and scriptable failures.
 * Bytes are read from the ByteSource's path like the real client does.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type {
  DriveApi, DriveEntry, UploadAllRequest, UploadFinishRequest, UploadPartRequest, UploadPrepareRequest, UploadResult, ByteSource,
} from '../../../../src/feishu/driveApi.js';
import type { EndpointId } from '../../../../src/feishu/endpoints.js';
import { FEISHU_ERROR_CODES } from '../../../../src/feishu/errorCodes.js';
import { FeishuError } from '../../../../src/feishu/feishuError.js';
import { BLOCK_SIZE, blockCount } from '../../../../src/feishu/limits.js';

export interface FakeNode { token: string; name: string; type: 'file' | 'folder'; parentToken: string; content?: Buffer; version: number }
interface FakeUpload { fileName: string; parentToken: string; size: number; fileToken?: string; blocks: Map<number, Buffer>; expired?: boolean }

export function feishuError(code: number, endpoint: EndpointId): FeishuError {
  const info = FEISHU_ERROR_CODES.get(code);
  return new FeishuError({ code, httpStatus: info?.httpStatus ?? 500, msg: info?.msg ?? 'fault', endpoint });
}

/** A scripted failure: thrown (instead of doing the call) while `times` > 0 and `when` matches. */
export interface Fault { endpoint: EndpointId; error: () => Error; times: number; when?: (req: unknown) => boolean }

function readSource(src: ByteSource): Buffer {
  const fd = openSync(src.path, 'r');
  try {
    const buf = Buffer.alloc(src.length);
    const n = readSync(fd, buf, 0, src.length, src.start);
    // Like the real client: the bytes go to the observer as read, in two pieces (so order matters).
    const half = Math.floor(n / 2);
    src.onData?.(buf.subarray(0, half));
    src.onData?.(buf.subarray(half, n));
    src.onBytes?.(n);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export class FakeDrive implements DriveApi {
  readonly rootToken = 'root';
  nodes = new Map<string, FakeNode>([['root', { token: 'root', name: '', type: 'folder', parentToken: '', version: 1 }]]);
  uploads = new Map<string, FakeUpload>();
  calls: { endpoint: EndpointId; req?: unknown }[] = [];
  faults: Fault[] = [];
  /** Runs before each call is carried out (after faults): lets a test act mid-upload. */
  beforeCall?: (endpoint: EndpointId, req: unknown) => void | Promise<void>;
  private seq = 0;

  count(endpoint: EndpointId): number { return this.calls.filter((c) => c.endpoint === endpoint).length; }
  fail(endpoint: EndpointId, code: number, times = 1, when?: (req: unknown) => boolean): void {
    this.faults.push({ endpoint, error: () => feishuError(code, endpoint), times, when });
  }
  /** The stored path of every file: 'a/b.txt' → content sha256. */
  tree(): Map<string, { token: string; sha256: string; version: number }> {
    const out = new Map<string, { token: string; sha256: string; version: number }>();
    for (const n of this.nodes.values()) {
      if (n.type !== 'file') continue;
      out.set(this.pathOf(n), { token: n.token, sha256: createHash('sha256').update(n.content!).digest('hex'), version: n.version });
    }
    return out;
  }
  pathOf(n: FakeNode): string {
    const parts: string[] = [];
    for (let cur: FakeNode | undefined = n; cur && cur.token !== this.rootToken; cur = this.nodes.get(cur.parentToken)) parts.unshift(cur.name);
    return parts.join('/');
  }
  childrenOf(token: string): FakeNode[] { return [...this.nodes.values()].filter((n) => n.parentToken === token); }

  private async enter(endpoint: EndpointId, req?: unknown): Promise<void> {
    this.calls.push({ endpoint, req });
    const fault = this.faults.find((f) => f.endpoint === endpoint && f.times > 0 && (!f.when || f.when(req)));
    if (fault) {
      fault.times--;
      throw fault.error();
    }
    await this.beforeCall?.(endpoint, req);
  }
  private newToken(prefix: string): string { return `${prefix}${++this.seq}`; }
  private folder(token: string, endpoint: EndpointId): FakeNode {
    const n = this.nodes.get(token);
    if (!n || n.type !== 'folder') throw feishuError(1061044, endpoint);
    return n;
  }
  private store(fileName: string, parentToken: string, content: Buffer, fileToken: string | undefined, endpoint: EndpointId): UploadResult {
    if (fileToken) {
      const existing = this.nodes.get(fileToken);
      if (!existing) throw feishuError(1061007, endpoint);
      existing.content = content;
      existing.version++;
      return { fileToken, version: String(existing.version) };
    }
    const token = this.newToken('f');
    this.nodes.set(token, { token, name: fileName, type: 'file', parentToken, content, version: 1 });
    return { fileToken: token, version: '1' };
  }

  async uploadAll(req: UploadAllRequest): Promise<UploadResult> {
    await this.enter('filesUploadAll', req);
    if (req.parent.kind !== 'explorer') throw new Error('fake drive: media not supported');
    this.folder(req.parent.folderToken, 'filesUploadAll');
    const content = readSource(req.source);
    if (content.length !== req.source.length) throw feishuError(1062009, 'filesUploadAll');
    return this.store(req.fileName, req.parent.folderToken, content, req.fileToken, 'filesUploadAll');
  }
  async uploadPrepare(req: UploadPrepareRequest): Promise<{ uploadId: string; blockSize: number; blockNum: number }> {
    await this.enter('filesUploadPrepare', req);
    if (req.parent.kind !== 'explorer') throw new Error('fake drive: media not supported');
    this.folder(req.parent.folderToken, 'filesUploadPrepare');
    if (req.fileToken && !this.nodes.has(req.fileToken)) throw feishuError(1061007, 'filesUploadPrepare');
    const uploadId = this.newToken('u');
    this.uploads.set(uploadId, { fileName: req.fileName, parentToken: req.parent.folderToken, size: req.size, fileToken: req.fileToken, blocks: new Map() });
    return { uploadId, blockSize: BLOCK_SIZE, blockNum: blockCount(req.size) };
  }
  async uploadPart(req: UploadPartRequest): Promise<{ checksum: string }> {
    await this.enter('filesUploadPart', req);
    const up = this.uploads.get(req.uploadId);
    if (!up || up.expired) throw feishuError(1061021, 'filesUploadPart');
    up.blocks.set(req.seq, readSource(req.source));
    return { checksum: `c${req.seq}` };
  }
  async uploadFinish(req: UploadFinishRequest): Promise<UploadResult> {
    await this.enter('filesUploadFinish', req);
    const up = this.uploads.get(req.uploadId);
    if (!up || up.expired) throw feishuError(1061021, 'filesUploadFinish');
    for (let s = 0; s < req.blockNum; s++) if (!up.blocks.has(s)) throw feishuError(1062010, 'filesUploadFinish');
    const content = Buffer.concat([...Array(req.blockNum).keys()].map((s) => up.blocks.get(s)!));
    if (content.length !== up.size) throw feishuError(1062009, 'filesUploadFinish');
    this.uploads.delete(req.uploadId);
    return this.store(up.fileName, up.parentToken, content, up.fileToken, 'filesUploadFinish');
  }
  async rootFolderMeta() { await this.enter('rootFolderMeta'); return { token: this.rootToken, id: '1', userId: 'u' }; }
  async *listFolder(folderToken: string): AsyncIterable<DriveEntry> {
    await this.enter('listFolder', { folderToken });
    this.folder(folderToken, 'listFolder');
    for (const n of this.childrenOf(folderToken)) {
      yield { token: n.token, name: n.name, type: n.type, parentToken: n.parentToken, size: n.content?.length };
    }
  }
  async createFolder(name: string, parentToken: string) {
    await this.enter('createFolder', { name, parentToken });
    this.folder(parentToken, 'createFolder');
    const token = this.newToken('d');
    this.nodes.set(token, { token, name, type: 'folder', parentToken, version: 1 });
    return { token };
  }
  async move(token: string, _type: string, folderToken: string) {
    await this.enter('move', { token, folderToken });
    const n = this.nodes.get(token);
    if (!n) throw feishuError(1061007, 'move');
    this.folder(folderToken, 'move');
    n.parentToken = folderToken;
    return {};
  }
  async copy(token: string, _type: string, name: string, folderToken: string): Promise<DriveEntry> {
    await this.enter('copy', { token, name, folderToken });
    const n = this.nodes.get(token);
    if (!n) throw feishuError(1061007, 'copy');
    this.folder(folderToken, 'copy');
    const copy = { ...n, token: this.newToken('f'), name, parentToken: folderToken, version: 1 };
    this.nodes.set(copy.token, copy);
    return { token: copy.token, name, type: 'file', parentToken: folderToken };
  }
  /** Removes the node and everything under it (the recycle bin is out of sight). */
  async delete(token: string) {
    await this.enter('delete', { token });
    if (!this.nodes.has(token)) throw feishuError(1061007, 'delete');
    this.remove(token);
    return {};
  }
  remove(token: string): void {
    for (const child of this.childrenOf(token)) this.remove(child.token);
    this.nodes.delete(token);
  }
  async taskCheck() { await this.enter('taskCheck'); return { status: 'success' }; }
  async download(token: string) { await this.enter('download', { token }); return Readable.from([this.nodes.get(token)?.content ?? Buffer.alloc(0)]); }
  async batchQueryMetas() { await this.enter('metasBatchQuery'); return []; }
}
