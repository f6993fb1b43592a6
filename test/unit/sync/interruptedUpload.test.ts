import { afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_ALL_MAX_BYTES } from '../../../src/feishu/limits.js';
import type { PlanItem } from '../../../src/plan/types.js';
import { statIdentity } from '../../../src/sync/localFiles.js';
import { bytes, harness } from './fakes/harness.js';

let h: ReturnType<typeof harness>;
afterEach(() => h?.cleanup());

async function upload(relPath: string): Promise<PlanItem> {
  const id = await statIdentity(`${h.dir}/${relPath}`);
  return { op: 'upload', mappingId: 'm1', relPath, cost: {}, ...id, hash: null };
}

/** The process dies right after Drive created the file, before the index heard of it. */
function killAfter(method: 'uploadAll' | 'uploadFinish') {
  const real = h.drive[method].bind(h.drive) as (req: never) => Promise<unknown>;
  let armed = true;
  (h.drive as unknown as Record<string, unknown>)[method] = async (req: never) => {
    const result = await real(req);
    if (armed) {
      armed = false;
      throw new Error('process killed');
    }
    return result;
  };
}

describe('interrupted uploads of new files never leave two remote copies', () => {
  it('chunked: the finished file is found and adopted; nothing is sent again', async () => {
    h = harness();
    h.write('big.bin', bytes(UPLOAD_ALL_MAX_BYTES + 10));
    killAfter('uploadFinish');
    await h.executor.execute(await upload('big.bin'));
    const calls = h.drive.calls.length;
    const outcome = await h.restart().execute(await upload('big.bin'));
    expect(outcome).toMatchObject({ status: 'done', activity: { detail: expect.stringMatching(/interrupted/) } });
    expect(h.drive.calls.slice(calls).map((c) => c.endpoint)).toEqual(['listFolder']);
    expect([...h.drive.nodes.values()].filter((n) => n.name === 'big.bin')).toHaveLength(1);
    expect(h.index.getFile('m1', 'big.bin')).toMatchObject({ state: 'synced', remoteToken: h.drive.tree().get('big.bin')!.token });
  });

  it('upload_all: the same', async () => {
    h = harness();
    h.write('a.txt', 'hello');
    killAfter('uploadAll');
    await h.executor.execute(await upload('a.txt'));
    const outcome = await h.restart().execute(await upload('a.txt'));
    expect(outcome.status).toBe('done');
    expect(h.drive.count('filesUploadAll')).toBe(1);
    expect([...h.drive.nodes.values()].filter((n) => n.name === 'a.txt')).toHaveLength(1);
  });

  it('when the listing gives no size (real Feishu), the upload goes as a version of the found file', async () => {
    h = harness();
    h.write('a.txt', 'hello');
    killAfter('uploadAll');
    await h.executor.execute(await upload('a.txt'));
    const list = h.drive.listFolder.bind(h.drive);
    h.drive.listFolder = async function* (token: string) {
      for await (const e of list(token)) yield { ...e, size: undefined };
    };
    const outcome = await h.restart().execute(await upload('a.txt'));
    expect(outcome).toMatchObject({ status: 'done', activity: { kind: 'versioned' } });
    expect([...h.drive.nodes.values()].filter((n) => n.name === 'a.txt')).toHaveLength(1);
  });

  it('a journaled upload Drive no longer knows is started over, not skipped', async () => {
    h = harness({ blockConcurrency: 1 });
    h.write('big.bin', bytes(UPLOAD_ALL_MAX_BYTES + 10));
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint === 'filesUploadPart' && (req as { seq: number }).seq === 2) throw new Error('network down');
    };
    await h.executor.execute(await upload('big.bin'));
    h.drive.uploads.clear(); // Drive forgot the upload id
    h.drive.beforeCall = undefined;
    const real = h.drive.uploadPart.bind(h.drive);
    h.drive.uploadPart = async (req) => {
      if (!h.drive.uploads.has(req.uploadId)) throw Object.assign(await import('./fakes/fakeDrive.js').then((m) => m.feishuError(1061002, 'filesUploadPart')));
      return real(req);
    };
    const outcome = await h.restart().execute(await upload('big.bin'));
    expect(outcome.status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(2);
  });
});
