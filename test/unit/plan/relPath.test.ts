import { describe, expect, it } from 'vitest';
import { mergeByPath, sortByPath, sortParentsFirst } from '../../../src/plan/relPath.js';

const entries = (...paths: string[]) => paths.map((relPath) => ({ relPath }));
const paths = (list: { relPath: string }[]) => list.map((e) => e.relPath);

describe('path order', () => {
  it('sorts by UTF-16 code units, and leaves a sorted list as it is', () => {
    expect(paths(sortByPath(entries('b', 'a/x', 'a-b', 'a.txt')))).toEqual(['a-b', 'a.txt', 'a/x', 'b']);
    const sorted = entries('a', 'b');
    expect(sortByPath(sorted)).toBe(sorted);
  });

  it('orders parents first: by depth, then path', () => {
    expect(paths(sortParentsFirst(entries('b/c', 'a', 'b', 'a/z/y', 'a/z', 'a-b')))).toEqual(['a', 'a-b', 'b', 'a/z', 'b/c', 'a/z/y']);
  });

  it('merges two lists in path order into one', () => {
    expect(paths(mergeByPath(entries('a', 'c', 'e'), entries('b', 'd', 'f', 'g')))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const only = entries('a');
    expect(mergeByPath(only, [])).toBe(only);
    expect(mergeByPath([], only)).toBe(only);
  });
});
