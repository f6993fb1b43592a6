/** Plain builders for planner tests: a scan, index records, and a readable view of a plan. */
import type { FileRecord, FolderRecord } from '../../../src/index/types.js';
import { planSync, type PlanPolicy, type RemoteFacts } from '../../../src/plan/planSync.js';
import type { Plan } from '../../../src/plan/types.js';
import type { LocalFile, LocalFolder, ScanResult, SkippedEntry } from '../../../src/scan/types.js';

export const MTIME = 1_764_000_000_000_000_000n;

export function local(relPath: string, over: Partial<LocalFile> = {}): LocalFile {
  return { kind: 'file', relPath, size: 100, mtimeNs: MTIME, ino: `ino:${relPath}`, ...over };
}

export function record(relPath: string, over: Partial<FileRecord> = {}): FileRecord {
  return {
    mappingId: 'm1',
    relPath,
    size: 100,
    mtimeNs: MTIME,
    ino: `ino:${relPath}`,
    hash: `hash:${relPath}`,
    remoteToken: `tok:${relPath}`,
    remoteParentToken: null,
    remoteVersion: null,
    state: 'synced',
    reason: null,
    failures: 0,
    lastSyncedAt: 1,
    ...over,
  };
}

export function folderRecord(relPath: string): FolderRecord {
  return { mappingId: 'm1', relPath, remoteToken: `fld:${relPath}` };
}

/** A scan of these files; every ancestor folder is listed, plus `extraFolders`. */
export function scanOf(files: LocalFile[], extraFolders: string[] = [], skipped: SkippedEntry[] = []): ScanResult {
  const folders = new Map<string, LocalFolder>();
  const addWithParents = (rel: string) => {
    for (let p = rel; p !== ''; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
      folders.set(p, { kind: 'folder', relPath: p });
    }
  };
  for (const f of files) if (f.relPath.includes('/')) addWithParents(f.relPath.slice(0, f.relPath.lastIndexOf('/')));
  extraFolders.forEach(addWithParents);
  return { files: new Map(files.map((f) => [f.relPath, f])), folders, skipped };
}

/** Index folder records for every folder of the given paths (as if all were synced before). */
export function foldersFor(paths: string[]): FolderRecord[] {
  const set = new Set<string>(['']);
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join('/'));
  }
  return [...set].map(folderRecord);
}

export function plan(
  scan: ScanResult,
  files: FileRecord[] = [],
  options: { folders?: FolderRecord[]; policy?: Partial<PlanPolicy>; remote?: RemoteFacts } = {},
): Plan {
  return planSync({
    mappingId: 'm1',
    scan,
    index: { files, folders: options.folders ?? foldersFor(files.map((f) => f.relPath)) },
    remote: options.remote,
    policy: { deletePolicy: 'keep', ...options.policy },
  });
}

/** "op relPath" lines, the way a reviewer reads a plan. */
export function ops(p: Plan): string[] {
  return p.items.map((i) => {
    const from = 'fromRelPath' in i ? ` ← ${i.fromRelPath}` : '';
    const why = i.op === 'skip' ? ` (${i.reason})` : '';
    const type = (i.op === 'trash' || i.op === 'forget') && i.type ? ` [${i.type}]` : '';
    return `${i.op} ${i.relPath}${from}${why}${type}`;
  });
}
