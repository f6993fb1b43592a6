/**
 * The live state of one mapping inside the engine: status, last error, the
 * in-memory tree, the watcher, and the pending work request. Everything here
 * can be rebuilt from the index and a scan.
 */
import { setMaxListeners } from 'node:events';
import type { MappingSettings } from '../config/settings.js';
import type { IgnoreMatcher } from '../scan/ignoreRules.js';
import type { MappingWatcher } from '../scan/watcher.js';
import type { FileState } from '../index/types.js';
import type { EngineErrorInfo, MappingState, MappingStatus } from './engineApi.js';
import type { LiveTree } from './liveTree.js';
import { PlanReuse } from './planReuse.js';
import type { ScanStamp } from './scanReuse.js';

/** Work asked of a mapping: a full scan, or targeted rescans of touched paths. */
export interface PassRequest {
  full: boolean;
  files: Set<string>;
  folders: Set<string>;
}

export class MappingRuntime {
  status: MappingStatus = 'idle';
  error: EngineErrorInfo | undefined;
  /** Set while the mapping needs the user (permission, folder gone, storage full). */
  blocked = false;
  firstSyncDone = false;
  tree: LiveTree | undefined;
  /** Vouches that `tree` still describes the disk (see scanReuse.ts). */
  scanStamp: ScanStamp | undefined;
  /** The last plan of `tree`, while nothing it came from changed. */
  readonly plans = new PlanReuse();
  ignore: IgnoreMatcher | undefined;
  watcher: MappingWatcher | undefined;
  /** Rescan on a timer only: the OS refused more file watches. */
  watchLimited = false;
  /** Aborted on pause / stop / removal: in-flight work finishes its call and stops. */
  controller = listenableController();
  loop: Promise<void> | undefined;
  pending: PassRequest | undefined;
  /**
   * The index holds no records for this mapping (index rebuilt, mapping rebound
   * to another folder pair, or first seen): adopt what is already remote before
   * planning. 'new' is reported only when something was actually found.
   */
  adoption: 'rebuilt' | 'rebound' | 'new' | undefined;
  /** Why, when the index found this mapping's records damaged (said in the rebuild's summary). */
  adoptionReason: string | undefined;
  /** Failed files and when they may be tried again (FailureBackoff). */
  notBefore = new Map<string, number>();

  constructor(public settings: MappingSettings) {
    if (settings.paused) this.status = 'paused';
  }

  request(req: Partial<PassRequest>): void {
    const p = (this.pending ??= { full: false, files: new Set(), folders: new Set() });
    if (req.full) p.full = true;
    for (const f of req.files ?? []) p.files.add(f);
    for (const f of req.folders ?? []) p.folders.add(f);
  }

  take(): PassRequest | undefined {
    const p = this.pending;
    this.pending = undefined;
    return p;
  }

  /** The public picture of this mapping, with the index's counts per file state. */
  state(counts: Record<FileState, number>): MappingState {
    const { id, localPath, folderToken, folderUrl } = this.settings;
    return {
      id, localPath, folderToken, ...(folderUrl ? { folderUrl } : {}),
      status: this.status, pending: counts.pending, uploading: counts.uploading, failed: counts.failed, skipped: counts.skipped, synced: counts.synced,
      ...(this.error ? { error: this.error } : {}), firstSyncDone: this.firstSyncDone,
    };
  }

  renewController(): void {
    this.controller.abort();
    this.controller = listenableController();
  }
}

/** Every queued job listens on its mapping's signal: thousands of listeners are expected, not a leak. */
export function listenableController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** "HH:MM" in the machine's local time, for "quota exhausted, resumes at HH:MM". */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
