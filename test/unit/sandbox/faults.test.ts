import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaultSpec, startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/index.js';
import { SandboxCaller } from './sandboxClient.js';

const ROOT_META = '/open-apis/drive/explorer/v2/root_folder/meta';
const TOKEN = '/open-apis/auth/v3/tenant_access_token/internal';

const boxes: SandboxHandle[] = [];
afterEach(async () => {
  await Promise.all(boxes.splice(0).map((b) => b.close()));
});

async function open(options: SandboxOptions = {}) {
  const box = await startSandbox({ limits: 'off', ...options });
  boxes.push(box);
  const api = new SandboxCaller(box);
  await api.login();
  return { box, api };
}

describe('fault spec', () => {
  it('parses the documented example', () => {
    expect(parseFaultSpec('1061045:0.1,1061001:0.05,5xx:0.05,latency:50,reset:0.02,slow:0.01,seed:42')).toEqual({
      codes: [{ code: 1061045, probability: 0.1 }, { code: 1061001, probability: 0.05 }],
      badGateway: 0.05, latencyMs: 50, reset: 0.02, slow: 0.01, seed: 42, includeAuth: false,
    });
    expect(parseFaultSpec('')).toMatchObject({ codes: [], badGateway: 0, latencyMs: 0 });
  });

  it.each([
    ['1061045:2', /probability between 0 and 1/],
    ['1061045:', /probability between 0 and 1/],
    ['1234567:0.1', /not a Feishu error code/],
    ['jitter:5', /unknown key "jitter"/],
    ['latency:-5', /non-negative whole number/],
    ['seed:abc', /non-negative whole number/],
    ['5xx:0.1,5xx:0.2', /given twice/],
    ['just-words', /cannot read/],
    ['auth:yes', /auth:0 or auth:1/],
  ])('refuses %j with a clear message', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it('startSandbox refuses a bad spec instead of starting', async () => {
    await expect(startSandbox({ faults: 'nonsense:1' })).rejects.toThrow(FaultSpecError);
  });
});

describe('fault injection', () => {
  const codesOf = async (api: SandboxCaller, n: number) => {
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push((await api.call('GET', ROOT_META)).json!.code);
    return codes;
  };

  it('is deterministic under a seed: the same requests meet the same faults', async () => {
    const spec = '1061045:0.3,1061001:0.2,1061006:0.1,seed:7';
    const first = await codesOf((await open({ faults: spec })).api, 40);
    const second = await codesOf((await open({ faults: spec })).api, 40);
    const otherSeed = await codesOf((await open({ faults: spec.replace('seed:7', 'seed:8') })).api, 40);
    expect(second).toEqual(first);
    expect(otherSeed).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([0, 1061045, 1061001, 1061006]));
  });

  it('answers injected codes with the table status and envelope', async () => {
    const { api } = await open({ faults: '1061045:1' });
    const answer = await api.call('GET', ROOT_META);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ code: 1061045, msg: expect.stringContaining('can retry') });
  });

  it('5xx answers a plain HTML 502 page without an envelope', async () => {
    const { api } = await open({ faults: '5xx:1' });
    const answer = await api.call('GET', ROOT_META);
    expect(answer.status).toBe(502);
    expect(answer.headers['content-type']).toMatch(/text\/html/);
    expect(answer.json).toBeUndefined();
    expect(answer.text).toContain('502 Bad Gateway');
    expect(answer.headers['x-tt-logid']).toBeTruthy();
  });

  it('reset drops the connection in the middle of the request body, and the server lives on', async () => {
    const { box, api } = await open({ faults: 'reset:1' });
    await expect(api.uploadAll('a.bin', box.rootFolderToken, randomBytes(2 * 1024 * 1024))).rejects.toThrow();
    await expect(api.call('GET', ROOT_META)).rejects.toThrow();
    box.setFaults('');
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    expect(box.tree()).toEqual([]);
  });

  it('slow dribbles the answer out, still byte-exact', async () => {
    const { box, api } = await open();
    const bytes = randomBytes(300_000);
    const token = (await api.uploadAll('s.bin', box.rootFolderToken, bytes)).json!.data!.file_token as string;
    box.setFaults('slow:1');
    const started = Date.now();
    const answer = await api.call('GET', `/open-apis/drive/v1/files/${token}/download`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(answer.bytes.equals(bytes)).toBe(true);
  });

  it('latency delays every answer', async () => {
    const { api } = await open({ faults: 'latency:150' });
    const started = Date.now();
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('spares the token endpoint and the admin endpoints unless auth:1 is asked', async () => {
    const { box, api } = await open({ faults: '1061001:1' });
    expect((await api.call('POST', TOKEN, { json: { app_id: box.appId, app_secret: box.appSecret }, token: null })).json?.code).toBe(0);
    expect((await api.call('GET', '/sandbox/admin/tree')).status).toBe(200);
    box.setFaults('1061001:1,auth:1');
    expect((await api.call('POST', TOKEN, { json: { app_id: box.appId, app_secret: box.appSecret }, token: null })).json?.code).toBe(1061001);
  });
});

describe('admin endpoints over HTTP', () => {
  it('serve the tree and counters, and set faults (refusing a bad spec with a clear error)', async () => {
    const { box, api } = await open();
    await api.uploadAll('x.txt', box.rootFolderToken, Buffer.from('x'));
    const tree = await api.call('GET', '/sandbox/admin/tree', { token: null });
    expect(tree.json).toEqual(box.tree());
    const counters = await api.call('GET', '/sandbox/admin/counters', { token: null });
    expect(counters.json).toEqual({ calls: { tenantToken: 1, filesUploadAll: 1 }, rateLimited: {} });

    const bad = await api.call('POST', '/sandbox/admin/faults', { json: { spec: 'bogus:1' }, token: null });
    expect([bad.status, bad.json?.code]).toEqual([400, 1061002]);
    expect(bad.json?.msg).toMatch(/unknown key "bogus"/);
    const set = await api.call('POST', '/sandbox/admin/faults', { json: { spec: '1061045:1' }, token: null });
    expect(set.status).toBe(200);
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(1061045);
    await api.call('POST', '/sandbox/admin/faults', { json: { spec: '' }, token: null });
    expect((await api.call('GET', ROOT_META)).json?.code).toBe(0);
  });
});
