/**
 * Which engine events deserve a desktop notification, as notices for the
 * throttle: a send finished, the daily quota ran out, a mapping stopped on an
 * error that needs the user, a mapping's first sync finished. Remembers the
 * previous quota/mapping state so only transitions notify.
 */
import type { EngineEvent, MappingState } from '../../src/sync/engineApi.js';
import type { BridgeError } from '../shared/bridgeApi.js';
import { clockTime } from './locale.js';
import type { MainMessages } from './mainMessages.js';
import type { Notice, NoticeKind } from './notificationThrottle.js';
import { folderName } from './trayMenu.js';

export interface NoticeSourceOptions {
  messages: () => MainMessages;
  /** Looks up a mapping's folder (for names); the engine's current state. */
  mapping: (id: string) => MappingState | undefined;
  timeZone?: string;
}

export function createNoticeSource(options: NoticeSourceOptions): (event: EngineEvent) => Notice[] {
  let quotaExhausted = false;
  const stopped = new Set<string>();

  const onMapping = (m: MappingState): Notice[] => {
    const wasStopped = stopped.has(m.id);
    if (m.status !== 'stopped') {
      stopped.delete(m.id);
      return [];
    }
    stopped.add(m.id);
    if (wasStopped) return [];
    const t = options.messages();
    return [{ kind: 'stopped', title: t.stoppedTitle(folderName(m.localPath)), body: m.error ? `${m.error.message} ${m.error.remedy}` : '', count: 1 }];
  };

  return (event) => {
    const t = options.messages();
    switch (event.type) {
      case 'sendDone': {
        const ok = event.results.filter((r) => r.ok);
        const failed = event.results.length - ok.length;
        const url = ok.length === 1 ? ok[0]!.url : undefined;
        return [{ kind: 'sent', title: t.sentTitle, body: t.sentBody(ok.length, failed), count: ok.length, failed, openUrl: url }];
      }
      case 'quota':
      case 'state': {
        const quota = event.type === 'quota' ? event.quota : event.state.quota;
        const notices: Notice[] = [];
        if (quota.exhausted && !quotaExhausted) {
          notices.push({ kind: 'quota', title: t.quotaTitle, body: t.quotaBody(clockTime(quota.resetsAt, options.timeZone)), count: 1 });
        }
        quotaExhausted = quota.exhausted;
        if (event.type === 'state') for (const m of event.state.mappings) notices.push(...onMapping(m));
        return notices;
      }
      case 'mapping':
        return onMapping(event.mapping);
      case 'firstSyncDone': {
        const m = options.mapping(event.mappingId);
        const name = m ? folderName(m.localPath) : event.mappingId;
        const url = m?.folderUrl;
        return [{ kind: 'firstSync', title: t.firstSyncTitle, body: t.firstSyncBody(name), count: 1, openUrl: url }];
      }
      default:
        return [];
    }
  };
}

/** One notice standing for a burst held by the throttle. */
export function summarizeNotices(t: MainMessages, kind: NoticeKind, held: Notice[]): Notice {
  const count = held.reduce((sum, n) => sum + n.count, 0);
  const last = held[held.length - 1]!;
  switch (kind) {
    case 'sent': {
      const failed = held.reduce((sum, n) => sum + (n.failed ?? 0), 0);
      return { kind, title: t.sentTitle, body: t.sentBody(count, failed), count, failed };
    }
    case 'stopped':
      return { kind, title: t.stoppedSummary(count), body: held.map((n) => n.title).join('\n'), count };
    case 'firstSync':
      return { kind, title: t.firstSyncTitle, body: t.firstSyncSummary(count), count };
    case 'quota':
      return last;
  }
}

/**
 * The notification for a tray action that failed, if it needs one of its own:
 * a pass the user asked for that stopped on an engine error (E_SYNC_STOPPED)
 * has one already, the mapping's "stopped" notice above, with the same message.
 */
export function actionFailureNotice(error: BridgeError): { title: string; body: string } | undefined {
  if (error.code === 'E_SYNC_STOPPED') return undefined;
  return { title: error.message, body: error.remedy };
}
