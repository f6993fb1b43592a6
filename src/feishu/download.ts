/**
 * File download: the success answer is the raw bytes, not an envelope; a
 * failure is an envelope (or an HTML page). The bytes are streamed to the
 * caller; a connection lost mid-body surfaces as a FeishuError on the stream.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { ApiContext } from './apiContext.js';
import { LOCAL_ERROR_CODES } from './errorCodes.js';
import { FeishuError } from './feishuError.js';
import { logIdOf, parseEnvelope, responseError } from './envelope.js';
import type { RawResponse } from './http.js';

function isJson(res: RawResponse): boolean {
  return /\bjson\b/i.test(res.headers['content-type'] ?? '');
}

export async function download(ctx: ApiContext, token: string): Promise<Readable> {
  const { http } = ctx;
  const res = await ctx.callRaw({ endpoint: 'download', pathParams: { file_token: token }, followRedirects: true }, async (r) => {
    if (r.status === 200 && !isJson(r)) return;
    const text = await http.readText(r);
    const facts = http.facts(r);
    let err: FeishuError;
    try {
      parseEnvelope(facts, text);
      // A code-0 envelope where bytes were expected.
      err = responseError(facts, LOCAL_ERROR_CODES.badResponse, 'JSON answer instead of file bytes');
    } catch (e) {
      if (!(e instanceof FeishuError)) throw e;
      err = e;
    }
    http.report(r.endpoint, r.status, err.code, r.startedAt, r.headers);
    throw err;
  });
  http.report(res.endpoint, res.status, 0, res.startedAt, res.headers);
  const out = new PassThrough();
  res.body.on('error', (cause) => {
    out.destroy(
      new FeishuError({
        code: LOCAL_ERROR_CODES.network,
        httpStatus: res.status,
        msg: `download cut short: ${(cause as Error).message}`,
        endpoint: 'download',
        logId: logIdOf(res.headers),
        cause,
      }),
    );
  });
  out.on('close', () => {
    if (!res.body.destroyed && !res.body.readableEnded) res.body.destroy();
  });
  res.body.pipe(out);
  return out;
}
