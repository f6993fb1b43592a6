import { describe, expect, it } from 'vitest';
import { BlockLimiter } from '../../../../src/sync/scheduler/index.js';
import { flush } from './fakes.js';

/** Start `n` blocks on `file` that stay in flight until released; track the peak. */
function blocks(file: ReturnType<BlockLimiter['forFile']>, n: number, track: { now: number; peak: number; order: string[] }, name: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const done = Array.from({ length: n }, (_, i) =>
    file.run(async () => {
      track.now++;
      track.peak = Math.max(track.peak, track.now);
      track.order.push(`${name}${i}`);
      await released;
      track.now--;
    }),
  );
  return { release, done: Promise.all(done) };
}

describe('BlockLimiter', () => {
  it('sends at most 3 blocks of one file at once by default', async () => {
    const limiter = new BlockLimiter();
    const track = { now: 0, peak: 0, order: [] as string[] };
    const a = blocks(limiter.forFile(), 10, track, 'a');
    await flush();
    expect(track.now).toBe(3);
    a.release();
    await a.done;
    expect(track.peak).toBe(3);
  });

  it('caps blocks over all files, giving free slots to send files first', async () => {
    const limiter = new BlockLimiter({ perFile: 3, global: 4 });
    const track = { now: 0, peak: 0, order: [] as string[] };
    const a = blocks(limiter.forFile('backlog'), 3, track, 'a');
    const b = blocks(limiter.forFile('backlog'), 3, track, 'b');
    const s = blocks(limiter.forFile('send'), 2, track, 's');
    await flush();
    expect(track.now).toBe(4);
    expect(limiter.inFlight).toBe(4);
    a.release();
    await a.done;
    await flush();
    // The freed slots go to the send file's blocks before b's remaining ones.
    expect(track.order.slice(4, 6)).toEqual(['s0', 's1']);
    b.release();
    s.release();
    await Promise.all([b.done, s.done]);
    expect(track.peak).toBe(4);
  });

  it('rejects a nonsense limit', () => {
    expect(() => new BlockLimiter({ perFile: 0 })).toThrow(/block concurrency/);
    expect(() => new BlockLimiter({ global: 1.5 })).toThrow(/global block concurrency/);
  });
});
