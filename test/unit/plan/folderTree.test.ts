import { describe, expect, it } from 'vitest';
import { folderTree, pathOrdered } from '../../../src/plan/folderTree.js';
import { local } from './fixtures.js';
import type { LocalFile, ScanResult } from '../../../src/scan/types.js';

const scanOfFiles = (files: LocalFile[]): ScanResult => ({ files: new Map(files.map((f) => [f.relPath, f])), folders: new Map(), skipped: [] });

describe('folder tree', () => {
  it('puts each file under its parent and adds every unlisted ancestor', () => {
    const tree = folderTree(scanOfFiles([local('a/b/c.txt'), local('top.txt'), local('a/d.txt'), local('a/b/e.txt')]));
    expect(tree.files.map((f) => f.relPath)).toEqual(['top.txt']);
    const [a] = tree.folders;
    expect(a).toMatchObject({ relPath: 'a', prefix: 'a/' });
    expect(a!.files.map((f) => f.relPath)).toEqual(['a/d.txt']);
    expect(a!.folders.map((f) => [f.relPath, f.files.map((x) => x.relPath)])).toEqual([['a/b', ['a/b/c.txt', 'a/b/e.txt']]]);
  });

  it('gives what is picked from each folder in path order, a folder\'s contents at "name/"', () => {
    const names = ['s.txt', 's/b.txt', 's-1/x.txt', 's/a/c.txt', 's 2.txt', 's/a.txt', 'skip/me.txt', 's.d/e.txt', 't.txt'];
    const tree = folderTree(scanOfFiles(names.map((n) => local(n))));
    const picked = pathOrdered(tree, (files) => files.filter((f) => !f.relPath.startsWith('skip/')));
    expect(picked.map((f) => f.relPath)).toEqual(names.filter((n) => !n.startsWith('skip/')).sort());
  });
});
