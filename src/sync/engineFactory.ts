/**
 * How the CLI and the app get an engine: `createSyncEngine` from parts, or
 * `createEngineFromSettings` wiring the real Feishu client, the SQLite index
 * and the scheduler from the settings file.
 */
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { FeishuClient, type Credentials } from '../feishu/client.js';
import { openIndex, type OpenedIndex } from '../index/openIndex.js';
import { systemClock, type Clock, type Random } from '../platform/clock.js';
import { INDEX_FILE_NAME } from '../platform/stateDir.js';
import { createScheduler, isQuotaExhaustedError, Scheduler, schedulerOptionsFromLimits, type SchedulerOptions } from './scheduler/index.js';
import { SyncEngine, type SyncEngineOptions } from './engine.js';
import type { EngineScheduler } from './engineScheduler.js';

/** `scheduler` may be the real Scheduler (createScheduler) or any EngineScheduler (tests). */
export type CreateSyncEngineOptions = Omit<SyncEngineOptions, 'scheduler'> & { scheduler: EngineScheduler | Scheduler };

export function createSyncEngine(options: CreateSyncEngineOptions): SyncEngine {
  const { scheduler } = options;
  return new SyncEngine({ ...options, scheduler: scheduler instanceof Scheduler ? engineSchedulerFrom(scheduler) : scheduler });
}

/** The real scheduler seen through the narrow interface the engine uses. */
export function engineSchedulerFrom(scheduler: Scheduler): EngineScheduler {
  return {
    run: (job, options) => scheduler.run((ctx) => job(ctx.signal), options),
    withRetry: (fn, options) => scheduler.withRetry(() => fn(), { signal: options.signal, isRetryable: options.shouldRetry }),
    nextAttemptAt: (failures, now) => scheduler.nextAttemptAt(failures, now),
    quotaState: () => scheduler.quotaState(),
    quotaResumesAt: (e) => (isQuotaExhaustedError(e) && !e.exceedsDailyLimit ? e.resumesAt : undefined),
    takeBandwidth: (bytes, signal) => scheduler.bandwidth.take(bytes, signal),
    blocksForFile: (priority) => scheduler.blocks.forFile(priority),
    pause: () => scheduler.pause(),
    resume: () => scheduler.resume(),
  };
}

export interface EngineFromSettingsOptions {
  /** Overrides the cloud of the settings (e.g. a sandbox URL). */
  baseUrl?: string;
  credentials: Credentials;
  /** FeiSync's state folder (holds index.db). */
  stateDir: string;
  settings: Settings;
  clock?: Clock;
  random?: Random;
  /** Passed on to the engine (tests: debounceMs, uploadTtlMs, …). */
  engine?: Partial<SyncEngineOptions>;
  /** Passed on to the scheduler (tests: faster retries). */
  scheduler?: Partial<SchedulerOptions>;
}

export interface EngineHandle {
  engine: SyncEngine;
  scheduler: Scheduler;
  index: OpenedIndex;
  client: FeishuClient;
  /** Stops the engine and releases the index and connections. */
  close(): Promise<void>;
}

export function createEngineFromSettings(options: EngineFromSettingsOptions): EngineHandle {
  const clock = options.clock ?? systemClock;
  const { settings } = options;
  const index = openIndex(join(options.stateDir, INDEX_FILE_NAME), { clock });
  const scheduler = createScheduler({ clock, random: options.random ?? Math.random, store: index, ...schedulerOptionsFromLimits(settings.limits), ...options.scheduler });
  const client = new FeishuClient({
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : { cloud: settings.account?.cloud ?? 'feishu' }),
    credentials: options.credentials,
    hook: scheduler.hook,
    clock,
  });
  const engine = createSyncEngine({
    drive: client,
    index,
    scheduler,
    clock,
    settings,
    stateDir: options.stateDir,
    ...(index.rebuilt ? { indexRebuilt: { reason: index.rebuilt.reason } } : {}),
    ...options.engine,
  });
  for (const mapping of settings.mappings) engine.addMapping(mapping);
  if (settings.paused) engine.pause();
  let closing: Promise<void> | undefined;
  return {
    engine, scheduler, index, client,
    close: () =>
      (closing ??= (async () => {
        await engine.stop();
        await client.close();
        index.close();
      })()),
  };
}
