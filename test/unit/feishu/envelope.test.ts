import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../../src/feishu/client.js';
import { parseEnvelope, retryAfterMsOf, type ResponseFacts } from '../../../src/feishu/envelope.js';
import { FEISHU_ERROR_CODES, LOCAL_ERROR_CODES } from '../../../src/feishu/errorCodes.js';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import { rejectionOf, sendJson, startFakeServer, type FakeServer } from './fakeServer.js';

const ROOT = '/open-apis/drive/explorer/v2/root_folder/meta';

function facts(httpStatus: number, headers: Record<string, string> = {}): ResponseFacts {
  return { endpoint: 'filesUploadAll', httpStatus, headers, now: Date.UTC(2026, 0, 1) };
}

function thrown(fn: () => unknown): FeishuError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FeishuError);
    return e as FeishuError;
  }
  throw new Error('expected a FeishuError');
}

describe('envelope parsing', () => {
  it('returns data of a code-0 answer', () => {
    const env = parseEnvelope(facts(200, { 'x-tt-logid': 'L1' }), '{"code":0,"msg":"ok","data":{"file_token":"f"}}');
    expect(env.data).toEqual({ file_token: 'f' });
    expect(env.logId).toBe('L1');
  });

  it.each([...FEISHU_ERROR_CODES.values()].map((r) => [r.code, r] as const))(
    'classifies code %i with the kind, action and remedy of its table row',
    (code, row) => {
      const err = thrown(() =>
        parseEnvelope(facts(row.httpStatus, { 'x-tt-logid': 'LOG42' }), JSON.stringify({ code, msg: row.msg, data: {} })),
      );
      expect(err.code).toBe(code);
      expect(err.httpStatus).toBe(row.httpStatus);
      expect(err.kind).toBe(row.kind);
      expect(err.action).toBe(row.action);
      expect(err.remedy).toBe(row.remedy);
      expect(err.logId).toBe('LOG42');
      expect(err.endpoint).toBe('filesUploadAll');
      expect(err.message).toContain('LOG42');
      expect(err.message).toContain(row.remedy);
    },
  );

  it('a non-zero code with HTTP 200 is still an error', () => {
    expect(thrown(() => parseEnvelope(facts(200), '{"code":1061045,"msg":"can retry"}')).retryable).toBe(true);
  });

  it('an unknown code is an error that names the code', () => {
    const err = thrown(() => parseEnvelope(facts(400), '{"code":4242,"msg":"odd"}'));
    expect(err.code).toBe(4242);
    expect(err.message).toContain('4242');
  });

  it.each([
    ['an HTML gateway page with 502', 502, '<html><body>Bad Gateway</body></html>', LOCAL_ERROR_CODES.serverError, /HTML/],
    ['an HTML page with 200', 200, '<!doctype html><p>login</p>', LOCAL_ERROR_CODES.badResponse, /HTML/],
    ['a truncated JSON body', 200, '{"code":0,"msg":"ok","da', LOCAL_ERROR_CODES.badResponse, /not JSON/],
    ['an empty body', 200, '', LOCAL_ERROR_CODES.badResponse, /empty/],
    ['JSON without a code', 200, '{"msg":"ok"}', LOCAL_ERROR_CODES.badResponse, /code/],
    ['a JSON array', 200, '[1,2]', LOCAL_ERROR_CODES.badResponse, /not an object/],
    ['code 0 with HTTP 500', 500, '{"code":0,"msg":"ok"}', LOCAL_ERROR_CODES.serverError, /HTTP 500/],
  ])('%s is a FeishuError with a local code', (_name, status, body, code, message) => {
    const err = thrown(() => parseEnvelope(facts(status), body));
    expect(err.code).toBe(code);
    expect(err.httpStatus).toBe(status);
    expect(err.msg).toMatch(message);
    expect(err.retryable).toBe(true);
  });

  it('99991400 is rate limited and carries the reset hint from x-ogw-ratelimit-reset', () => {
    const err = thrown(() =>
      parseEnvelope(facts(400, { 'x-ogw-ratelimit-reset': '3', 'x-ogw-ratelimit-limit': '5' }), '{"code":99991400,"msg":"limit"}'),
    );
    expect(err.rateLimited).toBe(true);
    expect(err.retryAfterMs).toBe(3000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMsOf({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMsOf({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(retryAfterMsOf({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMsOf({}, now)).toBeUndefined();
    expect(retryAfterMsOf({ 'x-ogw-ratelimit-reset': '1', 'retry-after': '9' }, now)).toBe(1000);
  });
});

describe('transport failures over HTTP', () => {
  let server: FakeServer | undefined;
  let client: FeishuClient | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = server = undefined;
  });

  function clientFor(baseUrl: string, timeouts = {}) {
    client = new FeishuClient({ baseUrl, credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' }, timeouts });
    return client;
  }

  it('connection refused is a retryable network error', async () => {
    server = await startFakeServer({});
    const url = server.baseUrl;
    await server.close();
    server = undefined;
    const err = await rejectionOf<FeishuError>(clientFor(url).rootFolderMeta());
    expect(err).toBeInstanceOf(FeishuError);
    expect(err.code).toBe(LOCAL_ERROR_CODES.network);
    expect(err.endpoint).toBe('tenantToken');
    expect(err.msg).toMatch(/ECONNREFUSED/);
    expect(err.retryable).toBe(true);
  });

  it('a connection reset before the answer is a network error', async () => {
    server = await startFakeServer({ [ROOT]: (_req, res) => void res.socket?.destroy() });
    const err = await rejectionOf<FeishuError>(clientFor(server.baseUrl).rootFolderMeta());
    expect(err.code).toBe(LOCAL_ERROR_CODES.network);
    expect(err.endpoint).toBe('rootFolderMeta');
  });

  it('a body cut short (fewer bytes than Content-Length) is a malformed answer', async () => {
    server = await startFakeServer({
      [ROOT]: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100', 'x-tt-logid': 'CUT' });
        res.write('{"code":0,"msg":"ok","data":{"tok');
        setTimeout(() => res.socket?.destroy(), 20);
      },
    });
    const err = await rejectionOf<FeishuError>(clientFor(server.baseUrl).rootFolderMeta());
    expect(err.code).toBe(LOCAL_ERROR_CODES.badResponse);
    expect(err.logId).toBe('CUT');
    expect(err.msg).toMatch(/cut short/);
  });

  it('a server that never answers hits the headers timeout as a network error', async () => {
    server = await startFakeServer({ [ROOT]: () => new Promise(() => {}) });
    const err = await rejectionOf<FeishuError>(clientFor(server.baseUrl, { headersMs: 200 }).rootFolderMeta());
    expect(err.code).toBe(LOCAL_ERROR_CODES.network);
    expect(err.msg).toMatch(/timeout/i);
  });

  it('a success answer missing a promised field is a malformed answer, not undefined', async () => {
    server = await startFakeServer({ [ROOT]: (_req, res) => sendJson(res, 200, { code: 0, msg: 'ok', data: { id: '1' } }) });
    const err = await rejectionOf<FeishuError>(clientFor(server.baseUrl).rootFolderMeta());
    expect(err.code).toBe(LOCAL_ERROR_CODES.badResponse);
    expect(err.msg).toMatch(/"token"/);
  });
});
