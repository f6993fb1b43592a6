/**
 * Shared pieces of the client contract suite: test files of exact sizes, a
 * per-endpoint pacer (the client never paces; a real tenant allows 5 QPS),
 * uploads by the documented flow, sha256 of downloads, and raw multipart
 * posts for answers the client itself never provokes (wrong size/checksum).
 */
import { createHash, randomFillSync } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import { expect } from 'vitest';
import type { FeishuClient } from '../../src/feishu/client.js';
import type { RequestHook, UploadParent, UploadResult } from '../../src/feishu/driveApi.js';
import type { EndpointId } from '../../src/feishu/endpoints.js';
import { FeishuError } from '../../src/feishu/feishuError.js';
import { parseEnvelope } from '../../src/feishu/envelope.js';
import { BLOCK_SIZE, UPLOAD_ALL_MAX_BYTES } from '../../src/feishu/limits.js';
import { buildMultipart } from '../../src/feishu/multipart.js';

export const MB = 1024 * 1024;

/** Write `size` random bytes; returns the path and their sha256. */
export async function randomFile(dir: string, name: string, size: number): Promise<{ path: string; sha256: string }> {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const fh = await open(path, 'w');
  const chunk = Buffer.alloc(Math.min(size, MB));
  for (let done = 0; done < size; ) {
    const n = Math.min(chunk.length, size - done);
    randomFillSync(chunk, 0, n);
    hash.update(chunk.subarray(0, n));
    await fh.write(chunk, 0, n);
    done += n;
  }
  await fh.close();
  return { path, sha256: hash.digest('hex') };
}

export async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Spaces calls to one endpoint at least `intervalMs` apart (0: no pacing). */
export function pacer(intervalMs: number): RequestHook & { calls: Partial<Record<EndpointId, number>> } {
  const nextAt = new Map<EndpointId, number>();
  const calls: Partial<Record<EndpointId, number>> = {};
  return {
    calls,
    async beforeRequest(endpoint) {
      calls[endpoint] = (calls[endpoint] ?? 0) + 1;
      if (intervalMs <= 0) return;
      const now = Date.now();
      const at = Math.max(now, nextAt.get(endpoint) ?? 0);
      nextAt.set(endpoint, at + intervalMs);
      if (at > now) await new Promise((r) => setTimeout(r, at - now));
    },
  };
}

/** Upload by the documented choice: upload_all up to 20 MB, else prepare / parts / finish. */
export async function uploadFile(
  client: FeishuClient,
  path: string,
  size: number,
  fileName: string,
  parent: UploadParent,
  forceChunked = false,
): Promise<UploadResult> {
  if (size <= UPLOAD_ALL_MAX_BYTES && !forceChunked) {
    return client.uploadAll({ fileName, parent, source: { path, start: 0, length: size } });
  }
  const media = parent.kind === 'media';
  const prep = await client.uploadPrepare({ fileName, parent, size });
  for (let seq = 0; seq < prep.blockNum; seq++) {
    const start = seq * prep.blockSize;
    await client.uploadPart({ media, uploadId: prep.uploadId, seq, source: { path, start, length: Math.min(prep.blockSize, size - start) } });
  }
  return client.uploadFinish({ media, uploadId: prep.uploadId, blockNum: prep.blockNum });
}

export const BLOCK = BLOCK_SIZE;

/** POST a hand-made multipart body (fields as given) and return the parsed envelope or the FeishuError. */
export async function rawMultipart(
  baseUrl: string,
  token: string,
  path: string,
  fields: [string, string][],
  data: Buffer,
): Promise<unknown> {
  const body = buildMultipart(fields, { field: 'file', filename: 'raw.bin', data })();
  const res = await request(baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType, 'content-length': String(body.length) },
    body: body.body,
  });
  const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
  const text = await res.body.text();
  try {
    return parseEnvelope({ endpoint: 'filesUploadAll', httpStatus: res.statusCode, headers, now: Date.now() }, text);
  } catch (e) {
    return e;
  }
}

/** The FeishuError a call fails with (the test fails if it succeeds or fails otherwise). */
export async function failure(promise: Promise<unknown>): Promise<FeishuError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FeishuError);
  return e as FeishuError;
}
