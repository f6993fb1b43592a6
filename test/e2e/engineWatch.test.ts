import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METERED_ENDPOINTS, type EndpointId } from '../../src/feishu/endpoints.js';
import { e2e, type E2E } from './engineHelpers.js';

let t: E2E;

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the remote tree equals the local one and stays so; returns the calls made meanwhile. */
async function callsUntilInSync(before: Partial<Record<EndpointId, number>>): Promise<Partial<Record<EndpointId, number>>> {
  const same = () => JSON.stringify([...t.remoteFiles()].sort()) === JSON.stringify([...t.localFiles()].sort());
  await waitFor('remote to match local', same);
  await new Promise((r) => setTimeout(r, 800)); // any extra call would show up now
  expect(same()).toBe(true);
  const after = t.sandbox.counters().calls;
  const diff: Partial<Record<EndpointId, number>> = {};
  for (const [k, v] of Object.entries(after) as [EndpointId, number][]) {
    if (METERED_ENDPOINTS.includes(k) && v - (before[k] ?? 0) > 0) diff[k] = v - (before[k] ?? 0);
  }
  return diff;
}

beforeEach(async () => {
  t = await e2e({ sandbox: { limits: 'off' }, qps: 200, settings: { settleMs: 300 }, engine: { debounceMs: 100 } });
  await t.handle.engine.start();
  await waitFor('first sync', () => t.handle.engine.getState().mappings[0]!.firstSyncDone);
});
afterEach(async () => {
  await t.cleanup();
});

describe('watch mode (real chokidar): each change costs the minimal calls', () => {
  it('create → one upload_all; modify → one new version of the same file', async () => {
    let before = t.sandbox.counters().calls;
    t.write('a.txt', 'one');
    expect(await callsUntilInSync(before)).toEqual({ filesUploadAll: 1 });
    const token = t.sandbox.tree().find((n) => n.path === 'a.txt')!.token;
    before = t.sandbox.counters().calls;
    t.write('a.txt', 'two, longer');
    expect(await callsUntilInSync(before)).toEqual({ filesUploadAll: 1 });
    expect(t.sandbox.tree().find((n) => n.path === 'a.txt')).toMatchObject({ token, version: '2' });
  });

  it('rename → copy + delete (no bytes re-sent); delete → one delete', async () => {
    t.write('a.txt', 'content');
    await callsUntilInSync(t.sandbox.counters().calls);
    let before = t.sandbox.counters().calls;
    renameSync(join(t.root, 'a.txt'), join(t.root, 'b.txt'));
    expect(await callsUntilInSync(before)).toEqual({ copy: 1, delete: 1 });
    before = t.sandbox.counters().calls;
    rmSync(join(t.root, 'b.txt'));
    expect(await callsUntilInSync(before)).toEqual({ delete: 1 });
  });

  it('an atomic save (write temp, rename over) is one new version', async () => {
    t.write('doc.txt', 'v1');
    await callsUntilInSync(t.sandbox.counters().calls);
    const before = t.sandbox.counters().calls;
    writeFileSync(join(t.root, 'doc.txt.swp-123'), 'v2 saved atomically');
    renameSync(join(t.root, 'doc.txt.swp-123'), join(t.root, 'doc.txt'));
    expect(await callsUntilInSync(before)).toEqual({ filesUploadAll: 1 });
  });

  it('a burst of 1,000 new files is 1,000 upload_all calls and nothing more', async () => {
    const before = t.sandbox.counters().calls;
    t.write('burst/.keep-folder-created-first', 'x');
    for (let i = 0; i < 999; i++) t.write(`burst/f${i}.txt`, `n${i}`);
    expect(await callsUntilInSync(before)).toEqual({ createFolder: 1, filesUploadAll: 1000 });
  }, 120_000);
});
