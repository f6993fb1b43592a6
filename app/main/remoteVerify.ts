/**
 * "Check for files missing in Feishu" (tray and settings window): one
 * `engine.syncOnce({ mappingId, verify: true })`. It lists the mapping's Feishu
 * folder tree — a call per folder page, which is why it runs only when the user
 * asks — forgets what was deleted there and uploads it again in the same pass.
 */
import type { MappingSettings } from '../../src/config/settings.js';
import type { SyncEngineApi } from '../../src/sync/engineApi.js';
import type { VerifyReport } from '../shared/bridgeApi.js';
import { AppError } from './appError.js';
import { NOT_CONFIGURED_CODE } from './engineHolder.js';
import type { MainMessages } from './mainMessages.js';
import type { Notice } from './notificationThrottle.js';
import { folderName } from './trayMenu.js';

/**
 * Checks one mapping and resolves when its pass is done. A second request for a
 * mapping being checked joins the first: a double click must not list twice.
 */
export function createRemoteVerifier(engine: SyncEngineApi): (mappingId: string) => Promise<VerifyReport> {
  const running = new Map<string, Promise<VerifyReport>>();
  return (mappingId) => {
    const existing = running.get(mappingId);
    if (existing) return existing;
    const check = verifyOnce(engine, mappingId).finally(() => running.delete(mappingId));
    running.set(mappingId, check);
    return check;
  };
}

async function verifyOnce(engine: SyncEngineApi, mappingId: string): Promise<VerifyReport> {
  const state = engine.getState();
  const before = state.mappings.find((m) => m.id === mappingId);
  if (!before) {
    // The engine does not run (no account, no secret, the CLI daemon syncs): it says why.
    const why = state.lastErrors.find((e) => e.code === NOT_CONFIGURED_CODE);
    throw new AppError('E_UNAVAILABLE', why?.message ?? 'FeiSync is not syncing this folder yet.', why?.remedy ?? 'Wait until the folder shows its status, then check again.');
  }
  // syncOnce would run a paused mapping when asked for it by id: a pause means no uploads.
  if (before.status === 'paused') throw paused(before.localPath);
  const summary = await engine.syncOnce({ mappingId, verify: true });
  const verified = summary.verified?.find((v) => v.mappingId === mappingId);
  if (!verified) {
    // No listing: the pass stopped on an error (the mapping says which), or a pause cut it short.
    const after = engine.getState().mappings.find((m) => m.id === mappingId);
    if (after?.status === 'stopped' && after.error) throw new AppError('E_SYNC_STOPPED', after.error.message, after.error.remedy);
    if (after?.status === 'paused') throw paused(before.localPath);
    throw new AppError('E_UNAVAILABLE', `The check of ${before.localPath} was cut short before Feishu was listed.`, 'Check again once the folder shows its status.');
  }
  return {
    mappingId,
    checked: verified.checked,
    listed: verified.listed,
    lostFiles: verified.lostFiles,
    lostFolders: verified.lostFolders,
    uploaded: summary.uploaded.length,
    failed: summary.failed.length,
    quotaExhausted: summary.quotaExhausted,
  };
}

function paused(localPath: string): AppError {
  return new AppError('E_UNAVAILABLE', `Syncing of ${localPath} is paused, so Feishu was not checked.`, 'Resume syncing, then check again.');
}

/** The notification that answers the tray's "Check for files missing in Feishu"; clicking it opens the folder in Feishu. */
export function verifyNotice(t: MainMessages, mapping: Pick<MappingSettings, 'localPath' | 'folderUrl'>, report: VerifyReport): Pick<Notice, 'title' | 'body' | 'openUrl'> {
  return { title: t.verifyTitle(folderName(mapping.localPath)), body: t.verifyBody(report), ...(mapping.folderUrl ? { openUrl: mapping.folderUrl } : {}) };
}
