/**
 * Keeps notifications from flooding the desktop: at most one per kind per
 * window; what arrives inside the window is held and shown as one summary
 * when the window ends ("12 files sent"). Time comes from an injected Clock.
 */
import type { Clock } from '../../src/platform/clock.js';

export type NoticeKind = 'sent' | 'quota' | 'stopped' | 'firstSync';

export interface Notice {
  kind: NoticeKind;
  title: string;
  body: string;
  /** How many things this notice stands for (files sent, folders stopped…). */
  count: number;
  /** Extra numbers a summary adds up (e.g. failed sends). */
  failed?: number;
  /** Clicking the notification (or its "Open" action) opens this URL. */
  openUrl?: string;
}

export interface ThrottleOptions {
  clock: Clock;
  /** Minimum gap between two notifications of one kind (default 10 s). */
  windowMs?: number;
  show(notice: Notice): void;
  /** Merge notices held during a window into one. */
  summarize(kind: NoticeKind, held: Notice[]): Notice;
}

export interface NotificationThrottle {
  push(notice: Notice): void;
  /** Drop held notices and stop timers (app quitting). */
  dispose(): void;
}

export const DEFAULT_NOTICE_WINDOW_MS = 10_000;

export function createNotificationThrottle(options: ThrottleOptions): NotificationThrottle {
  const windowMs = options.windowMs ?? DEFAULT_NOTICE_WINDOW_MS;
  const lastShown = new Map<NoticeKind, number>();
  const held = new Map<NoticeKind, Notice[]>();
  const abort = new AbortController();

  const flush = (kind: NoticeKind) => {
    const notices = held.get(kind) ?? [];
    held.delete(kind);
    if (notices.length === 0) return;
    lastShown.set(kind, options.clock.now());
    options.show(notices.length === 1 ? notices[0]! : options.summarize(kind, notices));
  };

  return {
    push(notice) {
      if (abort.signal.aborted) return;
      const now = options.clock.now();
      const last = lastShown.get(notice.kind);
      const waiting = held.get(notice.kind);
      if (waiting) {
        waiting.push(notice);
        return;
      }
      if (last === undefined || now - last >= windowMs) {
        lastShown.set(notice.kind, now);
        options.show(notice);
        return;
      }
      held.set(notice.kind, [notice]);
      options.clock.sleep(last + windowMs - now, abort.signal).then(
        () => flush(notice.kind),
        () => undefined, // disposed
      );
    },
    dispose() {
      held.clear();
      abort.abort(new Error('notifications disposed'));
    },
  };
}
