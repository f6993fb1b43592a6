/**
 * SyncEngine: scan → plan → schedule → upload for every mapping, then live
 * watching. The index is the truth; this class holds only what can be rebuilt
 * (status, the live tree, watchers) and reports everything through one typed
 * event stream.
 */
import { isAbsolute } from 'node:path';
import type { MappingSettings } from '../config/settings.js';
import type { DriveApi } from '../feishu/driveApi.js';
import type { IndexStore } from '../index/types.js';
import type { Clock } from '../platform/clock.js';
import type { PlanItem } from '../plan/types.js';
import type {
  EngineErrorInfo, EngineEvent, EngineState, FileProgress, MappingState, MappingStatus, SendResult, SendTarget, SyncEngineApi, SyncSummary,
} from './engineApi.js';
import { EngineEvents } from './engineEvents.js';
import type { EngineScheduler } from './engineScheduler.js';
import { countingDrive, diffCounts, type CallCounts } from './countingDrive.js';
import { DriveCalls } from './driveCalls.js';
import { Executor } from './executor.js';
import { indexJournal } from './chunkJournal.js';
import { nodeSyncFs, type SyncFs } from './localFiles.js';
import { clockTime, listenableController, MappingRuntime } from './mappingRuntime.js';
import { MappingPasses, type PassResult } from './mappingPasses.js';
import { RemoteFolders } from './remoteFolders.js';
import { SCHEDULER_ERROR_REMEDIES } from './scheduler/schedulerError.js';
import { sendPaths } from './sendFiles.js';
import { SyncError } from './syncError.js';
import { emptySummary } from './syncSummary.js';
import { DEFAULT_UPLOAD_TTL_MS } from './uploadJob.js';
import type { MappingWatcher, WatcherOptions } from '../scan/watcher.js';

export interface EngineSettings {
  limits: { blockConcurrency: number };
  settleMs: number;
  rescanIntervalSec: number;
}

export interface SyncEngineOptions {
  drive: DriveApi;
  index: IndexStore;
  scheduler: EngineScheduler;
  clock: Clock;
  settings: EngineSettings;
  fs?: SyncFs;
  /** FeiSync's state folder: ignored when it lies inside a mapping root. */
  stateDir?: string;
  /** Assumed upload_id lifetime (unconfirmed by the docs). Default 24 h. */
  uploadTtlMs?: number;
  /** Watcher coalescing window. Default 300 ms. */
  debounceMs?: number;
  /** Rescan period when the OS refuses file watches. Default 60 s. */
  watchLimitRescanSec?: number;
  /** Set when openIndex rebuilt a corrupt index: adopt what is already remote before planning. */
  indexRebuilt?: { reason: string };
  /** Builds watchers (tests may pass a fake). Default: chokidar. */
  createWatcher?: (options: WatcherOptions) => Pick<MappingWatcher, 'start' | 'close'>;
}

const MAX_ERRORS = 20;

export class SyncEngine implements SyncEngineApi {
  readonly events = new EngineEvents();
  private readonly mappings = new Map<string, MappingRuntime>();
  private readonly counts: CallCounts = {};
  private readonly lastErrors: EngineErrorInfo[] = [];
  private readonly inFlight = new Map<string, FileProgress>();
  private readonly passes: MappingPasses;
  private readonly drive: DriveApi;
  private readonly calls: DriveCalls;
  private running = false;
  private sendSeq = 0;
  private paused = false;
  private lifetime = listenableController();

  constructor(private readonly options: SyncEngineOptions) {
    this.drive = countingDrive(options.drive, this.counts);
    this.calls = new DriveCalls(options.scheduler);
    const folders = new RemoteFolders(this.drive, options.index, this.calls, (id) => this.runtime(id).settings.folderToken);
    const executor = new Executor({
      drive: this.drive, index: options.index, fs: options.fs ?? nodeSyncFs, clock: options.clock, calls: this.calls, folders,
      journal: indexJournal(options.index), settleMs: options.settings.settleMs, blockConcurrency: options.settings.limits.blockConcurrency,
      uploadTtlMs: options.uploadTtlMs ?? DEFAULT_UPLOAD_TTL_MS,
      diskPath: (id, rel) => this.runtime(id).tree?.diskPath(this.runtime(id).settings.localPath, rel) ?? `${this.runtime(id).settings.localPath}/${rel}`,
      quotaResumesAt: (e) => options.scheduler.quotaResumesAt(e),
      onProgress: (p) => this.progress(p),
      takeBandwidth: options.scheduler.takeBandwidth?.bind(options.scheduler),
      blocksForFile: options.scheduler.blocksForFile?.bind(options.scheduler),
    });
    this.passes = new MappingPasses({ ...options, drive: this.drive, calls: this.calls, executor, engine: this });
  }

  // ── public API ──────────────────────────────────────────────────────────

  addMapping(mapping: MappingSettings): void {
    if (!isAbsolute(mapping.localPath)) throw new SyncError('E_BAD_INPUT', `mapping ${mapping.id}: local path must be absolute, got ${mapping.localPath}`);
    if (!mapping.folderToken) throw new SyncError('E_BAD_INPUT', `mapping ${mapping.id}: the Feishu folder token is empty`);
    if (this.mappings.has(mapping.id)) this.removeMapping(mapping.id);
    const rt = new MappingRuntime(mapping);
    if (this.paused) rt.status = 'paused';
    const binding = this.options.index.bindMapping?.({ id: mapping.id, localRoot: mapping.localPath, folderToken: mapping.folderToken });
    // No records for this pair (fresh state folder, rebuilt or rebound index) while the Feishu folder
    // may already hold these files: list it once and adopt them rather than upload duplicates.
    rt.adoption = this.options.indexRebuilt !== undefined ? 'rebuilt' : binding === 'rebound' || binding === 'new' ? binding : undefined;
    this.mappings.set(mapping.id, rt);
    this.emitMapping(rt);
    if (this.running && !this.paused && !mapping.paused) void this.passes.startLive(rt);
  }

  removeMapping(id: string): void {
    const rt = this.mappings.get(id);
    if (!rt) return;
    rt.controller.abort(new SyncError('E_ABORTED', `mapping ${id} removed`));
    void rt.watcher?.close();
    this.mappings.delete(id);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.lifetime = listenableController();
    this.emitState();
    await Promise.all(this.active().map((rt) => this.passes.startLive(rt)));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.lifetime.abort(new SyncError('E_ABORTED', 'sync stopped'));
    const loops: Promise<void>[] = [];
    for (const rt of this.mappings.values()) {
      rt.controller.abort(new SyncError('E_ABORTED', 'sync stopped'));
      if (rt.loop) loops.push(rt.loop);
      if (rt.watcher) loops.push(rt.watcher.close());
      rt.watcher = undefined;
    }
    await Promise.allSettled(loops);
    for (const rt of this.mappings.values()) rt.renewController();
    this.emitState();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.options.scheduler.pause();
    for (const rt of this.mappings.values()) {
      rt.controller.abort(new SyncError('E_ABORTED', 'sync paused'));
      this.setStatus(rt, 'paused');
    }
    this.emitState();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.options.scheduler.resume();
    for (const rt of this.mappings.values()) {
      rt.renewController();
      if (rt.settings.paused) continue;
      this.setStatus(rt, 'idle');
      if (this.running) this.requestPass(rt, { full: true });
    }
    this.emitState();
  }

  async syncNow(mappingId?: string): Promise<void> {
    if (!this.running) {
      await this.syncOnce(mappingId === undefined ? {} : { mappingId });
      return;
    }
    for (const rt of this.targets(mappingId)) {
      this.unblock(rt);
      this.requestPass(rt, { full: true });
    }
    await Promise.all(this.targets(mappingId).map((rt) => rt.loop));
  }

  async syncOnce(options: { mappingId?: string; dryRun?: boolean; verify?: boolean } = {}): Promise<SyncSummary> {
    const summary = emptySummary();
    const before = { ...this.counts };
    for (const rt of this.targets(options.mappingId)) {
      if (this.paused) break;
      this.unblock(rt);
      await rt.loop; // never two passes of one mapping at once
      const pass = this.passes.runOnce(rt, summary, options.dryRun ?? false, options.verify ?? false);
      rt.loop = pass.then(() => undefined, () => undefined);
      await pass;
      rt.loop = undefined;
    }
    summary.callsByEndpoint = diffCounts(this.counts, before);
    return summary;
  }

  async send(paths: string[], target?: SendTarget): Promise<SendResult[]> {
    const results = await sendPaths(paths, target, {
      drive: this.drive, calls: this.calls, scheduler: this.options.scheduler, clock: this.options.clock,
      fs: this.options.fs ?? nodeSyncFs, blockConcurrency: this.options.settings.limits.blockConcurrency,
      uploadTtlMs: this.options.uploadTtlMs ?? DEFAULT_UPLOAD_TTL_MS, index: this.options.index,
      defaultFolder: () => this.active()[0]?.settings.folderToken,
      onProgress: (p: FileProgress) => this.progress(p),
    });
    const sendId = `send-${this.options.clock.now()}-${++this.sendSeq}`;
    this.events.emit({ type: 'sendDone', sendId, results });
    return results;
  }

  retryFailed(mappingId?: string): void {
    for (const rt of this.targets(mappingId)) {
      rt.notBefore.clear();
      this.unblock(rt);
      const failed = this.options.index.listFiles(rt.settings.id).filter((f) => f.state === 'failed').map((f) => f.relPath);
      this.requestPass(rt, { files: new Set(failed) });
    }
  }

  getState(): EngineState {
    return {
      running: this.running,
      paused: this.paused,
      online: ![...this.mappings.values()].some((rt) => rt.status === 'offline'),
      mappings: [...this.mappings.values()].map((rt) => this.mappingState(rt)),
      quota: this.options.scheduler.quotaState(),
      inFlight: [...this.inFlight.values()],
      recent: this.options.index.recentActivity(20),
      lastErrors: [...this.lastErrors],
    };
  }

  on(listener: (event: EngineEvent) => void): () => void {
    return this.events.on(listener);
  }

  // ── used by MappingPasses ───────────────────────────────────────────────

  get isRunning(): boolean {
    return this.running && !this.paused;
  }

  get lifetimeSignal(): AbortSignal {
    return this.lifetime.signal;
  }

  allMappings(): MappingRuntime[] {
    return [...this.mappings.values()];
  }

  requestPass(rt: MappingRuntime, req: { full?: boolean; files?: Set<string>; folders?: Set<string> }): void {
    rt.request(req);
    if (!rt.loop && this.mappings.get(rt.settings.id) === rt) {
      rt.loop = this.passes.drain(rt).finally(() => {
        rt.loop = undefined;
        if (rt.pending && this.isRunning && !rt.blocked && !rt.controller.signal.aborted) this.requestPass(rt, {});
      });
    }
  }

  setStatus(rt: MappingRuntime, status: MappingStatus, error?: EngineErrorInfo): void {
    if (error) rt.error = error;
    if (rt.status === status && !error) return;
    rt.status = status;
    this.emitMapping(rt);
  }

  reportError(error: EngineErrorInfo, mappingId?: string): void {
    this.lastErrors.push(error);
    if (this.lastErrors.length > MAX_ERRORS) this.lastErrors.shift();
    this.events.emit({ type: 'error', error, mappingId });
  }

  reportQuota(resumesAt: number, rt?: MappingRuntime): void {
    const error = { code: 'E_QUOTA', message: `quota exhausted, resumes at ${clockTime(resumesAt)}`, remedy: SCHEDULER_ERROR_REMEDIES.E_QUOTA, at: this.options.clock.now() };
    if (rt) this.setStatus(rt, 'waiting-quota', error);
    this.reportError(error, rt?.settings.id);
    this.events.emit({ type: 'quota', quota: this.options.scheduler.quotaState() });
  }

  finishedItem(rt: MappingRuntime, _item: PlanItem, result: PassResult): void {
    if (result.activity) this.events.emit({ type: 'fileDone', activity: result.activity });
    if (result.error) this.reportError(result.error, rt.settings.id);
    this.inFlight.delete(`${rt.settings.id}\u0000${_item.relPath}`);
  }

  emitMapping(rt: MappingRuntime): void {
    this.events.emit({ type: 'mapping', mapping: this.mappingState(rt) });
  }

  // ── internals ───────────────────────────────────────────────────────────

  /** The user acted (sync now, retry): a stopped mapping may try again. */
  private unblock(rt: MappingRuntime): void {
    rt.blocked = false;
    rt.error = undefined;
    if (rt.controller.signal.aborted && !this.paused) rt.renewController();
  }

  private runtime(id: string): MappingRuntime {
    const rt = this.mappings.get(id);
    if (!rt) throw new SyncError('E_UNKNOWN_MAPPING', `unknown mapping ${id}`);
    return rt;
  }

  private active(): MappingRuntime[] {
    return [...this.mappings.values()].filter((rt) => !rt.settings.paused);
  }

  private targets(mappingId?: string): MappingRuntime[] {
    return mappingId === undefined ? this.active() : [this.runtime(mappingId)];
  }

  private progress(p: FileProgress): void {
    const key = `${p.mappingId ?? ''}\u0000${p.relPath}`;
    if (p.bytesDone >= p.bytesTotal) this.inFlight.delete(key);
    else this.inFlight.set(key, p);
    this.events.emit({ type: 'progress', progress: p });
  }

  private mappingState(rt: MappingRuntime): MappingState {
    return rt.state(this.options.index.countByState(rt.settings.id));
  }

  private emitState(): void {
    this.events.emit({ type: 'state', state: this.getState() });
  }
}

