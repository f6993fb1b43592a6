import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, ProxyAgent } from 'undici';
import { resolveBaseUrl } from '../../../src/feishu/baseUrl.js';
import { FeishuClient } from '../../../src/feishu/client.js';
import type { RequestHook } from '../../../src/feishu/driveApi.js';
import type { EndpointId } from '../../../src/feishu/endpoints.js';
import { LOCAL_ERROR_CODES } from '../../../src/feishu/errorCodes.js';
import { createDispatcher, proxyFor } from '../../../src/feishu/proxy.js';
import { sendJson, startFakeServer, type FakeServer } from './fakeServer.js';

const ROOT = '/open-apis/drive/explorer/v2/root_folder/meta';

describe('base URL', () => {
  it('maps the cloud names and validates URLs', () => {
    expect(resolveBaseUrl('feishu')).toBe('https://open.feishu.cn');
    expect(resolveBaseUrl('lark')).toBe('https://open.larksuite.com');
    expect(resolveBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(resolveBaseUrl(new URL('https://gw.example.com/feishu/'))).toBe('https://gw.example.com/feishu');
    expect(() => resolveBaseUrl('feishu.cn')).toThrow(/Unknown cloud "feishu.cn"/);
    expect(() => resolveBaseUrl('ftp://x')).toThrow(/https:\/\//);
    expect(() => resolveBaseUrl('https://x/?a=1')).toThrow(/plain base URL/);
  });
});

describe('proxy selection', () => {
  const feishu = 'https://open.feishu.cn';
  it('uses HTTPS_PROXY for https, falling back to HTTP_PROXY', () => {
    expect(proxyFor(feishu, { HTTPS_PROXY: 'http://p:3128' })).toBe('http://p:3128');
    expect(proxyFor(feishu, { HTTP_PROXY: 'http://p:8080' })).toBe('http://p:8080');
    expect(proxyFor(feishu, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })).toBe('http://lower:1');
    expect(proxyFor('http://sandbox.lan:9000', { HTTPS_PROXY: 'http://p:3128' })).toBeUndefined();
    expect(proxyFor(feishu, {})).toBeUndefined();
  });

  it('honours NO_PROXY by host, domain suffix, port and wildcard', () => {
    const env = { HTTPS_PROXY: 'http://p:3128' };
    expect(proxyFor(feishu, { ...env, NO_PROXY: 'feishu.cn' })).toBeUndefined();
    expect(proxyFor(feishu, { ...env, NO_PROXY: '.feishu.cn' })).toBeUndefined();
    expect(proxyFor(feishu, { ...env, no_proxy: 'example.com, *.feishu.cn' })).toBeUndefined();
    expect(proxyFor(feishu, { ...env, NO_PROXY: 'open.feishu.cn:443' })).toBeUndefined();
    expect(proxyFor(feishu, { ...env, NO_PROXY: 'open.feishu.cn:8443' })).toBe('http://p:3128');
    expect(proxyFor(feishu, { ...env, NO_PROXY: 'notfeishu.cn' })).toBe('http://p:3128');
    expect(proxyFor(feishu, { ...env, NO_PROXY: '*' })).toBeUndefined();
  });

  it('never proxies loopback (a local sandbox)', () => {
    const env = { HTTP_PROXY: 'http://p:3128', HTTPS_PROXY: 'http://p:3128' };
    expect(proxyFor('http://127.0.0.1:5000', env)).toBeUndefined();
    expect(proxyFor('http://localhost:5000', env)).toBeUndefined();
    expect(proxyFor('http://[::1]:5000', env)).toBeUndefined();
  });

  it('builds a ProxyAgent only when a proxy applies', async () => {
    const proxied = createDispatcher('https://open.feishu.cn', {}, { HTTPS_PROXY: 'http://p:3128' });
    const direct = createDispatcher('http://127.0.0.1:1', {}, { HTTPS_PROXY: 'http://p:3128' });
    expect(proxied).toBeInstanceOf(ProxyAgent);
    expect(direct).toBeInstanceOf(Agent);
    await Promise.all([proxied.close(), direct.close()]);
  });
});

describe('through a proxy', () => {
  it('calls reach the server through the HTTP_PROXY tunnel, host name resolved by the proxy', async () => {
    const server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 200, { code: 0, msg: 'ok', data: { token: 'via-proxy' } }) });
    const tunnels: string[] = [];
    // A CONNECT proxy that sends every tunnel to the fake server, whatever host was asked for.
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const upstream = connect(Number(new URL(server.baseUrl).port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const client = new FeishuClient({
      baseUrl: 'http://open.feishu.invalid:8080',
      env: { HTTP_PROXY: proxyUrl },
      credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' },
    });
    try {
      await expect(client.rootFolderMeta()).resolves.toMatchObject({ token: 'via-proxy' });
      expect(tunnels[0]).toBe('open.feishu.invalid:8080');
      expect(server.to(ROOT)[0]!.headers.host).toBe('open.feishu.invalid:8080');
    } finally {
      await client.close();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      await server.close();
    }
  });
});

describe('request hook', () => {
  let server: FakeServer;
  let client: FeishuClient;
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('sees every request, token fetch included, before it is sent and after it answers', async () => {
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 200, { code: 0, msg: 'ok', data: { token: 'r' } }, { 'x-tt-logid': 'L7' }) });
    const events: string[] = [];
    const after: Parameters<NonNullable<RequestHook['afterResponse']>>[0][] = [];
    const hook: RequestHook = {
      beforeRequest: async (endpoint) => {
        events.push(`before ${endpoint} (${server.requests.length} sent)`);
      },
      afterResponse: (info) => {
        events.push(`after ${info.endpoint}`);
        after.push(info);
      },
    };
    client = new FeishuClient({ baseUrl: server.baseUrl, credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' }, hook });
    await client.rootFolderMeta();
    await client.rootFolderMeta();
    expect(events).toEqual([
      'before tenantToken (0 sent)',
      'after tenantToken',
      'before rootFolderMeta (1 sent)',
      'after rootFolderMeta',
      'before rootFolderMeta (2 sent)',
      'after rootFolderMeta',
    ]);
    expect(after[1]).toMatchObject({ endpoint: 'rootFolderMeta', httpStatus: 200, code: 0, logId: 'L7' });
    expect(after[1]!.headers['x-tt-logid']).toBe('L7');
  });

  it('reports failures with their code', async () => {
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 400, { code: 99991400, msg: 'limit' }, { 'x-ogw-ratelimit-reset': '1' }) });
    const codes: [EndpointId, number, number][] = [];
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' },
      hook: { afterResponse: (i) => void codes.push([i.endpoint, i.httpStatus, i.code]) },
    });
    await expect(client.rootFolderMeta()).rejects.toMatchObject({ code: 99991400, retryAfterMs: 1000 });
    expect(codes).toEqual([
      ['tenantToken', 200, 0],
      ['rootFolderMeta', 400, 99991400],
    ]);
  });

  it('reports a call that got no answer with HTTP status 0 and the network code', async () => {
    server = await startFakeServer({ [ROOT]: (_r, res) => void res.socket?.destroy() });
    const seen: [EndpointId, number, number][] = [];
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' },
      hook: { afterResponse: (i) => void seen.push([i.endpoint, i.httpStatus, i.code]) },
    });
    await expect(client.rootFolderMeta()).rejects.toMatchObject({ code: LOCAL_ERROR_CODES.network });
    expect(seen.at(-1)).toEqual(['rootFolderMeta', 0, LOCAL_ERROR_CODES.network]);
  });

  it('a throwing beforeRequest aborts the call: the error propagates and nothing is sent', async () => {
    server = await startFakeServer({ [ROOT]: (_r, res) => sendJson(res, 200, { code: 0, msg: 'ok', data: { token: 'r' } }) });
    const quota = new Error('daily quota of rootFolderMeta used up');
    client = new FeishuClient({
      baseUrl: server.baseUrl,
      credentials: { kind: 'tenant', appId: 'cli_a', appSecret: 's' },
      hook: {
        beforeRequest: (endpoint) => {
          if (endpoint === 'rootFolderMeta') throw quota;
        },
      },
    });
    await expect(client.rootFolderMeta()).rejects.toBe(quota);
    expect(server.to(ROOT)).toHaveLength(0);
  });
});
