import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colorEnabled, createOutput } from '../../../src/cli/output.js';
import { translator } from '../../../src/i18n/index.js';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: string } {
  const s = new Writable({
    write(chunk, _e, cb) {
      s.text += String(chunk);
      cb();
    },
  }) as Writable & { isTTY: boolean; text: string };
  s.isTTY = isTTY;
  s.text = '';
  return s;
}

describe('terminal output', () => {
  it('colours only on a TTY, never with NO_COLOR or --no-color', () => {
    expect(colorEnabled({ isTTY: true }, {}, true)).toBe(true);
    expect(colorEnabled({ isTTY: false }, {}, true)).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ isTTY: true }, {}, false)).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' }, true)).toBe(false);
  });

  it('errors go to stderr with code, log id and remedy, secrets redacted; --json keeps stdout to one document', () => {
    const stdout = sink(false);
    const stderr = sink(false);
    const out = createOutput({ stdout, stderr, json: true, colorFlag: true, env: {}, t: translator('en') });
    out.line('not in json mode');
    out.data({ ok: true });
    out.error({ message: 'upload failed: Authorization: Bearer t-abcdefghijklmnopqrstu', code: 1061004, logId: 'LOG1', remedy: 'share the folder' });
    expect(stdout.text).toBe('{"ok":true}\n');
    expect(stderr.text).toBe('error: upload failed: Authorization: Bearer [redacted]\n  code 1061004  log id LOG1\n  fix: share the folder\n');
  });
});
