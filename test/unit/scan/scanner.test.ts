import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IgnoreMatcher } from '../../../src/scan/ignoreRules.js';
import { errnoOfCode, LISTING_STRIDE, type FolderListing } from '../../../src/scan/folderListing.js';
import { nativeScanAvailable } from '../../../src/scan/nativeWalk.js';
import { composeScanFs, jsScanFs, nodePrimitives, nodeScanFs, type ScanFs } from '../../../src/scan/scanFs.js';
import { scanMapping, type KnownFile } from '../../../src/scan/scanner.js';
import type { ScanResult } from '../../../src/scan/types.js';

let root: string;
let outside: string;
const ignore = new IgnoreMatcher('/unused');
const isRoot = process.getuid?.() === 0;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'feisync-scan-'));
  outside = mkdtempSync(join(tmpdir(), 'feisync-outside-'));
});
afterEach(() => {
  for (const d of [root, outside]) {
    try {
      chmodSync(join(d, 'locked'), 0o755);
    } catch {}
    rmSync(d, { recursive: true, force: true });
  }
});

function write(rel: string, content = 'x'): void {
  const abs = join(root, rel);
  mkdirSync(join(abs, '..'), { recursive: true });
  writeFileSync(abs, content);
}

/** The scan as the index would remember it (hashes computed here, outside the scanner). */
async function knownFrom(scan: ScanResult): Promise<Map<string, KnownFile>> {
  const known = new Map<string, KnownFile>();
  for (const f of scan.files.values()) {
    known.set(f.relPath, { size: f.size, mtimeNs: f.mtimeNs, ino: f.ino, hash: await nodeScanFs.hash(join(root, f.diskRelPath ?? f.relPath)) });
  }
  return known;
}

/**
 * A ScanFs over `base` that counts listings and hashes, with per-path
 * failures injected: `list` throws for a folder, `stat` makes an entry's stat
 * fail (as the lister reports it: -errno in the listing).
 */
function spyFs(base: ScanFs, over: Partial<Record<'list' | 'stat', (abs: string) => void>> = {}) {
  const calls = { list: [] as string[], hash: [] as string[] };
  /** `entryAbs(i)`: the absolute path of entry i (listings hold names or root-relative paths). */
  const injected = (listing: FolderListing, entryAbs: (i: number) => string) => {
    const count = (listing.names ?? listing.paths).length;
    for (let i = 0; i < count; i++) {
      try {
        over.stat?.(entryAbs(i));
      } catch (error) {
        listing.stats[i * LISTING_STRIDE] = -errnoOfCode((error as NodeJS.ErrnoException).code);
      }
    }
    return listing;
  };
  const listAsync = base.listAsync;
  const fs: ScanFs = {
    list: (abs) => {
      calls.list.push(abs);
      over.list?.(abs);
      const listing = base.list(abs);
      return injected(listing, (i) => join(abs, listing.names![i]!));
    },
    listAsync: listAsync && ((listRoot, dirs) => {
      const listings = listAsync.call(base, listRoot, dirs);
      return dirs.map(async (dir, i) => {
        listings[i]!.catch(() => undefined); // awaited below unless the injected failure comes first
        const abs = dir === '' ? listRoot : join(listRoot, dir);
        calls.list.push(abs);
        over.list?.(abs);
        const listing = await listings[i]!;
        return injected(listing, (k) => join(listRoot, listing.paths![k]!));
      });
    }),
    lstat: base.lstat,
    hash: (abs, signal) => {
      calls.hash.push(abs);
      return base.hash(abs, signal);
    },
  };
  return { fs, calls };
}

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** Every scanner test runs on every lister: they must give the same results. */
const LISTERS: [string, ScanFs][] = [['js', jsScanFs]];
if (process.platform !== 'win32') LISTERS.unshift(['native, read ahead', nodeScanFs], ['native, in line', { ...nodeScanFs, listAsync: undefined }]);

it.skipIf(process.platform === 'win32')('uses the native lister on POSIX (built by npm ci; FEISYNC_NATIVE_SCAN=0 turns it off)', () => {
  expect(nativeScanAvailable).toBe(process.env.FEISYNC_NATIVE_SCAN !== '0');
});

describe.each(LISTERS)('scanMapping, %s lister', (_lister, base) => {
  it('lists files and folders with exact identity, relative to the root', async () => {
    write('a.txt', 'hello');
    write('docs/deep/b.md', '12');
    mkdirSync(join(root, 'empty'));
    const scan = await scanMapping(root, { ignore, fs: base });
    expect([...scan.files.keys()].sort()).toEqual(['a.txt', 'docs/deep/b.md']);
    expect([...scan.folders.keys()].sort()).toEqual(['docs', 'docs/deep', 'empty']);
    const a = scan.files.get('a.txt')!;
    expect(a.size).toBe(5);
    expect(typeof a.mtimeNs).toBe('bigint');
    expect(a.ino).toMatch(/^\d+$/);
    expect(a.hash).toBeUndefined(); // a new file is not read by the scan
    expect(scan.skipped).toEqual([]);
  });

  it('records symlinks as skipped and never follows them, inside or outside the root', async () => {
    write('real/file.txt');
    writeFileSync(join(outside, 'secret.txt'), 'outside');
    symlinkSync(join(root, 'real', 'file.txt'), join(root, 'inside-link.txt'));
    symlinkSync(join(root, 'real'), join(root, 'inside-dir-link'));
    symlinkSync(outside, join(root, 'outside-link'));
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    const scan = await scanMapping(root, { ignore, fs: base });
    expect([...scan.files.keys()]).toEqual(['real/file.txt']);
    expect(scan.skipped).toEqual([
      { relPath: 'dangling', reason: 'symlink' },
      { relPath: 'inside-dir-link', reason: 'symlink' },
      { relPath: 'inside-link.txt', reason: 'symlink' },
      { relPath: 'outside-link', reason: 'symlink' },
    ]);
  });

  it('records special files (a FIFO) as skipped', async () => {
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const scan = await scanMapping(root, { ignore, fs: base });
    expect(scan.skipped).toEqual([{ relPath: 'pipe', reason: 'special-file' }]);
  });

  it.skipIf(isRoot)('records an unreadable folder (chmod 000) and goes on', async () => {
    write('locked/in.txt');
    write('ok.txt');
    chmodSync(join(root, 'locked'), 0o000);
    const scan = await scanMapping(root, { ignore, fs: base });
    expect([...scan.files.keys()]).toEqual(['ok.txt']);
    expect(scan.skipped).toEqual([{ relPath: 'locked', reason: 'permission-denied', detail: expect.stringContaining('EACCES') }]);
  });

  it('records permission errors from the file system (injected: tests may run as root) and goes on', async () => {
    write('locked/in.txt');
    write('private.txt');
    write('ok.txt');
    const { fs } = spyFs(base, {
      list: (abs) => { if (abs.endsWith('/locked')) throw errno('EACCES'); },
      stat: (abs) => { if (abs.endsWith('/private.txt')) throw errno('EPERM'); },
    });
    const scan = await scanMapping(root, { ignore, fs });
    expect([...scan.files.keys()]).toEqual(['ok.txt']);
    expect(scan.folders.has('locked')).toBe(false);
    expect(scan.skipped.map((s) => [s.relPath, s.reason])).toEqual([
      ['locked', 'permission-denied'],
      ['private.txt', 'permission-denied'],
    ]);
  });

  it('tolerates entries that vanish mid-scan', async () => {
    write('a/gone-folder/x.txt');
    write('a/gone-file.txt');
    write('a/stays.txt');
    // Deleted right after the folder is read: the race a busy folder gives. The JS
    // lister reads names first and stats after (so it meets both gone); the native
    // one stats as it reads, so only the subfolder's own listing can miss.
    const vanish = (abs: string) => {
      if (!abs.endsWith('/a')) return;
      rmSync(join(root, 'a', 'gone-folder'), { recursive: true });
      unlinkSync(join(root, 'a', 'gone-file.txt'));
    };
    const fs: ScanFs =
      base === jsScanFs
        ? composeScanFs({ ...nodePrimitives, readdir: (abs) => { const entries = nodePrimitives.readdir(abs); vanish(abs); return entries; } })
        : {
            ...base,
            list: (abs) => { const listing = base.list(abs); vanish(abs); return listing; },
            listAsync:
              base.listAsync &&
              ((listRoot, dirs) =>
                base.listAsync!(listRoot, dirs).map(async (listing, i) => {
                  const done = await listing;
                  vanish(dirs[i] === '' ? listRoot : join(listRoot, dirs[i]!));
                  return done;
                })),
          };
    const scan = await scanMapping(root, { ignore, fs });
    if (base === jsScanFs) {
      expect([...scan.files.keys()]).toEqual(['a/stays.txt']);
      expect(scan.skipped.map((s) => [s.relPath, s.reason])).toEqual([
        ['a/gone-file.txt', 'vanished'],
        ['a/gone-folder', 'vanished'],
      ]);
    } else {
      expect([...scan.files.keys()].sort()).toEqual(['a/gone-file.txt', 'a/stays.txt']); // the next pass sees it gone
      expect(scan.skipped.map((s) => [s.relPath, s.reason])).toEqual([['a/gone-folder', 'vanished']]);
    }
  });

  it('applies default, .feisyncignore and mapping rules, without descending into ignored folders', async () => {
    write('.DS_Store');
    write('~$report.docx');
    write('report.docx');
    write('node_modules/pkg/index.js');
    write('logs/a.log');
    write('logs/keep.log');
    write('.feisyncignore', 'node_modules/\n*.log\n!keep.log\n');
    const rules = await IgnoreMatcher.forMapping(root, { extra: ['report.docx'] });
    const { fs, calls } = spyFs(base);
    const scan = await scanMapping(root, { ignore: rules, fs });
    expect([...scan.files.keys()].sort()).toEqual(['logs/keep.log']);
    expect(scan.skipped.filter((s) => s.reason === 'ignored').map((s) => s.relPath)).toEqual([
      '.DS_Store', '.feisyncignore', 'logs/a.log', 'node_modules', 'report.docx', '~$report.docx',
    ]);
    expect(calls.list.some((abs) => abs.includes('node_modules'))).toBe(false);
  });

  it('does not read unchanged files, and hashes a touched one so its content can be compared', async () => {
    write('a.txt', 'same');
    write('b.txt', 'other');
    const known = await knownFrom(await scanMapping(root, { ignore, fs: base }));
    const { fs, calls } = spyFs(base);
    await scanMapping(root, { ignore, known, fs });
    expect(calls.hash).toEqual([]);

    utimesSync(join(root, 'a.txt'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    const rescan = await scanMapping(root, { ignore, known, fs });
    expect(calls.hash).toEqual([join(root, 'a.txt')]);
    expect(rescan.files.get('a.txt')!.hash).toBe(known.get('a.txt')!.hash);
    expect(rescan.files.get('b.txt')!.hash).toBeUndefined();
  });

  it("reuses the last scan's object for an unchanged file, and never hashes the same content twice", async () => {
    write('same.txt', 'same');
    write('edited.txt', 'v1');
    const known = await knownFrom(await scanMapping(root, { ignore, fs: base }));
    utimesSync(join(root, 'edited.txt'), 1, 1); // differs from its record: hashed
    const { fs, calls } = spyFs(base);
    const first = await scanMapping(root, { ignore, known, fs });
    expect(calls.hash).toHaveLength(1);
    const second = await scanMapping(root, { ignore, known, fs, previous: first.files });
    expect(calls.hash).toHaveLength(1); // still differs from the record, but its hash is known
    expect(second.files.get('same.txt')).toBe(first.files.get('same.txt'));
    expect(second.files.get('edited.txt')!.hash).toBe(first.files.get('edited.txt')!.hash);
    utimesSync(join(root, 'same.txt'), 2, 2);
    const third = await scanMapping(root, { ignore, known, fs, previous: second.files });
    expect(third.files.get('same.txt')).not.toBe(second.files.get('same.txt'));
    expect(calls.hash).toHaveLength(2);
  });

  it('hashes a new file only when it may be a missing file under another name', async () => {
    write('keep.txt', 'k');
    write('old/doc.txt', 'content!');
    const known = await knownFrom(await scanMapping(root, { ignore, fs: base }));
    // Same volume rename: inode, size and mtime carry over → recognised without reading.
    renameSync(join(root, 'old', 'doc.txt'), join(root, 'old', 'renamed.txt'));
    const { fs, calls } = spyFs(base);
    const renamed = await scanMapping(root, { ignore, known, fs });
    expect(calls.hash).toEqual([]);
    expect(renamed.files.get('old/renamed.txt')!.ino).toBe(known.get('old/doc.txt')!.ino);
    // Copied and the original deleted (new inode): read, to find it by content.
    copyFileSync(join(root, 'old', 'renamed.txt'), join(root, 'copy.txt'));
    unlinkSync(join(root, 'old', 'renamed.txt'));
    write('unrelated.txt', 'a different size');
    const copied = await scanMapping(root, { ignore, known, fs });
    expect(calls.hash).toEqual([join(root, 'copy.txt')]);
    expect(copied.files.get('copy.txt')!.hash).toBe(known.get('old/doc.txt')!.hash);
  });

  it('reports an NFD name as NFC, keeps the on-disk spelling, and takes one of two spellings of one name', async () => {
    const nfd = 'cafe\u0301';
    const nfc = 'caf\u00e9';
    write(`${nfd}/menu.txt`, 'm');
    write(`${nfd}/${nfd}.txt`, 'x');
    write(`${nfd}/${nfc}.txt`, 'y');
    const scan = await scanMapping(root, { ignore, fs: base });
    expect([...scan.folders.keys()]).toEqual([nfc]);
    expect(scan.folders.get(nfc)!.diskRelPath).toBe(nfd);
    expect([...scan.files.keys()].sort()).toEqual([`${nfc}/${nfc}.txt`, `${nfc}/menu.txt`]);
    expect(scan.files.get(`${nfc}/menu.txt`)!.diskRelPath).toBe(`${nfd}/menu.txt`);
    expect(scan.skipped).toEqual([
      { relPath: `${nfc}/${nfc}.txt`, reason: 'ignored', detail: expect.stringContaining('Unicode normalisation') },
    ]);
  });

  it('hashes a changed file through its on-disk (NFD) spelling', async () => {
    const nfd = 'cafe\u0301.txt';
    write(nfd, 'one');
    const known = await knownFrom(await scanMapping(root, { ignore, fs: base }));
    writeFileSync(join(root, nfd), 'changed'); // another size: mtime alone may not move within one clock tick
    const scan = await scanMapping(root, { ignore, known, fs: base });
    expect(scan.files.get('caf\u00e9.txt')!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(scan.files.get('caf\u00e9.txt')!.hash).not.toBe(known.get('caf\u00e9.txt')!.hash);
  });

  it('a hard link shares the inode but both paths are files', async () => {
    write('a.txt', 'x');
    linkSync(join(root, 'a.txt'), join(root, 'b.txt'));
    const scan = await scanMapping(root, { ignore, fs: base });
    expect(scan.files.get('a.txt')!.ino).toBe(scan.files.get('b.txt')!.ino);
  });

  it('refuses to scan a missing root instead of reporting everything deleted', async () => {
    await expect(scanMapping(join(root, 'unplugged-drive'), { ignore, fs: base })).rejects.toMatchObject({ code: 'E_SCAN_ROOT_MISSING' });
    write('file');
    await expect(scanMapping(join(root, 'file'), { ignore, fs: base })).rejects.toMatchObject({ code: 'E_SCAN_ROOT_NOT_FOLDER' });
  });

  it('stops when aborted', async () => {
    for (let i = 0; i < 30; i++) write(`d${i}/f.txt`);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(scanMapping(root, { ignore, signal: controller.signal, yieldEvery: 1, fs: base })).rejects.toThrow('stop');
  });
});
