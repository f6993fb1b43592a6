/**
 * The content hash of an upload, computed from the bytes the client reads for
 * the request (ByteSource.onData) with the scanner's algorithm: a new file is
 * read once, not once for the upload and again for its hash.
 *
 * Only for upload_all (≤ 20 MB: one call reads the whole file in order).
 * Chunked files are hashed in a separate pass after upload_finish: their
 * blocks go up in parallel and out of order (and a resumed upload never reads
 * the acknowledged ones), so an in-order hash would have to hold blocks that
 * arrive early — unbounded while an early block keeps failing. The separate
 * pass reads a file the upload just read (usually from the page cache) at
 * sha256 speed: ~1 ms per MB on this box (`node test/bench/engine-throughput.mjs
 * --only hash`), ~2% of the ≥ 200 ms each 4 MB block takes at Feishu's 5 QPS.
 */
import { createHash, type Hash } from 'node:crypto';
import { CONTENT_HASH_ALGORITHM } from '../scan/scanFs.js';

export class ReadHasher {
  private hash: Hash = createHash(CONTENT_HASH_ALGORITHM);
  private seen = 0;

  /** `size`: the bytes the whole file has; a digest is only given for exactly that many. */
  constructor(private readonly size: number) {}

  /** The ByteSource.onData observer. */
  readonly observe = (chunk: Uint8Array): void => {
    this.hash.update(chunk);
    this.seen += chunk.length;
  };

  /** Hex digest (as the scanner writes it) when the whole file went through, else undefined. */
  digest(): string | undefined {
    return this.seen === this.size ? this.hash.digest('hex') : undefined;
  }
}
