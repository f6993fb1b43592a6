/**
 * The client ↔ server contract: one suite, run against the sandbox (always)
 * and against a real Feishu/Lark tenant when FEISYNC_TEST_APP_ID,
 * FEISYNC_TEST_APP_SECRET and FEISYNC_TEST_FOLDER (optional
 * FEISYNC_TEST_BASE_URL) are set. Scenarios that need sandbox knobs (short
 * upload TTL, tiny quota, faults) are in client.sandbox.contract.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import type { DriveEntry } from '../../src/feishu/driveApi.js';
import { FeishuError } from '../../src/feishu/feishuError.js';
import { MAX_LIST_PAGE_SIZE, MAX_NAME_LENGTH } from '../../src/feishu/limits.js';
import { verifyCredentials } from '../../src/feishu/verifyCredentials.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { BLOCK, MB, failure, pacer, randomFile, rawMultipart, sha256Of, uploadFile } from './clientHarness.js';

interface Target {
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Folder the run may write into. */
  folder: string;
  /** Per-endpoint spacing of calls (a real tenant allows 5 QPS). */
  paceMs: number;
  sandbox?: SandboxHandle;
  close(): Promise<void>;
}

const real = {
  appId: process.env.FEISYNC_TEST_APP_ID,
  appSecret: process.env.FEISYNC_TEST_APP_SECRET,
  folder: process.env.FEISYNC_TEST_FOLDER,
  baseUrl: process.env.FEISYNC_TEST_BASE_URL ?? 'https://open.feishu.cn',
};
const haveReal = Boolean(real.appId && real.appSecret && real.folder);
if (!haveReal) {
  console.warn(
    'client contract: real-tenant variant SKIPPED — set FEISYNC_TEST_APP_ID, FEISYNC_TEST_APP_SECRET, FEISYNC_TEST_FOLDER (and optionally FEISYNC_TEST_BASE_URL) to run it against Feishu',
  );
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}


function defineContract(name: string, makeTarget: () => Promise<Target>): void {
  describe(name, () => {
    let target: Target;
    let client: FeishuClient;
    let dir: string;
    let work: string;
    let hook: ReturnType<typeof pacer>;
    const parent = () => ({ kind: 'explorer' as const, folderToken: work });

    beforeAll(async () => {
      target = await makeTarget();
      dir = await mkdtemp(join(tmpdir(), 'feisync-contract-'));
      hook = pacer(target.paceMs);
      client = new FeishuClient({
        baseUrl: target.baseUrl,
        credentials: { kind: 'tenant', appId: target.appId, appSecret: target.appSecret },
        hook,
      });
      work = (await client.createFolder(`feisync-contract-${Date.now()}`, target.folder)).token;
    }, 120_000);

    afterAll(async () => {
      if (client && work) await client.delete(work, 'folder').catch(() => undefined);
      await client?.close();
      await target?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('verifyCredentials fetches a token and the root folder', async () => {
      const account = await verifyCredentials({
        baseUrl: target.baseUrl,
        credentials: { kind: 'tenant', appId: target.appId, appSecret: target.appSecret },
      });
      expect(account.root.token).toMatch(/\S/);
      if (target.sandbox) expect(account.root.token).toBe(target.sandbox.rootFolderToken);
    });

    it('a wrong app secret fails at the token endpoint with a remedy naming the secret', async () => {
      const err = await failure(
        verifyCredentials({ baseUrl: target.baseUrl, credentials: { kind: 'tenant', appId: target.appId, appSecret: 'wrong-secret' } }),
      );
      expect(err.endpoint).toBe('tenantToken');
      expect(err.code).toBe(10014);
      expect(err.remedy).toMatch(/secret/);
    });

    it('a bad access token is rejected with 99991663, retried once after re-auth, then fails', async () => {
      let handedOut = 0;
      const bogus = new FeishuClient({
        baseUrl: target.baseUrl,
        credentials: { kind: 'provider', provider: { token: async () => (handedOut++, 't-not-a-real-token'), invalidate: () => {} } },
      });
      try {
        const err = await failure(bogus.rootFolderMeta());
        expect(err.code).toBe(99991663);
        expect(err.reauth).toBe(true);
        expect(handedOut).toBe(2);
      } finally {
        await bogus.close();
      }
    });

    describe.each([
      ['1 byte', 1, false],
      ['4 MB − 1', BLOCK - 1, false],
      ['4 MB', BLOCK, false],
      ['4 MB + 1', BLOCK + 1, false],
      ['20 MB', 20 * MB, false],
      ['20 MB + 1 (chunked)', 20 * MB + 1, true],
      ['4 MB − 1 chunked', BLOCK - 1, true],
      ['4 MB chunked', BLOCK, true],
      ['4 MB + 1 chunked', BLOCK + 1, true],
    ])('a %s file', (label, size, chunked) => {
      it('uploads and downloads byte-identical', async () => {
        const file = await randomFile(dir, `${label.replace(/\W+/g, '_')}.bin`, size);
        const result = await uploadFile(client, file.path, size, `${label}.bin`, parent(), chunked);
        expect(result.fileToken).toMatch(/\S/);
        const listed = (await collect(client.listFolder(work))).find((e) => e.token === result.fileToken);
        expect(listed).toMatchObject({ name: `${label}.bin`, type: 'file', parentToken: work });
        const downloaded = await sha256Of(await client.download(result.fileToken));
        expect(downloaded).toEqual({ sha256: file.sha256, size });
        if (target.sandbox) {
          const node = target.sandbox.tree().find((n) => n.token === result.fileToken);
          expect(node).toMatchObject({ size, sha256: file.sha256, parentToken: work });
        }
      }, 120_000);
    });

    it('non-ASCII and punctuation in names survive upload, listing and copy unchanged', async () => {
      const name = '报告 "最终" 版 – naïve café #1 (copy).txt';
      const path = join(dir, 'unicode.txt');
      await writeFile(path, 'unicode');
      const up = await client.uploadAll({ fileName: name, parent: parent(), source: { path, start: 0, length: 7 } });
      const listed = (await collect(client.listFolder(work))).find((e) => e.token === up.fileToken);
      expect(listed?.name).toBe(name);
      const folder = await client.createFolder('文件夹 ✓', work);
      expect((await collect(client.listFolder(work))).find((e) => e.token === folder.token)?.name).toBe('文件夹 ✓');
      const copied = await client.copy(up.fileToken, 'file', `副本 ${name}`, folder.token);
      expect(copied.name).toBe(`副本 ${name}`);
    });

    it('an empty file is refused by upload_all with 1061002', async () => {
      const path = join(dir, 'empty.txt');
      await writeFile(path, '');
      const err = await failure(client.uploadAll({ fileName: 'empty.txt', parent: parent(), source: { path, start: 0, length: 0 } }));
      expect(err.code).toBe(1061002);
      expect(err.fatalForFile).toBe(true);
    });

    it(`a name longer than ${MAX_NAME_LENGTH} characters is refused with 1061008`, async () => {
      const path = join(dir, 'long.txt');
      await writeFile(path, 'x');
      const err = await failure(
        client.uploadAll({ fileName: `${'n'.repeat(MAX_NAME_LENGTH - 3)}.txt!`, parent: parent(), source: { path, start: 0, length: 1 } }),
      );
      expect(err.code).toBe(1061008);
    });

    it('an upload into a folder that does not exist fails with 1061044', async () => {
      const path = join(dir, 'orphan.txt');
      await writeFile(path, 'x');
      const err = await failure(
        client.uploadAll({ fileName: 'orphan.txt', parent: { kind: 'explorer', folderToken: 'fldcnDoesNotExist000000000' }, source: { path, start: 0, length: 1 } }),
      );
      expect(err.code).toBe(1061044);
      expect(err.action).toBe('recreateParent');
    });

    it('a declared size that differs from the bytes sent fails with 1062009', async () => {
      const token = await client.tokens.token();
      const res = await rawMultipart(target.baseUrl, token, '/open-apis/drive/v1/files/upload_all', [
        ['file_name', 'liar.txt'], ['parent_type', 'explorer'], ['parent_node', work], ['size', '10'],
      ], Buffer.from('12345'));
      expect(res).toBeInstanceOf(FeishuError);
      expect((res as FeishuError).code).toBe(1062009);
    });

    it('a wrong checksum fails with 1062008', async () => {
      const token = await client.tokens.token();
      const res = await rawMultipart(target.baseUrl, token, '/open-apis/drive/v1/files/upload_all', [
        ['file_name', 'bad-sum.txt'], ['parent_type', 'explorer'], ['parent_node', work], ['size', '9'], ['checksum', '12345'],
      ], Buffer.from('Wikipedia'));
      expect(res).toBeInstanceOf(FeishuError);
      expect((res as FeishuError).code).toBe(1062008);
    });

    it('finishing with a block missing fails with 1062010; a block past the end or a wrong count with 1062011', async () => {
      const file = await randomFile(dir, 'two-blocks.bin', BLOCK + 5);
      const prep = await client.uploadPrepare({ fileName: 'two-blocks.bin', parent: parent(), size: BLOCK + 5 });
      expect(prep).toMatchObject({ blockSize: BLOCK, blockNum: 2 });
      await client.uploadPart({ uploadId: prep.uploadId, seq: 0, source: { path: file.path, start: 0, length: BLOCK } });
      expect((await failure(client.uploadFinish({ uploadId: prep.uploadId, blockNum: 2 }))).code).toBe(1062010);
      expect(
        (await failure(client.uploadPart({ uploadId: prep.uploadId, seq: 2, source: { path: file.path, start: BLOCK, length: 5 } }))).code,
      ).toBe(1062011);
      expect((await failure(client.uploadFinish({ uploadId: prep.uploadId, blockNum: 3 }))).code).toBe(1062011);
      // The upload is still usable: send the last block and finish.
      await client.uploadPart({ uploadId: prep.uploadId, seq: 1, source: { path: file.path, start: BLOCK, length: 5 } });
      const done = await client.uploadFinish({ uploadId: prep.uploadId, blockNum: 2 });
      expect(await sha256Of(await client.download(done.fileToken))).toEqual({ sha256: file.sha256, size: BLOCK + 5 });
    }, 60_000);

    /** Poll task_check until a folder task succeeds (no-op without a task id). */
    async function settled(taskId: string | undefined): Promise<void> {
      if (taskId === undefined) return;
      let status = (await client.taskCheck(taskId)).status;
      for (let i = 0; i < 20 && status !== 'success'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await client.taskCheck(taskId)).status;
      }
      expect(status).toBe('success');
    }

    it('folders: create, list, move, copy, delete (+ task_check), metas', async () => {
      const a = await client.createFolder('A', work);
      const b = await client.createFolder('B', work);
      const file = await randomFile(dir, 'f.txt', 1000);
      const up = await uploadFile(client, file.path, 1000, 'f.txt', { kind: 'explorer', folderToken: a.token });

      await client.move(up.fileToken, 'file', b.token);
      expect((await collect(client.listFolder(b.token))).map((e) => e.token)).toContain(up.fileToken);
      expect((await collect(client.listFolder(a.token))).map((e) => e.token)).not.toContain(up.fileToken);

      const copied: DriveEntry = await client.copy(up.fileToken, 'file', 'f-copy.txt', a.token);
      expect(copied).toMatchObject({ name: 'f-copy.txt', type: 'file' });
      expect(copied.token).not.toBe(up.fileToken);
      expect(await sha256Of(await client.download(copied.token))).toEqual({ sha256: file.sha256, size: 1000 });

      const [meta] = await client.batchQueryMetas([{ docToken: up.fileToken, docType: 'file' }]);
      expect(meta).toMatchObject({ docToken: up.fileToken, docType: 'file', title: 'f.txt' });

      await expect(client.delete(copied.token, 'file')).resolves.toEqual({});
      expect((await collect(client.listFolder(a.token))).map((e) => e.token)).not.toContain(copied.token);

      // A folder moves asynchronously (task id) or at once; either way it ends up inside A.
      await settled((await client.move(b.token, 'folder', a.token)).taskId);
      expect((await collect(client.listFolder(a.token))).map((e) => e.token)).toContain(b.token);

      await settled((await client.delete(a.token, 'folder')).taskId);
      expect((await collect(client.listFolder(work))).map((e) => e.token)).not.toContain(a.token);
      const err = await failure(client.download(copied.token));
      expect([1061003, 1061007]).toContain(err.code);
    }, 60_000);

    it(`listing a folder of more than ${MAX_LIST_PAGE_SIZE} entries follows the page token`, async () => {
      const big = await client.createFolder('many', work);
      const path = join(dir, 'one.txt');
      await writeFile(path, '1');
      const created = new Set<string>();
      const count = MAX_LIST_PAGE_SIZE + 5;
      // Alternate two endpoints so a paced run spends half the time.
      for (let i = 0; i < count; i++) {
        const token =
          i % 2 === 0
            ? (await client.createFolder(`d${i}`, big.token)).token
            : (await client.uploadAll({ fileName: `f${i}.txt`, parent: { kind: 'explorer', folderToken: big.token }, source: { path, start: 0, length: 1 } })).fileToken;
        created.add(token);
      }
      const before = hook.calls.listFolder ?? 0;
      const listed = await collect(client.listFolder(big.token));
      expect(listed).toHaveLength(count);
      expect(new Set(listed.map((e) => e.token))).toEqual(created);
      expect((hook.calls.listFolder ?? 0) - before).toBe(2);
      const smallPages = await collect(client.listFolder(big.token, { pageSize: 50 }));
      expect(smallPages).toHaveLength(count);
      expect((hook.calls.listFolder ?? 0) - before).toBe(2 + 5);
    }, 300_000);

    it('every request passed the hook: the server counted the same calls', () => {
      if (!target.sandbox) return;
      const server = target.sandbox.counters().calls;
      for (const [endpoint, n] of Object.entries(hook.calls)) {
        expect(server[endpoint as keyof typeof server] ?? 0, endpoint).toBeGreaterThanOrEqual(n);
      }
    });
  });
}

defineContract('client contract — sandbox', async () => {
  const sandbox = await startSandbox({ limits: 'off' });
  return {
    baseUrl: sandbox.baseUrl,
    appId: sandbox.appId,
    appSecret: sandbox.appSecret,
    folder: sandbox.rootFolderToken,
    paceMs: 0,
    sandbox,
    close: () => sandbox.close(),
  };
});

describe.skipIf(!haveReal)('real tenant', () => {
  defineContract('client contract — real Feishu tenant', async () => ({
    baseUrl: real.baseUrl,
    appId: real.appId!,
    appSecret: real.appSecret!,
    folder: real.folder!,
    paceMs: 250,
    close: async () => {},
  }));
});
