/**
 * Full scan of a mapping root: walks the tree without following symlinks,
 * NFC-normalises names, applies the ignore rules (never descending into an
 * ignored folder) and records everything it will not sync with a reason.
 * Problems with single entries (vanished mid-scan, unreadable) are recorded,
 * never fatal; only an unusable root throws (an empty result would read as
 * "everything was deleted").
 *
 * The change test: a file whose (size, mtime, inode) equal its index record
 * is unchanged and is not read. A changed file is hashed, so the planner can
 * tell a touch (same hash: no upload) from an edit. A file with no index
 * record is hashed only when it may be a renamed/moved one (an index record
 * of the same size went missing); other new files are not read here, since
 * the upload reads them anyway.
 */
import { resolve, sep } from 'node:path';
import type { LocalFile, LocalFolder, ScanResult, SkippedEntry, SkipReason } from './types.js';
import { nodeScanFs, type ScanFs } from './scanFs.js';
import {
  errnoError, inoAt, KIND_BAD_NAME, KIND_FILE, KIND_FOLDER, KIND_SYMLINK, LISTING_STRIDE, mtimeNsAt,
} from './folderListing.js';
import { FolderQueue } from './folderQueue.js';
import { smallInt } from '../platform/smallInt.js';
import { ScanError } from './scanError.js';
import type { IgnoreMatcher } from './ignoreRules.js';

/** What the scanner needs from an index record for the change test. */
export interface KnownFile {
  /** When present (an index FileRecord), the scan reuses this string for unchanged files. */
  relPath?: string;
  size: number;
  mtimeNs: bigint;
  ino: string;
  hash: string | null;
}

export interface ScanOptions {
  ignore: Pick<IgnoreMatcher, 'ignoresEntry'>;
  /** Index records of the mapping by NFC relPath; without it every file is new and none is hashed. */
  known?: ReadonlyMap<string, KnownFile>;
  /**
   * The last scan's files (the running app's tree): a file whose identity is
   * unchanged is the same object, hash included, so a rescan allocates nothing
   * for it and never hashes the same content twice.
   */
  previous?: ReadonlyMap<string, LocalFile>;
  fs?: ScanFs;
  /** Folders listed ahead of the one being read, when the lister works off the JS thread (default 32). */
  listAhead?: number;
  /** Files hashed at once (default 2: the disk, not the CPU, is the limit). */
  hashConcurrency?: number;
  /** Entries walked between yields to the event loop (default 2,000). */
  yieldEvery?: number;
  signal?: AbortSignal;
}

export async function scanMapping(rootPath: string, options: ScanOptions): Promise<ScanResult> {
  const fs = options.fs ?? nodeScanFs;
  const root = resolve(rootPath);
  const yieldEvery = options.yieldEvery ?? 2000;
  const files = new Map<string, LocalFile>();
  const folders = new Map<string, LocalFolder>();
  const skipped: SkippedEntry[] = [];
  const skip = (relPath: string, reason: SkipReason, detail?: string) =>
    skipped.push(detail === undefined ? { relPath, reason } : { relPath, reason, detail });
  const absOf = (disk: string) => (disk === '' ? root : root + sep + (sep === '/' ? disk : disk.split('/').join(sep)));

  // The change test runs during the walk: files whose identity differs from their
  // index record, and files with no record; `matched` counts records seen, so a
  // rescan where nothing went missing never walks the index records again.
  const changed: LocalFile[] = [];
  const unknown: LocalFile[] = [];
  let matched = 0;
  const queue = new FolderQueue(fs, root, absOf, options.listAhead);
  queue.push({ rel: '', disk: '' });
  let sinceYield = 0;
  while (queue.size > 0) {
    const listed = await queue.shift();
    const dir = listed.folder;
    if ('error' in listed) {
      if (dir.rel === '') throw rootError(root, listed.error);
      folders.delete(dir.rel);
      skip(dir.rel, ...entryProblem(listed.error));
      continue;
    }
    const listing = listed.listing;
    const { stats, nfc: allNfc } = listing;
    const prefix = dir.rel === '' ? '' : `${dir.rel}/`;
    const diskPrefix = dir.disk === '' ? '' : `${dir.disk}/`;
    // A lister's paths are the records' paths as they are when every one is NFC under a
    // folder spelled in NFC (nearly always); otherwise names, normalised one by one.
    const paths = listing.paths !== undefined && allNfc && dir.disk === dir.rel ? listing.paths : undefined;
    const diskNames = paths ? [] : (listing.names ?? listing.paths!.map((path) => path.slice(diskPrefix.length)));
    let order: number[] | undefined;
    let names = diskNames;
    // Two spellings (NFC and NFD) of one name are one remote name, so one file:
    // only possible when some name is not NFC, and only then worth sorting for.
    for (let i = 0; !allNfc && i < diskNames.length; i++) {
      const nfc = diskNames[i]!.normalize('NFC');
      if (nfc === diskNames[i]) continue;
      if (names === diskNames) names = diskNames.slice();
      names[i] = nfc;
    }
    const namesSeen = names === diskNames ? undefined : new Map<string, string>();
    if (namesSeen) order = diskNames.map((_, i) => i).sort((a, b) => (diskNames[a]! < diskNames[b]! ? -1 : diskNames[a]! > diskNames[b]! ? 1 : 0));
    const count = paths ? paths.length : names.length;
    for (let k = 0; k < count; k++) {
      const i = order ? order[k]! : k;
      const at = i * LISTING_STRIDE;
      const code = stats[at]!;
      // name: undefined when the entry came as a path (the ignore rules slice it when they need it).
      let rel: string, disk: string, name: string | undefined, diskName: string;
      if (paths) {
        rel = disk = paths[i]!;
        name = undefined;
        diskName = '';
      } else {
        diskName = diskNames[i]!;
        name = names[i]!;
        rel = prefix + name;
        disk = name === diskName && dir.disk === dir.rel ? rel : diskPrefix + diskName;
      }
      if (namesSeen && name !== undefined) {
        const twin = namesSeen.get(name);
        if (twin !== undefined) {
          skip(rel, 'ignored', `same name as ${JSON.stringify(twin)} after Unicode normalisation (NFC)`);
          continue;
        }
        namesSeen.set(name, diskName);
      }
      if (code === KIND_BAD_NAME) {
        skip(rel, 'ignored', 'the name is not valid UTF-8, so it has no Feishu spelling: rename it to sync it');
        continue;
      }
      if (options.ignore.ignoresEntry(rel, code === KIND_FOLDER, name)) {
        skip(rel, 'ignored');
        continue;
      }
      if (code < 0) {
        skip(rel, ...entryProblem(errnoError(-code, 'lstat', absOf(disk))));
        continue;
      }
      const diskRelPath = disk === rel ? undefined : disk;
      if (code === KIND_FILE) {
        const size = smallInt(stats[at + 1]!);
        let relPath = rel;
        let mtimeNs = mtimeNsAt(stats, at);
        let ino = inoAt(stats, at);
        // An unchanged file shares the index record's strings and bigint: a rescan then
        // holds one copy of each per file, not two.
        const record = options.known?.get(rel);
        let same = false;
        if (record) {
          relPath = record.relPath ?? rel;
          const sameMtime = record.mtimeNs === mtimeNs;
          const sameIno = record.ino === ino;
          if (sameMtime) mtimeNs = record.mtimeNs;
          if (sameIno) ino = record.ino;
          same = sameMtime && sameIno && record.size === size;
          matched++;
        }
        const before = options.previous?.get(relPath);
        const reuse = before !== undefined && before.size === size && before.mtimeNs === mtimeNs && before.ino === ino && before.diskRelPath === diskRelPath;
        const file: LocalFile = reuse
          ? before
          : diskRelPath
            ? { kind: 'file', relPath, size, mtimeNs, ino, diskRelPath }
            : { kind: 'file', relPath, size, mtimeNs, ino };
        files.set(relPath, file);
        if (options.known && !same && file.hash === undefined) (record ? changed : unknown).push(file);
      } else if (code === KIND_FOLDER) {
        folders.set(rel, diskRelPath ? { kind: 'folder', relPath: rel, diskRelPath } : { kind: 'folder', relPath: rel });
        queue.push({ rel, disk });
      } else {
        skip(rel, code === KIND_SYMLINK ? 'symlink' : 'special-file');
      }
    }
    sinceYield += names.length + 1;
    if (sinceYield >= yieldEvery) {
      sinceYield = 0;
      await new Promise<void>((r) => setImmediate(r));
      options.signal?.throwIfAborted();
    }
  }

  const known = options.known;
  if (known && known.size > 0) {
    const queue = matched === known.size ? changed : changed.concat(mayBeRenamed(unknown, files, known));
    await hashFiles(queue, files, skipped, options, fs, absOf);
  }
  skipped.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, folders, skipped };
}

/**
 * New files that may be a missing file renamed or moved: an index record with
 * a hash and the same size went missing, and the identity (size, mtime, inode)
 * is not simply a missing record's (that is matched by inode, no read needed).
 */
function mayBeRenamed(unknown: LocalFile[], files: Map<string, LocalFile>, known: ReadonlyMap<string, KnownFile>): LocalFile[] {
  const identity = (f: KnownFile | LocalFile) => `${f.size}:${f.mtimeNs}:${f.ino}`;
  const missingSizes = new Set<number>();
  const missingIdentities = new Set<string>();
  for (const [relPath, record] of known) {
    if (files.has(relPath)) continue;
    if (record.hash !== null) missingSizes.add(record.size);
    missingIdentities.add(identity(record));
  }
  return unknown.filter((file) => missingSizes.has(file.size) && !missingIdentities.has(identity(file)));
}

async function hashFiles(
  queue: LocalFile[],
  files: Map<string, LocalFile>,
  skipped: SkippedEntry[],
  options: ScanOptions,
  fs: ScanFs,
  absOf: (disk: string) => string,
): Promise<void> {
  queue = [...queue];
  const worker = async () => {
    for (let file = queue.pop(); file; file = queue.pop()) {
      options.signal?.throwIfAborted();
      try {
        file.hash = await fs.hash(absOf(file.diskRelPath ?? file.relPath), options.signal);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        files.delete(file.relPath);
        const [reason, detail] = entryProblem(error);
        skipped.push({ relPath: file.relPath, reason, detail });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.hashConcurrency ?? 2) }, worker));
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? 'UNKNOWN';
}

/**
 * ENOENT/ENOTDIR: the entry went away (or was replaced) during the scan.
 * Anything else means "cannot read it now": recorded as permission-denied,
 * and the planner then treats nothing under it as deleted.
 */
function entryProblem(error: unknown): [SkipReason, string] {
  const code = errnoOf(error);
  const detail = `${code}: ${(error as Error)?.message ?? String(error)}`;
  return code === 'ENOENT' || code === 'ENOTDIR' ? ['vanished', detail] : ['permission-denied', detail];
}

function rootError(root: string, error: unknown): ScanError {
  const code = errnoOf(error);
  if (code === 'ENOENT') return new ScanError('E_SCAN_ROOT_MISSING', root, { cause: error });
  if (code === 'ENOTDIR') return new ScanError('E_SCAN_ROOT_NOT_FOLDER', root, { cause: error });
  return new ScanError('E_SCAN_ROOT_UNREADABLE', root, { cause: error });
}
