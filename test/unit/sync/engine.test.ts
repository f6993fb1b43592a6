import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/platform/clock.js';
import type { EngineEvent } from '../../../src/sync/engineApi.js';
import { createSyncEngine } from '../../../src/sync/engineFactory.js';
import { FakeDrive } from './fakes/fakeDrive.js';
import { testFs } from './fakes/harness.js';
import { MemoryIndex } from './fakes/memoryIndex.js';
import { TestScheduler } from './fakes/testScheduler.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function setup() {
  root = mkdtempSync(join(tmpdir(), 'feisync-engine-'));
  const drive = new FakeDrive();
  const index = new MemoryIndex();
  const scheduler = new TestScheduler();
  const clock = new FakeClock();
  const engine = createSyncEngine({
    drive, index, scheduler, clock, fs: testFs,
    settings: { limits: { blockConcurrency: 2 }, settleMs: 0, rescanIntervalSec: 3600 },
  });
  engine.addMapping({ id: 'm1', localPath: root, folderToken: drive.rootToken, deletePolicy: 'trash', ignore: [], paused: false });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const write = (rel: string, data: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  };
  return { drive, index, scheduler, clock, engine, events, write };
}

describe('SyncEngine.syncOnce', () => {
  it('uploads a tree, then a second run costs no API call at all', async () => {
    const t = setup();
    t.write('a.txt', 'A');
    t.write('docs/b.txt', 'BB');
    t.write('docs/deep/c.txt', 'CCC');
    const first = await t.engine.syncOnce();
    expect(first.uploaded.sort()).toEqual(['a.txt', 'docs/b.txt', 'docs/deep/c.txt']);
    expect(first.callsByEndpoint).toEqual({ createFolder: 2, filesUploadAll: 3 });
    expect([...t.drive.tree().keys()].sort()).toEqual(['a.txt', 'docs/b.txt', 'docs/deep/c.txt']);
    expect(t.events.some((e) => e.type === 'firstSyncDone')).toBe(true);

    const second = await t.engine.syncOnce();
    expect(second.callsByEndpoint).toEqual({});
    expect(second.unchanged).toBe(3);
  });

  it('an edit is a new version, a rename is copy + delete, a deletion goes to the recycle bin', async () => {
    const t = setup();
    t.write('a.txt', 'A');
    t.write('b.txt', 'B');
    t.write('c.txt', 'C');
    await t.engine.syncOnce();
    const aToken = t.drive.tree().get('a.txt')!.token;
    t.write('a.txt', 'A2');
    renameSync(join(root, 'b.txt'), join(root, 'b2.txt'));
    rmSync(join(root, 'c.txt'));
    const s = await t.engine.syncOnce();
    expect(s.versioned).toEqual(['a.txt']);
    expect(s.moved).toEqual([{ from: 'b.txt', to: 'b2.txt' }]);
    expect(s.callsByEndpoint).toEqual({ filesUploadAll: 1, copy: 1, delete: 2 });
    expect(t.drive.tree().get('a.txt')).toMatchObject({ token: aToken, version: 2 });
    expect([...t.drive.tree().keys()].sort()).toEqual(['a.txt', 'b2.txt']);
  });

  it('a dry run plans and costs the work without uploading anything', async () => {
    const t = setup();
    t.write('a.txt', 'A');
    t.write('d/b.txt', 'B');
    const s = await t.engine.syncOnce({ dryRun: true });
    expect(s.uploaded.sort()).toEqual(['a.txt', 'd/b.txt']);
    expect(s.plannedCost).toEqual({ createFolder: 1, filesUploadAll: 2 });
    expect(s.callsByEndpoint).toEqual({ listFolder: 1 });
    expect(t.drive.tree().size).toBe(0);
  });

  it('quota exhausted: the run stops, says when it resumes, and the mapping waits for the quota', async () => {
    const t = setup();
    t.write('a.txt', 'A');
    t.scheduler.admitHook = () => ({ ok: false, reason: 'quota', resumesAt: t.scheduler.resetAt, endpoint: 'filesUploadAll' });
    const s = await t.engine.syncOnce();
    expect(s).toMatchObject({ quotaExhausted: true, resumesAt: t.scheduler.resetAt });
    expect(t.engine.getState().mappings[0]!.status).toBe('waiting-quota');
    const error = t.events.find((e) => e.type === 'error');
    expect(error && error.type === 'error' && error.error.message).toMatch(/quota exhausted, resumes at \d\d:\d\d/);
    t.scheduler.admitHook = undefined;
    expect((await t.engine.syncOnce()).uploaded).toEqual(['a.txt']);
  });

  it('no edit permission stops the mapping with an actionable error', async () => {
    const t = setup();
    t.write('a.txt', 'A');
    t.write('b.txt', 'B');
    t.drive.fail('filesUploadAll', 1061004);
    const s = await t.engine.syncOnce();
    expect(s.failed[0]).toMatchObject({ code: 1061004 });
    const m = t.engine.getState().mappings[0]!;
    expect(m.status).toBe('stopped');
    expect(m.error?.remedy).toMatch(/edit permission/);
  });

  it('a file that keeps failing is marked failed with its reason and does not block the others', async () => {
    const t = setup();
    t.write('a.txt', 'A');
    t.write('b.txt', 'B');
    t.drive.fail('filesUploadAll', 1061045, 3, (req) => (req as { fileName: string }).fileName === 'a.txt');
    const s = await t.engine.syncOnce();
    expect(s.uploaded).toEqual(['b.txt']);
    expect(s.failed).toMatchObject([{ path: 'a.txt', code: 1061045 }]);
    expect(t.index.getFile('m1', 'a.txt')).toMatchObject({ state: 'failed', failures: 1 });
    expect((await t.engine.syncOnce()).uploaded).toEqual(['a.txt']);
  });
});

describe('SyncEngine inputs', () => {
  it('rejects a relative local path and an empty folder token with a clear error', () => {
    const t = setup();
    expect(() => t.engine.addMapping({ id: 'x', localPath: 'relative/dir', folderToken: 'f', deletePolicy: 'keep', ignore: [], paused: false })).toThrow(/must be absolute/);
    expect(() => t.engine.addMapping({ id: 'y', localPath: root, folderToken: '', deletePolicy: 'keep', ignore: [], paused: false })).toThrow(/folder token is empty/);
  });

  it('a mapping whose local folder vanished reports it with the remedy and plans nothing (never "everything deleted")', async () => {
    const t = setup();
    t.write('a.txt', 'A');
    await t.engine.syncOnce();
    rmSync(root, { recursive: true, force: true });
    const s = await t.engine.syncOnce();
    expect(s.failed[0]).toMatchObject({ code: 'E_SCAN_ROOT_MISSING' });
    expect(t.drive.tree().has('a.txt')).toBe(true);
    expect(t.engine.getState().mappings[0]!.status).toBe('stopped');
    mkdirSync(root);
  });

  it('an unknown mapping id is an actionable error', async () => {
    const t = setup();
    await expect(t.engine.syncOnce({ mappingId: 'nope' })).rejects.toThrow(/unknown mapping nope/);
  });
});

describe('createSyncEngine with the real scheduler', () => {
  it('accepts createScheduler(...) directly and syncs through its queue', async () => {
    root = mkdtempSync(join(tmpdir(), 'feisync-engine-'));
    const { createScheduler } = await import('../../../src/sync/scheduler/index.js');
    const { systemClock, seededRandom } = await import('../../../src/platform/clock.js');
    const drive = new FakeDrive();
    const index = new MemoryIndex();
    const scheduler = createScheduler({ clock: systemClock, random: seededRandom(1), store: index, pacing: { qps: 1000 } });
    const engine = createSyncEngine({ drive, index, scheduler, clock: systemClock, fs: testFs, settings: { limits: { blockConcurrency: 2 }, settleMs: 0, rescanIntervalSec: 3600 } });
    engine.addMapping({ id: 'm1', localPath: root, folderToken: drive.rootToken, deletePolicy: 'trash', ignore: [], paused: false });
    writeFileSync(join(root, 'a.txt'), 'A');
    const s = await engine.syncOnce();
    expect(s.uploaded).toEqual(['a.txt']);
    // Calls are counted by the client's request hook (absent with a fake drive); admission still ran.
    expect(engine.getState().quota.exhausted).toBe(false);
  });
});
