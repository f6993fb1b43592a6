/**
 * File bytes on disk. Blobs are named by their SHA-256 (content-addressed, so
 * a copy or an unchanged new version costs nothing), upload blocks by upload
 * id and sequence number. Names sent by clients never reach the filesystem.
 */
import ADLER32 from 'adler-32';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface HashedBytes {
  size: number;
  sha256: string;
  /** Adler-32 as Feishu sends it: unsigned decimal. */
  adler32: string;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Counts and hashes bytes as they pass. */
class HashingCounter extends Transform {
  size = 0;
  private readonly sha = createHash('sha256');
  private adler = ADLER32.buf(new Uint8Array(0));

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.size += chunk.length;
    this.sha.update(chunk);
    this.adler = ADLER32.buf(chunk, this.adler);
    done(null, chunk);
  }

  result(): HashedBytes {
    return { size: this.size, sha256: this.sha.digest('hex'), adler32: String(this.adler >>> 0) };
  }
}

export class BlobStore {
  private readonly blobsDir: string;
  private readonly partsDir: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.blobsDir = join(dataDir, 'blobs');
    this.partsDir = join(dataDir, 'parts');
    this.tmpDir = join(dataDir, 'tmp');
    // Half-written temporaries of a previous run are garbage; blobs and parts are kept.
    rmSync(this.tmpDir, { recursive: true, force: true });
    for (const dir of [this.blobsDir, this.partsDir, this.tmpDir]) mkdirSync(dir, { recursive: true });
  }

  tmpPath(): string {
    return join(this.tmpDir, randomBytes(12).toString('hex'));
  }

  blobPath(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`sandbox: not a sha256: ${sha256}`);
    return join(this.blobsDir, sha256);
  }

  partPath(uploadId: string, seq: number): string {
    if (!SAFE_ID.test(uploadId) || !Number.isInteger(seq) || seq < 0) throw new Error(`sandbox: bad block id ${uploadId}/${seq}`);
    return join(this.partsDir, `${uploadId}.${seq}`);
  }

  /** Stream `source` into `path`, hashing on the way. */
  async writeHashed(source: AsyncIterable<Buffer>, path: string): Promise<HashedBytes> {
    const counter = new HashingCounter();
    const out = createWriteStream(path);
    try {
      await pipeline(source, counter, out);
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
    return counter.result();
  }

  /** Move a hashed temporary into the blob store. */
  async commit(tmpPath: string, sha256: string): Promise<void> {
    await rename(tmpPath, this.blobPath(sha256));
  }

  async discard(path: string): Promise<void> {
    await unlink(path).catch(() => undefined);
  }

  openBlob(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.blobPath(sha256), range);
  }

  async blobSize(sha256: string): Promise<number> {
    return (await stat(this.blobPath(sha256))).size;
  }

  /** Join the blocks of an upload into one blob. */
  async assemble(uploadId: string, blockNum: number): Promise<{ tmp: string; hashed: HashedBytes }> {
    const tmp = this.tmpPath();
    const partPath = (seq: number) => this.partPath(uploadId, seq);
    // One block file open at a time, whatever the block count.
    async function* blocks(): AsyncIterable<Buffer> {
      for (let seq = 0; seq < blockNum; seq++) yield* createReadStream(partPath(seq));
    }
    const hashed = await this.writeHashed(blocks(), tmp);
    return { tmp, hashed };
  }

  async removeParts(uploadId: string, blockNum: number): Promise<void> {
    for (let seq = 0; seq < blockNum; seq++) await this.discard(this.partPath(uploadId, seq));
  }
}
