import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TOTAL_NODES } from '../../../src/feishu/limits.js';
import { FakeClock } from '../../../src/platform/clock.js';
import { BlobStore } from '../../../src/sandbox/blobs.js';
import { SandboxDrive } from '../../../src/sandbox/drive.js';
import { SandboxError } from '../../../src/sandbox/envelope.js';
import { SandboxStore, type NodeRow } from '../../../src/sandbox/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openDrive() {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-drive-'));
  dirs.push(dir);
  const clock = new FakeClock();
  const store = new SandboxStore(dir, clock.now(), 'app:test');
  return { store, drive: new SandboxDrive(store, new BlobStore(dir), clock) };
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof SandboxError) return error.code;
    throw error;
  }
  return undefined;
}

describe('sandbox drive rules', () => {
  it(`refuses a node beyond ${MAX_TOTAL_NODES.toLocaleString('en')} in one space with 1062505`, () => {
    const { store, drive } = openDrive();
    const holders = Array.from({ length: 300 }, (_, i) => drive.createFolder(`holder${i}`, store.rootToken, 'app:test'));
    store.transaction(() => {
      // The root and the holders count too; fill the rest directly (faster than the API).
      for (let i = 0; store.liveNodeCount() < MAX_TOTAL_NODES; i++) {
        const row: NodeRow = {
          token: `boxcnFill${i}`, type: 'file', name: `f${i}`, parent_token: holders[i % holders.length]!.token,
          created_ms: 0, modified_ms: 0, size: 1, sha256: null, version: 1, deleted_ms: null, owner: 'ou_test',
        };
        store.insertNode(row);
      }
    });
    expect(codeOf(() => drive.createFolder('one-more', store.rootToken, 'app:test'))).toBe(1062505);
    store.trash('boxcnFill0', 0);
    expect(codeOf(() => drive.createFolder('one-more', store.rootToken, 'app:test'))).toBeUndefined();
  });

  it('keeps the node count right after a refused (rolled back) change', () => {
    const { store, drive } = openDrive();
    const before = store.liveNodeCount();
    expect(codeOf(() => drive.createFolder('x', 'fldcnMissing', 'app:test'))).toBe(1061044);
    expect(store.liveNodeCount()).toBe(before);
    drive.createFolder('x', store.rootToken, 'app:test');
    expect(store.liveNodeCount()).toBe(before + 1);
  });
});
