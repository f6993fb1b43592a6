/**
 * The native folder lister (src/scan/native/readdirStat.c, built by
 * `npm run build:native` at install), when it is there. It makes the same
 * system calls as `find` — one readdir per folder, one fstatat per file
 * relative to the open folder — and returns a FolderListing without a JS
 * object per entry. Missing (Windows, or a machine without a C compiler), the
 * scanner uses the JS walker: same results, slower.
 */
import { createRequire } from 'node:module';
import { errnoError, type FolderListing } from './folderListing.js';

type NativeListing = number | [string, Float64Array];

interface NativeModule {
  readdirStat(path: string): NativeListing;
  readdirStatAsync(path: string): Promise<NativeListing>;
  treeDigest(root: string, prune: string[]): Promise<string | null>;
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

function toListing(result: NativeListing, absDir: string): FolderListing {
  if (typeof result === 'number') throw errnoError(result, 'scandir', absDir);
  const [joined, stats] = result;
  // '/' never composes with what precedes it, so the joined names are NFC exactly when each name is.
  return { names: joined === '' ? [] : joined.split('/'), stats, nfc: joined.normalize('NFC') === joined };
}

/** Lists one folder natively; throws a Node-style errno error when the folder cannot be read. */
export function nativeList(absDir: string): FolderListing {
  return toListing(native!.readdirStat(absDir), absDir);
}

/** nativeList on a libuv worker thread: several in flight walk a tree in parallel. */
export async function nativeListAsync(absDir: string): Promise<FolderListing> {
  return toListing(await native!.readdirStatAsync(absDir), absDir);
}

/**
 * A digest of everything under `root` a scan looks at (paths, kinds, and each
 * file's size, mtime and inode), with the paths in `prune` (the last scan's
 * ignored ones) counted by name only. Equal digests within one process mean
 * the tree is as it was. undefined: no native module, or some folder could
 * not be read — scan as usual. The walk runs off the JS thread.
 */
export async function treeDigest(root: string, prune: readonly string[]): Promise<string | undefined> {
  if (!native) return undefined;
  return (await native.treeDigest(root, [...prune])) ?? undefined;
}
