import { describe, expect, it } from 'vitest';
import { clockSkewCheck, diskSpaceCheck, inotifyCheck } from '../../../src/cli/doctor/checks.js';

describe('doctor verdicts', () => {
  const now = Date.parse('Wed, 25 Nov 2026 12:00:00 GMT');
  it('clock: a few seconds is noise, 30 s warns, 5 min fails, with the NTP remedy', () => {
    expect(clockSkewCheck('Wed, 25 Nov 2026 12:00:02 GMT', now, 'en').verdict).toBe('ok');
    expect(clockSkewCheck('Wed, 25 Nov 2026 11:59:00 GMT', now, 'en')).toMatchObject({ verdict: 'warn', detail: 'local clock +60 s from the server' });
    expect(clockSkewCheck('Wed, 25 Nov 2026 12:10:00 GMT', now, 'en')).toMatchObject({ verdict: 'fail', remedy: expect.stringMatching(/NTP/) });
    expect(clockSkewCheck(null, now, 'en').verdict).toBe('warn');
  });

  it('inotify: warns near the limit, fails past it, with the sysctl command', () => {
    expect(inotifyCheck(8192, 100, 'en').verdict).toBe('ok');
    expect(inotifyCheck(8192, 7000, 'en').verdict).toBe('warn');
    expect(inotifyCheck(8192, 9000, 'en')).toMatchObject({ verdict: 'fail', remedy: expect.stringMatching(/max_user_watches=524288/) });
    expect(inotifyCheck(null, 1_000_000, 'en').verdict).toBe('ok');
  });

  it('disk: warns under 1 GB, fails under 100 MB', () => {
    expect(diskSpaceCheck('/s', 5 * 1024 ** 3, 'en').verdict).toBe('ok');
    expect(diskSpaceCheck('/s', 500 * 1024 ** 2, 'en').verdict).toBe('warn');
    expect(diskSpaceCheck('/s', 50 * 1024 ** 2, 'en').verdict).toBe('fail');
  });
});
