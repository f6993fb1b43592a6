/**
 * The upload / uploadVersion plan items: wait for the file to settle, make
 * sure its remote folder exists, upload it (a new version of the same remote
 * file when there is one, so links keep working), and record the result.
 */
import { isFeishuError } from '../feishu/feishuError.js';
import type { FileRecord } from '../index/types.js';
import type { PlanItem } from '../plan/types.js';
import type { ExecutorDeps } from './executor.js';
import { awaitSettled } from './fileSettle.js';
import type { ItemOutcome } from './itemOutcome.js';
import { sameIdentity, type FileIdentity } from './localFiles.js';
import { nameOf, parentOf } from '../plan/relPath.js';
import { uploadFile } from './uploader.js';
import type { UploadJob } from './uploadJob.js';
import { recoverInterrupted, wasInterrupted } from './interruptedUpload.js';
import type { Priority } from './schedulerApi.js';

type UploadPlanItem = Extract<PlanItem, { op: 'upload' | 'uploadVersion' }>;

export async function uploadItem(item: UploadPlanItem, deps: ExecutorDeps, signal?: AbortSignal, priority: Priority = 'backlog'): Promise<ItemOutcome> {
  const { index, clock } = deps;
  const m = item.mappingId;
  const absPath = deps.diskPath(m, item.relPath);
  // A file still being written gives its queue slot back after a short wait (E_NOT_SETTLED → requeued
  // and looked at again after settleMs) instead of holding it while a long copy goes on.
  const identity = await awaitSettled(absPath, { fs: deps.fs, clock, settleMs: deps.settleMs, maxWaitMs: Math.max(2 * deps.settleMs, 1000), signal });
  if (identity.size === 0) {
    // Drive rejects size 0 (1061002); the planner normally skips these already.
    return { status: 'skipped', reason: 'empty-file' };
  }
  const before = index.getFile(m, item.relPath);
  index.upsertFile({ ...(before ?? newRecord(m, item.relPath, identity)), state: 'uploading', reason: null });

  const parentToken = await deps.folders.ensure(m, parentOf(item.relPath), signal);
  let fileToken = item.op === 'uploadVersion' ? item.fileToken : (before?.remoteToken ?? undefined);
  if (fileToken === undefined && wasInterrupted(before)) {
    const recovery = await recoverInterrupted(before, identity, parentToken, nameOf(item.relPath), deps, signal);
    if (recovery.kind === 'adopt') {
      const { entry } = recovery;
      const hash = await contentHash(item, identity, absPath, deps, signal);
      const activity = { at: clock.now(), mappingId: m, relPath: item.relPath, kind: 'uploaded' as const, remoteToken: entry.token, url: entry.url ?? null, detail: 'found in Feishu after an interrupted upload' };
      index.transaction(() => {
        index.upsertFile({ ...before, hash, remoteToken: entry.token, remoteParentToken: parentToken, state: 'synced', reason: null, failures: 0, lastSyncedAt: clock.now() });
        deps.journal.remove(m, item.relPath);
        index.addActivity(activity);
      });
      return { status: 'done', activity };
    }
    if (recovery.kind === 'versionOf') fileToken = recovery.fileToken;
  }
  const job: UploadJob = {
    journalKey: m,
    relPath: item.relPath,
    absPath,
    fileName: nameOf(item.relPath),
    parent: { kind: 'explorer', folderToken: parentToken },
    fileToken,
    identity,
    knownTokens: () => new Set(index.listFiles(m).flatMap((f) => (f.remoteToken ? [f.remoteToken] : []))),
  };
  const ctx = {
    drive: deps.drive, calls: deps.calls, fs: deps.fs, clock, journal: deps.journal,
    blockConcurrency: deps.blockConcurrency, uploadTtlMs: deps.uploadTtlMs, signal, takeBandwidth: deps.takeBandwidth,
    runBlock: deps.blocksForFile?.(priority).run,
    onProgress: (bytesDone: number, bytesTotal: number) => deps.onProgress?.({ mappingId: m, relPath: item.relPath, bytesDone, bytesTotal }),
  };

  let upload;
  try {
    upload = await uploadFile(job, ctx);
  } catch (e) {
    // 1061007 / 1061003: the remote file was deleted meanwhile: upload as a new file.
    if (!(job.fileToken && isFeishuError(e) && e.action === 'uploadAsNew')) throw e;
    deps.journal.remove(m, item.relPath);
    upload = await uploadFile({ ...job, fileToken: undefined }, ctx);
  }
  const { result, superseded } = upload;
  const versioned = job.fileToken !== undefined && result.fileToken === job.fileToken;
  const base: FileRecord = {
    ...(index.getFile(m, item.relPath) ?? newRecord(m, item.relPath, identity)),
    size: identity.size, mtimeNs: identity.mtimeNs, ino: identity.ino,
    remoteToken: result.fileToken, remoteParentToken: parentToken, remoteVersion: result.version ?? null,
  };
  if (superseded) {
    // Keep the token (the next upload is a version of it) but never call a torn upload synced.
    index.upsertFile({ ...base, hash: null, state: 'pending', reason: 'changed during upload' });
    return { status: 'requeue', reason: `${item.relPath} changed during the upload` };
  }
  // The hash computed while upload_all read the bytes (identity re-checked after the upload); chunked files get a pass of their own.
  const hash = upload.contentHash ?? (await contentHash(item, identity, absPath, deps, signal));
  index.upsertFile({ ...base, hash, state: 'synced', reason: null, failures: 0, lastSyncedAt: clock.now() });
  const activity = {
    at: clock.now(), mappingId: m, relPath: item.relPath, kind: versioned ? ('versioned' as const) : ('uploaded' as const),
    remoteToken: result.fileToken, url: result.url ?? null, detail: null,
  };
  index.addActivity(activity);
  return { status: 'done', activity };
}

/** The hash of the uploaded content, so later renames are detected; null if it cannot be known for sure. */
async function contentHash(item: UploadPlanItem, identity: FileIdentity, absPath: string, deps: ExecutorDeps, signal?: AbortSignal): Promise<string | null> {
  if (item.hash && sameIdentity(item, identity)) return item.hash;
  try {
    const hash = await deps.fs.hashFile(absPath, signal);
    return sameIdentity(await deps.fs.stat(absPath), identity) ? hash : null;
  } catch {
    return null; // gone or unreadable right after the upload: the next scan decides
  }
}

function newRecord(mappingId: string, relPath: string, identity: FileIdentity): FileRecord {
  return {
    mappingId, relPath, size: identity.size, mtimeNs: identity.mtimeNs, ino: identity.ino, hash: null,
    remoteToken: null, remoteParentToken: null, remoteVersion: null,
    state: 'pending', reason: null, failures: 0, lastSyncedAt: null,
  };
}
