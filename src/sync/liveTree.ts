/**
 * The in-memory picture of a mapping's local tree between full scans: the
 * last ScanResult, patched by targeted rescans of the paths the watcher
 * reports. The planner always sees a whole tree (a partial one would read as
 * "everything else was deleted"), while a change costs one lstat, not a walk.
 */
import { join } from 'node:path';
import type { FileRecord } from '../index/types.js';
import { nodeScanFs, type ScanFs, type ScanStat } from '../scan/scanFs.js';
import { parentOf } from '../plan/relPath.js';
import type { IgnoreMatcher } from '../scan/ignoreRules.js';
import type { LocalFile, ScanResult } from '../scan/types.js';
import type { ChangeBatch } from '../scan/watcher.js';

export interface TouchOptions {
  root: string;
  ignore: Pick<IgnoreMatcher, 'ignoresEntry'>;
  /** Index records of the mapping by relPath (the change test). */
  known: ReadonlyMap<string, FileRecord>;
  fs?: ScanFs;
}

export class LiveTree {
  /** Counts the patches made to `scan` in place (a plan of the tree is stale once it moves). */
  version = 0;

  constructor(public scan: ScanResult) {}

  /** Absolute path on disk of `relPath` (the scanner's on-disk spelling when it differs). */
  diskPath(root: string, relPath: string): string {
    const file = this.scan.files.get(relPath) as (LocalFile & { diskRelPath?: string }) | undefined;
    return join(root, file?.diskRelPath ?? relPath);
  }

  /**
   * Re-examine the touched paths. Returns false when only a full scan can
   * tell (a folder appeared or vanished, or a path is not what it was).
   */
  async applyBatch(batch: ChangeBatch, options: TouchOptions): Promise<boolean> {
    if (batch.folders.size > 0) return false;
    this.version++;
    const fs = options.fs ?? nodeScanFs;
    const { files } = this.scan;
    this.scan.skipped = this.scan.skipped.filter((s) => !batch.files.has(s.relPath));
    // First what is there now; removals apply before additions are judged (a rename is both).
    const present: { rel: string; stat: ScanStat }[] = [];
    for (const rel of batch.files) {
      let stat;
      try {
        stat = fs.lstat(join(options.root, rel));
      } catch (e) {
        const code = (e as { code?: string }).code;
        // Non-ASCII names may be spelled differently on disk (NFD): let the full scan decide.
        if ((code === 'ENOENT' || code === 'ENOTDIR') && /^[\x20-\x7e]*$/.test(rel)) {
          files.delete(rel);
          continue;
        }
        return false;
      }
      if (stat.kind === 'folder') return false;
      if (stat.kind !== 'file') {
        files.delete(rel);
        this.scan.skipped.push({ relPath: rel, reason: stat.kind === 'symlink' ? 'symlink' : 'special-file' });
        continue;
      }
      if (options.ignore.ignoresEntry(rel, false)) {
        files.delete(rel);
        continue;
      }
      const parent = parentOf(rel);
      if (parent !== '' && !this.scan.folders.has(parent)) return false;
      present.push({ rel, stat });
    }
    // Sizes of synced files missing from the tree: a new file of such a size may be one of them renamed.
    const missingSizes = new Set<number>();
    for (const record of options.known.values()) {
      if (record.remoteToken && !files.has(record.relPath)) missingSizes.add(record.size);
    }
    for (const { rel, stat } of present) {
      const entry: LocalFile = { kind: 'file', relPath: rel, size: stat.size, mtimeNs: stat.mtimeNs, ino: stat.ino };
      const record = options.known.get(rel);
      const changed = !record || record.size !== stat.size || record.mtimeNs !== stat.mtimeNs || record.ino !== stat.ino;
      // Hash what the planner needs: edits of known files (touch vs edit) and new files that may be renames.
      if (changed && (record || missingSizes.has(stat.size))) {
        try {
          entry.hash = await fs.hash(join(options.root, rel));
        } catch {
          files.delete(rel);
          continue;
        }
      }
      files.set(rel, entry);
    }
    return true;
  }
}
