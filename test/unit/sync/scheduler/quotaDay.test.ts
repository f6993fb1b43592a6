import { describe, expect, it } from 'vitest';
import { nextQuotaReset, quotaDayKey } from '../../../../src/sync/scheduler/index.js';
import { QuotaCalendar } from '../../../../src/sync/scheduler/quotaDay.js';
import { at } from './fakes.js';

describe('quota day', () => {
  it('starts at 00:00 Asia/Shanghai, which is 16:00 UTC the day before', () => {
    expect(quotaDayKey(at('2026-01-01T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-01-01');
    expect(quotaDayKey(at('2026-01-01T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2026-01-02');
    expect(nextQuotaReset(at('2026-01-01T03:00:00Z'), 'Asia/Shanghai')).toBe(at('2026-01-01T16:00:00Z'));
    expect(nextQuotaReset(at('2026-01-01T16:00:00Z'), 'Asia/Shanghai')).toBe(at('2026-01-02T16:00:00Z'));
  });

  it('crosses month and year ends', () => {
    expect(quotaDayKey(at('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01');
    expect(nextQuotaReset(at('2026-12-31T12:00:00Z'), 'Asia/Shanghai')).toBe(at('2026-12-31T16:00:00Z'));
  });

  it('follows DST in a zone that has it (New York: 23 h and 25 h days)', () => {
    // 2026-03-08 is the spring-forward day: midnight is 05:00Z, the next one 04:00Z.
    expect(nextQuotaReset(at('2026-03-07T12:00:00Z'), 'America/New_York')).toBe(at('2026-03-08T05:00:00Z'));
    expect(nextQuotaReset(at('2026-03-08T05:00:00Z'), 'America/New_York')).toBe(at('2026-03-09T04:00:00Z'));
    // 2026-11-01 falls back: that day lasts 25 h.
    expect(nextQuotaReset(at('2026-11-01T04:00:00Z'), 'America/New_York')).toBe(at('2026-11-02T05:00:00Z'));
  });

  it('starts the day at the first existing instant where DST skips midnight (Santiago)', () => {
    // Chile springs forward at 24:00 on 2026-09-05: 00:00 of 09-06 does not exist, the day starts at 01:00 (-03).
    expect(nextQuotaReset(at('2026-09-05T12:00:00Z'), 'America/Santiago')).toBe(at('2026-09-06T04:00:00Z'));
    expect(quotaDayKey(at('2026-09-06T04:00:00Z'), 'America/Santiago')).toBe('2026-09-06');
  });

  it('rejects an unknown zone with a configuration error', () => {
    expect(() => new QuotaCalendar('Mars/Olympus_Mons')).toThrow(/unknown quota time zone "Mars\/Olympus_Mons"/);
  });

  it('caches the reset per day but still moves to the next day', () => {
    const cal = new QuotaCalendar('Asia/Shanghai');
    expect(cal.resetsAt(at('2026-01-01T01:00:00Z'))).toBe(at('2026-01-01T16:00:00Z'));
    expect(cal.resetsAt(at('2026-01-01T15:00:00Z'))).toBe(at('2026-01-01T16:00:00Z'));
    expect(cal.resetsAt(at('2026-01-01T16:00:00Z'))).toBe(at('2026-01-02T16:00:00Z'));
  });
});
