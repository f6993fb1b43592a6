import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errnoError, errnoOfCode, inoAt, KIND_BAD_NAME, KIND_FILE, KIND_FOLDER, KIND_SPECIAL, KIND_SYMLINK, LISTING_STRIDE, mtimeNsAt, putStat,
  type FolderListing,
} from '../../../src/scan/folderListing.js';
import { nativeList, nativeListMany, nativeScanAvailable } from '../../../src/scan/nativeWalk.js';
import { CONTENT_HASH_ALGORITHM, hashFile, jsScanFs, nodePrimitives, nodeScanFs } from '../../../src/scan/scanFs.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'feisync-scanfs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeScanFs', () => {
  it('hashes a file in a stream, equal to hashing its bytes at once', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // spans several read chunks
    writeFileSync(join(dir, 'f'), bytes);
    expect(await hashFile(join(dir, 'f'))).toBe(createHash(CONTENT_HASH_ALGORITHM).update(bytes).digest('hex'));
  });

  it('stops hashing when aborted', async () => {
    writeFileSync(join(dir, 'f'), Buffer.alloc(1024 * 1024));
    const controller = new AbortController();
    controller.abort();
    await expect(hashFile(join(dir, 'f'), controller.signal)).rejects.toThrow();
  });

  it('reports kinds without following links, with exact ns mtime and inode', () => {
    writeFileSync(join(dir, 'f'), 'abc');
    mkdirSync(join(dir, 'd'));
    symlinkSync(join(dir, 'd'), join(dir, 'l'));
    const f = nodeScanFs.lstat(join(dir, 'f'));
    const exact = statSync(join(dir, 'f'), { bigint: true });
    expect(f).toEqual({ kind: 'file', size: 3, mtimeNs: exact.mtimeNs, ino: exact.ino.toString() });
    expect(nodeScanFs.lstat(join(dir, 'l')).kind).toBe('symlink');
    expect(nodePrimitives.readdir(dir).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'd', kind: 'folder' },
      { name: 'f', kind: 'file' },
      { name: 'l', kind: 'symlink' },
    ]);
  });
});

/** A listing as plain rows, sorted by name, for comparing listers. */
function rows(listing: FolderListing) {
  return (listing.names ?? listing.paths)
    .map((name, i) => {
      const at = i * LISTING_STRIDE;
      const code = listing.stats[at]!;
      return code === KIND_FILE
        ? { name, code, size: listing.stats[at + 1], mtimeNs: mtimeNsAt(listing.stats, at), ino: inoAt(listing.stats, at) }
        : { name, code };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

describe.skipIf(!nativeScanAvailable)('the native lister', () => {
  it('lists exactly what the JS lister lists: kinds, sizes, ns mtimes, inodes, odd names (in line and off the JS thread)', async () => {
    writeFileSync(join(dir, 'plain.txt'), 'hello');
    writeFileSync(join(dir, 'empty'), '');
    writeFileSync(join(dir, 'Cafe\u0301.txt'), 'nfd'); // NFD spelling, kept as on disk
    writeFileSync(join(dir, '飞书 文档.docx'), 'zh');
    writeFileSync(join(dir, 'old.txt'), 'before 1970');
    utimesSync(join(dir, 'old.txt'), new Date(-86_400_250), new Date(-86_400_250)); // negative seconds, with a fraction
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'sub'), join(dir, 'link'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const native = nativeList(dir);
    expect(rows(native)).toEqual(rows(jsScanFs.list(dir)));
    // In a batch under `dir` itself the root-relative paths are the names, in the same (byte) order.
    expect(await nativeListMany(dir, [''])[0]).toEqual({ paths: native.names, stats: native.stats, nfc: native.nfc });
    expect(native.nfc).toBe(false); // the NFD name: the scanner normalises this folder's names one by one
    writeFileSync(join(dir, 'sub', '飞书.txt'), 'nfc');
    expect(nativeList(join(dir, 'sub')).nfc).toBe(true);
    const byName = new Map(rows(native).map((r) => [r.name, r]));
    const exact = statSync(join(dir, 'old.txt'), { bigint: true });
    expect(byName.get('old.txt')).toMatchObject({ code: KIND_FILE, mtimeNs: exact.mtimeNs, ino: exact.ino.toString() });
    expect(exact.mtimeNs < 0n).toBe(true);
    expect(byName.get('empty')).toMatchObject({ size: 0 });
    expect(byName.get('link')!.code).toBe(KIND_SYMLINK);
    expect(byName.get('dangling')!.code).toBe(KIND_SYMLINK);
    expect(byName.get('sub')!.code).toBe(KIND_FOLDER);
    expect(byName.get('pipe')!.code).toBe(KIND_SPECIAL);
  });

  it('marks a name that is not valid UTF-8 instead of reporting a lossy spelling as a file', () => {
    writeFileSync(Buffer.concat([Buffer.from(dir + '/bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'x');
    const listing = nativeList(dir);
    expect(listing.names).toHaveLength(1);
    expect(listing.stats[0]).toBe(KIND_BAD_NAME);
  });

  it('lists an empty folder as empty, and throws a Node-style error for a folder it cannot read', async () => {
    expect(nativeList(dir)).toEqual({ names: [], stats: new Float64Array(0), nfc: true });
    expect(await nativeListMany(dir, [''])[0]).toEqual({ paths: [], stats: new Float64Array(0), nfc: true });
    expect(() => nativeList(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'scandir' }));
    await expect(nativeListMany(dir, ['missing'])[0]).rejects.toMatchObject({ code: 'ENOENT', syscall: 'scandir', path: join(dir, 'missing') });
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => nativeList(join(dir, 'file'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    await expect(nativeListMany(dir, ['file'])[0]).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe.skipIf(!nativeScanAvailable)('the native lister, many folders at once', () => {
  it('gives each folder its entries as root-relative paths in name order, and an error of its own to a folder it cannot read', async () => {
    for (const name of ['b', 'a', 'c.txt']) mkdirSync(join(dir, 'one', name), { recursive: true });
    writeFileSync(join(dir, 'one', 'z.txt'), 'zz');
    mkdirSync(join(dir, 'two'));
    writeFileSync(join(dir, 'two', '飞书.txt'), 'nfc');
    writeFileSync(join(dir, 'top.txt'), 'x');
    const [one, missing, empty, two, top] = nativeListMany(dir, ['one', 'missing', 'one/a', 'two', '']);
    expect((await one!).paths).toEqual(['one/a', 'one/b', 'one/c.txt', 'one/z.txt']);
    await expect(missing!).rejects.toMatchObject({ code: 'ENOENT', path: join(dir, 'missing') });
    expect(await empty!).toMatchObject({ paths: [], stats: new Float64Array(0) });
    const twoListing = await two!;
    expect(twoListing.paths).toEqual(['two/飞书.txt']);
    expect(rows({ names: ['飞书.txt'], stats: twoListing.stats })).toEqual(rows(nativeList(join(dir, 'two'))));
    expect((await top!).paths).toEqual(['one', 'top.txt', 'two']);
  });

  it('says a batch holding an NFD name is not NFC, so the scanner normalises its names', async () => {
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'Cafe\u0301.txt'), 'nfd');
    writeFileSync(join(dir, 'plain.txt'), 'nfc');
    const [root, x] = nativeListMany(dir, ['', 'x']);
    expect((await x!).nfc).toBe(false);
    expect((await root!).nfc).toBe(false); // one answer for the batch
    expect((await nativeListMany(dir, [''])[0]).nfc).toBe(true);
  });
});

describe('listing numbers', () => {
  it('keeps 64-bit inodes and pre-1970 mtimes exact through the Float64Array', () => {
    const stats = new Float64Array(LISTING_STRIDE);
    const ino = 18_446_744_073_709_551_557n; // the largest 64-bit prime: far beyond 2^53
    putStat(stats, 0, 'file', 7, -1_500_000_001n, ino);
    expect(inoAt(stats, 0)).toBe(ino.toString());
    expect(mtimeNsAt(stats, 0)).toBe(-1_500_000_001n);
    putStat(stats, 0, 'file', 7, 1_700_000_000_123_456_789n, 123n);
    expect([inoAt(stats, 0), mtimeNsAt(stats, 0)]).toEqual(['123', 1_700_000_000_123_456_789n]);
  });

  it('turns an errno into the error Node itself would throw', () => {
    expect(errnoError(errnoOfCode('EACCES'), 'lstat', '/x')).toMatchObject({ code: 'EACCES', syscall: 'lstat', path: '/x', message: expect.stringMatching(/^EACCES: permission denied, lstat '\/x'$/) });
  });
});
