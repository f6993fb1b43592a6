import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE } from '../../../src/feishu/limits.js';
import type { SandboxHandle, SandboxOptions } from '../../../src/sandbox/index.js';
import { FakeClock } from '../../../src/platform/clock.js';
import { adler32, openSandbox, SandboxCaller } from './sandboxClient.js';

const FILES = '/open-apis/drive/v1/files';
const MEDIAS = '/open-apis/drive/v1/medias';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

async function open(options: SandboxOptions = {}) {
  const opened = await openSandbox(options);
  box = opened.box;
  return opened;
}

function prepare(api: SandboxCaller, size: number, extra: Record<string, unknown> = {}, base = FILES) {
  return api.call('POST', `${base}/upload_prepare`, {
    json: { file_name: 'big.bin', parent_type: 'explorer', parent_node: api.box.rootFolderToken, size, ...extra },
  });
}

function part(api: SandboxCaller, uploadId: string, seq: number, bytes: Buffer, opts: { size?: number; checksum?: string; base?: string } = {}) {
  return api.call('POST', `${opts.base ?? FILES}/upload_part`, {
    form: [
      ['upload_id', uploadId],
      ['seq', String(seq)],
      ['size', String(opts.size ?? bytes.length)],
      ...(opts.checksum === undefined ? [] : [['checksum', opts.checksum] as [string, string]]),
      ['file', { file: bytes }],
    ],
  });
}

function finish(api: SandboxCaller, uploadId: string, blockNum: number, base = FILES) {
  return api.call('POST', `${base}/upload_finish`, { json: { upload_id: uploadId, block_num: blockNum } });
}

const blocksOf = (bytes: Buffer) => Array.from({ length: Math.ceil(bytes.length / BLOCK_SIZE) }, (_, i) => bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE));

describe('sandbox block upload (prepare → part → finish)', () => {
  it('assembles 4 MB blocks sent in any order, re-sent, with checksums, into the exact file', async () => {
    const { api } = await open();
    const bytes = randomBytes(2 * BLOCK_SIZE + 12_345);
    const prepared = await prepare(api, bytes.length);
    expect(prepared.json).toMatchObject({ code: 0, data: { upload_id: expect.any(String), block_size: BLOCK_SIZE, block_num: 3 } });
    const uploadId = prepared.json!.data!.upload_id as string;
    const blocks = blocksOf(bytes);
    for (const seq of [2, 0, 1, 0]) {
      const answer = await part(api, uploadId, seq, blocks[seq]!, { checksum: adler32(blocks[seq]!) });
      expect(answer.json).toMatchObject({ code: 0 });
    }
    const done = await finish(api, uploadId, 3);
    expect(done.json).toMatchObject({ code: 0, data: { file_token: expect.any(String) } });
    const token = done.json!.data!.file_token as string;
    expect(box!.tree()).toEqual([expect.objectContaining({ token, name: 'big.bin', size: bytes.length, sha256: sha256(bytes), version: '1' })]);
    const download = await api.call('GET', `${FILES}/${token}/download`);
    expect(download.bytes.equals(bytes)).toBe(true);
    // The session is consumed: finishing it again is an unknown upload.
    expect((await finish(api, uploadId, 3)).json?.code).toBe(1061002);
  });

  it('with file_token replaces the content of that file as a new version', async () => {
    const { api } = await open();
    const token = (await api.uploadAll('v.bin', box!.rootFolderToken, Buffer.from('old'))).json!.data!.file_token as string;
    const bytes = randomBytes(1000);
    const uploadId = (await prepare(api, bytes.length, { file_token: token })).json!.data!.upload_id as string;
    await part(api, uploadId, 0, bytes);
    expect((await finish(api, uploadId, 1)).json).toMatchObject({ code: 0, data: { file_token: token, version: '2' } });
    expect(box!.tree()).toEqual([expect.objectContaining({ token, sha256: sha256(bytes), version: '2' })]);
  });

  it('1062010 when finishing with blocks missing, then succeeds once they arrive', async () => {
    const { api } = await open();
    const bytes = randomBytes(BLOCK_SIZE + 10);
    const uploadId = (await prepare(api, bytes.length)).json!.data!.upload_id as string;
    await part(api, uploadId, 1, blocksOf(bytes)[1]!);
    const early = await finish(api, uploadId, 2);
    expect(early.json?.code).toBe(1062010);
    expect(early.status).toBe(400);
    await part(api, uploadId, 0, blocksOf(bytes)[0]!);
    expect((await finish(api, uploadId, 2)).json?.code).toBe(0);
  });

  it('refuses bad blocks with the documented codes', async () => {
    const { api } = await open();
    const bytes = randomBytes(BLOCK_SIZE + 100);
    const uploadId = (await prepare(api, bytes.length)).json!.data!.upload_id as string;
    const [first, last] = blocksOf(bytes) as [Buffer, Buffer];
    expect((await part(api, uploadId, 2, last)).json?.code).toBe(1062011); // seq beyond block_num - 1
    expect((await part(api, uploadId, 0, first.subarray(0, 1000))).json?.code).toBe(1061002); // not a 4 MB block
    expect((await part(api, uploadId, 1, Buffer.alloc(50), { size: 50 })).json?.code).toBe(1061002); // last block is the remainder (100)
    expect((await part(api, uploadId, 1, last.subarray(0, 99), { size: 100 })).json?.code).toBe(1062009); // fewer bytes than declared
    expect((await part(api, uploadId, 1, last, { checksum: '12345' })).json?.code).toBe(1062008);
    expect((await part(api, 'upNoSuchUpload', 0, first)).json?.code).toBe(1061002);
    expect((await finish(api, uploadId, 3)).json?.code).toBe(1062011); // block_num mismatch
  });

  it('refuses bad prepare requests: size 0, unknown parent, name too long, unknown version target', async () => {
    const { api } = await open();
    expect((await prepare(api, 0)).json?.code).toBe(1061002);
    expect((await prepare(api, 10, { parent_node: 'fldcnMissing' })).json?.code).toBe(1061044);
    expect((await prepare(api, 10, { file_name: 'n'.repeat(251) })).json?.code).toBe(1061008);
    expect((await prepare(api, 10, { file_token: 'boxcnMissing' })).json?.code).toBe(1061003);
    expect((await prepare(api, 10, { size: '10 ' })).json?.code).toBe(1061002);
  });

  it('1061021 once the upload id outlives uploadTtlSec', async () => {
    const clock = new FakeClock();
    const { api } = await open({ clock, uploadTtlSec: 60, tokenTtlSec: 7200 });
    const uploadId = (await prepare(api, 10)).json!.data!.upload_id as string;
    await clock.advance(61_000);
    expect((await part(api, uploadId, 0, Buffer.alloc(10))).json?.code).toBe(1061021);
    expect((await finish(api, uploadId, 1)).json?.code).toBe(1061021);
  });

  it('1062007 when another app uses the upload id', async () => {
    const other = { appId: 'cli_other', appSecret: 'other-secret' };
    const { api } = await open({ extraApps: [other] });
    const uploadId = (await prepare(api, 10)).json!.data!.upload_id as string;
    const intruder = new SandboxCaller(box!);
    await intruder.login(other.appId, other.appSecret);
    expect((await part(intruder, uploadId, 0, Buffer.alloc(10))).json?.code).toBe(1062007);
    expect((await finish(intruder, uploadId, 1)).json?.code).toBe(1062007);
    // The owner is unaffected.
    expect((await part(api, uploadId, 0, Buffer.alloc(10))).json?.code).toBe(0);
  });

  it('a token expiring mid-upload answers 99991663; a fresh token of the same app continues the upload', async () => {
    const clock = new FakeClock();
    const { api } = await open({ clock, tokenTtlSec: 30 });
    const bytes = randomBytes(BLOCK_SIZE + 1);
    const uploadId = (await prepare(api, bytes.length)).json!.data!.upload_id as string;
    await part(api, uploadId, 0, blocksOf(bytes)[0]!);
    await clock.advance(31_000);
    const refused = await part(api, uploadId, 1, blocksOf(bytes)[1]!);
    expect(refused.json?.code).toBe(99991663);
    await api.login();
    expect((await part(api, uploadId, 1, blocksOf(bytes)[1]!)).json?.code).toBe(0);
    expect((await finish(api, uploadId, 2)).json?.code).toBe(0);
  });

  it('1061041 at finish when the parent folder was deleted meanwhile', async () => {
    const { api } = await open();
    const folder = await api.createFolder('temp', box!.rootFolderToken);
    const uploadId = (await prepare(api, 5, { parent_node: folder })).json!.data!.upload_id as string;
    await part(api, uploadId, 0, Buffer.from('hello'));
    await api.call('DELETE', `${FILES}/${folder}?type=folder`);
    expect((await finish(api, uploadId, 1)).json?.code).toBe(1061041);
  });
});

describe('sandbox media upload', () => {
  it('stores media outside the folder tree and validates parent_type', async () => {
    const { api } = await open();
    const bytes = Buffer.from('png bytes');
    const form = (parentType: string): [string, any][] => [
      ['file_name', 'image.png'], ['parent_type', parentType], ['parent_node', 'doxcnSomeDocument'],
      ['size', String(bytes.length)], ['checksum', adler32(bytes)], ['extra', '{"drive_route_token":"doxcnSomeDocument"}'], ['file', { file: bytes }],
    ];
    const ok = await api.call('POST', `${MEDIAS}/upload_all`, { form: form('docx_image') });
    expect(ok.json).toMatchObject({ code: 0, data: { file_token: expect.any(String) } });
    expect((await api.call('POST', `${MEDIAS}/upload_all`, { form: form('explorer') })).json?.code).toBe(1061002);
    expect((await api.call('POST', `${MEDIAS}/upload_all`, { form: form('not_a_type') })).json?.code).toBe(1061002);
    expect(box!.tree()).toEqual([]);
  });

  it('runs the block flow for media, and a files upload id is unknown to the medias endpoints', async () => {
    const { api } = await open();
    const bytes = randomBytes(BLOCK_SIZE + 3);
    const prepared = await prepare(api, bytes.length, { parent_type: 'docx_file', parent_node: 'doxcnDoc' }, MEDIAS);
    const uploadId = prepared.json!.data!.upload_id as string;
    const fileUploadId = (await prepare(api, 3)).json!.data!.upload_id as string;
    expect((await part(api, fileUploadId, 0, Buffer.alloc(3), { base: MEDIAS })).json?.code).toBe(1061002);
    for (const [seq, block] of blocksOf(bytes).entries()) expect((await part(api, uploadId, seq, block, { base: MEDIAS })).json?.code).toBe(0);
    expect((await finish(api, uploadId, 2, MEDIAS)).json).toMatchObject({ code: 0, data: { file_token: expect.any(String) } });
    expect(box!.tree()).toEqual([]);
  });
});
