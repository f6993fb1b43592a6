/**
 * Turns an HTTP answer into either the envelope's `data` or a FeishuError.
 * Every JSON answer is `{ code, msg, data }` with `code == 0` for success
 * (../shared/feishu-drive-api.md, "Envelope and errors"); some failures come
 * with HTTP 200, some answers are HTML pages from a gateway. The auth
 * endpoints put their fields at the top level instead of under `data`.
 */
import type { EndpointId } from './endpoints.js';
import { LOCAL_ERROR_CODES } from './errorCodes.js';
import { FeishuError } from './feishuError.js';
import { FieldReader } from './fields.js';

export interface Envelope {
  code: number;
  msg: string;
  data?: unknown;
  /** The whole parsed object (auth answers keep their fields here). */
  raw: Record<string, unknown>;
  /** X-Tt-Logid of the answer. */
  logId?: string;
}

export interface ResponseFacts {
  endpoint: EndpointId;
  httpStatus: number;
  headers: Record<string, string>;
  /** Epoch ms at the time the answer arrived (for HTTP-date Retry-After). */
  now: number;
}

export const LOG_ID_HEADER = 'x-tt-logid';

export function logIdOf(headers: Record<string, string>): string | undefined {
  return headers[LOG_ID_HEADER] || undefined;
}

/**
 * Milliseconds until the server allows calls again: `x-ogw-ratelimit-reset`
 * (seconds; name unconfirmed, see the protocol page) or `Retry-After`
 * (seconds or an HTTP date).
 */
export function retryAfterMsOf(headers: Record<string, string>, now: number): number | undefined {
  const reset = headers['x-ogw-ratelimit-reset'];
  if (reset !== undefined && reset.trim() !== '' && Number.isFinite(Number(reset))) {
    return Math.max(0, Math.round(Number(reset) * 1000));
  }
  const retryAfter = headers['retry-after'];
  if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(retryAfter)) return Math.max(0, Math.round(Number(retryAfter) * 1000));
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A FeishuError for a failure described by the response. */
export function responseError(facts: ResponseFacts, code: number, msg: string, cause?: unknown): FeishuError {
  return new FeishuError({
    code,
    httpStatus: facts.httpStatus,
    msg,
    endpoint: facts.endpoint,
    logId: logIdOf(facts.headers),
    retryAfterMs: retryAfterMsOf(facts.headers, facts.now),
    cause,
  });
}

/** An answer that is not a Feishu envelope: 5xx pages are server errors, anything else is malformed. */
function notAnEnvelope(facts: ResponseFacts, what: string, body: string): FeishuError {
  const code = facts.httpStatus >= 500 ? LOCAL_ERROR_CODES.serverError : LOCAL_ERROR_CODES.badResponse;
  const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 120);
  return responseError(facts, code, `${what}${snippet ? `: "${snippet}"` : ''}`);
}

/** Parse a complete body. Throws a FeishuError unless it is an envelope with code 0 and a 2xx status. */
export function parseEnvelope(facts: ResponseFacts, body: string): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    const looksHtml = /^\s*</.test(body);
    const what = body.trim() === '' ? 'empty response' : looksHtml ? 'HTML page instead of JSON' : 'response is not JSON (maybe cut short)';
    const err = notAnEnvelope(facts, what, body);
    if (err.cause === undefined) Object.defineProperty(err, 'cause', { value: cause });
    throw err;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw notAnEnvelope(facts, 'JSON answer is not an object', body);
  }
  const raw = parsed as Record<string, unknown>;
  if (typeof raw.code !== 'number' || !Number.isInteger(raw.code)) {
    throw notAnEnvelope(facts, 'JSON answer has no numeric "code"', body);
  }
  const msg = typeof raw.msg === 'string' ? raw.msg : '';
  if (raw.code !== 0) throw responseError(facts, raw.code, msg);
  if (facts.httpStatus < 200 || facts.httpStatus >= 300) {
    throw notAnEnvelope(facts, `HTTP ${facts.httpStatus} with code 0`, body);
  }
  return { code: 0, msg, data: raw.data, raw, logId: logIdOf(facts.headers) };
}

/** Typed reader over the `data` object of a successful envelope (empty when absent). */
export function dataOf(endpoint: EndpointId, envelope: Envelope): FieldReader {
  return new FieldReader(endpoint, envelope.raw, envelope.logId).object('data');
}
