import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPLOAD_ALL_MAX_BYTES } from '../../../src/feishu/limits.js';
import type { SandboxHandle } from '../../../src/sandbox/index.js';
import { adler32, openSandbox, type SandboxCaller } from './sandboxClient.js';

const UPLOAD_ALL = '/open-apis/drive/v1/files/upload_all';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sandbox upload_all', () => {
  let box: SandboxHandle;
  let api: SandboxCaller;
  beforeEach(async () => ({ box, api } = await openSandbox()));
  afterEach(() => box.close());

  it('stores the exact bytes under a new token, visible in the tree, the listing and the download', async () => {
    const bytes = randomBytes(100_000);
    const answer = await api.uploadAll('report.pdf', box.rootFolderToken, bytes, [['checksum', adler32(bytes)]]);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ code: 0, data: { file_token: expect.any(String) } });
    expect(answer.headers['x-tt-logid']).toMatch(/^\d{14}[0-9A-F]{20}$/);
    const token = answer.json!.data!.file_token as string;

    expect(box.tree()).toEqual([
      { path: 'report.pdf', token, type: 'file', parentToken: box.rootFolderToken, name: 'report.pdf', size: bytes.length, sha256: sha256(bytes), version: '1' },
    ]);
    const listing = await api.call('GET', `/open-apis/drive/v1/files?folder_token=${box.rootFolderToken}`);
    expect(listing.json!.data!.files).toEqual([expect.objectContaining({ token, name: 'report.pdf', type: 'file', parent_token: box.rootFolderToken, size: bytes.length })]);
    const download = await api.call('GET', `/open-apis/drive/v1/files/${token}/download`);
    expect(download.status).toBe(200);
    expect(download.bytes.equals(bytes)).toBe(true);
  });

  it('with file_token uploads a new version: same token, version incremented, content replaced', async () => {
    const first = await api.uploadAll('notes.txt', box.rootFolderToken, Buffer.from('first'));
    const token = first.json!.data!.file_token as string;
    const second = await api.uploadAll('notes.txt', box.rootFolderToken, Buffer.from('second, longer'), [['file_token', token]]);
    expect(second.json).toMatchObject({ code: 0, data: { file_token: token, version: '2' } });
    expect(box.tree()).toEqual([expect.objectContaining({ token, version: '2', size: 14, sha256: sha256(Buffer.from('second, longer')) })]);
    const download = await api.call('GET', `/open-apis/drive/v1/files/${token}/download`);
    expect(download.text).toBe('second, longer');
  });

  it('accepts exactly 20 MB in one upload_all', async () => {
    const bytes = randomBytes(UPLOAD_ALL_MAX_BYTES);
    const answer = await api.uploadAll('twenty.bin', box.rootFolderToken, bytes, [['checksum', adler32(bytes)]]);
    expect(answer.json?.code).toBe(0);
    expect(box.tree()[0]).toMatchObject({ size: UPLOAD_ALL_MAX_BYTES, sha256: sha256(bytes) });
  });

  it('accepts a 250-character name and names that look like paths, stored literally', async () => {
    for (const name of ['x'.repeat(250), '../x', 'a/b', '..', 'C:\\evil', '名字 with spaces ']) {
      const answer = await api.uploadAll(name, box.rootFolderToken, Buffer.from(name));
      expect(answer.json?.code, name).toBe(0);
    }
    expect(box.tree().map((n) => n.name).sort()).toEqual(['x'.repeat(250), '../x', 'a/b', '..', 'C:\\evil', '名字 with spaces '].sort());
  });

  describe('refuses with the documented code', () => {
    const bytes = Buffer.from('hello sandbox');
    const cases: { why: string; form: (root: string) => [string, any][]; code: number; status: number }[] = [
      { why: 'an empty name', form: (root) => [['file_name', ''], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13'], ['file', { file: bytes }]], code: 1061008, status: 400 },
      { why: 'a 251-character name', form: (root) => [['file_name', 'y'.repeat(251)], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13'], ['file', { file: bytes }]], code: 1061008, status: 400 },
      { why: 'size 0', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '0'], ['file', { file: Buffer.alloc(0) }]], code: 1061002, status: 400 },
      { why: 'a size with a trailing space', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13 '], ['file', { file: bytes }]], code: 1061002, status: 400 },
      { why: 'a negative size', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '-13'], ['file', { file: bytes }]], code: 1061002, status: 400 },
      { why: 'a fractional size', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13.0'], ['file', { file: bytes }]], code: 1061002, status: 400 },
      { why: 'a declared size over 20 MB', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', String(UPLOAD_ALL_MAX_BYTES + 1)], ['file', { file: bytes }]], code: 1061043, status: 400 },
      { why: 'fewer bytes than declared', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '14'], ['file', { file: bytes }]], code: 1062009, status: 400 },
      { why: 'more bytes than declared', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '12'], ['file', { file: bytes }]], code: 1062009, status: 400 },
      { why: 'a wrong checksum', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13'], ['checksum', String(Number(adler32(bytes)) + 1)], ['file', { file: bytes }]], code: 1062008, status: 400 },
      { why: 'a non-decimal checksum', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13'], ['checksum', 'abc'], ['file', { file: bytes }]], code: 1062008, status: 400 },
      { why: 'an unknown parent', form: () => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', 'fldcnDoesNotExist'], ['size', '13'], ['file', { file: bytes }]], code: 1061044, status: 400 },
      { why: 'a parent type other than explorer', form: (root) => [['file_name', 'a'], ['parent_type', 'docx_image'], ['parent_node', root], ['size', '13'], ['file', { file: bytes }]], code: 1061002, status: 400 },
      { why: 'no file part', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13']], code: 1061002, status: 400 },
      { why: 'an unknown file_token', form: (root) => [['file_name', 'a'], ['parent_type', 'explorer'], ['parent_node', root], ['size', '13'], ['file_token', 'boxcnNope'], ['file', { file: bytes }]], code: 1061003, status: 404 },
    ];
    for (const c of cases) {
      it(`${c.code} for ${c.why}, storing nothing`, async () => {
        const answer = await api.call('POST', UPLOAD_ALL, { form: c.form(box.rootFolderToken) });
        expect(answer.json).toMatchObject({ code: c.code, msg: expect.any(String) });
        expect(answer.status).toBe(c.status);
        expect(answer.headers['x-tt-logid']).toBeTruthy();
        expect(box.tree()).toEqual([]);
      });
    }
  });

  it('1061002 for a JSON body where multipart is required', async () => {
    const answer = await api.call('POST', UPLOAD_ALL, { json: { file_name: 'a', parent_type: 'explorer', parent_node: box.rootFolderToken, size: 1 } });
    expect(answer.status).toBe(400);
    expect(answer.json?.code).toBe(1061002);
  });

  it('1061041 when the parent folder is in the recycle bin, 1061007 when the versioned file is', async () => {
    const folder = await api.createFolder('gone', box.rootFolderToken);
    const file = (await api.uploadAll('f', box.rootFolderToken, Buffer.from('x'))).json!.data!.file_token as string;
    await api.call('DELETE', `/open-apis/drive/v1/files/${folder}?type=folder`);
    await api.call('DELETE', `/open-apis/drive/v1/files/${file}?type=file`);
    expect((await api.uploadAll('g', folder, Buffer.from('x'))).json?.code).toBe(1061041);
    const version = await api.uploadAll('f', box.rootFolderToken, Buffer.from('y'), [['file_token', file]]);
    expect(version.json?.code).toBe(1061007);
    expect(version.status).toBe(404);
  });

  it('1062507 when the folder already holds 1,500 items', async () => {
    const folder = await api.createFolder('full', box.rootFolderToken);
    for (let i = 0; i < 1500; i++) expect((await api.uploadAll(`f${i}`, folder, Buffer.from([i & 255]))).json?.code).toBe(0);
    const answer = await api.uploadAll('one-too-many', folder, Buffer.from('x'));
    expect(answer.json?.code).toBe(1062507);
    expect(box.tree().filter((n) => n.parentToken === folder)).toHaveLength(1500);
  });
});
