import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import { UPLOAD_ALL_MAX_BYTES } from '../../src/feishu/limits.js';
import { e2ePerTest } from './engineHelpers.js';

const start = e2ePerTest();

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const BIG = UPLOAD_ALL_MAX_BYTES + 8 * 1024 * 1024 + 5; // 8 blocks

describe('engine: interrupted chunked uploads continue where they stopped', () => {
  it('pause in the middle of a chunked upload, resume: only the unacknowledged blocks are sent', async () => {
    const t = await start({ sandbox: { limits: 'off', faults: 'latency:30' }, qps: 200, settings: { limits: { ...DEFAULT_SETTINGS.limits, blockConcurrency: 1, qps: 200 } } });
    t.write('big.bin', randomBytes(BIG));
    const engine = t.handle.engine;
    const run = engine.syncOnce();
    await waitFor('3 blocks acknowledged', () => (t.handle.index.getChunkUpload('m1', 'big.bin')?.ackedBlocks.size ?? 0) >= 3);
    engine.pause();
    await run;
    const acked = t.handle.index.getChunkUpload('m1', 'big.bin')!.ackedBlocks.size;
    expect(acked).toBeGreaterThanOrEqual(3);
    expect(acked).toBeLessThan(8);
    const before = t.sandbox.counters().calls;
    engine.resume();
    const summary = await engine.syncOnce();
    expect(summary.uploaded).toEqual(['big.bin']);
    const after = t.sandbox.counters().calls;
    expect((after.filesUploadPrepare ?? 0) - (before.filesUploadPrepare ?? 0)).toBe(0);
    expect((after.filesUploadPart ?? 0) - (before.filesUploadPart ?? 0)).toBe(8 - acked);
    expect(t.remoteFiles()).toEqual(t.localFiles());
  });

  it('a new process on the same state folder resumes the journaled upload (crash recovery)', async () => {
    const t = await start({ sandbox: { limits: 'off', faults: 'latency:30' }, qps: 200, settings: { limits: { ...DEFAULT_SETTINGS.limits, blockConcurrency: 1, qps: 200 } } });
    t.write('big.bin', randomBytes(BIG));
    const first = t.handle.engine.syncOnce();
    await waitFor('2 blocks acknowledged', () => (t.handle.index.getChunkUpload('m1', 'big.bin')?.ackedBlocks.size ?? 0) >= 2);
    await t.handle.close(); // the process goes away mid-upload
    await first.catch(() => undefined);

    const second = t.reopen();
    const acked = second.index.getChunkUpload('m1', 'big.bin')!.ackedBlocks.size;
    const before = t.sandbox.counters().calls;
    const summary = await second.engine.syncOnce();
    expect(summary.uploaded).toEqual(['big.bin']);
    const after = t.sandbox.counters().calls;
    expect((after.filesUploadPrepare ?? 0) - (before.filesUploadPrepare ?? 0)).toBe(0);
    expect((after.filesUploadPart ?? 0) - (before.filesUploadPart ?? 0)).toBeLessThanOrEqual(8 - acked);
    expect(t.remoteFiles()).toEqual(t.localFiles());
    expect(t.duplicatePaths()).toEqual([]);
  });
});

describe('engine.send: an interrupted big send', () => {
  it('sent again from a new process, sends only the blocks Feishu has not acknowledged', async () => {
    const t = await start({ sandbox: { limits: 'off', faults: 'latency:30' }, qps: 200, settings: { limits: { ...DEFAULT_SETTINGS.limits, blockConcurrency: 1, qps: 200 } } });
    const file = join(t.stateDir, 'outside-big.bin');
    writeFileSync(file, randomBytes(BIG));
    const target = { kind: 'folder' as const, folderToken: t.sandbox.rootFolderToken };
    const key = `send:${t.sandbox.rootFolderToken}`;
    const first = t.handle.engine.send([file], target);
    await waitFor('2 blocks acknowledged', () => (t.handle.index.getChunkUpload(key, file)?.ackedBlocks.size ?? 0) >= 2);
    await t.handle.close(); // quit (or crash) in the middle of the send
    await first.catch(() => undefined);

    const second = t.reopen({ settings: { mappings: [] } });
    const acked = second.index.getChunkUpload(key, file)!.ackedBlocks.size;
    expect(acked).toBeGreaterThanOrEqual(2);
    const before = t.sandbox.counters().calls;
    const [result] = await second.engine.send([file], target);
    expect(result).toMatchObject({ ok: true, fileToken: expect.any(String) });
    const after = t.sandbox.counters().calls;
    expect((after.filesUploadPrepare ?? 0) - (before.filesUploadPrepare ?? 0)).toBe(0);
    expect((after.filesUploadPart ?? 0) - (before.filesUploadPart ?? 0)).toBeLessThanOrEqual(8 - acked);
    expect(second.index.getChunkUpload(key, file)).toBeUndefined();
    const sent = t.sandbox.tree().filter((n) => n.type === 'file');
    expect(sent.map((n) => n.path)).toEqual(['outside-big.bin']);
    expect(sent[0]!.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });
});

describe('engine: index rebuild', () => {
  it('after the index is lost, files already in Feishu are adopted instead of uploaded again', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200 });
    for (let i = 0; i < 10; i++) t.write(`d/f${i}.txt`, `file ${i}`);
    await t.handle.engine.syncOnce();
    await t.handle.close();
    writeFileSync(join(t.stateDir, 'index.db'), 'this is not a database');
    for (const ext of ['-wal', '-shm']) writeFileSync(join(t.stateDir, `index.db${ext}`), '');

    const reopened = t.reopen();
    expect(reopened.index.rebuilt).toBeDefined();
    const events: string[] = [];
    reopened.engine.on((e) => e.type === 'indexRebuilt' && events.push(e.summary));
    const summary = await reopened.engine.syncOnce();
    expect(summary.uploaded).toEqual([]);
    expect(summary.callsByEndpoint.filesUploadAll ?? 0).toBe(0);
    expect(events[0]).toMatch(/adopted 10 files/);
    expect(summary.rebuilt).toEqual([{ mappingId: 'm1', summary: events[0] }]);
    expect(t.duplicatePaths()).toEqual([]);
  });
});

describe('engine: remote folder deleted behind its back', () => {
  it('recreates the folder chain and uploads into it; edits of files that went with it upload as new', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200 });
    t.write('a/b/x.txt', 'x');
    await t.handle.engine.syncOnce();
    const folderA = t.sandbox.tree().find((n) => n.path === 'a')!;
    await t.handle.client.delete(folderA.token, 'folder');
    expect(t.sandbox.tree().some((n) => n.path.startsWith('a'))).toBe(false);
    for (let i = 0; i < 5; i++) t.write(`a/b/y${i}.txt`, `new file ${i}`);
    t.write('a/b/x.txt', 'x edited');
    const summary = await t.handle.engine.syncOnce();
    expect(summary.failed).toEqual([]);
    expect(t.remoteFiles()).toEqual(t.localFiles());
    expect(t.duplicatePaths()).toEqual([]);
  });
});

describe('engine: verify (files deleted in Feishu behind its back)', () => {
  it('a plain pass does not notice; --verify lists the remote tree and sends them again, a dry run only says so', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200 });
    t.write('keep.txt', 'keep');
    t.write('gone.txt', 'deleted in Feishu');
    t.write('album/a.jpg', 'a');
    t.write('album/b.jpg', 'b');
    await t.handle.engine.syncOnce();
    const token = (path: string) => t.sandbox.tree().find((n) => n.path === path)!.token;
    await t.handle.client.delete(token('gone.txt'), 'file');
    await t.handle.client.delete(token('album'), 'folder');

    expect((await t.handle.engine.syncOnce()).callsByEndpoint).toEqual({}); // the index still says "synced"
    const dry = await t.handle.engine.syncOnce({ verify: true, dryRun: true });
    expect(dry.verified).toEqual([
      { mappingId: 'm1', checked: 4, listed: 1, lostFiles: 3, lostFolders: 1, summary: expect.stringMatching(/checked 4 files .*: 3 missing there \(would be uploaded again\), 1 folders missing/) },
    ]);
    expect(dry.uploaded).toEqual([]);
    expect(dry.callsByEndpoint.listFolder).toBe(1); // the verify listing (only the root is left); the dry run does not list again

    const verified = await t.handle.engine.syncOnce({ verify: true });
    expect(verified.verified![0]!.summary).toMatch(/3 missing there \(uploaded again\), 1 folders missing/);
    expect(verified.uploaded.sort()).toEqual(['album/a.jpg', 'album/b.jpg', 'gone.txt']);
    expect(verified.callsByEndpoint.createFolder).toBe(1);
    expect(t.remoteFiles()).toEqual(t.localFiles());
    expect(t.duplicatePaths()).toEqual([]);
    expect((await t.handle.engine.syncOnce({ verify: true })).verified![0]!.summary).toMatch(/: 0 missing there .*, 0 folders missing/);
  });
});

describe('engine: a new state folder over an already-synced Feishu folder', () => {
  it('adopts what is there instead of uploading duplicates', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200 });
    for (let i = 0; i < 5; i++) t.write(`f${i}.txt`, `file ${i}`);
    await t.handle.engine.syncOnce();
    await t.handle.close();
    const fresh = join(t.stateDir, 'reinstalled');
    t.reopen({ stateDir: fresh });
    const summary = await t.handle.engine.syncOnce();
    expect(summary.uploaded).toEqual([]);
    expect(summary.callsByEndpoint).toEqual({ listFolder: 1 });
    expect(summary.rebuilt?.[0]?.summary).toMatch(/adopted 5 files/);
    expect(t.duplicatePaths()).toEqual([]);
  });
});
