/**
 * A file still being written must not be uploaded: wait until its size and
 * mtime have stayed unchanged for `settleMs` (awaitWriteFinish-like), measured
 * with the injected clock.
 */
import type { Clock } from '../platform/clock.js';
import { sameIdentity, type FileIdentity, type SyncFs } from './localFiles.js';
import { SyncError } from './syncError.js';

export interface SettleOptions {
  fs: SyncFs;
  clock: Clock;
  settleMs: number;
  /** Give up (E_NOT_SETTLED, retried later) when the file keeps changing this long. Default 10 min. */
  maxWaitMs?: number;
  signal?: AbortSignal;
}

/** Resolves with the settled identity of the file. */
export async function awaitSettled(absPath: string, options: SettleOptions): Promise<FileIdentity> {
  const { fs, clock, settleMs, signal } = options;
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
  const started = clock.now();
  let current = await fs.stat(absPath);
  if (settleMs <= 0) return current;
  for (;;) {
    const ageMs = clock.now() - Number(current.mtimeNs / 1_000_000n);
    // An mtime in the future (clock skew, or a fake clock) tells nothing: watch it for a full period.
    if (ageMs >= settleMs && ageMs < 10 * 365 * 86_400_000) return current;
    if (clock.now() - started > maxWaitMs) {
      throw new SyncError('E_NOT_SETTLED', `${absPath} kept changing for ${Math.round(maxWaitMs / 1000)} s`);
    }
    const wait = ageMs >= 0 && ageMs < settleMs ? settleMs - ageMs : settleMs;
    await clock.sleep(wait, signal);
    const next = await fs.stat(absPath);
    if (sameIdentity(next, current)) return next;
    current = next;
  }
}
