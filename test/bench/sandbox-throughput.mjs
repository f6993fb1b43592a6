#!/usr/bin/env node
/**
 * Sandbox server throughput (limits off), over raw undici requests with
 * pre-built multipart bodies, so the numbers are the server's own cost:
 * small upload_all calls per second, chunked upload and download MB/s, and
 * the time to list a 1,000-entry folder in pages of 200.
 *
 *   npm run build && node test/bench/sandbox-throughput.mjs [smallFiles] [bigMB] [concurrency]
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { BLOCK_SIZE } from '../../dist/src/feishu/limits.js';
import { startSandbox } from '../../dist/src/sandbox/index.js';

const smallFiles = Number(process.argv[2] ?? 1000);
const bigMb = Number(process.argv[3] ?? 256);
const concurrency = Number(process.argv[4] ?? 8);

function multipart(fields) {
  const boundary = 'bench' + randomBytes(8).toString('hex');
  const parts = [];
  for (const [name, value] of fields) {
    if (typeof value === 'string') {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="blob"\r\n\r\n`), value, Buffer.from('\r\n'));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

async function pool(n, limit, task) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await task(next++);
  }));
}

const box = await startSandbox({ limits: 'off' });
const dispatcher = new Agent({ connections: concurrency * 2 });
const login = await request(`${box.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
  method: 'POST', dispatcher, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: box.appId, app_secret: box.appSecret }),
});
const token = (await login.body.json()).tenant_access_token;
const auth = { authorization: `Bearer ${token}` };

async function call(method, path, body, type) {
  const res = await request(box.baseUrl + path, { method, dispatcher, headers: { ...auth, ...(type ? { 'content-type': type } : {}) }, body });
  if (path.endsWith('/download')) {
    let n = 0;
    for await (const chunk of res.body) n += chunk.length;
    return n;
  }
  const json = await res.body.json();
  if (json.code !== 0) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json.data;
}

try {
  const folder = (await call('POST', '/open-apis/drive/v1/files/create_folder', JSON.stringify({ name: 'bench', folder_token: box.rootFolderToken }), 'application/json')).token;

  const small = randomBytes(4096);
  let t = performance.now();
  await pool(smallFiles, concurrency, async (i) => {
    const form = multipart([['file_name', `f${i}.bin`], ['parent_type', 'explorer'], ['parent_node', folder], ['size', String(small.length)], ['file', small]]);
    await call('POST', '/open-apis/drive/v1/files/upload_all', form.body, form.type);
  });
  const smallSec = (performance.now() - t) / 1000;
  console.log(`upload_all 4 KB x ${smallFiles} (concurrency ${concurrency}): ${(smallFiles / smallSec).toFixed(0)} calls/s`);

  t = performance.now();
  let listed = 0;
  let pageToken = '';
  do {
    const data = await call('GET', `/open-apis/drive/v1/files?folder_token=${folder}&page_size=200${pageToken ? `&page_token=${pageToken}` : ''}`);
    listed += data.files.length;
    pageToken = data.has_more ? data.next_page_token : '';
  } while (pageToken);
  console.log(`list ${listed} entries in pages of 200: ${(performance.now() - t).toFixed(0)} ms`);

  const size = bigMb * 1024 * 1024;
  const block = randomBytes(BLOCK_SIZE);
  t = performance.now();
  const prepared = await call('POST', '/open-apis/drive/v1/files/upload_prepare', JSON.stringify({ file_name: 'big.bin', parent_type: 'explorer', parent_node: folder, size }), 'application/json');
  await pool(prepared.block_num, concurrency, async (seq) => {
    const length = Math.min(BLOCK_SIZE, size - seq * BLOCK_SIZE);
    const form = multipart([['upload_id', prepared.upload_id], ['seq', String(seq)], ['size', String(length)], ['file', block.subarray(0, length)]]);
    await call('POST', '/open-apis/drive/v1/files/upload_part', form.body, form.type);
  });
  const finished = await call('POST', '/open-apis/drive/v1/files/upload_finish', JSON.stringify({ upload_id: prepared.upload_id, block_num: prepared.block_num }), 'application/json');
  const upSec = (performance.now() - t) / 1000;
  console.log(`chunked upload ${bigMb} MB (${prepared.block_num} blocks, concurrency ${concurrency}): ${(bigMb / upSec).toFixed(0)} MB/s`);

  t = performance.now();
  const got = await call('GET', `/open-apis/drive/v1/files/${finished.file_token}/download`);
  const downSec = (performance.now() - t) / 1000;
  if (got !== size) throw new Error(`downloaded ${got} bytes, expected ${size}`);
  console.log(`download ${bigMb} MB: ${(bigMb / downSec).toFixed(0)} MB/s`);
} finally {
  await dispatcher.close();
  await box.close();
}
