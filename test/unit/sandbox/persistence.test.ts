import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE } from '../../../src/feishu/limits.js';
import { FakeClock } from '../../../src/platform/clock.js';
import { FaultSpecError, SandboxOptionsError, sandboxReadyLine, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { SandboxCaller } from './sandboxClient.js';

const FILES = '/open-apis/drive/v1/files';
const dirs: string[] = [];
const boxes: SandboxHandle[] = [];
afterEach(async () => {
  await Promise.all(boxes.splice(0).map((b) => b.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-persist-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string) {
  const box = await startSandbox({ dataDir, limits: 'off' });
  boxes.push(box);
  return box;
}

describe('sandbox persistence', () => {
  it('a restart on the same dataDir keeps the tree, tokens, tenant tokens and in-flight uploads', async () => {
    const dataDir = freshDir();
    const first = await start(dataDir);
    const api = new SandboxCaller(first);
    await api.login();
    const folder = await api.createFolder('kept', first.rootFolderToken);
    const small = (await api.uploadAll('small.txt', folder, Buffer.from('persisted'))).json!.data!.file_token as string;
    const big = randomBytes(BLOCK_SIZE + 500);
    const uploadId = (await api.call('POST', `${FILES}/upload_prepare`, { json: { file_name: 'big.bin', parent_type: 'explorer', parent_node: folder, size: big.length } })).json!.data!.upload_id as string;
    const sendPart = (caller: SandboxCaller, seq: number) =>
      caller.call('POST', `${FILES}/upload_part`, { form: [['upload_id', uploadId], ['seq', String(seq)], ['size', String(seq === 0 ? BLOCK_SIZE : 500)], ['file', { file: big.subarray(seq * BLOCK_SIZE, (seq + 1) * BLOCK_SIZE) }]] });
    expect((await sendPart(api, 0)).json?.code).toBe(0);
    const treeBefore = first.tree();
    await first.close();

    const second = await start(dataDir);
    expect(second.rootFolderToken).toBe(first.rootFolderToken);
    expect(second.tree()).toEqual(treeBefore);
    const again = new SandboxCaller(second, api.token); // the old tenant token still works
    expect((await again.call('GET', `${FILES}/${small}/download`)).text).toBe('persisted');
    expect((await sendPart(again, 1)).json?.code).toBe(0);
    const done = await again.call('POST', `${FILES}/upload_finish`, { json: { upload_id: uploadId, block_num: 2 } });
    expect(done.json?.code).toBe(0);
    const download = await again.call('GET', `${FILES}/${done.json!.data!.file_token}/download`);
    expect(download.bytes.equals(big)).toBe(true);
    // Finished uploads leave no block files behind.
    expect(readdirSync(join(dataDir, 'parts'))).toEqual([]);
  });

  it('a restart frees the blocks of expired uploads, which still answer 1061021', async () => {
    const dataDir = freshDir();
    const clock = new FakeClock();
    const first = await startSandbox({ dataDir, limits: 'off', clock, uploadTtlSec: 60 });
    boxes.push(first);
    const api = new SandboxCaller(first);
    await api.login();
    const uploadId = (await api.call('POST', `${FILES}/upload_prepare`, { json: { file_name: 'x', parent_type: 'explorer', parent_node: first.rootFolderToken, size: 10 } })).json!.data!.upload_id as string;
    await api.call('POST', `${FILES}/upload_part`, { form: [['upload_id', uploadId], ['seq', '0'], ['size', '10'], ['file', { file: Buffer.alloc(10) }]] });
    expect(readdirSync(join(dataDir, 'parts'))).toHaveLength(1);
    await first.close();
    await clock.advance(61_000);
    const second = await startSandbox({ dataDir, limits: 'off', clock, uploadTtlSec: 60 });
    boxes.push(second);
    expect(readdirSync(join(dataDir, 'parts'))).toEqual([]);
    const late = await new SandboxCaller(second, api.token).call('POST', `${FILES}/upload_finish`, { json: { upload_id: uploadId, block_num: 1 } });
    expect(late.json?.code).toBe(1061021);
  });

  it('a restart keeps the day\'s call counts, so the daily quota is not handed out again', async () => {
    const dataDir = freshDir();
    const clock = new FakeClock();
    const options = { dataDir, clock, dailyQuota: 2, qps: 100 };
    const first = await startSandbox(options);
    boxes.push(first);
    const api = new SandboxCaller(first);
    await api.login();
    for (let i = 0; i < 2; i++) expect((await api.call('GET', '/open-apis/drive/explorer/v2/root_folder/meta')).json?.code).toBe(0);
    await first.close();
    const second = await startSandbox(options);
    boxes.push(second);
    const again = new SandboxCaller(second, api.token);
    expect((await again.call('GET', '/open-apis/drive/explorer/v2/root_folder/meta')).json?.code).toBe(99991400);
    expect(second.counters()).toEqual({ calls: { tenantToken: 1, rootFolderMeta: 3 }, rateLimited: { rootFolderMeta: 1 } });
  });

  it('refuses bad options before opening anything', async () => {
    const dataDir = join(freshDir(), 'never-created');
    for (const bad of [{ qps: 0 }, { dailyQuota: 1.5 }, { tokenTtlSec: -1 }, { port: 70000 }, { tokenErrorStatus: 200 }, { appSecret: '' }]) {
      await expect(startSandbox({ dataDir, ...bad }), JSON.stringify(bad)).rejects.toThrow(SandboxOptionsError);
    }
    await expect(startSandbox({ dataDir, faults: 'oops' })).rejects.toThrow(FaultSpecError);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a sandbox without dataDir uses a temporary directory and removes it on close', async () => {
    const tempDirs = () => new Set(readdirSync(tmpdir()).filter((d) => d.startsWith('feisync-sandbox-')));
    const before = tempDirs();
    const box = await startSandbox({ limits: 'off' });
    const created = [...tempDirs()].filter((d) => !before.has(d)).map((d) => join(tmpdir(), d));
    expect(created.length).toBeGreaterThan(0);
    expect(created.some((d) => existsSync(join(d, 'sandbox.db')))).toBe(true);
    await box.close();
    await box.close(); // closing twice is harmless
    expect(created.filter((d) => !existsSync(d)).length).toBeGreaterThan(0);
  });

  it('sandboxReadyLine is one JSON line with what a client needs', async () => {
    const box = await start(freshDir());
    const line = sandboxReadyLine(box);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ baseUrl: box.baseUrl, appId: 'cli_sandbox', appSecret: box.appSecret, rootFolderToken: box.rootFolderToken });
    expect(box.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a taken port is a clear startup error', async () => {
    const box = await start(freshDir());
    const port = Number(new URL(box.baseUrl).port);
    await expect(startSandbox({ port, dataDir: freshDir() })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+/);
  });
});
