import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { testConnection } from '../../../app/main/connectionTest.js';

let sandbox: SandboxHandle;
beforeAll(async () => void (sandbox = await startSandbox()));
afterAll(async () => sandbox?.close());

describe('Test connection (Account page) against the Feishu sandbox', () => {
  const noProxy = { env: {} };
  it('succeeds with the right app credentials, spending no metered call', async () => {
    const report = await testConnection({ cloud: sandbox.baseUrl, appId: sandbox.appId, identity: 'tenant' }, sandbox.appSecret, noProxy);
    expect(report).toEqual({ ok: true, message: expect.stringContaining(`the app ${sandbox.appId} received an access token`) });
    const calls = sandbox.counters().calls;
    expect(Object.keys(calls).filter((e) => e !== 'tenantToken')).toEqual([]);
  });

  it('a wrong secret reports Feishu’s error with its remedy', async () => {
    const report = await testConnection({ cloud: sandbox.baseUrl, appId: sandbox.appId, identity: 'tenant' }, 'wrong-secret', noProxy);
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/secret/i);
  });

  it('an unreachable server says which address could not be reached', async () => {
    const report = await testConnection({ cloud: 'http://127.0.0.1:9', appId: 'cli_x', identity: 'tenant' }, 's', noProxy);
    expect(report).toMatchObject({ ok: false, message: expect.stringContaining('127.0.0.1:9') });
  });
});
