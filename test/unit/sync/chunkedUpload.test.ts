import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, UPLOAD_ALL_MAX_BYTES } from '../../../src/feishu/limits.js';
import type { PlanItem } from '../../../src/plan/types.js';
import { hashFile } from '../../../src/scan/scanFs.js';
import { statIdentity } from '../../../src/sync/localFiles.js';
import { bytes, harness } from './fakes/harness.js';

const BIG = UPLOAD_ALL_MAX_BYTES + 123; // 6 blocks: five full 4 MB blocks and a 123-byte tail
const BLOCKS = Math.ceil(BIG / BLOCK_SIZE);

let h: ReturnType<typeof harness>;
afterEach(() => h?.cleanup());

async function uploadOf(relPath: string): Promise<PlanItem> {
  const id = await statIdentity(`${h.dir}/${relPath}`);
  return { op: 'upload', mappingId: 'm1', relPath, cost: {}, ...id, hash: null };
}

describe('chunked upload (files above 20 MB)', () => {
  it('prepares once, sends every 4 MB block once, finishes once, and records the file as synced', async () => {
    h = harness();
    const data = bytes(BIG);
    h.write('big.bin', data);
    const outcome = await h.executor.execute(await uploadOf('big.bin'));
    expect(outcome.status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(1);
    expect(h.drive.count('filesUploadPart')).toBe(BLOCKS);
    expect(h.drive.count('filesUploadFinish')).toBe(1);
    expect(h.drive.tree().get('big.bin')?.sha256).toBe(h.sha(data));
    const rec = h.index.getFile('m1', 'big.bin')!;
    expect(rec.state).toBe('synced');
    expect(rec.hash).toBe(h.sha(data));
    expect(h.index.getChunkUpload('m1', 'big.bin')).toBeUndefined();
  });

  it('a chunked file is hashed in one separate pass after the finish (parallel blocks are not hashed in flight)', async () => {
    const hashed: string[] = [];
    h = harness({ fs: { stat: statIdentity, hashFile: async (p) => { hashed.push(p); return hashFile(p); } } });
    const data = bytes(BIG, 21);
    const abs = h.write('big.bin', data);
    expect((await h.executor.execute(await uploadOf('big.bin'))).status).toBe('done');
    expect(hashed).toEqual([abs]);
    expect(h.index.getFile('m1', 'big.bin')?.hash).toBe(h.sha(data));
  });

  it('journals the upload id before the first part and each ack as it happens', async () => {
    h = harness({ blockConcurrency: 1 });
    h.write('big.bin', bytes(BIG));
    const seenAtPart: number[] = [];
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint !== 'filesUploadPart') return;
      const rec = h.index.getChunkUpload('m1', 'big.bin');
      expect(rec?.uploadId).toBe((req as { uploadId: string }).uploadId);
      seenAtPart.push(rec!.ackedBlocks.size);
    };
    await h.executor.execute(await uploadOf('big.bin'));
    expect(seenAtPart).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('after a crash, resumes the same upload and sends only the blocks not acknowledged', async () => {
    h = harness({ blockConcurrency: 1 });
    const data = bytes(BIG, 7);
    h.write('big.bin', data);
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint === 'filesUploadPart' && (req as { seq: number }).seq === 3) throw new Error('process killed');
    };
    await expect(h.executor.execute(await uploadOf('big.bin'))).resolves.toMatchObject({ status: 'failed' });
    expect([...h.index.getChunkUpload('m1', 'big.bin')!.ackedBlocks.keys()]).toEqual([0, 1, 2]);

    h.drive.beforeCall = undefined;
    h.drive.calls = [];
    const outcome = await h.restart().execute(await uploadOf('big.bin'));
    expect(outcome.status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(0);
    expect(h.drive.calls.filter((c) => c.endpoint === 'filesUploadPart').map((c) => (c.req as { seq: number }).seq)).toEqual([3, 4, 5]);
    expect(h.drive.tree().get('big.bin')?.sha256).toBe(h.sha(data));
  });

  it('an upload Drive says expired (1061021) starts over with a new upload id', async () => {
    h = harness({ blockConcurrency: 1 });
    const data = bytes(BIG, 3);
    h.write('big.bin', data);
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint === 'filesUploadPart' && (req as { seq: number }).seq === 2) throw new Error('network down');
    };
    await h.executor.execute(await uploadOf('big.bin'));
    for (const up of h.drive.uploads.values()) up.expired = true;
    h.drive.beforeCall = undefined;
    h.drive.calls = [];
    expect((await h.restart().execute(await uploadOf('big.bin'))).status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(1);
    expect(h.drive.count('filesUploadPart')).toBe(1 + BLOCKS); // one rejected resume attempt, then all blocks
    expect(h.drive.tree().get('big.bin')?.sha256).toBe(h.sha(data));
  });

  it('a journaled upload past its lifetime is not resumed at all', async () => {
    h = harness({ blockConcurrency: 1 });
    h.write('big.bin', bytes(BIG));
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint === 'filesUploadPart' && (req as { seq: number }).seq === 2) throw new Error('network down');
    };
    await h.executor.execute(await uploadOf('big.bin'));
    await h.clock.advance(25 * 3600_000);
    h.drive.beforeCall = undefined;
    h.drive.calls = [];
    expect((await h.restart().execute(await uploadOf('big.bin'))).status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(1);
    expect(h.drive.count('filesUploadPart')).toBe(BLOCKS);
  });

  it('a changed file is not resumed: the upload starts over for the new content', async () => {
    h = harness({ blockConcurrency: 1 });
    h.write('big.bin', bytes(BIG));
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint === 'filesUploadPart' && (req as { seq: number }).seq === 2) throw new Error('network down');
    };
    await h.executor.execute(await uploadOf('big.bin'));
    const changed = bytes(BIG + 10, 9);
    h.write('big.bin', changed);
    h.drive.beforeCall = undefined;
    h.drive.calls = [];
    expect((await h.restart().execute(await uploadOf('big.bin'))).status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(1);
    expect(h.drive.tree().get('big.bin')?.sha256).toBe(h.sha(changed));
  });

  it('1062010 at finish: resends the blocks Drive lost, then finishes', async () => {
    h = harness();
    const data = bytes(BIG, 5);
    h.write('big.bin', data);
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint === 'filesUploadFinish' && h.drive.count('filesUploadFinish') === 1) {
        h.drive.uploads.get((req as { uploadId: string }).uploadId)!.blocks.delete(4);
      }
    };
    expect((await h.executor.execute(await uploadOf('big.bin'))).status).toBe('done');
    expect(h.drive.count('filesUploadFinish')).toBe(2);
    expect(h.drive.count('filesUploadPrepare')).toBe(1);
    expect(h.drive.tree().get('big.bin')?.sha256).toBe(h.sha(data));
  });

  it('1062010 answered to a part: that part is sent again, the upload is not restarted', async () => {
    h = harness();
    const data = bytes(BIG, 11);
    h.write('big.bin', data);
    h.drive.fail('filesUploadPart', 1062010, 1, (req) => (req as { seq: number }).seq === 2);
    expect((await h.executor.execute(await uploadOf('big.bin'))).status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(1);
    expect(h.drive.count('filesUploadPart')).toBe(BLOCKS + 1);
    expect(h.drive.tree().get('big.bin')?.sha256).toBe(h.sha(data));
  });

  it('1061021 answered to a part restarts the upload with a new upload id, in the same run', async () => {
    h = harness({ blockConcurrency: 1 });
    const data = bytes(BIG, 12);
    h.write('big.bin', data);
    h.drive.fail('filesUploadPart', 1061021, 1, (req) => (req as { seq: number }).seq === 3);
    expect((await h.executor.execute(await uploadOf('big.bin'))).status).toBe('done');
    expect(h.drive.count('filesUploadPrepare')).toBe(2);
    const ids = new Set(h.drive.calls.filter((c) => c.endpoint === 'filesUploadPart').map((c) => (c.req as { uploadId: string }).uploadId));
    expect(ids.size).toBe(2);
    expect(h.drive.tree().get('big.bin')?.sha256).toBe(h.sha(data));
    expect(h.index.getChunkUpload('m1', 'big.bin')).toBeUndefined();
  });

  it('1062008 on a block: re-reads and resends that block only', async () => {
    h = harness();
    h.write('big.bin', bytes(BIG));
    h.drive.fail('filesUploadPart', 1062008, 1, (req) => (req as { seq: number }).seq === 1);
    expect((await h.executor.execute(await uploadOf('big.bin'))).status).toBe('done');
    const seqs = h.drive.calls.filter((c) => c.endpoint === 'filesUploadPart').map((c) => (c.req as { seq: number }).seq);
    expect(seqs.filter((s) => s === 1)).toHaveLength(2);
    expect(seqs).toHaveLength(BLOCKS + 1);
  });

  it('a file that changes mid-upload is never finished nor marked synced; it is queued again', async () => {
    h = harness({ blockConcurrency: 1 });
    const abs = h.write('big.bin', bytes(BIG));
    h.drive.beforeCall = (endpoint, req) => {
      if (endpoint === 'filesUploadPart' && (req as { seq: number }).seq === 2) appendFileSync(abs, 'more');
    };
    const outcome = await h.executor.execute(await uploadOf('big.bin'));
    expect(outcome.status).toBe('requeue');
    expect(h.drive.count('filesUploadFinish')).toBe(0);
    expect(h.index.getFile('m1', 'big.bin')?.state).not.toBe('synced');
    expect(h.index.getChunkUpload('m1', 'big.bin')).toBeUndefined();
  });

  it('never has more than blockConcurrency blocks in flight', async () => {
    h = harness({ blockConcurrency: 2 });
    h.write('big.bin', bytes(BIG));
    let inFlight = 0;
    let peak = 0;
    h.drive.beforeCall = async (endpoint) => {
      if (endpoint !== 'filesUploadPart') return;
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    };
    await h.executor.execute(await uploadOf('big.bin'));
    expect(peak).toBe(2);
  });
});
