import { writeFileSync, utimesSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_ERROR_CODES } from '../../../src/feishu/errorCodes.js';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import type { PlanItem } from '../../../src/plan/types.js';
import { hashFile } from '../../../src/scan/scanFs.js';
import { statIdentity } from '../../../src/sync/localFiles.js';
import { harness } from './fakes/harness.js';

let h: ReturnType<typeof harness>;
afterEach(() => h?.cleanup());

async function upload(relPath: string, fileToken?: string): Promise<PlanItem> {
  const id = await statIdentity(`${h.dir}/${relPath}`);
  return fileToken
    ? { op: 'uploadVersion', mappingId: 'm1', relPath, cost: {}, ...id, hash: null, fileToken }
    : { op: 'upload', mappingId: 'm1', relPath, cost: {}, ...id, hash: null };
}

describe('executor: uploads', () => {
  it('uploads a small file in one upload_all call, creating its folders parents first', async () => {
    h = harness();
    h.write('a/b/c.txt', 'hello');
    const outcome = await h.executor.execute(await upload('a/b/c.txt'));
    expect(outcome).toMatchObject({ status: 'done', activity: { kind: 'uploaded', relPath: 'a/b/c.txt' } });
    expect(h.drive.calls.map((c) => c.endpoint)).toEqual(['createFolder', 'createFolder', 'filesUploadAll']);
    expect(h.drive.tree().get('a/b/c.txt')?.sha256).toBe(h.sha('hello'));
    expect(h.index.getFile('m1', 'a/b/c.txt')).toMatchObject({ state: 'synced', hash: h.sha('hello'), failures: 0 });
    expect(h.index.getFolder('m1', 'a/b')?.remoteToken).toBeDefined();
  });

  it('a changed file becomes a new version of the same remote file', async () => {
    h = harness();
    h.write('x.txt', 'v1');
    await h.executor.execute(await upload('x.txt'));
    const token = h.index.getFile('m1', 'x.txt')!.remoteToken!;
    h.write('x.txt', 'version 2');
    const outcome = await h.executor.execute(await upload('x.txt', token));
    expect(outcome).toMatchObject({ status: 'done', activity: { kind: 'versioned' } });
    expect(h.drive.tree().get('x.txt')).toMatchObject({ token, version: 2, sha256: h.sha('version 2') });
  });

  it('if the remote file was deleted meanwhile (1061007), uploads it as a new file', async () => {
    h = harness();
    h.write('x.txt', 'v1');
    await h.executor.execute(await upload('x.txt'));
    const token = h.index.getFile('m1', 'x.txt')!.remoteToken!;
    h.drive.remove(token);
    h.write('x.txt', 'v2');
    expect((await h.executor.execute(await upload('x.txt', token))).status).toBe('done');
    const now = h.drive.tree().get('x.txt')!;
    expect(now.token).not.toBe(token);
    expect(h.index.getFile('m1', 'x.txt')?.remoteToken).toBe(now.token);
  });

  it('a file changed while upload_all read it is not marked synced; its token is kept for the next version', async () => {
    h = harness();
    const abs = h.write('x.txt', 'v1');
    const item = await upload('x.txt');
    h.drive.beforeCall = (endpoint) => {
      if (endpoint === 'filesUploadAll') {
        writeFileSync(abs, 'v1 plus more');
        utimesSync(abs, new Date(), new Date(Date.now() + 5000));
      }
    };
    const outcome = await h.executor.execute(item);
    expect(outcome.status).toBe('requeue');
    const rec = h.index.getFile('m1', 'x.txt')!;
    expect(rec.state).toBe('pending');
    expect(rec.remoteToken).toBe(h.drive.tree().get('x.txt')!.token);
  });

  it('remote folder chain deleted (1061044): forgets the folder records and recreates the chain', async () => {
    h = harness();
    h.write('a/b/one.txt', '1');
    h.write('a/b/two.txt', '2');
    await h.executor.execute(await upload('a/b/one.txt'));
    h.drive.remove(h.index.getFolder('m1', 'a')!.remoteToken);
    const outcome = await h.executor.execute(await upload('a/b/two.txt'));
    expect(outcome.status).toBe('done');
    expect(h.drive.tree().get('a/b/two.txt')?.sha256).toBe(h.sha('2'));
    expect(h.drive.childrenOf(h.drive.rootToken).filter((n) => n.name === 'a')).toHaveLength(1);
  });

  it('no edit permission (1061004) stops the mapping with the remedy', async () => {
    h = harness();
    h.write('x.txt', 'x');
    h.drive.fail('filesUploadAll', 1061004);
    const outcome = await h.executor.execute(await upload('x.txt'));
    expect(outcome).toMatchObject({ status: 'stopMapping', error: { code: 1061004 } });
    expect(outcome.status === 'stopMapping' && outcome.error.remedy).toMatch(/edit permission/);
    expect(h.index.getFile('m1', 'x.txt')?.state).toBe('pending');
  });

  it('storage full (1061061) pauses the mapping, tenant storage full (1061101) everything', async () => {
    h = harness();
    h.write('x.txt', 'x');
    h.drive.fail('filesUploadAll', 1061061);
    expect(await h.executor.execute(await upload('x.txt'))).toMatchObject({ status: 'storageFull', scope: 'mapping' });
    h.drive.fail('filesUploadAll', 1061101);
    expect(await h.executor.execute(await upload('x.txt'))).toMatchObject({ status: 'storageFull', scope: 'all' });
  });

  it('a retryable failure that outlasts the retries marks the file failed and counts it', async () => {
    h = harness();
    h.write('x.txt', 'x');
    h.drive.fail('filesUploadAll', 1061045, 3);
    expect(await h.executor.execute(await upload('x.txt'))).toMatchObject({ status: 'failed', error: { code: 1061045 } });
    expect(h.index.getFile('m1', 'x.txt')).toMatchObject({ state: 'failed', failures: 1 });
    h.drive.fail('filesUploadAll', 1061045, 3);
    await h.executor.execute(await upload('x.txt'));
    expect(h.index.getFile('m1', 'x.txt')?.failures).toBe(2);
    expect((await h.executor.execute(await upload('x.txt'))).status).toBe('done');
    expect(h.index.getFile('m1', 'x.txt')).toMatchObject({ state: 'synced', failures: 0 });
  });

  it('a file Drive rejects (1061109 name compliance) is skipped with the reason', async () => {
    h = harness();
    h.write('x.txt', 'x');
    h.drive.fail('filesUploadAll', 1061109);
    const outcome = await h.executor.execute(await upload('x.txt'));
    expect(outcome.status).toBe('skipped');
    expect(h.index.getFile('m1', 'x.txt')).toMatchObject({ state: 'skipped' });
  });

  it('an upload_all whose answer was lost is found in the folder instead of uploaded twice', async () => {
    h = harness();
    h.write('x.txt', 'x');
    const real = h.drive.uploadAll.bind(h.drive);
    let first = true;
    h.drive.uploadAll = async (req) => {
      const result = await real(req);
      if (first) {
        first = false;
        throw new FeishuError({ code: LOCAL_ERROR_CODES.network, httpStatus: 0, msg: 'socket hang up', endpoint: 'filesUploadAll' });
      }
      return result;
    };
    expect((await h.executor.execute(await upload('x.txt'))).status).toBe('done');
    expect([...h.drive.nodes.values()].filter((n) => n.name === 'x.txt')).toHaveLength(1);
    expect(h.index.getFile('m1', 'x.txt')?.remoteToken).toBe(h.drive.tree().get('x.txt')!.token);
  });

  it('upload_all answered with an upload-protocol code (1061021 / 1062010) is simply sent again: one file, synced in this run', async () => {
    h = harness();
    h.write('x.txt', 'x');
    h.drive.fail('filesUploadAll', 1061021);
    h.drive.fail('filesUploadAll', 1062010);
    expect((await h.executor.execute(await upload('x.txt'))).status).toBe('done');
    expect(h.drive.count('filesUploadAll')).toBe(3);
    expect([...h.drive.nodes.values()].filter((n) => n.name === 'x.txt')).toHaveLength(1);
  });

  it('a new small file is read once: its content hash comes from the bytes upload_all read (scanner algorithm), no second pass', async () => {
    const hashed: string[] = [];
    h = harness({ fs: { stat: statIdentity, hashFile: async (p) => { hashed.push(p); return hashFile(p); } } });
    const abs = h.write('new.txt', 'fresh content');
    expect((await h.executor.execute(await upload('new.txt'))).status).toBe('done');
    expect(hashed).toEqual([]);
    expect(h.index.getFile('m1', 'new.txt')?.hash).toBe(await hashFile(abs));
  });

  it('the in-pass hash is only used for a complete, successful read: a retried upload_all hashes its own attempt', async () => {
    const hashed: string[] = [];
    h = harness({ fs: { stat: statIdentity, hashFile: async (p) => { hashed.push(p); return hashFile(p); } } });
    const abs = h.write('retry.txt', 'retried content');
    h.drive.fail('filesUploadAll', 1061045);
    expect((await h.executor.execute(await upload('retry.txt'))).status).toBe('done');
    expect(h.drive.count('filesUploadAll')).toBe(2);
    expect(hashed).toEqual([]);
    expect(h.index.getFile('m1', 'retry.txt')?.hash).toBe(await hashFile(abs));
  });

  it('a file still being written waits until it settles', async () => {
    h = harness({ settleMs: 2000 });
    h.write('x.txt', 'x');
    const item = await upload('x.txt');
    let done = false;
    const run = h.executor.execute(item).then((o) => { done = true; return o; });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    expect(h.drive.count('filesUploadAll')).toBe(0);
    await h.clock.advance(2000);
    expect((await run).status).toBe('done');
  });
});

describe('executor: moves, renames, deletes', () => {
  async function synced(relPath: string, content: string) {
    h.write(relPath, content);
    await h.executor.execute(await upload(relPath));
    return h.index.getFile('m1', relPath)!.remoteToken!;
  }

  it('a move to another folder is one move call and keeps the token', async () => {
    h = harness();
    const token = await synced('a/x.txt', 'x');
    h.write('b/.keep', '');
    h.drive.calls = [];
    await h.executor.execute({ op: 'createFolder', mappingId: 'm1', relPath: 'b', cost: {} });
    const outcome = await h.executor.execute({ op: 'move', mappingId: 'm1', relPath: 'b/x.txt', fromRelPath: 'a/x.txt', fileToken: token, cost: {} });
    expect(outcome.status).toBe('done');
    expect(h.drive.calls.map((c) => c.endpoint)).toEqual(['createFolder', 'move']);
    expect(h.drive.tree().get('b/x.txt')?.token).toBe(token);
    expect(h.index.getFile('m1', 'a/x.txt')).toBeUndefined();
    expect(h.index.getFile('m1', 'b/x.txt')?.remoteToken).toBe(token);
  });

  it('a rename is a server-side copy under the new name plus a delete of the old; no bytes re-sent', async () => {
    h = harness();
    const token = await synced('x.txt', 'x');
    h.drive.calls = [];
    const outcome = await h.executor.execute({ op: 'rename', mappingId: 'm1', relPath: 'y.txt', fromRelPath: 'x.txt', fileToken: token, cost: {} });
    expect(outcome.status).toBe('done');
    expect(h.drive.calls.map((c) => c.endpoint)).toEqual(['copy', 'delete']);
    expect([...h.drive.tree().keys()]).toEqual(['y.txt']);
    expect(h.index.getFile('m1', 'y.txt')?.remoteToken).toBe(h.drive.tree().get('y.txt')!.token);
  });

  it('trash deletes remotely and forgets locally; an already-gone remote file is fine', async () => {
    h = harness();
    const token = await synced('x.txt', 'x');
    h.drive.remove(token);
    const outcome = await h.executor.execute({ op: 'trash', mappingId: 'm1', relPath: 'x.txt', fileToken: token, type: 'file', cost: {} });
    expect(outcome.status).toBe('done');
    expect(h.index.getFile('m1', 'x.txt')).toBeUndefined();
  });

  it('touch and forget cost no API call', async () => {
    h = harness();
    await synced('x.txt', 'x');
    h.drive.calls = [];
    await h.executor.execute({ op: 'touch', mappingId: 'm1', relPath: 'x.txt', size: 1, mtimeNs: 5n, ino: '9', hash: 'h', cost: {} });
    expect(h.index.getFile('m1', 'x.txt')).toMatchObject({ mtimeNs: 5n, state: 'synced' });
    await h.executor.execute({ op: 'forget', mappingId: 'm1', relPath: 'x.txt', cost: {} });
    expect(h.index.getFile('m1', 'x.txt')).toBeUndefined();
    expect(h.drive.calls).toEqual([]);
  });

  it('skip records the reason once', async () => {
    h = harness();
    const item: PlanItem = { op: 'skip', mappingId: 'm1', relPath: 'long.txt', reason: 'name-too-long', cost: {} };
    expect(await h.executor.execute(item)).toMatchObject({ status: 'skipped', reason: 'name-too-long' });
    const recorded = h.index.getFile('m1', 'long.txt');
    let writes = 0;
    const upsert = h.index.upsertFile.bind(h.index);
    h.index.upsertFile = (r) => (writes++, upsert(r));
    expect(await h.executor.execute(item)).toMatchObject({ status: 'skipped', reason: 'name-too-long' });
    expect(writes).toBe(0); // unchanged: not written again (the index must read as unchanged)
    expect(h.index.getFile('m1', 'long.txt')).toEqual(recorded);
    expect(h.index.activity.filter((a) => a.kind === 'skipped')).toHaveLength(1);
    await h.executor.execute({ ...item, reason: 'file-too-large' }); // a new reason is recorded
    expect(writes).toBe(1);
    expect(h.index.getFile('m1', 'long.txt')).toMatchObject({ state: 'skipped', reason: 'file-too-large' });
  });
});

describe('executor: version conflicts', () => {
  it('a version conflict (1061022) sends the same version again instead of creating a second file', async () => {
    h = harness();
    h.write('x.txt', 'v1');
    await h.executor.execute(await upload('x.txt'));
    const token = h.index.getFile('m1', 'x.txt')!.remoteToken!;
    h.write('x.txt', 'v2!');
    h.drive.fail('filesUploadAll', 1061022);
    expect((await h.executor.execute(await upload('x.txt', token))).status).toBe('done');
    expect([...h.drive.nodes.values()].filter((n) => n.name === 'x.txt')).toHaveLength(1);
    expect(h.drive.tree().get('x.txt')).toMatchObject({ token, version: 2 });
  });
});

describe('executor: files still being written', () => {
  it('a file that keeps changing is not uploaded; it is requeued without holding its slot', async () => {
    h = harness({ settleMs: 1000 });
    const abs = h.write('log.txt', 'line 1\n');
    const item = await upload('log.txt');
    let n = 0;
    const run = h.executor.execute(item);
    // Keep appending while the executor watches the file.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 10));
      writeFileSync(abs, `line ${++n}\n`.repeat(n + 1));
      await h.clock.advance(1000);
    }
    const outcome = await run;
    expect(outcome.status).toBe('requeue');
    expect(h.drive.count('filesUploadAll')).toBe(0);
    expect(h.index.getFile('m1', 'log.txt')?.state).not.toBe('synced');
  });
});

describe('executor: concurrent files in a deleted remote folder', () => {
  it('recreate the chain once, not once per file', async () => {
    h = harness();
    h.write('a/b/first.txt', '0');
    await h.executor.execute(await upload('a/b/first.txt'));
    h.drive.remove(h.index.getFolder('m1', 'a')!.remoteToken);
    const items = [];
    for (let i = 1; i <= 6; i++) {
      h.write(`a/b/f${i}.txt`, `${i}`);
      items.push(await upload(`a/b/f${i}.txt`));
    }
    // The answers of f2..f6 arrive late: f1 has recreated the chain by then.
    const late = new Set(['f2.txt', 'f3.txt', 'f4.txt', 'f5.txt', 'f6.txt']);
    h.drive.beforeCall = async (endpoint, req) => {
      const name = (req as { fileName?: string }).fileName;
      if (endpoint === 'filesUploadAll' && name && late.delete(name)) await new Promise((r) => setTimeout(r, 30));
    };
    const outcomes = await Promise.all(items.map((i) => h.executor.execute(i)));
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('done'));
    const folders = [...h.drive.nodes.values()].filter((n) => n.type === 'folder' && n.token !== h.drive.rootToken);
    expect(folders.map((f) => h.drive.pathOf(f)).sort()).toEqual(['a', 'a/b']);
  });
});
