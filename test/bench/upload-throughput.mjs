#!/usr/bin/env node
/**
 * Upload throughput: the FeishuClient's chunked upload of a 200 MB file vs a
 * raw undici POST of the same blocks to the same sandbox endpoint (limits off).
 * The raw side sends pre-built multipart bodies from memory (no disk read, no
 * Adler-32), so the ratio shows what the client's disk read + checksum +
 * multipart streaming cost on top of the bare HTTP round trips.
 *
 *   npm run build && node test/bench/upload-throughput.mjs [sizeMB] [concurrency]   (ROUNDS=3)
 */
import { randomFillSync } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { FeishuClient } from '../../dist/src/feishu/client.js';
import { BLOCK_SIZE } from '../../dist/src/feishu/limits.js';
import { adler32 } from '../../dist/src/feishu/sourceReader.js';
import { buildMultipart } from '../../dist/src/feishu/multipart.js';
import { startSandbox } from '../../dist/src/sandbox/index.js';

const sizeMb = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 1);
const size = sizeMb * 1024 * 1024;
/** Client and raw runs alternate; the best of each is compared (the box is shared, so single runs are noisy). */
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const blocks = Math.ceil(size / BLOCK_SIZE);

/** Run `task(i)` for i in [0, n) with at most `limit` at once. */
async function pool(n, limit, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await task(next++);
  }));
}

const dir = await mkdtemp(join(tmpdir(), 'feisync-bench-'));
const path = join(dir, 'big.bin');
const fh = await open(path, 'w');
const chunk = Buffer.alloc(BLOCK_SIZE);
for (let written = 0; written < size; written += chunk.length) {
  randomFillSync(chunk);
  await fh.write(chunk, 0, Math.min(chunk.length, size - written));
}
await fh.close();

const sandbox = await startSandbox({ limits: 'off' });
const client = new FeishuClient({
  baseUrl: sandbox.baseUrl,
  credentials: { kind: 'tenant', appId: sandbox.appId, appSecret: sandbox.appSecret },
});
const parent = { kind: 'explorer', folderToken: sandbox.rootFolderToken };

async function viaClient(name) {
  const prep = await client.uploadPrepare({ fileName: name, parent, size });
  await pool(prep.blockNum, concurrency, (seq) => {
    const start = seq * BLOCK_SIZE;
    return client.uploadPart({ uploadId: prep.uploadId, seq, source: { path, start, length: Math.min(BLOCK_SIZE, size - start) } });
  });
  return client.uploadFinish({ uploadId: prep.uploadId, blockNum: prep.blockNum });
}

// Raw: same endpoint, same block bytes, bodies built in memory before the clock starts.
const agent = new Agent();
const token = await client.tokens.token();
const auth = { authorization: `Bearer ${token}` };
const rawBlocks = [];
async function loadRawBlocks() {
  const rh = await open(path, 'r');
  for (let seq = 0; seq < blocks; seq++) {
    const length = Math.min(BLOCK_SIZE, size - seq * BLOCK_SIZE);
    const data = Buffer.allocUnsafe(length);
    await rh.read(data, 0, length, seq * BLOCK_SIZE);
    rawBlocks.push({ data, checksum: adler32(data) });
  }
  await rh.close();
}
async function rawJson(p, body) {
  const res = await request(sandbox.baseUrl + p, {
    method: 'POST', dispatcher: agent, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.body.json();
  if (json.code !== 0) throw new Error(`${p}: ${json.code} ${json.msg}`);
  return json.data;
}
async function viaRaw(name) {
  const prep = await rawJson('/open-apis/drive/v1/files/upload_prepare', {
    file_name: name, parent_type: 'explorer', parent_node: sandbox.rootFolderToken, size,
  });
  await pool(prep.block_num, concurrency, async (seq) => {
    const { data, checksum } = rawBlocks[seq];
    const body = buildMultipart([['upload_id', prep.upload_id], ['seq', String(seq)], ['size', String(data.length)], ['checksum', checksum]],
      { field: 'file', filename: 'blob', data })();
    const res = await request(`${sandbox.baseUrl}/open-apis/drive/v1/files/upload_part`, {
      method: 'POST', dispatcher: agent, headers: { ...auth, 'content-type': body.contentType, 'content-length': String(body.length) }, body: body.body,
    });
    const json = await res.body.json();
    if (json.code !== 0) throw new Error(`upload_part: ${json.code} ${json.msg}`);
  });
  return rawJson('/open-apis/drive/v1/files/upload_finish', { upload_id: prep.upload_id, block_num: prep.block_num });
}

async function timed(label, fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  const mbps = sizeMb / sec;
  console.log(`${label.padEnd(8)} ${sizeMb} MB in ${sec.toFixed(2)} s = ${mbps.toFixed(1)} MB/s`);
  return mbps;
}

try {
  console.log(`upload-throughput: ${sizeMb} MB, ${blocks} blocks of ${BLOCK_SIZE} B, block concurrency ${concurrency}, sandbox limits off, ${ROUNDS} alternating rounds`);
  await viaClient('warmup-client.bin');
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const baseRss = process.memoryUsage().rss;
  const first = await timed('client', () => viaClient('client-0.bin'));
  clearInterval(sampler);
  console.log(`client   peak RSS ${(peakRss / 1048576).toFixed(0)} MB (${((peakRss - baseRss) / 1048576).toFixed(0)} MB above the start; sandbox in-process)`);
  await loadRawBlocks();
  await viaRaw('warmup-raw.bin');
  const cli = [first];
  const raw = [await timed('raw', () => viaRaw('raw-0.bin'))];
  for (let round = 1; round < ROUNDS; round++) {
    cli.push(await timed('client', () => viaClient(`client-${round}.bin`)));
    raw.push(await timed('raw', () => viaRaw(`raw-${round}.bin`)));
  }
  const best = (xs) => Math.max(...xs);
  console.log(`best: client ${best(cli).toFixed(1)} MB/s, raw ${best(raw).toFixed(1)} MB/s, ratio client/raw = ${(best(cli) / best(raw)).toFixed(2)}`);
} finally {
  await client.close();
  await agent.close();
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}
