import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UPLOAD_ALL_MAX_BYTES } from '../../../src/feishu/limits.js';
import type { SandboxHandle } from '../../../src/sandbox/index.js';
import { multipart, openSandbox, type FormValue, type RawAnswer, type SandboxCaller } from './sandboxClient.js';

const FILES = '/open-apis/drive/v1/files';

/** Send raw bytes over a socket; resolve with whatever comes back before the server closes or 2 s pass. */
function rawHttp(port: number, payload: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
    });
    socket.on('error', done);
    socket.on('close', done);
    setTimeout(done, 2000);
    socket.write(payload);
  });
}

describe('sandbox bad input: a documented error in an envelope, never a crash', () => {
  let box: SandboxHandle;
  let api: SandboxCaller;
  let parentDir: string;
  const internalErrors = vi.spyOn(console, 'error');
  beforeAll(async () => {
    parentDir = mkdtempSync(join(tmpdir(), 'sandbox-bad-'));
    ({ box, api } = await openSandbox({ dataDir: join(parentDir, 'data') }));
  });
  afterAll(async () => {
    await box.close();
    rmSync(parentDir, { recursive: true, force: true });
  });

  const port = () => Number(new URL(box.baseUrl).port);
  const form = (fields: Record<string, FormValue>) => Object.entries(fields);
  const good = () => ({ file_name: 'a.txt', parent_type: 'explorer', parent_node: box.rootFolderToken, size: '5', file: { file: Buffer.from('hello') } });
  const without = (field: string) => form(Object.fromEntries(Object.entries(good()).filter(([k]) => k !== field)) as Record<string, FormValue>);

  const cases: { why: string; send: () => Promise<RawAnswer>; code: number; status?: number }[] = [
    { why: 'multipart without a boundary', send: () => api.call('POST', `${FILES}/upload_all`, { raw: { body: 'x', contentType: 'multipart/form-data' } }), code: 1061002 },
    { why: 'a truncated multipart body', send: () => { const m = multipart(form(good())); return api.call('POST', `${FILES}/upload_all`, { raw: { body: m.body.subarray(0, m.body.length - 40), contentType: m.contentType } }); }, code: 1061002 },
    { why: 'garbage in a multipart body', send: () => api.call('POST', `${FILES}/upload_all`, { raw: { body: Buffer.from('\x00\x01garbage'), contentType: 'multipart/form-data; boundary=zzz' } }), code: 1061002 },
    { why: 'two file parts', send: () => api.call('POST', `${FILES}/upload_all`, { form: [...form(good()), ['file', { file: Buffer.from('hello') }]] }), code: 1061002 },
    { why: 'the file in a part with another name', send: () => api.call('POST', `${FILES}/upload_all`, { form: [...without('file'), ['data', { file: Buffer.from('hello') }]] }), code: 1061002 },
    { why: 'a field given twice', send: () => api.call('POST', `${FILES}/upload_all`, { form: [['size', '5'], ...form(good())] }), code: 1061002 },
    { why: 'upload_all without parent_node', send: () => api.call('POST', `${FILES}/upload_all`, { form: without('parent_node') }), code: 1061002 },
    { why: 'upload_all without size', send: () => api.call('POST', `${FILES}/upload_all`, { form: without('size') }), code: 1061002 },
    { why: 'upload_all without file_name', send: () => api.call('POST', `${FILES}/upload_all`, { form: without('file_name') }), code: 1061008 },
    { why: 'upload_all without parent_type', send: () => api.call('POST', `${FILES}/upload_all`, { form: without('parent_type') }), code: 1061002 },
    { why: 'text/plain where JSON is required', send: () => api.call('POST', `${FILES}/upload_prepare`, { raw: { body: 'size=5', contentType: 'text/plain' } }), code: 1061002 },
    { why: 'multipart where JSON is required', send: () => api.call('POST', `${FILES}/upload_prepare`, { form: form(good()) }), code: 1061002 },
    { why: 'invalid JSON', send: () => api.call('POST', `${FILES}/create_folder`, { raw: { body: '{"name": ', contentType: 'application/json' } }), code: 1061002 },
    { why: 'a JSON array', send: () => api.call('POST', `${FILES}/create_folder`, { json: [1, 2] }), code: 1061002 },
    { why: 'JSON null', send: () => api.call('POST', `${FILES}/create_folder`, { raw: { body: 'null', contentType: 'application/json' } }), code: 1061002 },
    { why: 'a JSON body over 1 MB', send: () => api.call('POST', `${FILES}/create_folder`, { json: { name: 'x', pad: 'p'.repeat(1_100_000) } }), code: 1061002 },
    { why: 'size as letters', send: () => api.call('POST', `${FILES}/upload_prepare`, { json: { ...good(), file: undefined, size: 'abc' } }), code: 1061002 },
    { why: 'a fractional size', send: () => api.call('POST', `${FILES}/upload_prepare`, { json: { ...good(), file: undefined, size: 1.5 } }), code: 1061002 },
    { why: 'a boolean size', send: () => api.call('POST', `${FILES}/upload_prepare`, { json: { ...good(), file: undefined, size: true } }), code: 1061002 },
    { why: 'a size beyond safe integers', send: () => api.call('POST', `${FILES}/upload_prepare`, { json: { ...good(), file: undefined, size: 2 ** 60 } }), code: 1061002 },
    { why: 'a huge declared file size', send: () => api.call('POST', `${FILES}/upload_prepare`, { json: { ...good(), file: undefined, size: 10 ** 15 } }), code: 1061043 },
    { why: 'a numeric file_name', send: () => api.call('POST', `${FILES}/upload_prepare`, { json: { ...good(), file: undefined, file_name: 123 } }), code: 1061002 },
    { why: 'an object parent_node', send: () => api.call('POST', `${FILES}/upload_prepare`, { json: { ...good(), file: undefined, parent_node: {} } }), code: 1061002 },
    { why: 'a textual block_num', send: () => api.call('POST', `${FILES}/upload_finish`, { json: { upload_id: 'upX', block_num: 'x' } }), code: 1061002 },
    { why: 'finish without upload_id', send: () => api.call('POST', `${FILES}/upload_finish`, { json: { block_num: 1 } }), code: 1061002 },
    { why: 'a numeric folder_token on move', send: () => api.call('POST', `${FILES}/boxcnX/move`, { json: { type: 'file', folder_token: 5 } }), code: 1061003, status: 404 },
    { why: 'metas with malformed items', send: () => api.call('POST', '/open-apis/drive/v1/metas/batch_query', { json: { request_docs: [{ doc_token: 1 }] } }), code: 1061002 },
    { why: 'a path-traversal token', send: () => api.call('GET', `${FILES}/..%2F..%2Fetc%2Fpasswd/download`), code: 1061003, status: 404 },
    { why: 'broken percent-encoding in the path', send: () => api.call('GET', `${FILES}/%E0%A4%A/download`), code: 1061002 },
    { why: 'an unknown API path', send: () => api.call('GET', '/open-apis/drive/v9/nothing'), code: 1061003, status: 404 },
    { why: 'a known path with the wrong method', send: () => api.call('GET', `${FILES}/upload_all`), code: 1061003, status: 404 },
    { why: 'an unknown admin path', send: () => api.call('GET', '/sandbox/admin/secrets'), code: 1061003, status: 404 },
  ];

  for (const c of cases) {
    it(`${c.why} → ${c.code}`, async () => {
      const answer = await c.send();
      expect(answer.json, answer.text).toMatchObject({ code: c.code, msg: expect.any(String), data: {} });
      expect(answer.status).toBe(c.status ?? 400);
      expect(answer.headers['x-tt-logid']).toBeTruthy();
    });
  }

  it('refuses a body declared bigger than upload_all takes before reading it, and closes the connection', async () => {
    const head =
      `POST ${FILES}/upload_all HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${api.token}\r\n` +
      `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10737418240\r\n\r\n--b\r\n`;
    const answer = await rawHttp(port(), head);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('"code":1061043');
  });

  it('refuses an upload_part body bigger than a block before reading it', async () => {
    const head =
      `POST ${FILES}/upload_part HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${api.token}\r\n` +
      `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 104857600\r\n\r\n--b\r\n`;
    const answer = await rawHttp(port(), head);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"code":1061002');
  });

  it('refuses a chunked upload_all whose file part outgrows 20 MB while it streams in', async () => {
    const start = Buffer.from(
      `--b\r\nContent-Disposition: form-data; name="file_name"\r\n\r\nbig.bin\r\n` +
        `--b\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const body = Buffer.concat([start, Buffer.alloc(UPLOAD_ALL_MAX_BYTES + 1024)]);
    const head =
      `POST ${FILES}/upload_all HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${api.token}\r\n` +
      `Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunked = Buffer.concat([Buffer.from(head), Buffer.from(body.length.toString(16) + '\r\n'), body, Buffer.from('\r\n')]);
    const answer = await rawHttp(port(), chunked);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"code":1061043');
    // The temp file goes once the refused stream is drained, which may be just after the answer.
    await vi.waitFor(() => expect(readdirSync(join(parentDir, 'data', 'tmp'))).toEqual([]), { timeout: 10_000 });
  });

  it('cleans up after a client that hangs up in the middle of a file part', async () => {
    const partial = Buffer.concat([
      Buffer.from(
        `POST ${FILES}/upload_all HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${api.token}\r\n` +
          `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n` +
          `--b\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\n\r\n`,
      ),
      Buffer.alloc(200_000, 1),
    ]);
    await new Promise<void>((resolve) => {
      const socket = connect(port(), '127.0.0.1', () => socket.write(partial, () => setTimeout(() => socket.destroy(), 100)));
      socket.on('close', () => resolve());
    });
    await vi.waitFor(() => expect(readdirSync(join(parentDir, 'data', 'tmp'))).toEqual([]), { timeout: 10_000 }); // generous: a loaded CI box
    expect((await api.call('GET', '/open-apis/drive/explorer/v2/root_folder/meta')).json?.code).toBe(0);
  });

  it('answers unparseable HTTP with an envelope', async () => {
    const answer = await rawHttp(port(), 'THIS IS NOT HTTP\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"code":1061002');
    expect(answer).toMatch(/x-tt-logid/i);
  });

  it('stores path-like names literally and never writes outside its data directory', async () => {
    for (const name of ['../../escape.txt', '/etc/passwd', 'a/../../b']) {
      expect((await api.uploadAll(name, box.rootFolderToken, Buffer.from('x'))).json?.code).toBe(0);
    }
    expect(readdirSync(parentDir)).toEqual(['data']);
    expect(box.tree().map((n) => n.name)).toEqual(expect.arrayContaining(['../../escape.txt', '/etc/passwd', 'a/../../b']));
  });

  it('is still alive and saw no internal error after all of that', async () => {
    expect((await api.call('GET', '/open-apis/drive/explorer/v2/root_folder/meta')).json?.code).toBe(0);
    expect(internalErrors).not.toHaveBeenCalled();
  });
});
