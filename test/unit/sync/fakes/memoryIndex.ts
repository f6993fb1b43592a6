/** An in-memory IndexStore with the same semantics as the SQLite one, for fast unit tests. */
import type { EndpointId } from '../../../../src/feishu/endpoints.js';
import type {
  ActivityRecord, ChunkUploadRecord, FileRecord, FileState, FolderRecord, IndexStore,
} from '../../../../src/index/types.js';

const key = (m: string, p: string) => `${m}\u0000${p}`;

export class MemoryIndex implements IndexStore {
  files = new Map<string, FileRecord>();
  folders = new Map<string, FolderRecord>();
  chunks = new Map<string, ChunkUploadRecord>();
  quota = new Map<string, number>();
  activity: ActivityRecord[] = [];
  /** Every ackBlock call, in order (crash-safety assertions). */
  acks: { relPath: string; seq: number }[] = [];

  getFile(m: string, p: string) { const r = this.files.get(key(m, p)); return r && { ...r }; }
  listFiles(m: string) { return [...this.files.values()].filter((r) => r.mappingId === m).map((r) => ({ ...r })); }
  upsertFile(r: FileRecord) { this.files.set(key(r.mappingId, r.relPath), { ...r }); }
  deleteFile(m: string, p: string) { this.files.delete(key(m, p)); }
  renameFile(m: string, from: string, to: string) {
    const r = this.files.get(key(m, from));
    if (!r) return;
    this.files.delete(key(m, from));
    this.files.set(key(m, to), { ...r, relPath: to });
  }
  countByState(m: string): Record<FileState, number> {
    const out: Record<FileState, number> = { synced: 0, pending: 0, uploading: 0, failed: 0, skipped: 0 };
    for (const r of this.listFiles(m)) out[r.state]++;
    return out;
  }
  getFolder(m: string, p: string) { const r = this.folders.get(key(m, p)); return r && { ...r }; }
  listFolders(m: string) { return [...this.folders.values()].filter((r) => r.mappingId === m); }
  upsertFolder(r: FolderRecord) { this.folders.set(key(r.mappingId, r.relPath), { ...r }); }
  deleteFolder(m: string, p: string) { this.folders.delete(key(m, p)); }
  getChunkUpload(m: string, p: string) {
    const r = this.chunks.get(key(m, p));
    return r && { ...r, ackedBlocks: new Map(r.ackedBlocks) };
  }
  startChunkUpload(r: ChunkUploadRecord) { this.chunks.set(key(r.mappingId, r.relPath), { ...r, ackedBlocks: new Map(r.ackedBlocks) }); }
  ackBlock(m: string, p: string, seq: number, checksum: string) {
    const r = this.chunks.get(key(m, p));
    if (!r) throw new Error(`ackBlock without an upload for ${p}`);
    r.ackedBlocks.set(seq, checksum);
    this.acks.push({ relPath: p, seq });
  }
  deleteChunkUpload(m: string, p: string) { this.chunks.delete(key(m, p)); }
  dropExpiredChunkUploads(prefix: string, now: number) {
    let n = 0;
    for (const [k, r] of this.chunks) if (r.mappingId.startsWith(prefix) && r.expiresAt <= now && this.chunks.delete(k)) n++;
    return n;
  }
  addQuotaCall(day: string, endpoint: EndpointId, n = 1) { this.quota.set(`${day}|${endpoint}`, (this.quota.get(`${day}|${endpoint}`) ?? 0) + n); }
  quotaUsed(day: string) {
    const out: Partial<Record<EndpointId, number>> = {};
    for (const [k, v] of this.quota) { const [d, e] = k.split('|'); if (d === day) out[e as EndpointId] = v; }
    return out;
  }
  addActivity(r: ActivityRecord) { this.activity.push(r); }
  recentActivity(limit: number) { return this.activity.slice(-limit).reverse(); }
  forgetMapping(m: string) {
    for (const map of [this.files, this.folders, this.chunks] as Map<string, { mappingId: string }>[]) {
      for (const [k, v] of map) if (v.mappingId === m) map.delete(k);
    }
  }
  transaction<T>(fn: () => T): T { return fn(); }
  close() {}
}
