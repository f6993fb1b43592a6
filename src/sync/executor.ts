/**
 * Runs one plan item against Drive and records the result in the index.
 * Every success updates the index before it is reported; every failure is
 * classified into an ItemOutcome (never thrown, except cancellation).
 */
import type { DriveApi } from '../feishu/driveApi.js';
import { isFeishuError } from '../feishu/feishuError.js';
import type { ActivityRecord, FileRecord, IndexStore } from '../index/types.js';
import type { PlanItem } from '../plan/types.js';
import type { Clock } from '../platform/clock.js';
import type { DriveCalls } from './driveCalls.js';
import type { FileProgress } from './engineApi.js';
import type { Priority } from './schedulerApi.js';
import { outcomeOfFailure, type ItemOutcome } from './itemOutcome.js';
import type { SyncFs } from './localFiles.js';
import { nameOf, parentOf } from '../plan/relPath.js';
import { isUnder, type RemoteFolders } from './remoteFolders.js';
import { waitForTask } from './remoteTask.js';
import { toErrorInfo } from './syncError.js';
import { skipReason } from './syncSummary.js';
import { uploadItem } from './uploadItem.js';
import type { ChunkJournal } from './uploadJob.js';

export interface ExecutorDeps {
  drive: DriveApi;
  index: IndexStore;
  fs: SyncFs;
  clock: Clock;
  calls: DriveCalls;
  folders: RemoteFolders;
  journal: ChunkJournal;
  settleMs: number;
  blockConcurrency: number;
  uploadTtlMs: number;
  /** Absolute path on disk of a mapping's relPath (its on-disk spelling may differ from NFC). */
  diskPath(mappingId: string, relPath: string): string;
  /** Recognises the scheduler's "daily quota exhausted" failure. */
  quotaResumesAt(error: unknown): number | undefined;
  onProgress?(progress: FileProgress): void;
  takeBandwidth?: (bytes: number, signal?: AbortSignal) => Promise<void>;
  blocksForFile?: (priority: Priority) => { run<T>(sendBlock: () => Promise<T>): Promise<T> };
}

function notFound(e: unknown): boolean {
  return isFeishuError(e) && e.action === 'uploadAsNew';
}

export class Executor {
  constructor(private readonly deps: ExecutorDeps) {}

  async execute(item: PlanItem, signal?: AbortSignal, priority: Priority = 'backlog'): Promise<ItemOutcome> {
    const folder = item.op === 'createFolder' ? item.relPath : parentOf(item.relPath);
    const ancestors = folder === '' ? [] : folder.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    // 1061041/1061044: a remote folder of the chain is gone. Forget the deepest
    // folder record first, then ever higher ones, recreating the chain each time.
    for (let level = ancestors.length; ; level--) {
      const tokens = ancestors.map((a) => this.deps.index.getFolder(item.mappingId, a)?.remoteToken);
      try {
        return await this.run(item, signal, priority);
      } catch (e) {
        if (isFeishuError(e) && e.action === 'recreateParent' && level > 0) {
          const stale = tokens[level - 1];
          if (stale !== undefined) this.deps.folders.invalidate(item.mappingId, ancestors[level - 1]!, stale);
          continue;
        }
        if (isFeishuError(e) && e.action === 'recreateParent') {
          // Even the mapping root is gone: the user must re-map.
          const error = { ...toErrorInfo(e, this.deps.clock.now(), item.relPath), remedy: 'The Feishu folder of this mapping no longer exists: re-map the folder.' };
          return { status: 'stopMapping', error };
        }
        const outcome = outcomeOfFailure(e, this.deps.clock.now(), item.relPath, this.deps.quotaResumesAt);
        this.recordFailure(item, outcome);
        return outcome;
      }
    }
  }

  private async run(item: PlanItem, signal: AbortSignal | undefined, priority: Priority): Promise<ItemOutcome> {
    const { index, drive, calls, folders } = this.deps;
    const m = item.mappingId;
    switch (item.op) {
      case 'createFolder':
        await folders.ensure(m, item.relPath, signal);
        return { status: 'done' };
      case 'upload':
      case 'uploadVersion':
        return uploadItem(item, this.deps, signal, priority);
      case 'move': {
        if (item.type === 'folder') return this.moveFolder(item, signal);
        const dest = await folders.ensure(m, parentOf(item.relPath), signal);
        try {
          await calls.run(() => drive.move(item.fileToken, 'file', dest), signal);
        } catch (e) {
          if (notFound(e)) return this.reuploadMoved(item, signal);
          throw e;
        }
        this.moveRecord(m, item.fromRelPath, item.relPath, { remoteParentToken: dest });
        return { status: 'done', activity: this.activity(item, 'moved', item.fileToken, `from ${item.fromRelPath}`) };
      }
      case 'rename': {
        const dest = await folders.ensure(m, parentOf(item.relPath), signal);
        const name = nameOf(item.relPath);
        let copy;
        try {
          copy = await calls.runCreate(
            () => drive.copy(item.fileToken, 'file', name, dest),
            async () => {
              const known = new Set(index.listFiles(m).map((f) => f.remoteToken));
              for await (const entry of drive.listFolder(dest)) {
                if (entry.type === 'file' && entry.name === name && !known.has(entry.token)) return entry;
              }
              return undefined;
            },
            signal,
          );
        } catch (e) {
          if (notFound(e)) return this.reuploadMoved(item, signal);
          throw e;
        }
        // The copy is recorded first: a crash now leaves the old remote file, never a lost one.
        this.moveRecord(m, item.fromRelPath, item.relPath, { remoteToken: copy.token, remoteParentToken: dest, remoteVersion: null });
        await this.deleteRemote(item.fileToken, 'file', signal);
        return { status: 'done', activity: this.activity(item, 'renamed', copy.token, `from ${item.fromRelPath}`, copy.url) };
      }
      case 'trash': {
        await this.deleteRemote(item.fileToken, item.type, signal);
        this.forget(m, item.relPath, item.type);
        return { status: 'done', activity: this.activity(item, 'deleted', item.fileToken, 'moved to the Feishu recycle bin') };
      }
      case 'forget': {
        const wasFolder = item.type === 'folder' || (index.getFolder(m, item.relPath) !== undefined && index.getFile(m, item.relPath) === undefined);
        this.forget(m, item.relPath, wasFolder ? 'folder' : 'file');
        return { status: 'done' };
      }
      case 'touch': {
        const record = index.getFile(m, item.relPath);
        if (record) index.upsertFile({ ...record, size: item.size, mtimeNs: item.mtimeNs, ino: item.ino, hash: item.hash });
        return { status: 'done' };
      }
      case 'skip': {
        const reason = skipReason(item);
        const record = index.getFile(m, item.relPath);
        const changed = record?.state !== 'skipped' || record.reason !== reason;
        // Recorded already: no write, so the index still reads as unchanged (a timer pass then
        // reuses its scan and plan instead of rescanning because of a skipped symlink).
        if (!changed) return { status: 'skipped', reason };
        index.upsertFile({ ...(record ?? this.blankRecord(m, item.relPath)), state: 'skipped', reason });
        return { status: 'skipped', reason, activity: this.activity(item, 'skipped', null, reason) };
      }
    }
  }

  /** The remote file vanished under a move/rename: upload the local file as new at its new place. */
  private async reuploadMoved(item: PlanItem & { fromRelPath: string }, signal?: AbortSignal): Promise<ItemOutcome> {
    this.moveRecord(item.mappingId, item.fromRelPath, item.relPath, { remoteToken: null, remoteVersion: null });
    const identity = await this.deps.fs.stat(this.deps.diskPath(item.mappingId, item.relPath));
    const hash = this.deps.index.getFile(item.mappingId, item.relPath)?.hash ?? null;
    return uploadItem({ op: 'upload', mappingId: item.mappingId, relPath: item.relPath, cost: item.cost, ...identity, hash }, this.deps, signal);
  }

  /**
   * A whole folder moved intact to another parent: one `move` of the folder
   * (tokens stay), its task awaited, then every record under it re-pathed.
   */
  private async moveFolder(item: PlanItem & { op: 'move' }, signal?: AbortSignal): Promise<ItemOutcome> {
    const { index, drive, calls, folders } = this.deps;
    const dest = await folders.ensure(item.mappingId, parentOf(item.relPath), signal);
    const { taskId } = await calls.run(() => drive.move(item.fileToken, 'folder', dest), signal);
    if (taskId) await waitForTask(taskId, `move the folder ${item.fromRelPath} to ${item.relPath}`, this.deps, signal);
    index.renameFolder!(item.mappingId, item.fromRelPath, item.relPath);
    return { status: 'done', activity: this.activity(item, 'moved', item.fileToken, `from ${item.fromRelPath}`) };
  }

  private async deleteRemote(token: string, type: string, signal?: AbortSignal): Promise<void> {
    let taskId: string | undefined;
    try {
      ({ taskId } = await this.deps.calls.run(() => this.deps.drive.delete(token, type), signal));
    } catch (e) {
      if (!notFound(e)) throw e; // already gone: the goal is reached
    }
    // A folder goes to the recycle bin as a task: the records are forgotten only once it is done.
    if (taskId) await waitForTask(taskId, 'move the folder to the recycle bin', this.deps, signal);
  }

  private moveRecord(m: string, from: string, to: string, patch: Partial<FileRecord>): void {
    const { index } = this.deps;
    index.transaction(() => {
      if (index.getFile(m, from)) index.renameFile(m, from, to);
      const record = index.getFile(m, to);
      if (record) index.upsertFile({ ...record, ...patch });
    });
  }

  private forget(m: string, relPath: string, type: 'file' | 'folder'): void {
    const { index } = this.deps;
    index.transaction(() => {
      if (type === 'file') {
        index.deleteFile(m, relPath);
        this.deps.journal.remove(m, relPath);
        return;
      }
      for (const f of index.listFiles(m)) if (isUnder(f.relPath, relPath)) index.deleteFile(m, f.relPath);
      for (const f of index.listFolders(m)) if (f.relPath !== '' && isUnder(f.relPath, relPath)) index.deleteFolder(m, f.relPath);
    });
  }

  private recordFailure(item: PlanItem, outcome: ItemOutcome): void {
    if (item.op !== 'upload' && item.op !== 'uploadVersion' && item.op !== 'move' && item.op !== 'rename') return;
    const { index } = this.deps;
    const record = index.getFile(item.mappingId, item.relPath) ?? (item.op === 'upload' || item.op === 'uploadVersion' ? this.blankRecord(item.mappingId, item.relPath, item) : undefined);
    if (!record) return;
    if (outcome.status === 'failed') {
      index.upsertFile({ ...record, state: 'failed', reason: outcome.error.message, failures: record.failures + 1 });
      this.activity(item, 'failed', record.remoteToken, outcome.error.message);
    } else if (outcome.status === 'skipped') {
      index.upsertFile({ ...record, state: 'skipped', reason: outcome.reason });
      this.activity(item, 'skipped', record.remoteToken, outcome.reason);
    } else if (outcome.status !== 'done' && outcome.status !== 'gone') {
      index.upsertFile({ ...record, state: 'pending', reason: outcome.status === 'requeue' ? outcome.reason : outcome.error.message });
    }
  }

  /** A record for a file that has never been synced (identity unknown until uploaded). */
  private blankRecord(mappingId: string, relPath: string, item?: { size: number; mtimeNs: bigint; ino: string }): FileRecord {
    return {
      mappingId, relPath,
      size: item?.size ?? 0, mtimeNs: item?.mtimeNs ?? 0n, ino: item?.ino ?? '', hash: null,
      remoteToken: null, remoteParentToken: null, remoteVersion: null,
      state: 'pending', reason: null, failures: 0, lastSyncedAt: null,
    };
  }

  private activity(item: PlanItem, kind: ActivityRecord['kind'], remoteToken: string | null, detail: string | null, url?: string): ActivityRecord {
    const record: ActivityRecord = { at: this.deps.clock.now(), mappingId: item.mappingId, relPath: item.relPath, kind, remoteToken, url: url ?? null, detail };
    this.deps.index.addActivity(record);
    return record;
  }
}
