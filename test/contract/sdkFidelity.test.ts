/**
 * Fidelity: the official Feishu SDK (@larksuiteoapi/node-sdk, unchanged)
 * pointed at the sandbox works as against Feishu. Where the SDK and the
 * sandbox disagree, the sandbox is wrong.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import ADLER32 from 'adler-32';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_SIZE } from '../../src/feishu/limits.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { ownCache, quiet } from './sdkHarness.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const adler32 = (b: Buffer) => String(ADLER32.buf(b) >>> 0);


async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the official SDK against the sandbox', () => {
  let box: SandboxHandle;
  let client: lark.Client;
  let dir: string;

  beforeAll(async () => {
    box = await startSandbox({ limits: 'off' });
    client = new lark.Client({ appId: box.appId, appSecret: box.appSecret, domain: box.baseUrl, cache: ownCache(), logger: quiet });
    dir = mkdtempSync(join(tmpdir(), 'sdk-fidelity-'));
  });
  afterAll(async () => {
    await box.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const download = async (token: string) => readAll((await client.drive.file.download({ path: { file_token: token } })).getReadableStream());

  it('uploads with drive.file.uploadAll (a Buffer) and downloads the same bytes', async () => {
    const bytes = randomBytes(123_457);
    const res = await client.drive.file.uploadAll({
      data: { file_name: 'sdk-all.bin', parent_type: 'explorer', parent_node: box.rootFolderToken, size: bytes.length, checksum: adler32(bytes), file: bytes },
    });
    const token = res!.file_token!;
    expect(token).toEqual(expect.any(String));
    expect(box.tree().find((n) => n.token === token)).toMatchObject({ name: 'sdk-all.bin', size: bytes.length, sha256: sha256(bytes) });
    expect(sha256(await download(token))).toBe(sha256(bytes));
  });

  it('uploads with drive.file.uploadAll from a file stream', async () => {
    const bytes = randomBytes(300_001);
    const path = join(dir, 'stream.bin');
    writeFileSync(path, bytes);
    const res = await client.drive.file.uploadAll({
      data: { file_name: 'sdk-stream.bin', parent_type: 'explorer', parent_node: box.rootFolderToken, size: bytes.length, file: createReadStream(path) },
    });
    expect(box.tree().find((n) => n.token === res!.file_token)).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
  });

  it('uploads in blocks with uploadPrepare / uploadPart / uploadFinish', async () => {
    const bytes = randomBytes(2 * BLOCK_SIZE + 777);
    const prepared = await client.drive.file.uploadPrepare({
      data: { file_name: 'sdk-blocks.bin', parent_type: 'explorer', parent_node: box.rootFolderToken, size: bytes.length },
    });
    expect(prepared).toMatchObject({ code: 0, data: { block_size: BLOCK_SIZE, block_num: 3 } });
    const uploadId = prepared.data!.upload_id!;
    for (let seq = 0; seq < 3; seq++) {
      const block = bytes.subarray(seq * BLOCK_SIZE, (seq + 1) * BLOCK_SIZE);
      await client.drive.file.uploadPart({ data: { upload_id: uploadId, seq, size: block.length, checksum: adler32(block), file: block } });
    }
    const finished = await client.drive.file.uploadFinish({ data: { upload_id: uploadId, block_num: 3 } });
    expect(finished.code).toBe(0);
    const token = finished.data!.file_token!;
    expect(box.tree().find((n) => n.token === token)).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
    const adminTree = (await (await fetch(`${box.baseUrl}/sandbox/admin/tree`)).json()) as { token: string; sha256?: string }[];
    expect(adminTree.find((n) => n.token === token)?.sha256).toBe(sha256(bytes));
    expect(sha256(await download(token))).toBe(sha256(bytes));
  });

  it('creates a folder, lists it (also with listWithIterator), moves, copies and deletes', async () => {
    const created = await client.drive.file.createFolder({ data: { name: 'sdk-folder', folder_token: box.rootFolderToken } });
    expect(created).toMatchObject({ code: 0, data: { token: expect.any(String), url: expect.any(String) } });
    const folder = created.data!.token!;
    const bytes = Buffer.from('inside the folder');
    const file = (await client.drive.file.uploadAll({ data: { file_name: 'inside.txt', parent_type: 'explorer', parent_node: folder, size: bytes.length, file: bytes } }))!.file_token!;

    const listed = await client.drive.file.list({ params: { folder_token: folder, page_size: 50 } });
    expect(listed).toMatchObject({ code: 0, data: { has_more: false, files: [{ token: file, name: 'inside.txt', type: 'file', parent_token: folder }] } });
    const pages: unknown[] = [];
    for await (const page of await client.drive.file.listWithIterator({ params: { folder_token: box.rootFolderToken, page_size: 1 } })) pages.push(page);
    expect(pages.length).toBeGreaterThanOrEqual(3);

    const copied = await client.drive.file.copy({ path: { file_token: file }, data: { name: 'copy.txt', type: 'file', folder_token: box.rootFolderToken } });
    expect(copied).toMatchObject({ code: 0, data: { file: { name: 'copy.txt', token: expect.any(String) } } });
    expect((await download(copied.data!.file!.token!)).toString()).toBe('inside the folder');
    const moved = await client.drive.file.move({ path: { file_token: file }, data: { type: 'file', folder_token: box.rootFolderToken } });
    expect(moved.code).toBe(0);
    const deleted = await client.drive.file.delete({ path: { file_token: folder }, params: { type: 'folder' } });
    expect(deleted).toMatchObject({ code: 0, data: { task_id: expect.any(String) } });
    const task = await client.drive.file.taskCheck({ params: { task_id: deleted.data!.task_id! } });
    expect(task).toMatchObject({ code: 0, data: { status: 'success' } });
    const metas = await client.drive.meta.batchQuery({ data: { request_docs: [{ doc_token: file, doc_type: 'file' }] } });
    expect(metas).toMatchObject({ code: 0, data: { metas: [{ doc_token: file, title: 'inside.txt' }] } });
  });

  it('uploads media with drive.media.uploadAll, outside the folder tree', async () => {
    const bytes = randomBytes(2048);
    const before = box.tree().length;
    const res = await client.drive.media.uploadAll({
      data: { file_name: 'img.png', parent_type: 'docx_image', parent_node: 'doxcnDocument', size: bytes.length, checksum: adler32(bytes), file: bytes },
    });
    expect(res!.file_token).toEqual(expect.any(String));
    expect(box.tree()).toHaveLength(before);
  });

  it('fetched one tenant token for all of that, and reads the root folder meta', async () => {
    const meta = await client.request({ method: 'GET', url: '/open-apis/drive/explorer/v2/root_folder/meta' });
    expect(meta).toMatchObject({ code: 0, data: { token: box.rootFolderToken } });
    expect(box.counters().calls.tenantToken).toBe(1);
  });

  it('surfaces a sandbox refusal as the SDK surfaces a Feishu one: an HTTP error carrying the envelope', async () => {
    const bytes = Buffer.from('checksum mismatch');
    const failure = await client.drive.file
      .uploadAll({ data: { file_name: 'bad.bin', parent_type: 'explorer', parent_node: box.rootFolderToken, size: bytes.length, checksum: '1', file: bytes } })
      .then(() => undefined, (e: { response?: { status: number; data: { code: number }; headers: Record<string, string> } }) => e);
    expect(failure?.response?.status).toBe(400);
    expect(failure?.response?.data.code).toBe(1062008);
    expect(failure?.response?.headers['x-tt-logid']).toBeTruthy();
  });

  it('a wrong app secret fails the SDK token fetch with the auth error code', async () => {
    const wrong = new lark.Client({ appId: box.appId, appSecret: 'wrong', domain: box.baseUrl, cache: ownCache(), logger: quiet });
    const failure = await wrong.drive.file.list({ params: { folder_token: box.rootFolderToken } }).then(() => undefined, (e: { response?: { data: { code: number } } }) => e);
    expect(failure?.response?.data.code).toBe(10014);
  });
});
