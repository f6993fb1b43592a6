import { describe, expect, it } from 'vitest';
import { alignColumns, displayWidth, padDisplay, padDisplayStart } from '../../../src/cli/displayWidth.js';

describe('terminal display width', () => {
  it('counts CJK, fullwidth and Hangul as two columns and ASCII as one', () => {
    expect(displayWidth('report.txt')).toBe(10);
    expect(displayWidth('季度报告 2024.txt')).toBe(4 * 2 + 9);
    expect(displayWidth('项目资料/')).toBe(9);
    expect(displayWidth('ＡＢ')).toBe(4); // fullwidth Latin
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('カタカナ。')).toBe(10);
    expect(displayWidth('𠀀')).toBe(2); // CJK extension B, outside the BMP (2 UTF-16 units)
  });

  it('counts emoji as two columns, combining marks, ZWJ and colour escapes as none', () => {
    expect(displayWidth('📁 docs')).toBe(7);
    expect(displayWidth('cafe\u0301')).toBe(4); // "café" with a combining accent (macOS NFD names)
    expect(displayWidth('a\u200db')).toBe(2);
    expect(displayWidth('\x1b[32m✓\x1b[39m')).toBe(1);
  });

  it('pads to a width in columns, never cutting', () => {
    expect(padDisplay('中文', 6)).toBe('中文  ');
    expect(padDisplayStart('中文', 6)).toBe('  中文');
    expect(padDisplay('中文名字', 3)).toBe('中文名字');
  });

  it('aligns columns of mixed CJK and ASCII cells: every later column starts at the same display column', () => {
    const lines = alignColumns(
      [
        ['✓', 'README.txt', '104 B', 'sha256 a'],
        ['✓', '项目资料/季度报告 2024.txt', '3.2 KB', 'sha256 b'],
        ['\x1b[31m✗\x1b[39m', 'video/big-recording.bin', '24.0 MB', 'missing'],
      ],
      { alignRight: [2] },
    );
    const plain = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
    const columnOf = (line: string, needle: string) => displayWidth(line.slice(0, line.indexOf(needle)));
    expect(new Set(plain.map((l, i) => columnOf(l, ['sha256 a', 'sha256 b', 'missing'][i]!))).size).toBe(1);
    // Sizes are right-aligned: they end at the same column.
    expect(new Set(plain.map((l, i) => columnOf(l, ['104 B', '3.2 KB', '24.0 MB'][i]!) + displayWidth(['104 B', '3.2 KB', '24.0 MB'][i]!))).size).toBe(1);
    expect(plain[1]).toBe('✓  项目资料/季度报告 2024.txt   3.2 KB  sha256 b');
  });

  it('rows may be shorter than others; the last cell of a row is not padded', () => {
    expect(alignColumns([['upload', 'a.txt'], ['skip', '中文.txt', '(too big)']])).toEqual(['upload  a.txt', 'skip    中文.txt  (too big)']);
  });
});
