/**
 * Resumable block upload: upload_prepare → upload_part × N → upload_finish.
 * The upload_id is journaled BEFORE the first part is sent and every
 * acknowledged block right after its ack, so a crash at any point resumes by
 * sending only the blocks Drive has not acknowledged — provided the file is
 * unchanged (size, mtime, inode) and the upload has not expired.
 * Memory stays bounded: at most `blockConcurrency` blocks are being read/sent.
 */
import { BLOCK_SIZE, blockCount } from '../feishu/limits.js';
import { isFeishuError } from '../feishu/feishuError.js';
import type { ChunkUploadRecord } from '../index/types.js';
import { sameIdentity } from './localFiles.js';
import { isSourceChanged, SyncError } from './syncError.js';
import { runCreatingCall, type UploadContext, type UploadJob, type UploadOutcome } from './uploadJob.js';

/** Restarts from scratch (expired id, block count mismatch, …) before giving up. */
const MAX_RESTARTS = 2;
/** Resends of one block rejected for its checksum (1062008). */
const MAX_CHECKSUM_RESENDS = 3;
/** Do not resume an upload that expires sooner than this. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

function hasAction(e: unknown, ...actions: string[]): boolean {
  return isFeishuError(e) && actions.includes(e.action);
}

function blockLength(size: number, seq: number, blockSize: number): number {
  return Math.min(blockSize, size - seq * blockSize);
}

export async function uploadChunked(job: UploadJob, ctx: UploadContext): Promise<UploadOutcome> {
  for (let restarts = 0; ; restarts++) {
    const { record, resumed } = await openUpload(job, ctx);
    try {
      await sendMissingBlocks(job, ctx, record);
      return await finish(job, ctx, record);
    } catch (e) {
      if (isSourceChanged(e)) {
        ctx.journal.remove(job.journalKey, job.relPath);
        throw e;
      }
      // A resumed upload_id Drive no longer knows (finished or dropped on its side) is started over.
      const staleResume = resumed && isFeishuError(e) && e.kind === 'fatalForFile';
      if ((staleResume || hasAction(e, 'restartUpload', 'resendMissingBlocks')) && restarts < MAX_RESTARTS) {
        ctx.journal.remove(job.journalKey, job.relPath);
        continue;
      }
      // Anything else (network, pause, quota) keeps the journal: the next attempt resumes.
      throw e;
    }
  }
}

/** Resume the journaled upload when still valid for this exact file, else prepare a new one. */
async function openUpload(job: UploadJob, ctx: UploadContext): Promise<{ record: ChunkUploadRecord; resumed: boolean }> {
  const existing = ctx.journal.get(job.journalKey, job.relPath);
  if (existing) {
    const parentToken = job.parent.kind === 'explorer' ? job.parent.folderToken : job.parent.parentNode;
    const resumable =
      sameIdentity(existing, job.identity) &&
      existing.expiresAt - EXPIRY_MARGIN_MS > ctx.clock.now() &&
      existing.parentToken === parentToken &&
      existing.fileToken === (job.fileToken ?? null) &&
      existing.blockNum === Math.ceil(job.identity.size / existing.blockSize);
    if (resumable) return { record: existing, resumed: true };
    ctx.journal.remove(job.journalKey, job.relPath);
  }
  const prepared = await ctx.calls.run(
    () => ctx.drive.uploadPrepare({ fileName: job.fileName, parent: job.parent, size: job.identity.size, fileToken: job.fileToken }),
    ctx.signal,
  );
  const blockSize = prepared.blockSize > 0 ? prepared.blockSize : BLOCK_SIZE;
  const blockNum = prepared.blockNum > 0 ? prepared.blockNum : blockCount(job.identity.size);
  const now = ctx.clock.now();
  const record: ChunkUploadRecord = {
    mappingId: job.journalKey,
    relPath: job.relPath,
    uploadId: prepared.uploadId,
    blockSize,
    blockNum,
    ackedBlocks: new Map(),
    startedAt: now,
    expiresAt: now + ctx.uploadTtlMs,
    size: job.identity.size,
    mtimeNs: job.identity.mtimeNs,
    ino: job.identity.ino,
    fileToken: job.fileToken ?? null,
    parentToken: job.parent.kind === 'explorer' ? job.parent.folderToken : job.parent.parentNode,
  };
  ctx.journal.start(record);
  return { record, resumed: false };
}

/** Check the file is still the one the upload was started for. */
async function assertUnchanged(job: UploadJob, ctx: UploadContext): Promise<void> {
  const now = await ctx.fs.stat(job.absPath);
  if (!sameIdentity(now, job.identity)) {
    throw new SyncError('E_SOURCE_CHANGED', `${job.relPath} changed during the upload`, { relPath: job.relPath });
  }
}

async function sendMissingBlocks(job: UploadJob, ctx: UploadContext, record: ChunkUploadRecord, resendAll = false): Promise<void> {
  const total = job.identity.size;
  const todo: number[] = [];
  let done = 0;
  for (let seq = 0; seq < record.blockNum; seq++) {
    if (!resendAll && record.ackedBlocks.has(seq)) done += blockLength(total, seq, record.blockSize);
    else todo.push(seq);
  }
  const inFlightBytes = new Map<number, number>();
  const report = () => {
    let flying = 0;
    for (const n of inFlightBytes.values()) flying += n;
    ctx.onProgress?.(Math.min(total, done + flying), total);
  };
  report();

  let failure: unknown;
  const sendOne = async (seq: number): Promise<void> => {
    const length = blockLength(total, seq, record.blockSize);
    for (let attempt = 0; ; attempt++) {
      await assertUnchanged(job, ctx);
      await ctx.takeBandwidth?.(length, ctx.signal);
      inFlightBytes.set(seq, 0);
      try {
        const runBlock = ctx.runBlock ?? (<T>(f: () => Promise<T>) => f());
        const { checksum } = await runBlock(() => ctx.calls.run(
          () =>
            ctx.drive.uploadPart({
              media: job.parent.kind === 'media',
              uploadId: record.uploadId,
              seq,
              source: {
                path: job.absPath,
                start: seq * record.blockSize,
                length,
                onBytes: (n) => {
                  inFlightBytes.set(seq, (inFlightBytes.get(seq) ?? 0) + n);
                  report();
                },
              },
            }),
          ctx.signal,
        ));
        // Journal the ack before anything relies on it (crash-safe resume).
        ctx.journal.ack(job.journalKey, job.relPath, seq, checksum);
        record.ackedBlocks.set(seq, checksum);
        done += length;
        return;
      } catch (e) {
        if (hasAction(e, 'resendBlock') && attempt < MAX_CHECKSUM_RESENDS) continue; // 1062008: re-read and resend
        throw e;
      } finally {
        inFlightBytes.delete(seq);
        report();
      }
    }
  };

  // A small worker pool: `blockConcurrency` blocks in flight, no more (bounded memory).
  let next = 0;
  const worker = async () => {
    while (failure === undefined && next < todo.length) {
      if (ctx.signal?.aborted) {
        failure ??= new SyncError('E_ABORTED', `${job.relPath}: upload paused`, { relPath: job.relPath });
        return;
      }
      const seq = todo[next++]!;
      try {
        await sendOne(seq);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(ctx.blockConcurrency, todo.length)) }, worker);
  await Promise.all(workers);
  if (failure !== undefined) throw failure;
}

async function finish(job: UploadJob, ctx: UploadContext, record: ChunkUploadRecord): Promise<UploadOutcome> {
  for (let missingRounds = 0; ; missingRounds++) {
    await assertUnchanged(job, ctx);
    try {
      const finishOnce = () => ctx.drive.uploadFinish({ media: job.parent.kind === 'media', uploadId: record.uploadId, blockNum: record.blockNum });
      const result = await runCreatingCall(job, ctx, finishOnce);
      ctx.journal.remove(job.journalKey, job.relPath);
      return result;
    } catch (e) {
      // 1062010: Drive lacks blocks. Send the unacknowledged ones; when the journal
      // believes every block arrived, Drive lost some: send them all once more.
      if (hasAction(e, 'resendMissingBlocks') && missingRounds === 0) {
        const allAcked = record.ackedBlocks.size >= record.blockNum;
        await sendMissingBlocks(job, ctx, record, allAcked);
        continue;
      }
      throw e;
    }
  }
}
