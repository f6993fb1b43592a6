/** Desktop notifications: engine events → notices (engineNotices.ts) → throttle → Electron. Electron edge. */
import { Notification } from 'electron';
import type { Clock } from '../../src/platform/clock.js';
import type { SyncEngineApi } from '../../src/sync/engineApi.js';
import { createNoticeSource, summarizeNotices } from './engineNotices.js';
import type { MainMessages } from './mainMessages.js';
import { createNotificationThrottle, type Notice } from './notificationThrottle.js';

export interface NotificationOptions {
  engine: SyncEngineApi;
  clock: Clock;
  /** The user's "Show notifications" setting. */
  enabled(): boolean;
  messages(): MainMessages;
  /** Clicked: open the notice's URL (validated by the caller), or the settings window. */
  open(url: string | undefined): void;
}

export interface Notifier {
  /** Show at once (launch problems, failures of a tray action). */
  notify(notice: Pick<Notice, 'title' | 'body' | 'openUrl'>): void;
  dispose(): void;
}

export function startNotifications(options: NotificationOptions): Notifier {
  const notify: Notifier['notify'] = (notice) => {
    if (!Notification.isSupported()) return;
    const actions = notice.openUrl ? [{ type: 'button' as const, text: options.messages().open }] : [];
    const n = new Notification({ title: notice.title, body: notice.body, actions });
    const open = () => options.open(notice.openUrl);
    n.on('click', open);
    n.on('action', open);
    n.show();
  };
  const throttle = createNotificationThrottle({
    clock: options.clock,
    show: notify,
    summarize: (kind, held) => summarizeNotices(options.messages(), kind, held),
  });
  const notices = createNoticeSource({ messages: options.messages, mapping: (id) => options.engine.getState().mappings.find((m) => m.id === id) });
  const unsubscribe = options.engine.on((event) => {
    // Always fed, so transitions are tracked even while notifications are off.
    const due = notices(event);
    if (options.enabled()) due.forEach((n) => throttle.push(n));
  });
  return {
    notify,
    dispose() {
      unsubscribe();
      throttle.dispose();
    },
  };
}
