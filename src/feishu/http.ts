/**
 * The one place requests leave the process. Every call builds its body
 * (uploads: read + checksum from disk), then passes the hook
 * (`beforeRequest`: the scheduler paces and counts there; a throw aborts the
 * call), is sent at once, goes through the shared keep-alive dispatcher, and
 * reports its outcome to `afterResponse`. Transport failures become
 * FeishuErrors with LOCAL_ERROR_CODES; nothing here retries.
 */
import type { Readable } from 'node:stream';
import { interceptors, request, type Dispatcher } from 'undici';
import type { Clock } from '../platform/clock.js';
import type { RequestHook } from './driveApi.js';
import { ENDPOINTS, endpointPath, type EndpointId } from './endpoints.js';
import { LOCAL_ERROR_CODES } from './errorCodes.js';
import { FeishuError } from './feishuError.js';
import { logIdOf, parseEnvelope, type Envelope } from './envelope.js';

const MAX_REDIRECTIONS = 5;

export interface RequestBody {
  contentType: string;
  /** Byte length when known (multipart bodies always know it). */
  length?: number;
  body: string | Uint8Array | Readable;
}

export interface HttpRequest {
  endpoint: EndpointId;
  pathParams?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** Bearer token for the Authorization header. */
  token?: string;
  /**
   * Built afresh for every attempt (a re-auth retry sends the body again),
   * BEFORE `beforeRequest`: an upload reads and checksums its bytes first, so
   * the gate's grant and the request's arrival at the server are separated
   * only by the send itself, not by a disk read of varying length. A rate
   * limit at Feishu's API gateway counts a call when its request arrives (the
   * sandbox does the same: it admits at the request head, before reading the
   * body, so transmit time does not count); a read after the grant let paced
   * calls bunch up in the one-second window past the pacer's margin.
   * Memory stays bounded by the callers' concurrency (files × blocks in
   * flight). A throw here (e.g. SourceChangedError) propagates as is, before
   * the gate: nothing is sent and no call is counted.
   */
  body?: () => RequestBody | Promise<RequestBody>;
  /** Aborts the call at any stage; it then rejects with the signal's reason (not a FeishuError). */
  signal?: AbortSignal;
  /** Follow 3xx answers (downloads may be served from another URL; Authorization is dropped across origins). */
  followRedirects?: boolean;
}

export interface RawResponse {
  endpoint: EndpointId;
  status: number;
  headers: Record<string, string>;
  body: Dispatcher.ResponseData['body'];
  startedAt: number;
}

export interface HttpTransportOptions {
  baseUrl: string;
  dispatcher: Dispatcher;
  hook?: RequestHook;
  clock: Clock;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Node / undici error codes worth naming in a message. */
function describeTransportError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const message = e?.message ?? String(err);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

export class HttpTransport {
  readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly redirecting: Dispatcher;
  private readonly hook: RequestHook | undefined;
  private readonly clock: Clock;

  constructor(options: HttpTransportOptions) {
    this.baseUrl = options.baseUrl;
    this.dispatcher = options.dispatcher;
    this.redirecting = options.dispatcher.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
    this.hook = options.hook;
    this.clock = options.clock;
  }

  url(req: HttpRequest): string {
    for (const [name, value] of Object.entries(req.pathParams ?? {})) {
      if (value.trim() === '') throw new RangeError(`${req.endpoint}: ${name} is empty — a remote token is required`);
    }
    const url = new URL(this.baseUrl + endpointPath(req.endpoint, req.pathParams));
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    return url.href;
  }

  /** Send and return the raw answer once headers arrived. The caller reads (or fails) the body. */
  async send(req: HttpRequest): Promise<RawResponse> {
    const url = this.url(req);
    const { signal } = req;
    signal?.throwIfAborted();
    const body = await req.body?.();
    signal?.throwIfAborted();
    await this.hook?.beforeRequest?.(req.endpoint, signal);
    signal?.throwIfAborted();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (body) {
      headers['content-type'] = body.contentType;
      if (body.length !== undefined) headers['content-length'] = String(body.length);
    }
    const startedAt = this.clock.now();
    try {
      const res = await request(url, {
        method: ENDPOINTS[req.endpoint].method,
        headers,
        body: body?.body,
        dispatcher: req.followRedirects ? this.redirecting : this.dispatcher,
        ...(signal ? { signal } : {}),
      });
      return { endpoint: req.endpoint, status: res.statusCode, headers: flattenHeaders(res.headers), body: res.body, startedAt };
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      this.report(req.endpoint, 0, LOCAL_ERROR_CODES.network, startedAt, {});
      throw new FeishuError({
        code: LOCAL_ERROR_CODES.network,
        httpStatus: 0,
        msg: `network error: ${describeTransportError(cause)}`,
        endpoint: req.endpoint,
        cause,
      });
    }
  }

  /** Read the whole body as text; a body cut short is a malformed answer. */
  async readText(res: RawResponse, signal?: AbortSignal): Promise<string> {
    try {
      return await res.body.text();
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      this.report(res.endpoint, res.status, LOCAL_ERROR_CODES.badResponse, res.startedAt, res.headers);
      throw new FeishuError({
        code: LOCAL_ERROR_CODES.badResponse,
        httpStatus: res.status,
        msg: `response cut short: ${describeTransportError(cause)}`,
        endpoint: res.endpoint,
        logId: logIdOf(res.headers),
        cause,
      });
    }
  }

  /** Send, read and parse the envelope; FeishuError for every failure. */
  async json(req: HttpRequest): Promise<Envelope> {
    const res = await this.send(req);
    const text = await this.readText(res, req.signal);
    try {
      const envelope = parseEnvelope(this.facts(res), text);
      this.report(res.endpoint, res.status, 0, res.startedAt, res.headers);
      return envelope;
    } catch (err) {
      this.report(res.endpoint, res.status, (err as FeishuError).code, res.startedAt, res.headers);
      throw err;
    }
  }

  facts(res: RawResponse) {
    return { endpoint: res.endpoint, httpStatus: res.status, headers: res.headers, now: this.clock.now() };
  }

  report(endpoint: EndpointId, httpStatus: number, code: number, startedAt: number, headers: Record<string, string>): void {
    this.hook?.afterResponse?.({
      endpoint,
      httpStatus,
      code,
      logId: logIdOf(headers),
      durationMs: Math.max(0, this.clock.now() - startedAt),
      headers,
    });
  }
}

/** A JSON request body. */
export function jsonBody(value: unknown): () => RequestBody {
  const text = JSON.stringify(value);
  return () => ({ contentType: 'application/json; charset=utf-8', length: Buffer.byteLength(text), body: text });
}
