/**
 * Reads one ByteSource range from disk into a single buffer and computes its
 * Adler-32 in the same pass (handing each chunk to `source.onData`, e.g. for
 * the engine's content hash). A block (≤ 4 MB) or an upload_all file (≤ 20 MB)
 * is held once; a big file is never read whole. A range that cannot be read
 * in full (the file shrank, grew or vanished) is a SourceChangedError.
 */
import { open } from 'node:fs/promises';
import ADLER32 from 'adler-32';
import type { ByteSource } from './driveApi.js';
import { SourceChangedError } from './sourceChangedError.js';

/** Adler-32 of `data` as Feishu wants it: an unsigned decimal string. */
export function adler32(data: Uint8Array, seed?: number): string {
  return String(ADLER32.buf(data, seed) >>> 0);
}

export interface ReadRange {
  data: Buffer;
  /** Adler-32 (unsigned decimal) of `data`. */
  checksum: string;
}

/** Read granularity: hashing runs chunk by chunk while the buffer fills. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** Read `source` (checking `source.expectedFileSize` when set). */
export async function readRange(source: ByteSource): Promise<ReadRange> {
  const { path, start, length, expectedFileSize } = source;
  if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`${path}: invalid byte range start=${start} length=${length}`);
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') throw new SourceChangedError(path, length, 0, cause);
    throw cause;
  }
  try {
    if (expectedFileSize !== undefined) {
      const { size } = await handle.stat();
      if (size !== expectedFileSize) throw new SourceChangedError(path, expectedFileSize, size);
    }
    const data = Buffer.allocUnsafe(length);
    let filled = 0;
    let seed: number | undefined;
    while (filled < length) {
      const want = Math.min(READ_CHUNK_BYTES, length - filled);
      const { bytesRead } = await handle.read(data, filled, want, start + filled);
      if (bytesRead === 0) break;
      const chunk = data.subarray(filled, filled + bytesRead);
      seed = ADLER32.buf(chunk, seed);
      source.onData?.(chunk);
      filled += bytesRead;
    }
    if (filled !== length) throw new SourceChangedError(path, length, filled);
    return { data, checksum: String((seed ?? ADLER32.buf(data)) >>> 0) };
  } finally {
    await handle.close();
  }
}
