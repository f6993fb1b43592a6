/** Numbers, sizes and times as the settings window shows them. */
import type { Locale } from './messages.js';

export function formatNumber(n: number, locale: Locale): string {
  return n.toLocaleString(locale);
}

export function formatTime(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(epochMs);
}

export function formatClock(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(epochMs);
}
