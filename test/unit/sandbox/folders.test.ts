import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FOLDER_DEPTH } from '../../../src/feishu/limits.js';
import { FakeClock } from '../../../src/platform/clock.js';
import type { SandboxHandle } from '../../../src/sandbox/index.js';
import { openSandbox, type SandboxCaller } from './sandboxClient.js';

const FILES = '/open-apis/drive/v1/files';

describe('sandbox folders and files', () => {
  let box: SandboxHandle;
  let api: SandboxCaller;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    ({ box, api } = await openSandbox({ clock }));
  });
  afterEach(() => box.close());

  const upload = async (name: string, parent: string, content = name) => {
    const answer = await api.uploadAll(name, parent, Buffer.from(content));
    expect(answer.json?.code).toBe(0);
    return answer.json!.data!.file_token as string;
  };

  it('root_folder/meta answers the root token', async () => {
    const answer = await api.call('GET', '/open-apis/drive/explorer/v2/root_folder/meta');
    expect(answer.json).toMatchObject({ code: 0, data: { token: box.rootFolderToken, id: expect.stringMatching(/^\d+$/), user_id: expect.stringMatching(/^ou_/) } });
  });

  it('create_folder nests folders to depth 15 and refuses the 16th level with 1062506', async () => {
    let parent = box.rootFolderToken;
    for (let depth = 1; depth <= MAX_FOLDER_DEPTH; depth++) parent = await api.createFolder(`d${depth}`, parent);
    const answer = await api.call('POST', `${FILES}/create_folder`, { json: { name: 'too-deep', folder_token: parent } });
    expect(answer.json?.code).toBe(1062506);
    expect(box.tree().filter((n) => n.type === 'folder')).toHaveLength(MAX_FOLDER_DEPTH);
    expect(box.tree().at(-1)!.path).toBe(Array.from({ length: 15 }, (_, i) => `d${i + 1}`).join('/'));
  });

  it('create_folder validates name and parent', async () => {
    const call = (json: unknown) => api.call('POST', `${FILES}/create_folder`, { json });
    expect((await call({ name: '', folder_token: box.rootFolderToken })).json?.code).toBe(1061008);
    expect((await call({ name: 'z'.repeat(251), folder_token: box.rootFolderToken })).json?.code).toBe(1061008);
    expect((await call({ name: 'x', folder_token: 'fldcnMissing' })).json?.code).toBe(1061044);
    expect((await call({ name: 'x' })).json?.code).toBe(1061002);
    expect((await call({ name: 42, folder_token: box.rootFolderToken })).json?.code).toBe(1061002);
  });

  it('lists a folder in pages following next_page_token, ordered by edit time', async () => {
    const folder = await api.createFolder('many', box.rootFolderToken);
    const tokens: string[] = [];
    for (let i = 0; i < 7; i++) {
      await clock.advance(1000);
      tokens.push(await upload(`f${i}`, folder));
    }
    const seen: string[] = [];
    let pageToken = '';
    for (let page = 0; page < 10; page++) {
      const answer = await api.call('GET', `${FILES}?folder_token=${folder}&page_size=3&order_by=EditedTime&direction=ASC${pageToken ? `&page_token=${pageToken}` : ''}`);
      expect(answer.json?.code).toBe(0);
      const data = answer.json!.data!;
      seen.push(...data.files.map((f: { token: string }) => f.token));
      if (!data.has_more) break;
      pageToken = data.next_page_token;
    }
    expect(seen).toEqual(tokens);
    const newestFirst = await api.call('GET', `${FILES}?folder_token=${folder}&page_size=200`);
    expect(newestFirst.json!.data!.files.map((f: { token: string }) => f.token)).toEqual([...tokens].reverse());
    expect(newestFirst.json!.data!.has_more).toBe(false);
    expect(newestFirst.json!.data!.files[0]).toEqual({
      token: tokens[6], name: 'f6', type: 'file', parent_token: folder, url: `${box.baseUrl}/file/${tokens[6]}`,
      created_time: String(Math.floor(clock.now() / 1000)), modified_time: String(Math.floor(clock.now() / 1000)),
      owner_id: expect.stringMatching(/^ou_/), size: 2,
    });
  });

  it('refuses bad list parameters', async () => {
    expect((await api.call('GET', `${FILES}?page_size=201`)).json?.code).toBe(1061002);
    expect((await api.call('GET', `${FILES}?page_size=0`)).json?.code).toBe(1061002);
    expect((await api.call('GET', `${FILES}?order_by=Name`)).json?.code).toBe(1061002);
    expect((await api.call('GET', `${FILES}?page_token=garbage`)).json?.code).toBe(1061002);
    expect((await api.call('GET', `${FILES}?folder_token=fldcnMissing`)).json?.code).toBe(1061003);
  });

  it('moves a file synchronously and a folder with a task id that task_check reports done', async () => {
    const a = await api.createFolder('a', box.rootFolderToken);
    const b = await api.createFolder('b', box.rootFolderToken);
    const file = await upload('doc.txt', a);
    const moved = await api.call('POST', `${FILES}/${file}/move`, { json: { type: 'file', folder_token: b } });
    expect(moved.json).toMatchObject({ code: 0, data: {} });
    const folderMove = await api.call('POST', `${FILES}/${a}/move`, { json: { type: 'folder', folder_token: b } });
    expect(folderMove.json).toMatchObject({ code: 0, data: { task_id: expect.any(String) } });
    const check = await api.call('GET', `${FILES}/task_check?task_id=${folderMove.json!.data!.task_id}`);
    expect(check.json).toMatchObject({ code: 0, data: { status: 'success' } });
    expect(box.tree().map((n) => n.path)).toEqual(['b', 'b/a', 'b/doc.txt']);
    expect(box.tree().find((n) => n.token === file)!.parentToken).toBe(b);
  });

  it('refuses moving a folder into itself and moving with the wrong type', async () => {
    const a = await api.createFolder('a', box.rootFolderToken);
    const inner = await api.createFolder('inner', a);
    expect((await api.call('POST', `${FILES}/${a}/move`, { json: { type: 'folder', folder_token: inner } })).json?.code).toBe(1061002);
    expect((await api.call('POST', `${FILES}/${a}/move`, { json: { type: 'file', folder_token: box.rootFolderToken } })).json?.code).toBe(1061002);
    expect((await api.call('POST', `${FILES}/boxcnMissing/move`, { json: { type: 'file', folder_token: a } })).json?.code).toBe(1061003);
  });

  it('copies a file server-side under a new name and token with the same bytes', async () => {
    const bytes = randomBytes(5000);
    const source = (await api.uploadAll('orig.bin', box.rootFolderToken, bytes)).json!.data!.file_token as string;
    const answer = await api.call('POST', `${FILES}/${source}/copy`, { json: { name: 'renamed.bin', type: 'file', folder_token: box.rootFolderToken } });
    expect(answer.json).toMatchObject({ code: 0, data: { file: { name: 'renamed.bin', type: 'file', parent_token: box.rootFolderToken, token: expect.any(String) } } });
    const copyToken = answer.json!.data!.file.token as string;
    expect(copyToken).not.toBe(source);
    expect((await api.call('GET', `${FILES}/${copyToken}/download`)).bytes.equals(bytes)).toBe(true);
    const [orig, copy] = ['orig.bin', 'renamed.bin'].map((name) => box.tree().find((n) => n.name === name)!);
    expect(copy!.sha256).toBe(orig!.sha256);
  });

  it('deletes to the recycle bin: files and whole folders leave listings, the tree and downloads', async () => {
    const folder = await api.createFolder('trash-me', box.rootFolderToken);
    const inside = await upload('inside.txt', folder);
    const file = await upload('lonely.txt', box.rootFolderToken);
    expect((await api.call('DELETE', `${FILES}/${file}?type=file`)).json).toMatchObject({ code: 0, data: {} });
    const folderDelete = await api.call('DELETE', `${FILES}/${folder}?type=folder`);
    expect(folderDelete.json).toMatchObject({ code: 0, data: { task_id: expect.any(String) } });
    expect(box.tree()).toEqual([]);
    expect((await api.call('GET', `${FILES}?folder_token=${box.rootFolderToken}`)).json!.data!.files).toEqual([]);
    const gone = await api.call('GET', `${FILES}/${inside}/download`);
    expect(gone.json?.code).toBe(1061007);
    expect((await api.call('DELETE', `${FILES}/${file}?type=file`)).json?.code).toBe(1061007);
    expect((await api.call('DELETE', `${FILES}/${box.rootFolderToken}?type=folder`)).json?.code).toBe(1061002);
    expect((await api.call('DELETE', `${FILES}/${inside}`)).json?.code).toBe(1061002);
  });

  it('downloads byte ranges', async () => {
    const bytes = randomBytes(1000);
    const token = (await api.uploadAll('r.bin', box.rootFolderToken, bytes)).json!.data!.file_token as string;
    const part = await api.call('GET', `${FILES}/${token}/download`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/1000');
    expect(part.bytes.equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await api.call('GET', `${FILES}/${token}/download`, { headers: { range: 'bytes=-10' } });
    expect(tail.bytes.equals(bytes.subarray(990))).toBe(true);
    expect((await api.call('GET', `${FILES}/${token}/download`, { headers: { range: 'bytes=2000-' } })).status).toBe(416);
  });

  it('metas/batch_query answers titles and lists failures', async () => {
    const token = await upload('meta.txt', box.rootFolderToken);
    const answer = await api.call('POST', '/open-apis/drive/v1/metas/batch_query', {
      json: { request_docs: [{ doc_token: token, doc_type: 'file' }, { doc_token: 'boxcnMissing', doc_type: 'file' }] },
    });
    expect(answer.json).toMatchObject({
      code: 0,
      data: { metas: [{ doc_token: token, doc_type: 'file', title: 'meta.txt', url: `${box.baseUrl}/file/${token}` }], failed_list: [{ token: 'boxcnMissing', code: 1061003 }] },
    });
    expect((await api.call('POST', '/open-apis/drive/v1/metas/batch_query', { json: { request_docs: [] } })).json?.code).toBe(1061002);
  });
});
