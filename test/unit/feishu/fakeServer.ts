/**
 * A tiny node:http server for the client's unit tests: each test states the
 * answers inline; every request is recorded (method, path, query, headers,
 * body bytes) for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeishuError } from '../../../src/feishu/feishuError.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests to one path. */
  to(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

/** Routes by path; a tenant token route answering `t-1`, `t-2`, … is built in unless overridden. */
export async function startFakeServer(routes: Record<string, Handler>, tokenTtlSec = 7200): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  let tokens = 0;
  const allRoutes: Record<string, Handler> = {
    [TOKEN_PATH]: (_req, res) => sendJson(res, 200, { code: 0, msg: 'ok', tenant_access_token: `t-${++tokens}`, expire: tokenTtlSec }),
    ...routes,
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(recorded);
    const handler = allRoutes[url.pathname];
    if (!handler) return sendJson(res, 404, { code: 1061003, msg: `no route ${url.pathname}` });
    try {
      await handler(recorded, res);
    } catch (e) {
      res.destroy(e as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Split a multipart body into ordered parts (name, filename, value bytes). */
export function parseMultipart(req: RecordedRequest): { name: string; filename?: string; value: Buffer }[] {
  const boundary = /boundary=(.+)$/.exec(String(req.headers['content-type']))?.[1];
  if (!boundary) throw new Error('not multipart');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { name: string; filename?: string; value: Buffer }[] = [];
  let pos = req.body.indexOf(delimiter);
  for (;;) {
    const next = req.body.indexOf(delimiter, pos + delimiter.length);
    if (next < 0) break;
    const part = req.body.subarray(pos + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    parts.push({ name, ...(filename === undefined ? {} : { filename }), value: part.subarray(split + 4) });
    pos = next;
  }
  return parts;
}

/** The FeishuError (or other error of type T) a promise rejects with; fails the test if it resolves. */
export async function rejectionOf<T = FeishuError>(promise: Promise<unknown>): Promise<T> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.error as T;
}
