import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../../src/feishu/client.js';
import { LOCAL_ERROR_CODES } from '../../../src/feishu/errorCodes.js';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import { MAX_LIST_PAGE_SIZE } from '../../../src/feishu/limits.js';
import { rejectionOf, sendJson, startFakeServer, TOKEN_PATH, type FakeServer, type Handler } from './fakeServer.js';

const FILES = '/open-apis/drive/v1/files';
const ok = (data: unknown) => ({ code: 0, msg: 'ok', data });

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('folder and file calls', () => {
  let server: FakeServer;
  let client: FeishuClient;
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  async function start(routes: Record<string, Handler>) {
    server = await startFakeServer(routes);
    client = new FeishuClient({ baseUrl: server.baseUrl, credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' } });
  }

  it('listFolder follows next_page_token across pages with page_size 200 by default', async () => {
    const all = Array.from({ length: 450 }, (_, i) => ({ token: `t${i}`, name: `f${i}.txt`, type: 'file', parent_token: 'fld', size: i }));
    await start({
      [FILES]: (req, res) => {
        const size = Number(req.query.get('page_size'));
        const from = Number(req.query.get('page_token') ?? 0);
        const page = all.slice(from, from + size);
        const more = from + size < all.length;
        sendJson(res, 200, ok({ files: page, has_more: more, ...(more ? { next_page_token: String(from + size) } : {}) }));
      },
    });
    const entries = await collect(client.listFolder('fld', { orderBy: 'EditedTime', direction: 'DESC' }));
    expect(entries.map((e) => e.token)).toEqual(all.map((f) => f.token));
    expect(entries[3]).toEqual({ token: 't3', name: 'f3.txt', type: 'file', parentToken: 'fld', size: 3 });
    const reqs = server.to(FILES);
    expect(reqs).toHaveLength(3);
    expect(reqs.map((r) => r.query.get('page_size'))).toEqual(['200', '200', '200']);
    expect(reqs.map((r) => r.query.get('page_token'))).toEqual([null, '200', '400']);
    expect(reqs[0]!.query.get('folder_token')).toBe('fld');
    expect(reqs[0]!.query.get('order_by')).toBe('EditedTime');
    expect(reqs[0]!.query.get('direction')).toBe('DESC');
  });

  it('listFolder fetches pages lazily: stopping early sends no further request', async () => {
    await start({ [FILES]: (_r, res) => sendJson(res, 200, ok({ files: [{ token: 'a', name: 'a', type: 'file' }], has_more: true, next_page_token: 'p2' })) });
    for await (const entry of client.listFolder('fld', { pageSize: 1 })) {
      expect(entry.parentToken).toBe('fld');
      break;
    }
    expect(server.to(FILES)).toHaveLength(1);
  });

  it('listFolder refuses a page size above 200 before any request', async () => {
    await start({});
    await expect(collect(client.listFolder('fld', { pageSize: MAX_LIST_PAGE_SIZE + 1 }))).rejects.toThrow(/1 to 200/);
    expect(server.requests).toHaveLength(0);
  });

  it('a repeating page token is a malformed answer instead of an endless loop', async () => {
    await start({ [FILES]: (_r, res) => sendJson(res, 200, ok({ files: [], has_more: true, next_page_token: 'same' })) });
    const err = await rejectionOf<FeishuError>(collect(client.listFolder('fld')));
    expect(err.code).toBe(LOCAL_ERROR_CODES.badResponse);
    expect(server.to(FILES)).toHaveLength(2);
  });

  it('createFolder, move, copy, delete and task_check send the documented shapes', async () => {
    await start({
      [`${FILES}/create_folder`]: (_r, res) => sendJson(res, 200, ok({ token: 'fldN', url: 'https://x/fldN' })),
      [`${FILES}/fil1/move`]: (_r, res) => sendJson(res, 200, ok({})),
      [`${FILES}/fld2/move`]: (_r, res) => sendJson(res, 200, ok({ task_id: 'task1' })),
      [`${FILES}/fil1/copy`]: (_r, res) =>
        sendJson(res, 200, ok({ file: { token: 'fil3', name: 'new.txt', type: 'file', parent_token: 'fldN', url: 'https://x/fil3' } })),
      [`${FILES}/fil1`]: (_r, res) => sendJson(res, 200, ok({})),
      [`${FILES}/fld2`]: (_r, res) => sendJson(res, 200, ok({ task_id: 'task2' })),
      [`${FILES}/task_check`]: (_r, res) => sendJson(res, 200, ok({ status: 'success' })),
    });
    await expect(client.createFolder('Docs', 'root')).resolves.toEqual({ token: 'fldN', url: 'https://x/fldN' });
    await expect(client.move('fil1', 'file', 'fldN')).resolves.toEqual({});
    await expect(client.move('fld2', 'folder', 'fldN')).resolves.toEqual({ taskId: 'task1' });
    await expect(client.copy('fil1', 'file', 'new.txt', 'fldN')).resolves.toEqual({
      token: 'fil3',
      name: 'new.txt',
      type: 'file',
      parentToken: 'fldN',
      url: 'https://x/fil3',
    });
    await expect(client.delete('fil1', 'file')).resolves.toEqual({});
    await expect(client.delete('fld2', 'folder')).resolves.toEqual({ taskId: 'task2' });
    await expect(client.taskCheck('task2')).resolves.toEqual({ status: 'success' });

    const body = (path: string, i = 0) => JSON.parse(server.to(path)[i]!.body.toString());
    expect(body(`${FILES}/create_folder`)).toEqual({ name: 'Docs', folder_token: 'root' });
    expect(body(`${FILES}/fil1/move`)).toEqual({ type: 'file', folder_token: 'fldN' });
    expect(body(`${FILES}/fil1/copy`)).toEqual({ name: 'new.txt', type: 'file', folder_token: 'fldN' });
    const del = server.to(`${FILES}/fld2`)[0]!;
    expect(del.method).toBe('DELETE');
    expect(del.query.get('type')).toBe('folder');
    expect(server.to(`${FILES}/task_check`)[0]!.query.get('task_id')).toBe('task2');
  });

  it('an empty token is refused before any request', async () => {
    await start({});
    await expect(client.move('', 'file', 'fld')).rejects.toThrow(/file_token is empty/);
    await expect(client.download(' ')).rejects.toThrow(/file_token is empty/);
    expect(server.requests.filter((r) => r.path !== TOKEN_PATH)).toHaveLength(0);
  });

  it('batchQueryMetas maps request_docs and metas', async () => {
    await start({
      '/open-apis/drive/v1/metas/batch_query': (_r, res) =>
        sendJson(res, 200, ok({ metas: [{ doc_token: 'd1', doc_type: 'file', title: 'a.txt', url: 'u', create_time: '1', latest_modify_time: '2' }] })),
    });
    await expect(client.batchQueryMetas([{ docToken: 'd1', docType: 'file' }])).resolves.toEqual([
      { docToken: 'd1', docType: 'file', title: 'a.txt', url: 'u', createTime: '1', latestModifyTime: '2' },
    ]);
    expect(JSON.parse(server.requests.at(-1)!.body.toString()).request_docs).toEqual([{ doc_token: 'd1', doc_type: 'file' }]);
    await expect(client.batchQueryMetas([])).resolves.toEqual([]);
  });

  it('download streams the raw bytes', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 9);
    await start({
      [`${FILES}/fil1/download`]: (_r, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        res.end(bytes);
      },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of await client.download('fil1')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('download follows a redirect to where the bytes are served', async () => {
    await start({
      [`${FILES}/fil1/download`]: (_r, res) => {
        res.writeHead(302, { location: '/blob/fil1' });
        res.end();
      },
      '/blob/fil1': (_r, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end('the bytes');
      },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of await client.download('fil1')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('the bytes');
    expect(server.to('/blob/fil1')[0]!.headers.authorization).toBe('Bearer t-1');
  });

  it('a download answered with an error envelope rejects with that FeishuError', async () => {
    await start({ [`${FILES}/nope/download`]: (_r, res) => sendJson(res, 404, { code: 1061003, msg: 'not found' }, { 'x-tt-logid': 'DL' }) });
    const err = await rejectionOf<FeishuError>(client.download('nope'));
    expect(err).toBeInstanceOf(FeishuError);
    expect(err.code).toBe(1061003);
    expect(err.logId).toBe('DL');
    expect(err.endpoint).toBe('download');
  });

  it('a download cut mid-body errors the stream with a FeishuError', async () => {
    await start({
      [`${FILES}/fil1/download`]: (_r, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 1000 });
        res.write(Buffer.alloc(100));
        setTimeout(() => res.socket?.destroy(), 20);
      },
    });
    const stream = await client.download('fil1');
    const err = await rejectionOf<FeishuError>(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    );
    expect(err).toBeInstanceOf(FeishuError);
    expect(err.code).toBe(LOCAL_ERROR_CODES.network);
  });
});
