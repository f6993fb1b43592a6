import { describe, expect, it } from 'vitest';
import { buildProtocolUrl, parseLaunchArgs, parseProtocolUrl, secondInstanceLaunch } from '../../../app/main/launchArgs.js';

const packaged = { cwd: '/home/ada/Documents', skip: 1, platform: 'linux' as const };

describe('parseLaunchArgs', () => {
  it('a plain launch sends nothing and is not hidden', () => {
    expect(parseLaunchArgs(['/opt/FeiSync/feisync'], packaged)).toEqual({ hidden: false, send: [], problems: [] });
  });

  it('--hidden (launch at login) starts in the tray only', () => {
    expect(parseLaunchArgs(['/opt/FeiSync/feisync', '--hidden'], packaged).hidden).toBe(true);
  });

  it('takes every path after --send, keeping spaces, quotes and unicode intact', () => {
    const paths = ['/home/ada/My Files/report (final).pdf', `/tmp/it's "quoted".txt`, '/home/ada/照片/春节 2026.jpg', '/tmp/$HOME `x`'];
    expect(parseLaunchArgs(['/opt/FeiSync/feisync', '--send', ...paths], packaged).send).toEqual(paths);
  });

  it('ignores Chromium switches mixed in, even when Chromium moved them between --send and the paths', () => {
    const argv = [
      '/opt/FeiSync/feisync',
      '--send',
      '--allow-file-access-from-files',
      '--original-process-start-time=13385030000000000',
      '--enable-features=WebRTCPipeWireCapturer',
      '/a/one.txt',
      '/a/two.txt',
    ];
    expect(parseLaunchArgs(argv, packaged)).toEqual({ hidden: false, send: ['/a/one.txt', '/a/two.txt'], problems: [] });
  });

  it('resolves relative paths against the launching process working directory', () => {
    const r = parseLaunchArgs(['/opt/FeiSync/feisync', '--send', 'notes.md', '../Pictures/cat.png', './a b/c'], packaged);
    expect(r.send).toEqual(['/home/ada/Documents/notes.md', '/home/ada/Pictures/cat.png', '/home/ada/Documents/a b/c']);
  });

  it('resolves Windows paths with the Windows rules', () => {
    const r = parseLaunchArgs(['C:\\Program Files\\FeiSync\\FeiSync.exe', '--send', 'Q3 report.xlsx', 'D:\\Photos\\猫.jpg'], {
      cwd: 'C:\\Users\\Ada\\Desktop',
      skip: 1,
      platform: 'win32',
    });
    expect(r.send).toEqual(['C:\\Users\\Ada\\Desktop\\Q3 report.xlsx', 'D:\\Photos\\猫.jpg']);
  });

  it('skips the app path when run as `electron .`', () => {
    const r = parseLaunchArgs(['/usr/lib/electron/electron', '.', '--send', '/x/y.txt'], { ...packaged, skip: 2 });
    expect(r.send).toEqual(['/x/y.txt']);
  });

  it('handles many files at once, in order, without duplicates', () => {
    const paths = Array.from({ length: 2000 }, (_, i) => `/data/batch/file ${i}.bin`);
    const r = parseLaunchArgs(['/opt/FeiSync/feisync', '--send', ...paths, paths[0]!], packaged);
    expect(r.send).toEqual(paths);
  });

  it('after --, arguments that look like switches are paths', () => {
    const r = parseLaunchArgs(['/opt/FeiSync/feisync', '--send', '--', '--weird-name.txt'], packaged);
    expect(r.send).toEqual(['/home/ada/Documents/--weird-name.txt']);
  });

  it('accepts --send=path and file:// URLs from %U launchers', () => {
    const r = parseLaunchArgs(['/opt/FeiSync/feisync', '--send=/a/b.txt', 'file:///home/ada/with%20space.txt'], packaged);
    expect(r.send).toEqual(['/a/b.txt', '/home/ada/with space.txt']);
  });

  it('stray arguments without --send are reported, not uploaded', () => {
    const r = parseLaunchArgs(['/opt/FeiSync/feisync', 'oops.txt'], packaged);
    expect(r.send).toEqual([]);
    expect(r.problems[0]).toContain('--send');
  });

  it('takes feisync://send links passed as an argument', () => {
    const url = buildProtocolUrl(['/Users/ada/a b.txt', '/Users/ada/文件&x=1.txt']);
    expect(parseLaunchArgs(['/Applications/FeiSync.app/Contents/MacOS/FeiSync', url], { ...packaged, platform: 'darwin' }).send).toEqual([
      '/Users/ada/a b.txt',
      '/Users/ada/文件&x=1.txt',
    ]);
  });
});

describe('parseProtocolUrl (macOS open-url)', () => {
  it('round-trips paths with every awkward character', () => {
    const paths = [`/Users/ada/it's "a" #1 ?.txt`, '/Users/ada/100% + more.txt', '/Users/ada/é/日本.md'];
    expect(parseProtocolUrl(buildProtocolUrl(paths))).toEqual({ send: paths, problems: [] });
  });

  it('rejects relative paths and unknown actions with a reason', () => {
    expect(parseProtocolUrl('feisync://send?path=relative.txt').problems[0]).toContain('not absolute');
    expect(parseProtocolUrl('feisync://delete?path=/a').problems[0]).toContain('Unknown');
    expect(parseProtocolUrl('feisync://send').problems[0]).toContain('without a path');
  });
});

describe('secondInstanceLaunch (forwarding to the running instance)', () => {
  const argv = ['/opt/FeiSync/feisync-app', '--send', 'b.txt'];
  it('prefers the handoff data: the raw argv and the working directory of the second instance', () => {
    const handoff = { argv: ['/opt/FeiSync/feisync-app', '--send', 'a b.txt', '/x/y'], cwd: '/home/ada/Desk top' };
    expect(secondInstanceLaunch(argv, '/ignored', handoff, { skip: 1, platform: 'linux' }).send).toEqual(['/home/ada/Desk top/a b.txt', '/x/y']);
  });
  it('falls back to the reported argv when the handoff data is missing or malformed', () => {
    for (const bad of [undefined, null, {}, { argv: 'x', cwd: '/' }, { argv: [1], cwd: '/' }, { argv: [], cwd: '' }]) {
      expect(secondInstanceLaunch(argv, '/work', bad, { skip: 1, platform: 'linux' }).send).toEqual(['/work/b.txt']);
    }
  });
});
