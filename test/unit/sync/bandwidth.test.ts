import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, UPLOAD_ALL_MAX_BYTES } from '../../../src/feishu/limits.js';
import type { PlanItem } from '../../../src/plan/types.js';
import { statIdentity } from '../../../src/sync/localFiles.js';
import { bytes, harness } from './fakes/harness.js';

let h: ReturnType<typeof harness>;
afterEach(() => h?.cleanup());

async function uploadOf(relPath: string): Promise<PlanItem> {
  const id = await statIdentity(`${h.dir}/${relPath}`);
  return { op: 'upload', mappingId: 'm1', relPath, cost: {}, ...id, hash: null };
}

/** Records each bandwidth grant and the upload calls made after it. */
function recordingLimiter() {
  const log: string[] = [];
  const takeBandwidth = async (n: number) => {
    log.push(`take ${n}`);
  };
  return { log, takeBandwidth };
}

describe('the bandwidth limit covers every byte sent', () => {
  it('a small file asks the limiter for its whole size before upload_all', async () => {
    const limiter = recordingLimiter();
    h = harness({ takeBandwidth: limiter.takeBandwidth });
    h.drive.beforeCall = (endpoint) => void limiter.log.push(endpoint);
    h.write('a.txt', bytes(1000));
    expect((await h.executor.execute(await uploadOf('a.txt'))).status).toBe('done');
    expect(limiter.log).toEqual(['take 1000', 'filesUploadAll']);
  });

  it('a chunked file asks for each block before sending it, and the grants add up to the file size', async () => {
    const limiter = recordingLimiter();
    h = harness({ takeBandwidth: limiter.takeBandwidth, blockConcurrency: 1 });
    h.drive.beforeCall = (endpoint) => void limiter.log.push(endpoint);
    const size = UPLOAD_ALL_MAX_BYTES + 5;
    h.write('big.bin', bytes(size));
    expect((await h.executor.execute(await uploadOf('big.bin'))).status).toBe('done');
    const grants = limiter.log.filter((l) => l.startsWith('take')).map((l) => Number(l.slice(5)));
    expect(grants.reduce((a, b) => a + b, 0)).toBe(size);
    expect(grants.every((n) => n <= BLOCK_SIZE)).toBe(true);
    // Every part is preceded by its grant.
    const parts = limiter.log.flatMap((l, i) => (l === 'filesUploadPart' ? [limiter.log[i - 1]] : []));
    expect(parts.length).toBe(Math.ceil(size / BLOCK_SIZE));
    expect(parts.every((prev) => prev?.startsWith('take'))).toBe(true);
  });
});
