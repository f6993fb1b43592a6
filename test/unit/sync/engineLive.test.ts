import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/platform/clock.js';
import type { WatcherOptions } from '../../../src/scan/watcher.js';
import { WATCH_LIMIT_REMEDY } from '../../../src/scan/watcher.js';
import type { EngineEvent } from '../../../src/sync/engineApi.js';
import { createSyncEngine } from '../../../src/sync/engineFactory.js';
import { FakeDrive } from './fakes/fakeDrive.js';
import { testFs } from './fakes/harness.js';
import { MemoryIndex } from './fakes/memoryIndex.js';
import { TestScheduler } from './fakes/testScheduler.js';

let root: string;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  rmSync(root, { recursive: true, force: true });
});

async function until(what: string, predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

function live(watcherBehaviour: (o: WatcherOptions) => void = () => {}) {
  root = mkdtempSync(join(tmpdir(), 'feisync-live-'));
  const drive = new FakeDrive();
  const scheduler = new TestScheduler();
  const clock = new FakeClock();
  const watchers: WatcherOptions[] = [];
  const engine = createSyncEngine({
    drive, index: new MemoryIndex(), scheduler, clock, fs: testFs,
    settings: { limits: { blockConcurrency: 2 }, settleMs: 0, rescanIntervalSec: 3600 },
    createWatcher: (o) => ({
      start: async () => {
        watchers.push(o);
        watcherBehaviour(o);
      },
      close: async () => {},
    }),
  });
  engine.addMapping({ id: 'm1', localPath: root, folderToken: drive.rootToken, deletePolicy: 'trash', ignore: [], paused: false });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  stop = () => engine.stop();
  return { engine, drive, scheduler, clock, events, watchers };
}

describe('SyncEngine live mode', () => {
  it('when the OS refuses file watches, it says how to fix it and rescans every minute instead', async () => {
    const t = live((o) => o.onWatchLimit(WATCH_LIMIT_REMEDY));
    await t.engine.start();
    await until('first sync', () => t.engine.getState().mappings[0]!.firstSyncDone);
    const notice = t.events.find((e) => e.type === 'watchLimit');
    expect(notice && notice.type === 'watchLimit' && notice.message).toMatch(/sysctl fs\.inotify\.max_user_watches=524288/);
    writeFileSync(join(root, 'new.txt'), 'missed by the watcher');
    await t.clock.advance(60_000);
    await until('the periodic rescan to upload it', () => t.drive.tree().has('new.txt'));
  });

  it('watcher batches become targeted passes at "recent" priority', async () => {
    const t = live();
    await t.engine.start();
    await until('first sync', () => t.engine.getState().mappings[0]!.firstSyncDone);
    writeFileSync(join(root, 'a.txt'), 'A');
    t.watchers[0]!.onChanges({ files: new Set(['a.txt']), folders: new Set() });
    await until('a.txt uploaded', () => t.drive.tree().has('a.txt'));
    expect(t.drive.count('filesUploadAll')).toBe(1);
  });

  it('quota exhausted: waits with status waiting-quota and "resumes at HH:MM", then continues by itself at the reset', async () => {
    const t = live();
    writeFileSync(join(root, 'a.txt'), 'A');
    t.scheduler.admitHook = () => ({ ok: false, reason: 'quota', resumesAt: t.scheduler.resetAt, endpoint: 'filesUploadAll' });
    await t.engine.start();
    await until('waiting-quota', () => t.engine.getState().mappings[0]!.status === 'waiting-quota');
    const error = t.events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.error.message).toMatch(/quota exhausted, resumes at \d\d:\d\d/);
    expect(t.drive.tree().size).toBe(0);
    t.scheduler.admitHook = undefined;
    await t.clock.advance(t.scheduler.resetAt - t.clock.now());
    await until('upload after the reset', () => t.drive.tree().has('a.txt'));
    await until('idle', () => t.engine.getState().mappings[0]!.status === 'idle');
  });

  it('a stopped mapping (no permission) stays stopped until the user acts, then syncNow continues', async () => {
    const t = live();
    writeFileSync(join(root, 'a.txt'), 'A');
    t.drive.fail('filesUploadAll', 1061004);
    await t.engine.start();
    await until('stopped', () => t.engine.getState().mappings[0]!.status === 'stopped');
    expect(t.engine.getState().mappings[0]!.error?.code).toBe(1061004);
    await t.engine.syncNow('m1');
    await until('uploaded after syncNow', () => t.drive.tree().has('a.txt'));
  });
});
