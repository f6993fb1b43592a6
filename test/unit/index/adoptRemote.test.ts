import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriveEntry } from '../../../src/feishu/driveApi.js';
import { adoptRemote, writeAdoption } from '../../../src/index/adoptRemote.js';
import { openIndex } from '../../../src/index/openIndex.js';
import { planSync } from '../../../src/plan/planSync.js';
import type { LocalFile, ScanResult } from '../../../src/scan/types.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const file = (relPath: string, size: number): LocalFile => ({ kind: 'file', relPath, size, mtimeNs: 5n, ino: `i-${relPath}` });
const entry = (name: string, type: string, token: string, size?: number): DriveEntry => ({ token, name, type, parentToken: 'p', size });

const scan: ScanResult = {
  files: new Map([['a.txt', file('a.txt', 10)], ['docs/b.txt', file('docs/b.txt', 20)], ['docs/c.txt', file('docs/c.txt', 30)], ['new.txt', file('new.txt', 40)]]),
  folders: new Map([['docs', { kind: 'folder', relPath: 'docs' }]]),
  skipped: [],
};
const remote = [
  { relPath: 'a.txt', entry: entry('a.txt', 'file', 'T-a', 10) },
  { relPath: 'a.txt', entry: entry('a.txt', 'file', 'T-a-dup', 10) },
  { relPath: 'docs', entry: entry('docs', 'folder', 'F-docs') },
  { relPath: 'docs/b.txt', entry: entry('b.txt', 'file', 'T-b') }, // real Feishu: no size in listings
  { relPath: 'docs/c.txt', entry: entry('c.txt', 'file', 'T-c', 31) },
  { relPath: 'sheet', entry: entry('sheet', 'sheet', 'S-1') },
];

describe('adoptRemote (rebuilding a lost index)', () => {
  it('adopts remote files with the same path and size, links the rest to their remote file', () => {
    const adoption = adoptRemote({ mappingId: 'm1', scan, remote, rootToken: 'ROOT', now: 99 });
    expect(adoption.summary).toBe('adopted 1 files already in Feishu, 2 to send as new versions, 1 to upload; 1 of 1 folders found in Feishu');
    expect(adoption.folders.map((f) => [f.relPath, f.remoteToken])).toEqual([['', 'ROOT'], ['docs', 'F-docs']]);
    const byPath = new Map(adoption.files.map((f) => [f.relPath, f]));
    expect(byPath.get('a.txt')).toMatchObject({ remoteToken: 'T-a', state: 'synced', lastSyncedAt: 99 });
    expect(byPath.get('docs/b.txt')).toMatchObject({ remoteToken: 'T-b', state: 'pending' });
    expect(byPath.get('docs/c.txt')).toMatchObject({ remoteToken: 'T-c', state: 'pending' });
    expect(byPath.has('new.txt')).toBe(false);
  });

  it('after a corrupt index is moved aside, the rebuilt index re-uploads nothing that is already in Feishu', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feisync-adopt-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'index.db'), 'garbage'.repeat(100));
    const index = openIndex(join(dir, 'index.db'));
    expect(index.rebuilt).toBeDefined();
    writeAdoption(index, adoptRemote({ mappingId: 'm1', scan, remote, rootToken: 'ROOT', now: 1 }));
    const plan = planSync({
      mappingId: 'm1',
      scan,
      index: { files: index.listFiles('m1'), folders: index.listFolders('m1') },
      policy: { deletePolicy: 'keep' },
    });
    expect(plan.items.map((i) => `${i.op} ${i.relPath}`)).toEqual(['uploadVersion docs/b.txt', 'uploadVersion docs/c.txt', 'upload new.txt']);
    index.close();
  });
});
