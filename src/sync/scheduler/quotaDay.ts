/**
 * The quota day: Feishu resets daily call quotas at 00:00 in a fixed zone
 * (Asia/Shanghai by default, QUOTA_TIME_ZONE). Pure functions of an instant
 * and an IANA zone, computed with Intl so DST zones come out right.
 */
import { configError } from './schedulerError.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch (cause) {
      throw configError(`unknown quota time zone "${timeZone}" (expected an IANA zone such as Asia/Shanghai): ${String(cause)}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a configuration error for a zone Intl does not know. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** 'YYYY-MM-DD' of the instant `ms` in `timeZone`. */
export function quotaDayKey(ms: number, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
}

/** Longest local day a zone can have (a 24 h day plus a DST or zone-change jump), with margin. */
const SEARCH_SPAN_MS = 50 * 3600 * 1000;

/**
 * Epoch ms of the first instant after `ms` that belongs to the next quota day,
 * i.e. the next local 00:00 (or, where DST skips midnight, the first local
 * time that exists on the new day). Found by bisection on the day key, so it
 * needs no offset arithmetic and is exact to the millisecond.
 */
export function nextQuotaReset(ms: number, timeZone: string): number {
  const today = quotaDayKey(ms, timeZone);
  let lo = ms; // belongs to today
  let hi = ms + SEARCH_SPAN_MS; // certainly a later day
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (quotaDayKey(mid, timeZone) > today) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Caches the reset instant per (zone, day) so hot paths format one date, not thirty. */
export class QuotaCalendar {
  private cachedDay = '';
  private cachedReset = 0;

  constructor(readonly timeZone: string) {
    assertTimeZone(timeZone);
  }

  dayKey(ms: number): string {
    return quotaDayKey(ms, this.timeZone);
  }

  /** Next reset after `ms`. */
  resetsAt(ms: number): number {
    if (ms < this.cachedReset && this.cachedDay === this.dayKey(ms)) return this.cachedReset;
    this.cachedDay = this.dayKey(ms);
    this.cachedReset = nextQuotaReset(ms, this.timeZone);
    return this.cachedReset;
  }
}
