import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../../src/feishu/client.js';
import { SourceChangedError } from '../../../src/feishu/sourceChangedError.js';
import { adler32, readRange } from '../../../src/feishu/sourceReader.js';
import { BLOCK_SIZE } from '../../../src/feishu/limits.js';
import { buildMultipart, MULTIPART_SLICE_BYTES } from '../../../src/feishu/multipart.js';
import { parseMultipart, rejectionOf, sendJson, startFakeServer, type FakeServer } from './fakeServer.js';

const FILES = '/open-apis/drive/v1/files';
const MEDIAS = '/open-apis/drive/v1/medias';
const ok = (data: unknown) => ({ code: 0, msg: 'ok', data });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feisync-uploads-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, data: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}

describe('Adler-32', () => {
  it('of "Wikipedia" is 300286872, as an unsigned decimal string', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe('300286872');
  });

  it('is unsigned even when the 32-bit value has the top bit set', () => {
    // The adler-32 package answers -2021126159 (signed) for 16 bytes of 0xff.
    expect(adler32(Buffer.alloc(16, 0xff))).toBe('2273841137');
  });

  it('computed while reading a range in chunks equals the checksum of the whole range', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    const path = await fileWith('chunks.bin', bytes);
    const { data, checksum } = await readRange({ path, start: 5, length: bytes.length - 5 });
    expect(data.equals(bytes.subarray(5))).toBe(true);
    expect(checksum).toBe(adler32(bytes.subarray(5)));
  });
});

describe('multipart body', () => {
  it('streams the file as views of the one buffer (never a copy) with an exact Content-Length', async () => {
    const data = Buffer.alloc(MULTIPART_SLICE_BYTES * 2 + 10, 3);
    const sent: number[] = [];
    const body = buildMultipart([['a', '1']], { field: 'file', filename: 'f', data, onBytes: (n) => sent.push(n) }, 'BOUNDARY')();
    const chunks: Buffer[] = [];
    for await (const chunk of body.body as AsyncIterable<Buffer>) chunks.push(chunk);
    const fileChunks = chunks.slice(1, -1);
    expect(fileChunks.every((c) => c.buffer === data.buffer)).toBe(true);
    expect(fileChunks.map((c) => c.length)).toEqual([MULTIPART_SLICE_BYTES, MULTIPART_SLICE_BYTES, 10]);
    expect(Buffer.concat(chunks).length).toBe(body.length);
    expect(sent).toEqual([MULTIPART_SLICE_BYTES, MULTIPART_SLICE_BYTES, 10]);
    expect(body.contentType).toBe('multipart/form-data; boundary=BOUNDARY');
  });
});

describe('uploads', () => {
  let server: FakeServer;
  let client: FeishuClient;
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  async function start(routes: Parameters<typeof startFakeServer>[0]) {
    server = await startFakeServer(routes);
    client = new FeishuClient({ baseUrl: server.baseUrl, credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' } });
  }

  it('upload_all sends file_name, parent_type, parent_node, size, checksum, file_token, file in that order', async () => {
    await start({ [`${FILES}/upload_all`]: (_r, res) => sendJson(res, 200, ok({ file_token: 'box1', version: 'v1' })) });
    const path = await fileWith('wiki.txt', 'Wikipedia');
    const progress: number[] = [];
    const result = await client.uploadAll({
      fileName: 'wiki.txt',
      parent: { kind: 'explorer', folderToken: 'fld1' },
      source: { path, start: 0, length: 9, onBytes: (n) => progress.push(n) },
      fileToken: 'box0',
    });
    expect(result).toEqual({ fileToken: 'box1', checksum: '300286872', version: 'v1' });
    const [req] = server.to(`${FILES}/upload_all`);
    expect(req!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(req!.headers['content-length'])).toBe(req!.body.length);
    const parts = parseMultipart(req!);
    expect(parts.map((p) => p.name)).toEqual(['file_name', 'parent_type', 'parent_node', 'size', 'checksum', 'file_token', 'file']);
    expect(parts.map((p) => p.value.toString())).toEqual(['wiki.txt', 'explorer', 'fld1', '9', '300286872', 'box0', 'Wikipedia']);
    expect(parts[6]!.filename).toBe('wiki.txt');
    expect(progress.reduce((a, b) => a + b, 0)).toBe(9);
  });

  it('media upload_all sends parent_type/parent_node of the document and extra before file', async () => {
    await start({ [`${MEDIAS}/upload_all`]: (_r, res) => sendJson(res, 200, ok({ file_token: 'med1' })) });
    const path = await fileWith('img.png', Buffer.from([1, 2, 3]));
    const extra = '{"drive_route_token":"doc1"}';
    await client.uploadAll({
      fileName: 'img.png',
      parent: { kind: 'media', parentType: 'docx_image', parentNode: 'blk1', extra },
      source: { path, start: 0, length: 3, sendChecksum: false },
    });
    const parts = parseMultipart(server.to(`${MEDIAS}/upload_all`)[0]!);
    expect(parts.map((p) => [p.name, p.name === 'file' ? p.value.length : p.value.toString()])).toEqual([
      ['file_name', 'img.png'],
      ['parent_type', 'docx_image'],
      ['parent_node', 'blk1'],
      ['size', '3'],
      ['extra', extra],
      ['file', 3],
    ]);
  });

  it('the chunked flow sends prepare JSON, multipart parts (upload_id, seq, size, checksum, file) and finish JSON', async () => {
    await start({
      [`${FILES}/upload_prepare`]: (_r, res) => sendJson(res, 200, ok({ upload_id: 'up1', block_size: BLOCK_SIZE, block_num: 2 })),
      [`${FILES}/upload_part`]: (_r, res) => sendJson(res, 200, ok({})),
      [`${FILES}/upload_finish`]: (_r, res) => sendJson(res, 200, ok({ file_token: 'box9' })),
    });
    const bytes = Buffer.alloc(BLOCK_SIZE + 10, 7);
    const path = await fileWith('big.bin', bytes);
    const prep = await client.uploadPrepare({ fileName: 'big.bin', parent: { kind: 'explorer', folderToken: 'fld1' }, size: bytes.length });
    expect(prep).toEqual({ uploadId: 'up1', blockSize: BLOCK_SIZE, blockNum: 2 });
    expect(JSON.parse(server.to(`${FILES}/upload_prepare`)[0]!.body.toString())).toEqual({
      file_name: 'big.bin',
      parent_type: 'explorer',
      parent_node: 'fld1',
      size: bytes.length,
    });
    const second = await client.uploadPart({ uploadId: 'up1', seq: 1, source: { path, start: BLOCK_SIZE, length: 10 } });
    expect(second.checksum).toBe(adler32(bytes.subarray(BLOCK_SIZE)));
    const parts = parseMultipart(server.to(`${FILES}/upload_part`)[0]!);
    expect(parts.map((p) => p.name)).toEqual(['upload_id', 'seq', 'size', 'checksum', 'file']);
    expect(parts.slice(0, 4).map((p) => p.value.toString())).toEqual(['up1', '1', '10', second.checksum]);
    expect(parts[4]!.value.equals(bytes.subarray(BLOCK_SIZE))).toBe(true);
    await expect(client.uploadFinish({ uploadId: 'up1', blockNum: 2 })).resolves.toEqual({ fileToken: 'box9' });
    expect(JSON.parse(server.to(`${FILES}/upload_finish`)[0]!.body.toString())).toEqual({ upload_id: 'up1', block_num: 2 });
  });

  it('media parts and finish go to the medias endpoints', async () => {
    await start({
      [`${MEDIAS}/upload_part`]: (_r, res) => sendJson(res, 200, ok({})),
      [`${MEDIAS}/upload_finish`]: (_r, res) => sendJson(res, 200, ok({ file_token: 'med2' })),
    });
    const path = await fileWith('m.bin', 'abc');
    await client.uploadPart({ media: true, uploadId: 'u', seq: 0, source: { path, start: 0, length: 3 } });
    await client.uploadFinish({ media: true, uploadId: 'u', blockNum: 1 });
    expect(server.requests.map((r) => r.path).filter((p) => p.startsWith(MEDIAS))).toEqual([`${MEDIAS}/upload_part`, `${MEDIAS}/upload_finish`]);
  });

  it('a file that shrank since planning is a local SourceChangedError and nothing is sent', async () => {
    await start({ [`${FILES}/upload_all`]: (_r, res) => sendJson(res, 200, ok({ file_token: 'x' })) });
    const path = await fileWith('shrink.txt', 'hello world');
    await truncate(path, 5);
    const err = await rejectionOf<SourceChangedError>(client.uploadAll({ fileName: 'shrink.txt', parent: { kind: 'explorer', folderToken: 'f' }, source: { path, start: 0, length: 11 } }));
    expect(err).toBeInstanceOf(SourceChangedError);
    expect(err.code).toBe('E_SOURCE_CHANGED');
    expect(err.expectedBytes).toBe(11);
    expect(err.actualBytes).toBe(5);
    expect(server.to(`${FILES}/upload_all`)).toHaveLength(0);
  });

  it('a block of a file whose size changed is a SourceChangedError when the expected file size is given', async () => {
    await start({ [`${FILES}/upload_part`]: (_r, res) => sendJson(res, 200, ok({})) });
    const path = await fileWith('grown.bin', Buffer.alloc(120));
    await expect(
      client.uploadPart({ uploadId: 'u', seq: 0, source: { path, start: 0, length: 100, expectedFileSize: 100 } }),
    ).rejects.toMatchObject({ code: 'E_SOURCE_CHANGED', expectedBytes: 100, actualBytes: 120 });
    expect(server.to(`${FILES}/upload_part`)).toHaveLength(0);
  });

  it('bytes are read and checksummed BEFORE beforeRequest, so the grant is followed at once by the send (no disk read in between)', async () => {
    server = await startFakeServer({ [`${FILES}/upload_part`]: (_r, res) => sendJson(res, 200, ok({})) });
    const path = await fileWith('early-read.txt', 'before');
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' },
      hook: {
        beforeRequest: async (endpoint) => {
          // A change after the read is not in this request (the engine's re-stat catches it).
          if (endpoint === 'filesUploadPart') await writeFile(path, 'after!');
        },
      },
    });
    const { checksum } = await client.uploadPart({ uploadId: 'u', seq: 0, source: { path, start: 0, length: 6 } });
    const parts = parseMultipart(server.to(`${FILES}/upload_part`)[0]!);
    expect(parts.at(-1)!.value.toString()).toBe('before');
    expect(parts.find((p) => p.name === 'checksum')!.value.toString()).toBe(adler32(Buffer.from('before')));
    expect(checksum).toBe(adler32(Buffer.from('before')));
  });

  it('a source that cannot be read never reaches the gate (no call paced or counted)', async () => {
    server = await startFakeServer({ [`${FILES}/upload_all`]: (_r, res) => sendJson(res, 200, ok({ file_token: 't' })) });
    const gated: string[] = [];
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' },
      hook: { beforeRequest: (endpoint) => void gated.push(endpoint) },
    });
    const source = { path: join(dir, 'never-there'), start: 0, length: 3 };
    await expect(client.uploadAll({ fileName: 'x', parent: { kind: 'explorer', folderToken: 'f' }, source })).rejects.toBeInstanceOf(
      SourceChangedError,
    );
    expect(gated.filter((e) => e === 'filesUploadAll')).toEqual([]);
  });

  it('onData sees the range bytes in order as they are read, once per call (a re-auth resend reuses the buffer)', async () => {
    let n = 0;
    await start({
      [`${FILES}/upload_all`]: (_r, res) =>
        ++n === 1 ? sendJson(res, 401, { code: 99991663, msg: 'expired' }) : sendJson(res, 200, ok({ file_token: 'ok' })),
    });
    const bytes = Buffer.alloc(2 * 1024 * 1024 + 99);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + 5) & 0xff;
    const path = await fileWith('observed.bin', bytes);
    const seen: Buffer[] = [];
    await client.uploadAll({
      fileName: 'observed.bin',
      parent: { kind: 'explorer', folderToken: 'f' },
      source: { path, start: 0, length: bytes.length, onData: (chunk) => seen.push(Buffer.from(chunk)) },
    });
    expect(server.to(`${FILES}/upload_all`)).toHaveLength(2);
    expect(seen.length).toBeGreaterThan(1);
    expect(Buffer.concat(seen).equals(bytes)).toBe(true);
  });

  it('a whole file that grew since planning is a SourceChangedError', async () => {
    await start({});
    const path = await fileWith('grow.txt', 'hello world, longer now');
    await expect(
      client.uploadAll({ fileName: 'grow.txt', parent: { kind: 'explorer', folderToken: 'f' }, source: { path, start: 0, length: 11 } }),
    ).rejects.toBeInstanceOf(SourceChangedError);
  });

  it('a block past the end of a shrunken file is a SourceChangedError', async () => {
    await start({});
    const path = await fileWith('short.bin', Buffer.alloc(100));
    await expect(client.uploadPart({ uploadId: 'u', seq: 1, source: { path, start: 50, length: 100 } })).rejects.toBeInstanceOf(
      SourceChangedError,
    );
  });

  it('a vanished file is a SourceChangedError', async () => {
    await start({});
    await expect(
      client.uploadAll({ fileName: 'gone', parent: { kind: 'explorer', folderToken: 'f' }, source: { path: join(dir, 'gone'), start: 0, length: 3 } }),
    ).rejects.toBeInstanceOf(SourceChangedError);
  });

  it('a re-auth retry sends the same multipart body again', async () => {
    let n = 0;
    await start({
      [`${FILES}/upload_all`]: (_r, res) =>
        ++n === 1 ? sendJson(res, 401, { code: 99991663, msg: 'expired' }) : sendJson(res, 200, ok({ file_token: 'ok' })),
    });
    const path = await fileWith('again.txt', 'again');
    await client.uploadAll({ fileName: 'again.txt', parent: { kind: 'explorer', folderToken: 'f' }, source: { path, start: 0, length: 5 } });
    const [first, second] = server.to(`${FILES}/upload_all`);
    expect(parseMultipart(second!).at(-1)!.value.toString()).toBe('again');
    expect(second!.body.length).toBe(first!.body.length);
  });

  it('an aborted signal stops a call waiting at the gate: it rejects with the reason and nothing is sent', async () => {
    server = await startFakeServer({ [`${FILES}/upload_part`]: (_r, res) => sendJson(res, 200, ok({})) });
    const path = await fileWith('abort-wait.txt', 'abc');
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' },
      hook: {
        beforeRequest: (endpoint, signal) => {
          if (endpoint !== 'filesUploadPart') return;
          seen.push(signal);
          return new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
        },
      },
    });
    const call = client.uploadPart({ uploadId: 'u', seq: 0, source: { path, start: 0, length: 3 }, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    const reason = new Error('paused by the user');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(seen).toEqual([controller.signal]);
    expect(server.to(`${FILES}/upload_part`)).toHaveLength(0);
  });

  it('an aborted signal stops a call in flight with the reason, not a FeishuError', async () => {
    await start({ [`${FILES}/upload_finish`]: () => new Promise(() => {}) });
    const controller = new AbortController();
    const call = client.uploadFinish({ uploadId: 'u', blockNum: 1, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    const reason = new Error('engine stopping');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(server.to(`${FILES}/upload_finish`)).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    await start({});
    const path = await fileWith('abort-now.txt', 'abc');
    const reason = new Error('already stopped');
    await expect(
      client.uploadAll({ fileName: 'x', parent: { kind: 'explorer', folderToken: 'f' }, source: { path, start: 0, length: 3 }, signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(server.to(`${FILES}/upload_all`)).toHaveLength(0);
  });
});
