/**
 * Upload bandwidth cap (bytes/s, 0 = unlimited, changeable at runtime). The
 * uploader awaits `take(n)` before sending each chunk of n bytes. A token
 * bucket in virtual time: each chunk pays n / rate seconds, and an idle
 * limiter may run ahead by at most `burstMs`, so over any window W at most
 * rate × (W + burst) bytes plus one chunk leave. Waiters go in order; an
 * aborted wait (pause, stop) rejects at once and frees its turn.
 */
import type { Clock } from '../../platform/clock.js';
import { PacedFifo, type PacingPolicy } from './pacedFifo.js';
import { configError } from './schedulerError.js';

export interface BandwidthOptions {
  /** Bytes per second; 0 = unlimited. Default 0. */
  bytesPerSec?: number;
  /** How far an idle limiter may run ahead. Default 250 ms. */
  burstMs?: number;
}

function validRate(bytesPerSec: number): number {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec < 0) {
    throw configError(`bandwidth must be a number of bytes per second ≥ 0 (0 = unlimited), got ${bytesPerSec}`);
  }
  return bytesPerSec;
}

export class BandwidthLimiter implements PacingPolicy<number> {
  private rate: number;
  private readonly burstMs: number;
  /** Virtual time up to which the bytes already let through are paid for. */
  private paidUntil = Number.NEGATIVE_INFINITY;
  private readonly fifo: PacedFifo<number>;

  constructor(
    private readonly clock: Clock,
    options: BandwidthOptions = {},
  ) {
    this.rate = validRate(options.bytesPerSec ?? 0);
    this.burstMs = options.burstMs ?? 250;
    if (!Number.isFinite(this.burstMs) || this.burstMs < 0) throw configError(`bandwidth burst must be ≥ 0 ms, got ${this.burstMs}`);
    this.fifo = new PacedFifo(clock, this);
  }

  /** Current cap in bytes per second (0 = unlimited). */
  get bytesPerSec(): number {
    return this.rate;
  }

  /** Change the cap; waiting chunks are re-timed at once. */
  setRate(bytesPerSec: number): void {
    const next = validRate(bytesPerSec);
    const now = this.clock.now();
    // Bytes already let through but not yet paid for are re-priced at the new rate (forgiven when unlimited).
    const owedBytes = this.rate === 0 ? 0 : (Math.max(0, this.paidUntil - now) * this.rate) / 1000;
    this.paidUntil = next === 0 || owedBytes === 0 ? Math.min(this.paidUntil, now) : now + (owedBytes / next) * 1000;
    this.rate = next;
    this.fifo.kick();
  }

  /** Resolves when `bytes` may be sent; rejects with the signal's reason if aborted while waiting. */
  take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(bytes) || bytes < 0) return Promise.reject(configError(`take() needs a byte count ≥ 0, got ${bytes}`));
    return this.fifo.enter(bytes, signal);
  }

  delayMs(now: number): number {
    return this.rate === 0 ? 0 : this.paidUntil - now;
  }

  commit(now: number, bytes: number): void {
    if (this.rate === 0) return;
    this.paidUntil = Math.max(this.paidUntil, now - this.burstMs) + (bytes / this.rate) * 1000;
  }
}
