/**
 * Runs a Plan through the scheduler's job queue: each folder after its
 * parent, each file after its folder, every item admitted against today's
 * budget with its cost. Outcomes are collected into a report; a failing file
 * never blocks the others, and an outcome that stops the mapping (or all)
 * aborts the rest of the run.
 */
import type { Clock } from '../platform/clock.js';
import type { PlanItem } from '../plan/types.js';
import type { EngineScheduler } from './engineScheduler.js';
import type { Executor } from './executor.js';
import type { ItemOutcome } from './itemOutcome.js';
import { parentOf } from '../plan/relPath.js';
import type { Priority } from './schedulerApi.js';
import { isAbort, toErrorInfo } from './syncError.js';

export interface RunContext {
  executor: Executor;
  scheduler: EngineScheduler;
  clock: Clock;
  priority: Priority;
  signal: AbortSignal;
  /** Called with each finished item (the engine updates state and emits events). */
  onOutcome?: (item: PlanItem, outcome: ItemOutcome) => void;
  /** Called when an outcome means the whole run must stop (the engine aborts `signal`). */
  onStop?: (outcome: ItemOutcome) => void;
}

export interface RunReport {
  outcomes: { item: PlanItem; outcome: ItemOutcome }[];
  /** Epoch ms of the quota reset, when work was refused for quota. */
  quotaResumesAt?: number;
}

const STOPPING = new Set<ItemOutcome['status']>(['stopMapping', 'stopAll', 'storageFull']);

export async function runPlan(items: readonly PlanItem[], ctx: RunContext): Promise<RunReport> {
  const report: RunReport = { outcomes: [] };
  const folderDone = new Map<string, Promise<unknown>>();

  const record = (item: PlanItem, outcome: ItemOutcome) => {
    report.outcomes.push({ item, outcome });
    if (outcome.status === 'quota') report.quotaResumesAt = Math.max(report.quotaResumesAt ?? 0, outcome.resumesAt);
    ctx.onOutcome?.(item, outcome);
    if (STOPPING.has(outcome.status)) ctx.onStop?.(outcome);
  };

  const submit = async (item: PlanItem): Promise<void> => {
    const parent = folderDone.get(parentOf(item.relPath));
    if (parent) await parent.catch(() => undefined);
    if (ctx.signal.aborted) return;
    try {
      const size = 'size' in item ? item.size : 0;
      const outcome = await ctx.scheduler.run((signal) => ctx.executor.execute(item, signal, ctx.priority), {
        priority: ctx.priority, cost: item.cost, size, signal: ctx.signal, label: item.relPath,
      });
      record(item, outcome);
      if (item.op === 'createFolder' && outcome.status !== 'done') throw new Error(`folder ${item.relPath} not created`);
    } catch (e) {
      if (ctx.signal.aborted || isAbort(e)) return;
      const resumesAt = ctx.scheduler.quotaResumesAt(e);
      const error = toErrorInfo(e, ctx.clock.now(), item.relPath);
      if (resumesAt !== undefined) record(item, { status: 'quota', resumesAt, error });
      else if (!report.outcomes.some((o) => o.item === item)) record(item, { status: 'failed', error });
      if (item.op === 'createFolder') throw e;
    }
  };

  // The planner orders removals before creations before relocations before
  // transfers (a file replaced by a folder of that name goes first): each
  // phase finishes before the next starts; inside a phase, items run in parallel.
  for (const phase of phases(items)) {
    if (ctx.signal.aborted) break;
    const all: Promise<void>[] = [];
    for (const item of phase) {
      const run = submit(item);
      if (item.op === 'createFolder') folderDone.set(item.relPath, run);
      all.push(run.catch(() => undefined));
    }
    await Promise.all(all);
  }
  return report;
}

function phaseOf(item: PlanItem): string {
  switch (item.op) {
    case 'trash':
    case 'forget':
      return item.op === 'trash' ? `remove-${item.type}` : `remove-${item.type ?? 'file'}`;
    case 'upload':
    case 'uploadVersion':
    case 'touch':
      return 'transfer';
    case 'move':
    case 'rename':
      return 'relocate';
    default:
      return item.op;
  }
}

/** Consecutive runs of items of the same phase, in plan order. */
function phases(items: readonly PlanItem[]): PlanItem[][] {
  const out: PlanItem[][] = [];
  let last: string | undefined;
  for (const item of items) {
    const phase = phaseOf(item);
    if (phase !== last) out.push([]);
    out[out.length - 1]!.push(item);
    last = phase;
  }
  return out;
}
