import { randomBytes } from 'node:crypto';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, MAX_NAME_LENGTH, UPLOAD_ALL_MAX_BYTES } from '../../src/feishu/limits.js';
import { nativeScanAvailable } from '../../src/scan/nativeWalk.js';
import { e2ePerTest, type E2E } from './engineHelpers.js';

const start = e2ePerTest();

const MB = 1024 * 1024;

/** Local files that should be remote: all but those skipped. */
function expectedRemote(t: E2E, skipped: { path: string }[]): Map<string, string> {
  const local = t.localFiles();
  for (const s of skipped) local.delete(s.path);
  return local;
}

describe('engine end to end against the sandbox', () => {
  it('a mixed tree syncs via syncOnce, byte for byte, with expiring tokens; what cannot go is skipped with the reason', async () => {
    // qps raised in both the sandbox and the scheduler: 1,600 files at 5 QPS would take 320 s.
    const t = await start({ sandbox: { qps: 200, tokenTtlSec: 2 }, qps: 200 });
    t.write('empty.txt', '');
    t.write('one.txt', 'x');
    t.write('three-mb.bin', randomBytes(3 * MB));
    for (const [name, size] of [
      ['block-minus-1', BLOCK_SIZE - 1], ['block', BLOCK_SIZE], ['block-plus-1', BLOCK_SIZE + 1],
      ['all-minus-1', UPLOAD_ALL_MAX_BYTES - 1], ['all', UPLOAD_ALL_MAX_BYTES], ['all-plus-1', UPLOAD_ALL_MAX_BYTES + 1],
      ['fifty', 50 * MB],
    ] as const) t.write(`sizes/${name}.bin`, randomBytes(size));
    t.write('unicode/文件 名称 ✓.txt', '中文内容');
    t.write('unicode/émoji-😀.md', 'emoji');
    const long = 'a'.repeat(MAX_NAME_LENGTH - 4) + '.txt';
    const tooLong = 'b'.repeat(MAX_NAME_LENGTH - 3) + '.txt';
    t.write(`names/${long}`, 'ok');
    t.write(`names/${tooLong}`, 'too long');
    const deep = Array.from({ length: 16 }, (_, i) => `d${i + 1}`).join('/');
    t.write(`${deep}/leaf.txt`, 'deep');
    for (let i = 0; i < 1600; i++) t.write(`many/f${String(i).padStart(4, '0')}.txt`, `file ${i}`);

    const summary = await t.handle.engine.syncOnce();
    expect(summary.failed).toEqual([]);
    expect(summary.rebuilt).toBeUndefined(); // a new mapping over an empty folder: nothing adopted, nothing to report
    const reasons = new Map(summary.skipped.map((s) => [s.path, s.reason]));
    expect(reasons.get('empty.txt')).toMatch(/^empty-file/);
    expect(reasons.get(`names/${tooLong}`)).toMatch(/^name-too-long/);
    expect(reasons.has(`names/${long}`)).toBe(false);
    expect([...reasons.entries()].filter(([p]) => p.startsWith('many/')).every(([, r]) => r.startsWith('too-many-siblings'))).toBe(true);
    expect([...reasons.keys()].filter((p) => p.startsWith('many/'))).toHaveLength(100);
    expect([...reasons.entries()].some(([p, r]) => p.startsWith('d1/') && r.startsWith('too-deep'))).toBe(true);

    expect(t.remoteFiles()).toEqual(expectedRemote(t, summary.skipped));
    // Chunked exactly above 20 MB: prepare for all-plus-1 and fifty only.
    expect(summary.callsByEndpoint.filesUploadPrepare).toBe(2);
    expect(summary.callsByEndpoint.filesUploadPart).toBe(6 + 13);

    const again = await t.handle.engine.syncOnce();
    expect(again.callsByEndpoint).toEqual({});
  }, 240_000);

  it('a rescan of an unchanged tree reuses the last scan, and never hides an edit or an ignore-rule change', async () => {
    const t = await start({ sandbox: { qps: 200 }, qps: 200 });
    const scans: boolean[] = [];
    t.handle.engine.on((e) => e.type === 'scanDone' && scans.push(e.reusedLastScan));
    t.write('a.txt', 'one');
    t.write('dir/b.txt', 'two');
    t.write('dir/.DS_Store', 'junk');
    t.write('empty.txt', ''); // skipped every pass (Feishu refuses size 0): recorded once, never rewritten
    if (process.platform !== 'win32') symlinkSync(join(t.root, 'a.txt'), join(t.root, 'link.txt'));
    await t.handle.engine.syncOnce(); // first scan, uploads (records written)
    await t.handle.engine.syncOnce(); // scans again: the records changed; stamps the tree
    const quiet = await t.handle.engine.syncOnce();
    expect(quiet.callsByEndpoint).toEqual({});
    t.write('dir/.DS_Store', 'junk rewritten by Finder'); // ignored churn does not force a scan
    await t.handle.engine.syncOnce();
    expect(scans).toEqual(nativeScanAvailable ? [false, false, true, true] : [false, false, false, false]);

    t.write('a.txt', 'ONE'); // same size: only mtime tells
    const edited = await t.handle.engine.syncOnce();
    expect(scans.at(-1)).toBe(false);
    expect(edited.callsByEndpoint.filesUploadAll).toBe(1);
    expect(t.remoteFiles().get('a.txt')).toBe(t.localFiles().get('a.txt'));

    await t.handle.engine.syncOnce();
    t.write('.feisyncignore', 'later/\n');
    t.write('later/c.txt', 'not yet');
    t.write('now.txt', 'yes');
    const ruled = await t.handle.engine.syncOnce();
    expect(ruled.callsByEndpoint.filesUploadAll).toBe(1); // now.txt; later/ is ignored by the edited rules
    expect(t.remoteFiles().has('later/c.txt')).toBe(false);
    t.write('.feisyncignore', '');
    const unruled = await t.handle.engine.syncOnce();
    expect(unruled.callsByEndpoint.filesUploadAll).toBe(1);
    expect(t.remoteFiles().get('later/c.txt')).toBe(t.localFiles().get('later/c.txt'));
  }, 60_000);

  it('after a restart, the first pass digests the tree while the records load, so the second reuses its scan (and still sees an edit)', async () => {
    const t = await start({ sandbox: { qps: 200 }, qps: 200 });
    for (let i = 0; i < 5; i++) t.write(`d/f${i}.txt`, `file ${i}`);
    await t.handle.engine.syncOnce();
    await t.handle.close();

    const restarted = t.reopen();
    const scans: boolean[] = [];
    restarted.engine.on((e) => e.type === 'scanDone' && scans.push(e.reusedLastScan));
    expect((await restarted.engine.syncOnce()).callsByEndpoint).toEqual({});
    expect((await restarted.engine.syncOnce()).callsByEndpoint).toEqual({});
    expect(scans).toEqual(nativeScanAvailable ? [false, true] : [false, false]);

    t.write('d/f0.txt', 'FILE 0'); // same size
    const edited = await restarted.engine.syncOnce();
    expect(scans.at(-1)).toBe(false);
    expect(edited.callsByEndpoint.filesUploadAll).toBe(1);
    expect(t.remoteFiles()).toEqual(t.localFiles());
  }, 60_000);
});
