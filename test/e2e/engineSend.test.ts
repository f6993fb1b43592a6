import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/sync/engineApi.js';
import { e2ePerTest } from './engineHelpers.js';

const start = e2ePerTest();

describe('engine.send: explicit uploads at top priority', () => {
  it('sends a file and a whole folder into a Drive folder, and reports sendDone', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200 });
    const outside = join(t.stateDir, 'outside');
    mkdirSync(join(outside, 'album', 'sub'), { recursive: true });
    writeFileSync(join(outside, 'note.txt'), 'note');
    writeFileSync(join(outside, 'album', 'a.jpg'), 'jpeg');
    writeFileSync(join(outside, 'album', 'sub', 'b.jpg'), 'jpeg 2');
    const events: EngineEvent[] = [];
    t.handle.engine.on((e) => events.push(e));
    const results = await t.handle.engine.send([join(outside, 'note.txt'), join(outside, 'album')], { kind: 'folder', folderToken: t.sandbox.rootFolderToken });
    expect(results.every((r) => r.ok)).toBe(true);
    expect([...t.remoteFiles().keys()].sort()).toEqual(['album/a.jpg', 'album/sub/b.jpg', 'note.txt']);
    expect(events.find((e) => e.type === 'sendDone')).toMatchObject({ results: expect.any(Array) });
    expect(t.handle.index.recentActivity(10).filter((a) => a.kind === 'sent')).toHaveLength(3);
  });

  it('attaches a file to a document as media (medias/upload_all with docx_file)', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200 });
    const file = join(t.stateDir, 'report.pdf');
    writeFileSync(file, 'pdf bytes');
    const [result] = await t.handle.engine.send([file], { kind: 'doc', docToken: 'doxcnSomeDocument', as: 'file' });
    expect(result).toMatchObject({ ok: true, fileToken: expect.any(String) });
    expect(t.sandbox.counters().calls.mediasUploadAll).toBe(1);
  });

  it('a path that does not exist fails alone with an actionable error', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200 });
    const file = join(t.stateDir, 'ok.txt');
    writeFileSync(file, 'ok');
    const results = await t.handle.engine.send([join(t.stateDir, 'nope.txt'), file], { kind: 'folder', folderToken: t.sandbox.rootFolderToken });
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
    expect(results[1]).toMatchObject({ ok: true });
  });
});

describe('engine: Feishu unreachable', () => {
  it('marks the mapping offline, loses nothing, and syncs once the network is back', async () => {
    const t = await start({ sandbox: { limits: 'off' }, qps: 200, scheduler: { retry: { baseMs: 1, capMs: 5, maxAttempts: 2 } } });
    await t.handle.engine.syncOnce(); // the first run lists the (empty) Feishu folder once
    t.write('a.txt', 'A');
    t.sandbox.setFaults('reset:1');
    const s = await t.handle.engine.syncOnce();
    expect(s.uploaded).toEqual([]);
    expect(s.failed).toMatchObject([{ path: 'a.txt', code: -1 }]);
    expect(t.handle.engine.getState().mappings[0]!.status).toBe('offline');
    t.sandbox.setFaults('none');
    expect((await t.handle.engine.syncOnce()).uploaded).toEqual(['a.txt']);
    expect(t.handle.engine.getState().mappings[0]!.status).toBe('idle');
  });
});
