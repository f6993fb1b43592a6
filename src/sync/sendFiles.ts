/**
 * Explicit sends (right-click "Send to Feishu", `feisync send`): files or
 * whole folders, at the top priority, into a Drive folder or attached to a
 * document as media. Not part of any mapping: the index records the activity
 * and journals chunked uploads under a key of their own per target (`send:`
 * + folder or document token), so sending the same big file to the same place
 * again after a quit or a crash sends only the blocks Feishu has not
 * acknowledged. Journal entries of sends past their upload's lifetime are
 * dropped at the next send.
 */
import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DriveApi, UploadParent } from '../feishu/driveApi.js';
import type { ActivityRecord, IndexStore } from '../index/types.js';
import { UPLOAD_ALL_MAX_BYTES, blockCount } from '../feishu/limits.js';
import type { Clock } from '../platform/clock.js';
import { uploadCost } from '../plan/callCost.js';
import { parentOf } from '../plan/relPath.js';
import type { CallCost } from '../plan/types.js';
import { IgnoreMatcher } from '../scan/ignoreRules.js';
import { scanMapping } from '../scan/scanner.js';
import { indexJournal } from './chunkJournal.js';
import type { DriveCalls } from './driveCalls.js';
import type { FileProgress, SendResult, SendTarget } from './engineApi.js';
import type { EngineScheduler } from './engineScheduler.js';
import type { SyncFs } from './localFiles.js';
import { SyncError, toErrorInfo } from './syncError.js';
import { uploadFile } from './uploader.js';
import type { UploadContext } from './uploadJob.js';

export interface SendDeps {
  drive: DriveApi;
  calls: DriveCalls;
  scheduler: EngineScheduler;
  clock: Clock;
  fs: SyncFs;
  index: IndexStore;
  blockConcurrency: number;
  uploadTtlMs: number;
  /** Where a send without a target goes (the first mapping's folder). */
  defaultFolder(): string | undefined;
  onProgress?(progress: FileProgress): void;
}

function mediaCost(size: number): CallCost {
  return size <= UPLOAD_ALL_MAX_BYTES
    ? { mediasUploadAll: 1 }
    : { mediasUploadPrepare: 1, mediasUploadPart: blockCount(size), mediasUploadFinish: 1 };
}

export async function sendPaths(paths: readonly string[], target: SendTarget | undefined, deps: SendDeps): Promise<SendResult[]> {
  const folderToken = target?.kind === 'folder' ? target.folderToken : target === undefined ? deps.defaultFolder() : undefined;
  if (target === undefined && folderToken === undefined) {
    const error = toErrorInfo(new SyncError('E_BAD_INPUT', 'no target given and no folder is mapped: pass a Feishu folder token'), deps.clock.now());
    return paths.map((path) => ({ path, ok: false, error }));
  }
  deps.index.dropExpiredChunkUploads(SEND_JOURNAL_PREFIX, deps.clock.now());
  const journal = indexJournal(deps.index);
  const results: SendResult[] = [];
  const sendFile = async (path: string, parent: UploadParent): Promise<void> => {
    try {
      const identity = await deps.fs.stat(path);
      if (identity.size === 0) throw new SyncError('E_BAD_INPUT', `${path} is empty; Feishu does not accept empty files`);
      const cost = parent.kind === 'media' ? mediaCost(identity.size) : uploadCost(identity.size);
      const { result } = await deps.scheduler.run(
        (signal) => {
          const ctx: UploadContext = {
            drive: deps.drive, calls: deps.calls, fs: deps.fs, clock: deps.clock, journal, blockConcurrency: deps.blockConcurrency,
            uploadTtlMs: deps.uploadTtlMs, signal,
            takeBandwidth: deps.scheduler.takeBandwidth?.bind(deps.scheduler),
            runBlock: deps.scheduler.blocksForFile?.('send').run,
            onProgress: (bytesDone, bytesTotal) => deps.onProgress?.({ mappingId: null, relPath: path, bytesDone, bytesTotal }),
          };
          return uploadFile({ journalKey: sendJournalKey(parent), relPath: path, absPath: path, fileName: basename(path), parent, identity }, ctx);
        },
        { priority: 'send', cost, size: identity.size, label: path },
      );
      const activity: ActivityRecord = { at: deps.clock.now(), mappingId: null, relPath: path, kind: 'sent', remoteToken: result.fileToken, url: result.url ?? null, detail: null };
      deps.index.addActivity(activity);
      results.push({ path, ok: true, fileToken: result.fileToken, ...(result.url ? { url: result.url } : {}) });
    } catch (e) {
      results.push({ path, ok: false, error: toErrorInfo(e, deps.clock.now(), path) });
    }
  };

  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = (await lstat(path)).isDirectory();
    } catch (e) {
      results.push({ path, ok: false, error: toErrorInfo(new SyncError('E_BAD_INPUT', `${path} does not exist`, { cause: e }), deps.clock.now(), path) });
      continue;
    }
    if (!isFolder) {
      await sendFile(path, parentFor(target, folderToken));
      continue;
    }
    // A folder: its tree under the target folder (or, for a document, every file attached to it).
    const scan = await scanMapping(path, { ignore: await IgnoreMatcher.forMapping(path) });
    const tokens = new Map<string, string>();
    if (folderToken !== undefined) {
      try {
        tokens.set('', await createFolder(deps, basename(path), folderToken));
        for (const rel of [...scan.folders.keys()].sort((a, b) => a.split('/').length - b.split('/').length)) {
          const parentRel = parentOf(rel);
          tokens.set(rel, await createFolder(deps, basename(rel), tokens.get(parentRel)!));
        }
      } catch (e) {
        results.push({ path, ok: false, error: toErrorInfo(e, deps.clock.now(), path) });
        continue;
      }
    }
    await Promise.all(
      [...scan.files.values()].map((file) => {
        const parentRel = parentOf(file.relPath);
        const parent = folderToken !== undefined ? { kind: 'explorer' as const, folderToken: tokens.get(parentRel)! } : parentFor(target, undefined);
        return sendFile(join(path, (file as { diskRelPath?: string }).diskRelPath ?? file.relPath), parent);
      }),
    );
  }
  return results;
}

/** Journal keys of sends start with this; no mapping's can (the settings schema allows no ':' in a mapping id). */
export const SEND_JOURNAL_PREFIX = 'send:';

function sendJournalKey(parent: UploadParent): string {
  return SEND_JOURNAL_PREFIX + (parent.kind === 'explorer' ? parent.folderToken : parent.parentNode);
}

function parentFor(target: SendTarget | undefined, folderToken: string | undefined): UploadParent {
  if (target?.kind === 'doc') {
    return {
      kind: 'media',
      parentType: `${target.docType ?? 'docx'}_${target.as}`,
      parentNode: target.docToken,
      extra: JSON.stringify({ drive_route_token: target.docToken }),
    };
  }
  return { kind: 'explorer', folderToken: folderToken! };
}

function createFolder(deps: SendDeps, name: string, parentToken: string): Promise<string> {
  return deps.scheduler.run(
    async (signal) => (await deps.calls.run(() => deps.drive.createFolder(name, parentToken), signal)).token,
    { priority: 'send', cost: { createFolder: 1 }, label: name },
  );
}
