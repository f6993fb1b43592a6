/**
 * `syncOnce` in a new process after a run that left nothing to do: the tree
 * digest alone says so (no scan, no records loaded), and an edit, a rule
 * change or another writer's change to the index always means a full pass.
 */
import { describe, expect, it } from 'vitest';
import { openIndex } from '../../src/index/openIndex.js';
import { nativeScanAvailable } from '../../src/scan/nativeWalk.js';
import type { EngineHandle } from '../../src/sync/engineFactory.js';
import { e2ePerTest, type E2E } from './engineHelpers.js';

const start = e2ePerTest();

/** A new engine over the same state (a new process): how its passes saw the tree, and how often it read the records. */
async function restarted(t: E2E): Promise<{ h: EngineHandle; reused: boolean[]; loaded: () => number }> {
  await t.handle.close();
  const h = t.reopen();
  const reused: boolean[] = [];
  h.engine.on((e) => e.type === 'scanDone' && reused.push(e.reusedLastScan));
  let loaded = 0;
  const fileMap = h.index.fileMap.bind(h.index);
  h.index.fileMap = (m) => (loaded++, fileMap(m));
  return { h, reused, loaded: () => loaded };
}

/** One run in a new engine (as `feisync sync --once` from cron): its summary and how it saw the tree. */
async function run(t: E2E, options: Parameters<EngineHandle['engine']['syncOnce']>[0] = {}): Promise<{ summary: Awaited<ReturnType<EngineHandle['engine']['syncOnce']>>; reused: boolean[]; loaded: number }> {
  const { h, reused, loaded } = await restarted(t);
  const summary = await h.engine.syncOnce(options);
  return { summary, reused, loaded: loaded() };
}

describe.skipIf(!nativeScanAvailable)('a run after a run that left nothing to do', () => {
  it('reports "nothing to do" from the tree digest alone, and never hides an edit, a rule change or another writer', async () => {
    const t = await start({ sandbox: { qps: 200 }, qps: 200 });
    t.write('a.txt', 'one');
    t.write('d/b.txt', 'two');
    t.write('d/.DS_Store', 'junk');
    t.write('empty.txt', '');
    await t.handle.engine.syncOnce(); // a new mapping: uploads; no digest before its scan, so no stamp

    const second = await run(t); // records exist: digested before the scan; nothing to do; stamped
    expect(second.reused).toEqual([false]);
    expect(second.summary.callsByEndpoint).toEqual({});

    const quiet = await run(t);
    expect(quiet.reused).toEqual([true]);
    expect(quiet.loaded).toBe(0); // no record read, no file scanned
    expect(quiet.summary).toMatchObject({ unchanged: 2, uploaded: [], failed: [], callsByEndpoint: {} });
    expect(quiet.summary.skipped).toEqual(second.summary.skipped); // reported as a full pass would
    expect(quiet.summary.skipped.map((s) => s.path)).toEqual(['empty.txt']);

    // A dry run proves the Feishu folder is reachable, and --verify lists it: neither trusts the stamp.
    const dry = await run(t, { dryRun: true });
    expect(dry.reused).toEqual([false]);
    expect(dry.summary.callsByEndpoint.listFolder).toBe(1);
    const verified = await run(t, { verify: true });
    expect(verified.reused).toEqual([false]);
    expect(verified.summary.verified).toHaveLength(1);
    expect((await run(t)).reused).toEqual([true]); // and neither dropped it

    t.write('d/.DS_Store', 'rewritten by Finder'); // ignored churn: still nothing to do
    expect((await run(t)).reused).toEqual([true]);

    t.write('a.txt', 'ONE'); // an edit, same size
    const edited = await run(t);
    expect(edited.reused).toEqual([false]);
    expect(edited.summary.callsByEndpoint.filesUploadAll).toBe(1);
    expect(t.remoteFiles().get('a.txt')).toBe(t.localFiles().get('a.txt'));
    expect((await run(t)).reused).toEqual([true]); // that run was clean: stamped again

    t.write('.feisyncignore', 'later/\n'); // new rules, and a file they ignore
    t.write('later/c.txt', 'not yet');
    const ruled = await run(t);
    expect(ruled.reused).toEqual([false]);
    expect(ruled.summary.callsByEndpoint).toEqual({}); // .feisyncignore is ignored by default; later/ by the rule
    // It ignored other paths than the digest before it pruned, so it vouches for nothing;
    // the next run digests with what it ignored, and stamps.
    expect((await run(t)).reused).toEqual([false]);
    t.write('later/c.txt', 'still not'); // inside an ignored folder: counted by name only
    expect((await run(t)).reused).toEqual([true]);

    // Another writer (the app beside the CLI) changes the mapping's records: the stamp goes with it.
    await t.handle.close();
    const other = openIndex(`${t.stateDir}/index.db`);
    other.deleteFile('m1', 'a.txt');
    other.close();
    t.reopen();
    const after = await run(t);
    expect(after.reused).toEqual([false]);
    expect(after.summary.uploaded).toEqual(['a.txt']); // the forgotten record: uploaded again as new
  }, 60_000);

  it('a run with a failure leaves no stamp: the next one tries again', async () => {
    const t = await start({ sandbox: { qps: 200 }, qps: 200, scheduler: { retry: { baseMs: 5, capMs: 20, maxAttempts: 2 } } });
    t.write('a.txt', 'one');
    await t.handle.engine.syncOnce();
    t.write('b.txt', 'two');
    t.sandbox.setFaults('1061045:1'); // every call fails (a server error, retried, then given up)
    const failed = await run(t);
    expect(failed.summary.failed.map((f) => f.path)).toEqual(['b.txt']);
    t.sandbox.setFaults('none');
    const next = await run(t);
    expect(next.reused).toEqual([false]);
    expect(next.summary.uploaded).toEqual(['b.txt']);
    expect(t.remoteFiles()).toEqual(t.localFiles());
  }, 60_000);
});

describe('records found damaged', () => {
  it('are rebuilt from the Feishu listing without uploading again, and the run says so', async () => {
    const t = await start({ sandbox: { qps: 200 }, qps: 200 });
    for (const name of ['a.txt', 'd/b.txt', 'd/e/c.txt']) t.write(name, `content of ${name}`);
    await t.handle.engine.syncOnce();
    await t.handle.close();
    // Pack the records (as a fold would), then damage the pack on disk.
    const index = openIndex(`${t.stateDir}/index.db`);
    index.putFiles('m1', [...index.fileMap('m1').values()]);
    index.db.prepare("UPDATE file_packs SET data = substr(data, 1, 20) WHERE mapping_id = 'm1'").run();
    index.close();

    const h = t.reopen();
    const rebuilt: string[] = [];
    h.engine.on((e) => e.type === 'indexRebuilt' && rebuilt.push(e.summary));
    const summary = await h.engine.syncOnce();
    expect(summary.rebuilt).toEqual([{ mappingId: 'm1', summary: expect.stringMatching(/damaged.*rebuilt from the Feishu listing: adopted 3 files already in Feishu/) }]);
    expect(rebuilt).toHaveLength(1);
    expect(summary.uploaded).toEqual([]);
    expect(summary.callsByEndpoint).toEqual({ listFolder: expect.any(Number) }); // the listing only
    expect(t.duplicatePaths()).toEqual([]);
    expect((await h.engine.syncOnce()).callsByEndpoint).toEqual({});
  }, 60_000);
});

describe.skipIf(!nativeScanAvailable)('the app (watch mode) after a restart', () => {
  it('starts from the clean stamp without scanning, and a change made then is synced by a full pass', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200, settings: { settleMs: 200 }, engine: { debounceMs: 50 } });
    t.write('a.txt', 'one');
    t.write('d/b.txt', 'two');
    await t.handle.engine.syncOnce(); // new mapping: no digest before the scan
    await t.handle.engine.syncOnce(); // digested, clean: stamped

    const { h, reused, loaded } = await restarted(t);
    await h.engine.start();
    await until(() => h.engine.getState().mappings[0]?.firstSyncDone === true);
    expect(reused).toEqual([true]);
    expect(loaded()).toBe(0);

    t.write('c.txt', 'new while running'); // the watcher asks for a pass: no tree yet, so a full one
    await until(() => t.remoteFiles().get('c.txt') === t.localFiles().get('c.txt'));
    expect(reused.at(-1)).toBe(false);
    expect(t.remoteFiles()).toEqual(t.localFiles());
  }, 60_000);
});

describe.skipIf(!nativeScanAvailable)('the app (watch mode) records the stamp', () => {
  it('after a timer pass that found nothing to do, and drops it with the next change', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200, settings: { settleMs: 200, rescanIntervalSec: 0.3 }, engine: { debounceMs: 50 } });
    t.write('a.txt', 'one');
    const index = t.handle.index;
    await t.handle.engine.start();
    await until(() => t.handle.engine.getState().mappings[0]?.firstSyncDone === true);
    await until(() => index.getCleanStamp('m1') !== undefined); // a later timer pass: digested, scanned, clean
    t.write('b.txt', 'two');
    await until(() => t.remoteFiles().get('b.txt') === t.localFiles().get('b.txt'));
    await until(() => index.getCleanStamp('m1') !== undefined); // dropped by b.txt's record, stamped again after
    const { h, reused } = await restarted(t);
    await h.engine.start();
    await until(() => reused.length > 0);
    expect(reused[0]).toBe(true);
    expect(t.remoteFiles()).toEqual(t.localFiles());
  }, 60_000);
});

async function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
