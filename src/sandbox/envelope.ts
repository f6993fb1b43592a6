/**
 * How the sandbox answers: Feishu's `{ code, msg, data }` envelope with the
 * HTTP status from the one error table (src/feishu/errorCodes.ts), and an
 * `X-Tt-Logid` header on every response.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { FEISHU_ERROR_CODES } from '../feishu/errorCodes.js';

/** A request the sandbox refuses, with a Feishu error code. Thrown by handlers, answered by the server. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  readonly code: number;
  readonly httpStatus: number;
  readonly headers: Record<string, string>;
  /** Close the connection after answering (the request body was not read). */
  readonly closeConnection: boolean;

  constructor(
    code: number,
    detail?: string,
    extra: { httpStatus?: number; headers?: Record<string, string>; closeConnection?: boolean; message?: string } = {},
  ) {
    const info = FEISHU_ERROR_CODES.get(code);
    if (!info) throw new Error(`sandbox: error code ${code} is not in src/feishu/errorCodes.ts`);
    const msg = extra.message ?? info.msg;
    super(detail ? `${msg}: ${detail}` : msg);
    this.code = code;
    this.httpStatus = extra.httpStatus ?? info.httpStatus;
    this.headers = extra.headers ?? {};
    this.closeConnection = extra.closeConnection ?? false;
  }
}

/** Feishu log ids look like `20261125191437A1B2C3D4E5F6...`: a timestamp and random hex. */
export function newLogId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

/** What the server writes back: built by the pipeline and handlers, written by one writer (which may dribble it). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | { stream: Readable; length: number };
  /** Close the connection after the answer (set when the request body is left unread). */
  close?: boolean;
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(body)) };
}

export function okReply(data: unknown): Reply {
  return jsonReply(200, okEnvelope(data));
}

export function errorReply(error: SandboxError, logId: string): Reply {
  return {
    ...jsonReply(error.httpStatus, errorEnvelope(error.code, error.message, logId), error.headers),
    close: error.closeConnection,
  };
}

export function okEnvelope(data: unknown): { code: 0; msg: 'success'; data: unknown } {
  return { code: 0, msg: 'success', data };
}

export function errorEnvelope(code: number, msg: string, logId: string): { code: number; msg: string; data: object; error: { log_id: string } } {
  return { code, msg, data: {}, error: { log_id: logId } };
}

/** The body of a gateway failure: no envelope, like a real load balancer's page. */
export const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
