import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2ePerTest } from './engineHelpers.js';

const start = e2ePerTest();

describe('engine: a folder moved locally', () => {
  it('is one move of the folder in Feishu (its task awaited), not one call per file', async () => {
    const t = await start({ sandbox: { limits: 'off', taskMs: 1200 }, qps: 200 });
    for (let i = 0; i < 30; i++) t.write(`photos/2024/p${i}.jpg`, `photo ${i}`);
    t.write('photos/2024/raw/r.cr2', 'raw');
    t.write('archive/keep.txt', 'k');
    await t.handle.engine.syncOnce();
    const tokenOf = (path: string) => t.sandbox.tree().find((n) => n.path === path)!.token;
    const folderToken = tokenOf('photos/2024');

    renameSync(join(t.root, 'photos', '2024'), join(t.root, 'archive', '2024'));
    const s = await t.handle.engine.syncOnce();
    expect(s.failed).toEqual([]);
    expect(s.callsByEndpoint.move).toBe(1);
    expect(s.callsByEndpoint.taskCheck).toBeGreaterThanOrEqual(2); // "process" first, then "success"
    expect(s.callsByEndpoint.filesUploadAll ?? 0).toBe(0);
    expect(tokenOf('archive/2024')).toBe(folderToken);
    expect(t.remoteFiles()).toEqual(t.localFiles());
    expect(t.handle.index.getFile('m1', 'archive/2024/raw/r.cr2')?.state).toBe('synced');
    expect(t.handle.index.getFile('m1', 'photos/2024/p0.jpg')).toBeUndefined();
    expect((await t.handle.engine.syncOnce()).callsByEndpoint).toEqual({}); // the index follows the move
  }, 60_000);

  it('a folder trashed in Feishu is forgotten only after its task is done', async () => {
    const t = await start({ sandbox: { limits: 'off', taskMs: 800 }, qps: 200 });
    t.write('old/a.txt', 'a');
    t.write('stay.txt', 's');
    await t.handle.engine.syncOnce();
    const { rmSync } = await import('node:fs');
    rmSync(join(t.root, 'old'), { recursive: true });
    const s = await t.handle.engine.syncOnce();
    expect(s.failed).toEqual([]);
    expect(s.callsByEndpoint.delete).toBe(1);
    expect(s.callsByEndpoint.taskCheck).toBeGreaterThanOrEqual(2);
    expect(t.handle.index.getFolder('m1', 'old')).toBeUndefined();
    expect(t.remoteFiles()).toEqual(t.localFiles());
  }, 60_000);
});
