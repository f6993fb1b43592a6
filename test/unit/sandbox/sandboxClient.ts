/**
 * Raw HTTP helpers for the sandbox tests: undici requests and a hand-built
 * multipart body (so tests control every byte, including malformed ones).
 */
import ADLER32 from 'adler-32';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/index.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  bytes: Buffer;
  /** The parsed JSON body, when it is JSON. */
  json: { code: number; msg: string; data?: Record<string, any>; [key: string]: unknown } | undefined;
}

export function adler32(bytes: Uint8Array): string {
  return String(ADLER32.buf(bytes) >>> 0);
}

export type FormValue = string | { file: Buffer; filename?: string };

/** A multipart/form-data body with the fields in the given order. */
export function multipart(fields: [string, FormValue][], boundary = '----sandbox' + randomBytes(8).toString('hex')) {
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    if (typeof value === 'string') {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename ?? 'blob'}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        value.file,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export class SandboxCaller {
  constructor(readonly box: SandboxHandle, public token = '') {}

  async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    init: { json?: unknown; form?: [string, FormValue][]; raw?: { body: Buffer | string; contentType: string }; token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<RawAnswer> {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? this.token : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: Buffer | string | undefined;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json; charset=utf-8';
    } else if (init.form) {
      const built = multipart(init.form);
      body = built.body;
      headers['content-type'] = built.contentType;
    } else if (init.raw) {
      body = init.raw.body;
      headers['content-type'] = init.raw.contentType;
    }
    const res = await request(this.box.baseUrl + path, { method, headers, ...(body === undefined ? {} : { body }) });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    const text = bytes.toString('utf8');
    let json: RawAnswer['json'];
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers: flat, text, bytes, json };
  }

  async login(appId = this.box.appId, appSecret = this.box.appSecret): Promise<string> {
    const answer = await this.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { json: { app_id: appId, app_secret: appSecret }, token: null });
    if (answer.json?.code !== 0) throw new Error(`login failed: ${answer.text}`);
    this.token = answer.json.tenant_access_token as string;
    return this.token;
  }

  uploadAllForm(name: string, parent: string, bytes: Buffer, extra: [string, FormValue][] = []): [string, FormValue][] {
    return [
      ['file_name', name],
      ['parent_type', 'explorer'],
      ['parent_node', parent],
      ['size', String(bytes.length)],
      ...extra,
      ['file', { file: bytes }],
    ];
  }

  async uploadAll(name: string, parent: string, bytes: Buffer, extra: [string, FormValue][] = []): Promise<RawAnswer> {
    return this.call('POST', '/open-apis/drive/v1/files/upload_all', { form: this.uploadAllForm(name, parent, bytes, extra) });
  }

  async createFolder(name: string, parent: string): Promise<string> {
    const answer = await this.call('POST', '/open-apis/drive/v1/files/create_folder', { json: { name, folder_token: parent } });
    if (answer.json?.code !== 0) throw new Error(`create_folder failed: ${answer.text}`);
    return answer.json.data!.token;
  }
}

/** A sandbox without limits and a logged-in caller. */
export async function openSandbox(options: SandboxOptions = {}): Promise<{ box: SandboxHandle; api: SandboxCaller }> {
  const box = await startSandbox({ limits: 'off', ...options });
  const api = new SandboxCaller(box);
  await api.login();
  return { box, api };
}
