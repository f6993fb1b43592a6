/**
 * Progress events come per block of every file in flight; the settings
 * window only needs a few per second. This lets every other event through
 * and at most one progress event per interval.
 */
import type { EngineEvent } from '../../src/sync/engineApi.js';

export function progressGate(now: () => number, intervalMs = 250): (event: EngineEvent) => boolean {
  let last = -Infinity;
  return (event) => {
    if (event.type !== 'progress') return true;
    const t = now();
    if (t - last < intervalMs) return false;
    last = t;
    return true;
  };
}
