import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/platform/clock.js';
import { createLogger, createRotatingFileSink, logFileName } from '../../../src/platform/log.js';
import { readLogTail } from '../../../src/platform/logFiles.js';
import { REDACTED, redact, redactText } from '../../../src/platform/logRedact.js';

describe('redaction (one function for logs, diag and errors)', () => {
  it('replaces secret fields at any depth, keeps the rest', () => {
    const input = {
      app_id: 'cli_123',
      app_secret: 'very-secret',
      headers: { Authorization: 'Bearer t-abcdefghijklmnop', 'X-Tt-Logid': 'log1' },
      body: { refresh_token: 'ur-zzz', tenant_access_token: 't-xyz', code: 1061045 },
      nested: [{ appSecret: 'x' }],
    };
    expect(redact(input)).toEqual({
      app_id: 'cli_123',
      app_secret: REDACTED,
      headers: { Authorization: REDACTED, 'X-Tt-Logid': 'log1' },
      body: { refresh_token: REDACTED, tenant_access_token: REDACTED, code: 1061045 },
      nested: [{ appSecret: REDACTED }],
    });
  });

  it('scrubs secrets embedded in free text and error messages', () => {
    const text = 'POST failed: Authorization: Bearer t-g1044ghJKL0123456789 body {"app_secret":"abc123"} url ?refresh_token=ur-abc&x=1';
    const out = redactText(text);
    expect(out).not.toMatch(/g1044ghJKL|abc123|ur-abc/);
    expect(out).toContain('x=1');
    expect(redactText('callback http://127.0.0.1/cb?state=s1&code=abc123XYZ')).toBe('callback http://127.0.0.1/cb?state=s1&code=[redacted]');
    expect(redact({ error: { code: 'E_MAPPING' } })).toEqual({ error: { code: 'E_MAPPING' } });
    expect(redactText('uploaded a-very-long-hyphenated-file-name.txt')).toBe('uploaded a-very-long-hyphenated-file-name.txt');
    expect(redactText('HTTPS_PROXY=http://alice:pa55w0rd@proxy.local:3128')).toBe('HTTPS_PROXY=http://[redacted]@proxy.local:3128');
    const err = redact(new Error('token t-0123456789abcdefgh expired'));
    expect(JSON.stringify(err)).not.toContain('0123456789abcdefgh');
  });
});

describe('file logger', () => {
  it('writes one redacted JSON object per line with time, level and fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feisync-log-'));
    const log = createLogger(createRotatingFileSink(dir), { clock: new FakeClock(Date.UTC(2026, 0, 2)) }).child({ component: 'test' });
    log.info('logged in', { appId: 'cli_x', appSecret: 'nope' });
    log.debug('hidden at info level');
    const lines = readFileSync(join(dir, logFileName(0)), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ ts: '2026-01-02T00:00:00.000Z', level: 'info', msg: 'logged in', component: 'test', appId: 'cli_x', appSecret: REDACTED });
    expect(statSync(join(dir, logFileName(0))).mode & 0o777).toBe(0o600);
  });

  it('rotates by size and keeps at most maxFiles files; the tail reads across them in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feisync-log-'));
    const log = createLogger(createRotatingFileSink(dir, { maxBytes: 1000, maxFiles: 3 }));
    for (let i = 0; i < 100; i++) log.info(`line ${i}`, { pad: 'x'.repeat(40) });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['feisync.1.log', 'feisync.2.log', 'feisync.log']);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1000);
    const tail = readLogTail(dir, 5, 3).map((l) => JSON.parse(l).msg);
    expect(tail).toEqual(['line 95', 'line 96', 'line 97', 'line 98', 'line 99']);
  });
});

describe('log --follow', () => {
  it('delivers lines appended after it starts, across a rotation', async () => {
    const { followLog } = await import('../../../src/platform/logFiles.js');
    const dir = mkdtempSync(join(tmpdir(), 'feisync-log-'));
    const log = createLogger(createRotatingFileSink(dir, { maxBytes: 300, maxFiles: 2 }));
    log.info('before');
    const seen: string[] = [];
    const stop = followLog(dir, (line) => seen.push(JSON.parse(line).msg), 20);
    for (let i = 0; i < 6; i++) {
      log.info(`after ${i}`, { pad: 'y'.repeat(60) });
      // Next line only once this one arrived: the test does not depend on the machine's speed.
      for (let waited = 0; seen.length <= i && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    }
    stop();
    expect(seen).not.toContain('before');
    expect(seen).toEqual(['after 0', 'after 1', 'after 2', 'after 3', 'after 4', 'after 5']);
  });
});
