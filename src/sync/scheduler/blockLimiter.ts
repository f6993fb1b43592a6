/**
 * Block-level concurrency: the parts of one chunked upload go up in parallel
 * (default 3 per file) under a global cap over all files (default 8, which
 * also bounds memory: the client buffers each in-flight 4 MB block). Pacing
 * still applies per call through the CallGate; this only limits how many
 * blocks are in flight. Blocks of 'send' files take free global slots first.
 */
import PQueue from 'p-queue';
import type { Priority } from '../schedulerApi.js';
import { configError } from './schedulerError.js';
import { PRIORITY_RANK } from './priorityRank.js';

export interface BlockLimiterOptions {
  /** Blocks of one file in flight at once. Default 3. */
  perFile?: number;
  /** Blocks in flight over all files. Default 8. */
  global?: number;
}

/** Limits the blocks of one file; get one per upload from `BlockLimiter.forFile`. */
export interface FileBlockLimiter {
  /** Run `sendBlock` when both this file and the global cap have a free slot. */
  run<T>(sendBlock: () => Promise<T>): Promise<T>;
}

function wholeAtLeastOne(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw configError(`${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

export class BlockLimiter {
  private readonly globalQueue: PQueue;
  private readonly perFile: number;

  constructor(options: BlockLimiterOptions = {}) {
    this.perFile = wholeAtLeastOne('block concurrency', options.perFile ?? 3);
    this.globalQueue = new PQueue({ concurrency: wholeAtLeastOne('global block concurrency', options.global ?? 8) });
  }

  forFile(priority: Priority = 'backlog'): FileBlockLimiter {
    const fileQueue = new PQueue({ concurrency: this.perFile });
    return {
      run: <T>(sendBlock: () => Promise<T>) => fileQueue.add(() => this.globalQueue.add(sendBlock, { priority: PRIORITY_RANK[priority] })),
    };
  }

  /** Blocks in flight over all files. */
  get inFlight(): number {
    return this.globalQueue.pending;
  }
}
