/**
 * The native folder lister (src/scan/native/readdirStat.c, built by
 * `npm run build:native` at install), when it is there. It makes the same
 * system calls as `find` — one readdir per folder, one fstatat per file
 * relative to the open folder — and returns a FolderListing without a JS
 * object per entry. Missing (Windows, or a machine without a C compiler), the
 * scanner uses the JS walker: same results, slower.
 */
import { createRequire } from 'node:module';
import { isNfc } from '../platform/nfc.js';
import { errnoError, LISTING_STRIDE, type FolderListing } from './folderListing.js';

/** An errno, or the names joined by '\0' and their stats. */
type NativeListing = number | [string, Float64Array];

/** Many folders: every entry's root-relative path joined by '\0', all stats, and per folder its entry count or -errno. */
type NativeBatch = [string, Float64Array, Int32Array];

interface NativeModule {
  readdirStat(path: string): NativeListing;
  readdirStatAsync(root: string, dirs: readonly string[]): Promise<NativeBatch>;
  treeDigest(root: string, prune: string[], seed?: string): Promise<string | null>;
}

/** From dist/src/scan (built) or src/scan (tests run on sources): the module is under src/scan/native. */
const CANDIDATES = ['../../../src/scan/native/build/Release/feisync_walk.node', './native/build/Release/feisync_walk.node'];

function load(): NativeModule | undefined {
  if (process.env.FEISYNC_NATIVE_SCAN === '0') return undefined;
  const require = createRequire(import.meta.url);
  for (const path of CANDIDATES) {
    try {
      const mod = require(path) as Partial<NativeModule>;
      if (typeof mod.readdirStat === 'function' && typeof mod.readdirStatAsync === 'function' && typeof mod.treeDigest === 'function') {
        return mod as NativeModule;
      }
    } catch {
      // not built here: try the next place, then fall back to the JS walker
    }
  }
  return undefined;
}

const native = load();

/** Whether scans use the native lister (false: FEISYNC_NATIVE_SCAN=0, or not built). */
export const nativeScanAvailable = native !== undefined;

// '\0' never composes with what precedes it, so joined names are NFC exactly when each name is.
/** Lists one folder natively; throws a Node-style errno error when the folder cannot be read. */
export function nativeList(absDir: string): FolderListing {
  const result = native!.readdirStat(absDir);
  if (typeof result === 'number') throw errnoError(result, 'scandir', absDir);
  const [joined, stats] = result;
  return { names: joined === '' ? [] : joined.split('\0'), stats, nfc: isNfc(joined) };
}

/** One listing per folder of a batch, or the errno error of a folder that could not be read. */
function splitBatch([joined, stats, counts]: NativeBatch, root: string, dirs: readonly string[]): (FolderListing | Error)[] {
  const all = joined === '' ? [] : joined.split('\0');
  const nfc = isNfc(joined);
  const listings: (FolderListing | Error)[] = [];
  let at = 0;
  for (let i = 0; i < dirs.length; i++) {
    const count = counts[i]!;
    if (count < 0) {
      listings.push(errnoError(-count, 'scandir', dirs[i] === '' ? root : `${root}/${dirs[i]}`));
      continue;
    }
    listings.push({ paths: all.slice(at, at + count), stats: stats.subarray(at * LISTING_STRIDE, (at + count) * LISTING_STRIDE), nfc });
    at += count;
  }
  return listings;
}

/**
 * Lists a batch of folders under `root` (`dirs`: '/'-separated paths below
 * it, '' for root) on one libuv worker thread; one promise per folder, in
 * order, of a listing with the entries' root-relative `paths`, rejecting with
 * a Node-style errno error for a folder that could not be read. Batches in
 * flight walk a tree in parallel with the JS thread.
 */
export function nativeListMany(root: string, dirs: readonly string[]): Promise<FolderListing>[] {
  const batch = native!.readdirStatAsync(root, dirs).then((result) => splitBatch(result, root, dirs));
  return dirs.map(async (_, i) => {
    const listing = (await batch)[i]!;
    if (listing instanceof Error) throw listing;
    return listing;
  });
}

/**
 * A digest of everything under `root` a scan looks at (paths, kinds, and each
 * file's size, mtime and inode), with the paths in `prune` (the last scan's
 * ignored ones) counted by name only. Equal digests under one `seed` (16 hex
 * digits, kept by the index; without it, one per process) mean the tree is as
 * it was. undefined: no native module, or some folder could not be read —
 * scan as usual. The walk runs off the JS thread.
 */
export async function treeDigest(root: string, prune: readonly string[], seed?: string): Promise<string | undefined> {
  if (!native) return undefined;
  return (await native.treeDigest(root, [...prune], seed)) ?? undefined;
}
