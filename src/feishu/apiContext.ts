/**
 * What the endpoint modules (uploads, folders, download) need from the client:
 * an authorised JSON call and an authorised raw call, both with the single
 * re-auth retry. Keeping it an interface lets each module stay a set of plain
 * functions.
 */
import { withReauth, type TokenProvider } from './auth.js';
import type { Envelope } from './envelope.js';
import type { HttpRequest, HttpTransport, RawResponse } from './http.js';

export type ApiRequest = Omit<HttpRequest, 'token'>;

export interface ApiContext {
  /** JSON envelope call; FeishuError unless code 0. */
  call(req: ApiRequest): Promise<Envelope>;
  /** Raw answer (headers received, body unread) for calls whose success is not an envelope. */
  callRaw(req: ApiRequest, check: (res: RawResponse) => Promise<void>): Promise<RawResponse>;
  readonly http: HttpTransport;
}

export function apiContext(http: HttpTransport, tokens: TokenProvider): ApiContext {
  return {
    http,
    call: (req) => withReauth(tokens, (token) => http.json({ ...req, token })),
    callRaw: (req, check) =>
      withReauth(tokens, async (token) => {
        const res = await http.send({ ...req, token });
        await check(res);
        return res;
      }),
  };
}
