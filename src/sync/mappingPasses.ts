/**
 * One mapping's passes: scan (full, or targeted at the paths the watcher
 * reported) → plan → run, and what follows an outcome: failure backoff,
 * waiting for the quota reset, re-queueing files that changed mid-upload,
 * stopping the mapping when the user must act.
 */
import { adoptRemote, writeAdoption } from '../index/adoptRemote.js';
import { verifyRemote } from '../index/verifyRemote.js';
import type { ActivityRecord, CleanStamp, FileRecord, VerificationCounts } from '../index/types.js';
import type { Clock } from '../platform/clock.js';
import { planSync, type PlanPolicy } from '../plan/planSync.js';
import type { PlanItem } from '../plan/types.js';
import { IgnoreMatcher } from '../scan/ignoreRules.js';
import { scanMapping } from '../scan/scanner.js';
import { ScanError } from '../scan/scanError.js';
import { MappingWatcher } from '../scan/watcher.js';
import type { DriveApi } from '../feishu/driveApi.js';
import { LOCAL_ERROR_CODES } from '../feishu/errorCodes.js';
import type { IndexStore } from '../index/types.js';
import type { DriveCalls } from './driveCalls.js';
import type { EngineErrorInfo, SyncSummary } from './engineApi.js';
import type { EngineScheduler } from './engineScheduler.js';
import type { SyncEngine, SyncEngineOptions } from './engine.js';
import type { Executor } from './executor.js';
import type { ItemOutcome } from './itemOutcome.js';
import { LiveTree } from './liveTree.js';
import type { MappingRuntime, PassRequest } from './mappingRuntime.js';
import { runPlan, type RunReport } from './planRunner.js';
import { canStamp, cleanStampFor, planRules, stillClean } from './cleanStamp.js';
import { freshScan, ignoredPaths, samePaths } from './scanReuse.js';
import { listRemoteTree } from './remoteListing.js';
import type { Priority } from './schedulerApi.js';
import { isAbort, toErrorInfo } from './syncError.js';
import { addOutcome, addPlannedItem, unchangedCount } from './syncSummary.js';

export interface PassResult {
  activity?: ActivityRecord;
  error?: EngineErrorInfo;
}

export interface PassesDeps extends SyncEngineOptions {
  drive: DriveApi;
  calls: DriveCalls;
  executor: Executor;
  engine: SyncEngine;
}

/** Passes of one syncOnce that may re-run files which changed mid-upload. */
const MAX_ONCE_PASSES = 3;
/** Wait before retrying a pass that failed as a whole (offline, root unreadable). */
const PASS_RETRY_MS = 60_000;

export class MappingPasses {
  private readonly index: IndexStore;
  private readonly clock: Clock;
  private readonly scheduler: EngineScheduler;

  constructor(private readonly deps: PassesDeps) {
    this.index = deps.index;
    this.clock = deps.clock;
    this.scheduler = deps.scheduler;
  }

  /** Live mode: watch the root, rescan periodically, and run a first full pass. */
  async startLive(rt: MappingRuntime): Promise<void> {
    const { engine } = this.deps;
    try {
      await this.prepareIgnore(rt);
      const options = {
        root: rt.settings.localPath, ignore: rt.ignore!, clock: this.clock, debounceMs: this.deps.debounceMs,
        onChanges: (batch: { files: Set<string>; folders: Set<string> }) => engine.requestPass(rt, batch),
        onWatchLimit: (message: string) => {
          rt.watchLimited = true;
          engine.events.emit({ type: 'watchLimit', mappingId: rt.settings.id, message });
        },
        onError: (e: Error) => engine.reportError(toErrorInfo(e, this.clock.now()), rt.settings.id),
      };
      rt.watcher = (this.deps.createWatcher?.(options) ?? new MappingWatcher(options)) as MappingWatcher;
      await rt.watcher.start();
    } catch (e) {
      engine.reportError(toErrorInfo(e, this.clock.now()), rt.settings.id);
    }
    void this.periodicRescans(rt);
    engine.requestPass(rt, { full: true });
  }

  /** Run requested passes until none is pending. */
  async drain(rt: MappingRuntime): Promise<void> {
    const { engine } = this.deps;
    for (let req = rt.take(); req; req = rt.take()) {
      if (!engine.isRunning || rt.blocked || rt.controller.signal.aborted) {
        rt.request(req); // kept for resume / syncNow
        return;
      }
      try {
        await this.livePass(rt, req);
      } catch (e) {
        if (isAbort(e)) return;
        const error = toErrorInfo(e, this.clock.now());
        // A missing/unreadable root needs the user; anything else is the network. Both are retried.
        engine.setStatus(rt, e instanceof ScanError ? 'stopped' : 'offline', error);
        engine.reportError(error, rt.settings.id);
        this.after(PASS_RETRY_MS, () => engine.requestPass(rt, { full: true }));
        return;
      }
    }
  }

  /** `syncOnce` for one mapping: everything eligible, re-running files that changed mid-upload. */
  async runOnce(rt: MappingRuntime, summary: SyncSummary & { plannedCost?: Record<string, number> }, dryRun: boolean, verify = false): Promise<void> {
    const { engine } = this.deps;
    try {
      engine.setStatus(rt, 'scanning');
      // A new process (the CLI) whose last run left nothing to do, over a tree and rules as they were then.
      const clean = !dryRun && !verify ? await this.cleanSinceLastRun(rt) : undefined;
      if (clean) {
        summary.unchanged += clean.unchanged;
        summary.skipped.push(...clean.skipped);
        this.finishPass(rt);
        return;
      }
      const adopted = await this.fullScan(rt);
      if (adopted !== undefined) (summary.rebuilt ??= []).push({ mappingId: rt.settings.id, summary: adopted });
      if (verify) (summary.verified ??= []).push({ mappingId: rt.settings.id, ...(await this.verifyRemote(rt, dryRun)) });
      const planned = this.plan(rt, false);
      let items = planned;
      let settled = true; // every item done or skipped, in every round
      summary.unchanged += unchangedCount(rt.tree!.scan.files.size, items);
      if (dryRun) {
        // The plan is only shown, so prove the folder is reachable — unless --verify just listed it.
        if (!verify) {
          await this.deps.calls.run(async () => {
            for await (const _ of this.deps.drive.listFolder(rt.settings.folderToken)) break;
          }, rt.controller.signal);
        }
        for (const item of items) addPlannedItem(summary, item);
        const planned = (summary.plannedCost ??= {});
        for (const item of items) for (const [k, v] of Object.entries(item.cost)) planned[k] = (planned[k] ?? 0) + (v ?? 0);
        engine.setStatus(rt, 'idle');
        return;
      }
      for (let pass = 1; ; pass++) {
        engine.setStatus(rt, 'syncing');
        const report = await this.execute(rt, items, 'backlog', (item, outcome) => {
          addOutcome(summary, item, outcome);
          if (outcome.status !== 'done' && outcome.status !== 'skipped') settled = false;
        });
        if (report.quotaResumesAt !== undefined) {
          summary.quotaExhausted = true;
          summary.resumesAt = report.quotaResumesAt;
          engine.reportQuota(report.quotaResumesAt, rt);
          return;
        }
        const requeued = new Set(report.outcomes.filter((o) => o.outcome.status === 'requeue').map((o) => o.item.relPath));
        if (looksOffline(report)) {
          engine.setStatus(rt, 'offline');
          return;
        }
        if (requeued.size === 0 || rt.blocked || pass >= MAX_ONCE_PASSES) break;
        await this.clock.sleep(this.deps.settings.settleMs, rt.controller.signal);
        await this.targetedScan(rt, { full: false, files: requeued, folders: new Set() });
        items = this.plan(rt, false).filter((i) => requeued.has(i.relPath));
      }
      if (settled && !rt.blocked) this.recordClean(rt, planned);
      this.finishPass(rt);
    } catch (e) {
      if (isAbort(e)) return;
      const error = toErrorInfo(e, this.clock.now());
      summary.failed.push({ path: rt.settings.localPath, reason: error.message, code: error.code });
      engine.setStatus(rt, 'stopped', error);
      engine.reportError(error, rt.settings.id);
    }
  }

  /** Keeps what the scan ignored for the next process's first digest (written only when it changed). */
  private rememberIgnored(rt: MappingRuntime): void {
    const { getIgnoredPaths, putIgnoredPaths } = this.index;
    if (!getIgnoredPaths || !putIgnoredPaths) return;
    const ignored = ignoredPaths(rt.tree!.scan);
    const before = getIgnoredPaths.call(this.index, rt.settings.id);
    if (!before || !samePaths(before, ignored)) putIgnoredPaths.call(this.index, rt.settings.id, ignored);
  }

  /**
   * The last run's clean stamp, when this process holds no tree of the
   * mapping (a new process, or a restart) and the stamp still holds: there is
   * nothing to scan or plan (see cleanStamp.ts).
   */
  private async cleanSinceLastRun(rt: MappingRuntime): Promise<CleanStamp | undefined> {
    if (rt.tree || rt.adoption !== undefined || !canStamp(this.index)) return undefined;
    await this.prepareIgnore(rt, true);
    const started = this.clock.now();
    const clean = await stillClean(this.index, rt.settings.id, rt.settings.localPath, planRules(rt.ignore!, this.policyOf(rt)));
    if (clean) {
      const files = clean.unchanged + clean.skipped.length;
      this.deps.engine.events.emit({ type: 'scanDone', mappingId: rt.settings.id, reusedLastScan: true, files, ms: this.clock.now() - started });
    }
    return clean;
  }

  /** After a run that finished everything it planned on a digest-vouched scan: the next run may skip it all. */
  private recordClean(rt: MappingRuntime, planned: readonly PlanItem[]): void {
    if (!canStamp(this.index) || !rt.tree) return;
    const stamp = cleanStampFor(rt.settings.id, rt.tree.scan, rt.scanStamp, planRules(rt.ignore!, this.policyOf(rt)), planned);
    // The app's timer passes find the same again and again: write only what is new.
    if (stamp && JSON.stringify(stamp) !== JSON.stringify(this.index.getCleanStamp(rt.settings.id))) this.index.putCleanStamp(stamp);
  }

  private async livePass(rt: MappingRuntime, req: PassRequest): Promise<void> {
    const { engine } = this.deps;
    const full = req.full || !rt.tree;
    // After a restart, or while no change came since: a tree as the last clean pass left it needs no scan.
    if (full && (await this.cleanSinceLastRun(rt))) {
      this.finishPass(rt);
      return;
    }
    if (full) {
      engine.setStatus(rt, 'scanning');
      await this.fullScan(rt);
    } else {
      await this.targetedScan(rt, req);
    }
    const items = this.plan(rt, true);
    const priority: Priority = full ? 'backlog' : 'recent';
    if (items.length > 0) engine.setStatus(rt, 'syncing');
    const report = await this.execute(rt, items, priority);
    if (report.quotaResumesAt !== undefined) {
      engine.reportQuota(report.quotaResumesAt, rt);
      this.after(report.quotaResumesAt - this.clock.now(), () => engine.requestPass(rt, { full: true }));
      return;
    }
    if (looksOffline(report)) {
      engine.setStatus(rt, 'offline');
      this.after(PASS_RETRY_MS, () => engine.requestPass(rt, { full: true }));
      return;
    }
    const requeued = report.outcomes.filter((o) => o.outcome.status === 'requeue').map((o) => o.item.relPath);
    if (requeued.length > 0) this.after(this.deps.settings.settleMs, () => engine.requestPass(rt, { files: new Set(requeued) }));
    const retryAt = Math.min(...[...rt.notBefore.values()]);
    if (Number.isFinite(retryAt)) {
      this.after(Math.max(0, retryAt - this.clock.now()), () => engine.requestPass(rt, { files: new Set(rt.notBefore.keys()) }));
    }
    const settled = report.outcomes.every((o) => o.outcome.status === 'done' || o.outcome.status === 'skipped');
    if (full && settled && rt.notBefore.size === 0 && !rt.blocked) this.recordClean(rt, items);
    if (full || items.length > 0) this.finishPass(rt);
  }

  private finishPass(rt: MappingRuntime): void {
    const { engine } = this.deps;
    if (rt.blocked) return;
    engine.setStatus(rt, 'idle');
    if (!rt.firstSyncDone) {
      rt.firstSyncDone = true;
      engine.emitMapping(rt);
      engine.events.emit({ type: 'firstSyncDone', mappingId: rt.settings.id });
    }
    engine.events.emit({ type: 'quota', quota: this.scheduler.quotaState() });
  }

  private execute(rt: MappingRuntime, items: PlanItem[], priority: Priority, extra?: (item: PlanItem, outcome: ItemOutcome) => void): Promise<RunReport> {
    if (items.length === 0) return Promise.resolve({ outcomes: [] });
    return runPlan(items, {
      executor: this.deps.executor, scheduler: this.scheduler, clock: this.clock, priority, signal: rt.controller.signal,
      onOutcome: (item, outcome) => {
        extra?.(item, outcome);
        this.onOutcome(rt, item, outcome);
      },
      onStop: () => rt.controller.abort(),
    });
  }

  private onOutcome(rt: MappingRuntime, item: PlanItem, outcome: ItemOutcome): void {
    const { engine } = this.deps;
    const activity = 'activity' in outcome ? outcome.activity : undefined;
    const error = 'error' in outcome && outcome.status !== 'quota' ? outcome.error : undefined;
    engine.finishedItem(rt, item, { activity, error });
    if (outcome.status === 'done') rt.notBefore.delete(item.relPath);
    if (outcome.status === 'failed') {
      const failures = this.index.getFile(rt.settings.id, item.relPath)?.failures ?? 1;
      rt.notBefore.set(item.relPath, this.scheduler.nextAttemptAt(failures, this.clock.now()));
    }
    const block = (target: MappingRuntime, status: 'stopped' | 'paused', e: EngineErrorInfo) => {
      target.blocked = true;
      target.controller.abort();
      engine.setStatus(target, status, e);
    };
    if (outcome.status === 'stopMapping') block(rt, 'stopped', outcome.error);
    if (outcome.status === 'stopAll') for (const other of engine.allMappings()) block(other, 'stopped', outcome.error);
    if (outcome.status === 'storageFull') {
      for (const target of outcome.scope === 'all' ? engine.allMappings() : [rt]) block(target, 'paused', outcome.error);
    }
  }

  private plan(rt: MappingRuntime, honorBackoff: boolean): PlanItem[] {
    const id = rt.settings.id;
    const tree = rt.tree!;
    const policy = this.policyOf(rt);
    const inputs = { scan: tree.scan, scanVersion: tree.version, indexWrites: this.index.writeCount?.(), policy: JSON.stringify(policy) };
    const items = rt.plans.items(inputs, () =>
      planSync({ mappingId: id, scan: tree.scan, index: { files: this.known(rt), folders: this.index.listFolders(id) }, policy }).items,
    );
    if (!honorBackoff) return [...items];
    const now = this.clock.now();
    return items.filter((i) => !(i.op === 'upload' || i.op === 'uploadVersion') || (rt.notBefore.get(i.relPath) ?? 0) <= now);
  }

  private policyOf(rt: MappingRuntime): PlanPolicy {
    // A folder moved intact is one `move` call (the executor awaits its task and re-paths the records).
    return { deletePolicy: rt.settings.deletePolicy, folderMoves: this.index.renameFolder !== undefined };
  }

  /**
   * The mapping's ignore rules; a full pass reads .feisyncignore again (one
   * small file), so an edited file takes effect, and keeps the old matcher
   * (and its cache) when the rules are the same.
   */
  private async prepareIgnore(rt: MappingRuntime, reread = false): Promise<void> {
    if (rt.ignore && !reread) return;
    const fresh = await IgnoreMatcher.forMapping(rt.settings.localPath, { extra: rt.settings.ignore, stateDir: this.deps.stateDir });
    if (rt.ignore?.rulesText !== fresh.rulesText) rt.ignore = fresh;
  }

  /** The index's records of a mapping keyed by path, as they are now (the index keeps them current in memory). */
  private known(rt: MappingRuntime): ReadonlyMap<string, FileRecord> {
    const id = rt.settings.id;
    const files = this.index.fileMap?.(id) ?? new Map(this.index.listFiles(id).map((f) => [f.relPath, f]));
    const damage = this.index.takeDamage?.(id);
    if (damage !== undefined) {
      // The records could not be read: adopt what Feishu holds before planning, as after any rebuild.
      rt.adoption = 'rebuilt';
      rt.adoptionReason = damage;
    }
    return files;
  }

  /** Returns the adoption summary when the index had to be rebuilt from the remote tree. */
  private async fullScan(rt: MappingRuntime): Promise<string | undefined> {
    await this.prepareIgnore(rt, true);
    const started = this.clock.now();
    const fresh = await freshScan({
      root: rt.settings.localPath,
      ignore: rt.ignore!,
      last: rt.tree?.scan,
      stamp: rt.scanStamp,
      indexWrites: () => this.index.writeCount?.(),
      known: () => this.known(rt),
      scan: (known) => scanMapping(rt.settings.localPath, { ignore: rt.ignore!, known, previous: rt.tree?.scan.files, signal: rt.controller.signal }),
      indexHasRecords: this.index.hasFiles?.(rt.settings.id) ?? false,
      noReuse: rt.adoption !== undefined,
      seed: this.index.digestSeed?.(),
      prune: rt.tree ? undefined : this.index.getIgnoredPaths?.(rt.settings.id),
    });
    if (!fresh.reused) {
      rt.tree = new LiveTree(fresh.scan);
      this.rememberIgnored(rt);
    }
    rt.scanStamp = fresh.stamp;
    this.deps.engine.events.emit({
      type: 'scanDone', mappingId: rt.settings.id, reusedLastScan: fresh.reused, files: fresh.scan.files.size, ms: this.clock.now() - started,
    });
    return rt.adoption ? this.adopt(rt) : undefined;
  }

  private async targetedScan(rt: MappingRuntime, req: PassRequest): Promise<void> {
    await this.prepareIgnore(rt);
    rt.scanStamp = undefined; // the tree is patched from here on: the next full pass scans
    const known = this.known(rt);
    // Records found damaged (rt.adoption set): only a full pass adopts before it plans.
    const ok = rt.tree && !rt.adoption && (await rt.tree.applyBatch(req, { root: rt.settings.localPath, ignore: rt.ignore!, known }));
    if (!ok) await this.fullScan(rt);
  }

  /**
   * The index lost this mapping (or never had it): match the remote tree to the
   * scan instead of uploading duplicates. Returns the report line, when there is
   * something to report.
   */
  private async adopt(rt: MappingRuntime): Promise<string | undefined> {
    const remote = await listRemoteTree(this.deps.drive, this.deps.calls, rt.settings.folderToken, rt.controller.signal);
    const adoption = adoptRemote({ mappingId: rt.settings.id, scan: rt.tree!.scan, remote, rootToken: rt.settings.folderToken, now: this.clock.now() });
    writeAdoption(this.index, adoption);
    const reason = rt.adoption;
    const why = rt.adoptionReason;
    rt.adoption = undefined;
    rt.adoptionReason = undefined;
    if (reason === 'new' && adoption.adopted + adoption.linked === 0) return undefined;
    const summary = why === undefined ? adoption.summary : `${why}; rebuilt from the Feishu listing: ${adoption.summary}`;
    this.deps.engine.events.emit({ type: 'indexRebuilt', mappingId: rt.settings.id, summary });
    return summary;
  }

  /** Lists the remote tree and makes the index forget what Feishu no longer has (see verifyRemote). */
  private async verifyRemote(rt: MappingRuntime, dryRun: boolean): Promise<VerificationCounts & { summary: string }> {
    const id = rt.settings.id;
    const remote = await listRemoteTree(this.deps.drive, this.deps.calls, rt.settings.folderToken, rt.controller.signal);
    const verification = verifyRemote({ files: this.known(rt).values(), folders: this.index.listFolders(id), remote, dryRun });
    if (!dryRun) {
      this.index.transaction(() => {
        for (const record of verification.lostFiles) this.index.upsertFile(record);
        for (const relPath of verification.lostFolders) this.index.deleteFolder(id, relPath);
      });
    }
    return { ...verification.counts, summary: verification.summary };
  }

  private async periodicRescans(rt: MappingRuntime): Promise<void> {
    const { engine } = this.deps;
    const signal = engine.lifetimeSignal;
    while (!signal.aborted && engine.allMappings().includes(rt)) {
      const sec = rt.watchLimited ? (this.deps.watchLimitRescanSec ?? 60) : this.deps.settings.rescanIntervalSec;
      try {
        await this.clock.sleep(Math.max(1, sec) * 1000, signal);
      } catch {
        return;
      }
      if (engine.isRunning && !rt.blocked) engine.requestPass(rt, { full: true });
    }
  }

  private after(ms: number, fn: () => void): void {
    this.clock.sleep(Math.max(0, ms), this.deps.engine.lifetimeSignal).then(fn, () => undefined);
  }
}

/** Nothing got through and every failure was a network failure: Feishu is unreachable. */
function looksOffline(report: RunReport): boolean {
  const failed = report.outcomes.filter((o) => o.outcome.status === 'failed');
  return (
    failed.length > 0 &&
    !report.outcomes.some((o) => o.outcome.status === 'done') &&
    failed.every((o) => o.outcome.status === 'failed' && o.outcome.error.code === LOCAL_ERROR_CODES.network)
  );
}
