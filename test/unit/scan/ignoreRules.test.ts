import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IgnoreMatcher } from '../../../src/scan/ignoreRules.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('IgnoreMatcher', () => {
  const m = new IgnoreMatcher('/root');

  it.each([
    ['.DS_Store', false],
    ['photos/Thumbs.db', false],
    ['a/desktop.ini', false],
    ['~$report.docx', false],
    ['draft.tmp', false],
    ['.notes.txt.swp', false],
    ['.~lock.budget.ods#', false],
    ['film.mp4.crdownload', false],
    ['iso.part', false],
    ['.feisyncignore', false],
    ['.feisync', true],
    ['app.db-wal', false],
  ] as const)('ignores %s by default', (path, isFolder) => {
    expect(m.ignores(path, isFolder)).toBe(true);
  });

  it.each(['report.docx', 'a/b/notes.txt', 'participants.csv', 'app.db'])('keeps %s', (path) => {
    expect(m.ignores(path, false)).toBe(false);
  });

  it('applies .feisyncignore then mapping patterns, last rule winning', () => {
    const rules = new IgnoreMatcher('/root', { fileText: 'build/\n*.log\n# comment\n!keep.log\n/top-only.txt', extra: ['secret/**', '!draft.tmp'] });
    expect(rules.ignores('build', true)).toBe(true);
    expect(rules.ignores('build', false)).toBe(false); // "build/" matches folders only
    expect(rules.ignores('x/debug.log', false)).toBe(true);
    expect(rules.ignores('x/keep.log', false)).toBe(false);
    expect(rules.ignores('top-only.txt', false)).toBe(true);
    expect(rules.ignores('sub/top-only.txt', false)).toBe(false);
    expect(rules.ignores('secret/a/b', false)).toBe(true);
    expect(rules.ignores('draft.tmp', false)).toBe(false); // a mapping pattern re-includes a default
  });

  it('ignoresEntry (parents known kept) agrees with ignores on name and path rules', () => {
    const paths: [string, boolean][] = [['a/b/x.log', false], ['a/keep.log', false], ['build', true], ['a/build', true], ['a/top-only.txt', false], ['top-only.txt', false], ['d/Thumbs.db', false]];
    for (const text of ['build/\n*.log\n!keep.log', 'build/\n*.log\n!keep.log\n/top-only.txt\na/**/x.log']) {
      const rules = new IgnoreMatcher('/root', { fileText: text });
      for (const [p, isFolder] of paths) expect(rules.ignoresEntry(p, isFolder), `${text} ${p}`).toBe(rules.ignores(p, isFolder));
    }
  });

  it('matches absolute paths for the watcher, and nothing outside the root', () => {
    const rules = new IgnoreMatcher('/root', { fileText: 'build/' });
    expect(rules.ignoresPath('/root/build', true)).toBe(true);
    expect(rules.ignoresPath('/root/build/out.js')).toBe(true);
    expect(rules.ignoresPath('/root/src/a.ts')).toBe(false);
    expect(rules.ignoresPath('/elsewhere/.DS_Store')).toBe(false);
    expect(rules.ignoresPath('/root')).toBe(false);
  });

  it('refuses to go on without the user\'s rules when .feisyncignore cannot be read', async () => {
    const readText = () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    await expect(IgnoreMatcher.forMapping('/root', { readText })).rejects.toMatchObject({ code: 'E_SCAN_IGNORE_FILE_UNREADABLE' });
  });

  it('reads .feisyncignore from the mapping root, tolerates its absence, and ignores a state folder inside the root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'feisync-ign-'));
    dirs.push(root);
    expect((await IgnoreMatcher.forMapping(root)).ignores('x.log', false)).toBe(false);
    writeFileSync(join(root, '.feisyncignore'), '*.log\n');
    const rules = await IgnoreMatcher.forMapping(root, { extra: ['*.bak'], stateDir: join(root, 'state [1]') });
    expect(rules.ignores('x.log', false)).toBe(true);
    expect(rules.ignores('x.bak', false)).toBe(true);
    expect(rules.ignores('state [1]', true)).toBe(true);
    expect(rules.ignores('state 1', true)).toBe(false);
  });
});
