/**
 * The tray: which icon, which tooltip, which menu — a pure function of the
 * engine state. electronTray.ts turns the model into a real Electron Menu.
 */
import { posix, win32 } from 'node:path';
import type { EngineState, MappingState } from '../../src/sync/engineApi.js';
import { NOT_CONFIGURED_CODE } from './engineHolder.js';
import { clockTime, type AppLocale } from './locale.js';
import { mainMessages, type MainMessages } from './mainMessages.js';

export type TrayIconKind = 'idle' | 'syncing' | 'paused' | 'quota' | 'error' | 'offline';

export const TRAY_ICON_KINDS: readonly TrayIconKind[] = ['idle', 'syncing', 'paused', 'quota', 'error', 'offline'];

export type MenuAction =
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'syncNow'; mappingId?: string }
  | { type: 'retryFailed'; mappingId?: string }
  /** List the mapping's Feishu folder and upload again what was deleted there (costs API calls: never automatic). */
  | { type: 'verify'; mappingId: string }
  | { type: 'openLocal'; path: string }
  | { type: 'openUrl'; url: string }
  | { type: 'openSettings'; page?: string }
  | { type: 'quit' };

export type MenuItemModel =
  | { kind: 'separator' }
  /** Informational line (rendered disabled). */
  | { kind: 'label'; label: string }
  | { kind: 'action'; label: string; action: MenuAction; enabled: boolean }
  | { kind: 'submenu'; label: string; items: MenuItemModel[] };

export interface MenuModel {
  icon: TrayIconKind;
  /** Number shown next to the syncing icon (files pending + uploading). */
  badge: number;
  tooltip: string;
  items: MenuItemModel[];
}

export interface TrayMenuOptions {
  locale: AppLocale;
  /** IANA zone for "resets at HH:MM" (default: the machine's). */
  timeZone?: string;
  /** Recent uploads listed (default 10). */
  recentLimit?: number;
}

const SEPARATOR: MenuItemModel = { kind: 'separator' };

export function buildTrayMenu(state: EngineState, options: TrayMenuOptions): MenuModel {
  const t = mainMessages(options.locale);
  const status = trayStatus(state, t, options.timeZone);
  const items: MenuItemModel[] = [{ kind: 'label', label: status.text }];
  const notConfigured = notConfiguredReason(state);
  if (notConfigured) items.push({ kind: 'label', label: notConfigured });

  if (state.mappings.length > 0) {
    items.push(SEPARATOR, ...state.mappings.map((m) => mappingSubmenu(m, t)));
  }
  items.push(
    SEPARATOR,
    state.paused
      ? { kind: 'action', label: t.resume, action: { type: 'resume' }, enabled: true }
      : { kind: 'action', label: t.pause, action: { type: 'pause' }, enabled: true },
    { kind: 'action', label: t.syncNow, action: { type: 'syncNow' }, enabled: !state.paused && state.mappings.length > 0 },
    { kind: 'submenu', label: t.recentUploads, items: recentItems(state, t, options.recentLimit ?? 10) },
    { kind: 'submenu', label: t.quotaToday, items: quotaItems(state, t, options.timeZone) },
    SEPARATOR,
    { kind: 'action', label: t.settings, action: { type: 'openSettings' }, enabled: true },
    { kind: 'action', label: t.quit, action: { type: 'quit' }, enabled: true },
  );
  return { icon: status.icon, badge: status.badge, tooltip: `${t.appName} — ${status.text}`, items };
}

/** The one state the icon shows, most urgent first: the user must act > no network > user paused > quota > busy > idle. */
export function trayStatus(
  state: EngineState,
  t: MainMessages,
  timeZone?: string,
): { icon: TrayIconKind; badge: number; text: string } {
  const busy = state.mappings.reduce((sum, m) => sum + m.pending + m.uploading, 0);
  if (notConfiguredReason(state)) return { icon: 'offline', badge: 0, text: t.statusNotConnected };
  const stopped = state.mappings.find((m) => m.status === 'stopped');
  if (stopped) return { icon: 'error', badge: 0, text: t.statusError(stopped.error?.message ?? folderName(stopped.localPath)) };
  if (!state.online) return { icon: 'offline', badge: 0, text: t.statusOffline };
  if (state.paused) return { icon: 'paused', badge: 0, text: t.statusPaused };
  if (state.quota.exhausted) return { icon: 'quota', badge: 0, text: t.statusQuota(clockTime(state.quota.resetsAt, timeZone)) };
  const scanning = state.mappings.some((m) => m.status === 'scanning' || m.status === 'syncing');
  if (busy > 0 || scanning || state.inFlight.length > 0) {
    const count = Math.max(busy, state.inFlight.length);
    return { icon: 'syncing', badge: count, text: t.statusSyncing(count) };
  }
  if (state.mappings.length === 0) return { icon: 'idle', badge: 0, text: t.statusNoMappings };
  return { icon: 'idle', badge: 0, text: t.statusIdle(state.mappings.length) };
}

function mappingSubmenu(m: MappingState, t: MainMessages): MenuItemModel {
  const items: MenuItemModel[] = [];
  if (m.status === 'stopped' && m.error) {
    items.push({ kind: 'label', label: m.error.message }, { kind: 'label', label: m.error.remedy }, SEPARATOR);
  }
  items.push(
    { kind: 'action', label: t.syncNow, action: { type: 'syncNow', mappingId: m.id }, enabled: m.status !== 'paused' },
    // A stopped mapping needs its cause fixed first (Sync now retries it); listing it would only spend calls.
    { kind: 'action', label: t.verifyRemote, action: { type: 'verify', mappingId: m.id }, enabled: m.status !== 'paused' && m.status !== 'stopped' },
    { kind: 'action', label: t.openLocal, action: { type: 'openLocal', path: m.localPath }, enabled: true },
    m.folderUrl
      ? { kind: 'action', label: t.openInFeishu, action: { type: 'openUrl', url: m.folderUrl }, enabled: true }
      : { kind: 'action', label: t.openInFeishu, action: { type: 'openSettings', page: 'folders' }, enabled: false },
  );
  if (m.failed > 0) {
    items.push({ kind: 'action', label: t.retryFailed(m.failed), action: { type: 'retryFailed', mappingId: m.id }, enabled: true });
  }
  const failed = m.failed > 0 && m.status !== 'stopped' ? ` · ${t.failedCount(m.failed)}` : '';
  return { kind: 'submenu', label: `${folderName(m.localPath)} — ${mappingStatusText(m, t)}${failed}`, items };
}

function mappingStatusText(m: MappingState, t: MainMessages): string {
  switch (m.status) {
    case 'idle':
      return t.mappingIdle;
    case 'scanning':
      return t.mappingScanning;
    case 'syncing':
      return t.mappingSyncing(m.pending + m.uploading);
    case 'paused':
      return t.mappingPaused;
    case 'waiting-quota':
      return t.mappingQuota;
    case 'stopped':
      return t.mappingStopped;
    case 'offline':
      return t.mappingOffline;
  }
}

function recentItems(state: EngineState, t: MainMessages, limit: number): MenuItemModel[] {
  const uploads = state.recent.filter((r) => r.kind !== 'failed' && r.kind !== 'skipped').slice(0, limit);
  if (uploads.length === 0) return [{ kind: 'label', label: t.noRecentUploads }];
  return uploads.map((r) => {
    const label = r.relPath.split('/').pop() || r.relPath;
    return r.url
      ? { kind: 'action', label, action: { type: 'openUrl', url: r.url }, enabled: true }
      : { kind: 'label', label };
  });
}

function quotaItems(state: EngineState, t: MainMessages, timeZone?: string): MenuItemModel[] {
  const used = state.quota.endpoints.filter((e) => e.used > 0);
  const lines: MenuItemModel[] = used.length
    ? used.map((e) => ({ kind: 'label', label: t.quotaLine(e.endpoint, e.used, e.left) }))
    : [{ kind: 'label', label: t.quotaNoCalls }];
  return [...lines, SEPARATOR, { kind: 'label', label: t.quotaResets(clockTime(state.quota.resetsAt, timeZone)) }];
}

/**
 * The file in resources/icons/tray for a state (drawn by app/scripts/draw-icons.mjs):
 * macOS template images (the system tints them; the count is the tray title);
 * elsewhere a glyph for light or dark panels, with the count as a badge (1–9, "+"
 * beyond). Each has an @2x sibling that Electron picks on HiDPI screens.
 */
export function trayIconFile(icon: TrayIconKind, badge: number, platform: NodeJS.Platform, darkPanel: boolean): string {
  if (platform === 'darwin') return `${icon}Template.png`;
  const panel = darkPanel ? 'dark' : 'light';
  if (icon === 'syncing' && badge > 0) return `syncing-${badge > 9 ? 'many' : badge}-${panel}.png`;
  return `${icon}-${panel}.png`;
}

/** Why the engine does not run (no account, no secret, the CLI daemon runs), when that is the case. */
function notConfiguredReason(state: EngineState): string | undefined {
  const first = state.lastErrors[0];
  return !state.running && first?.code === NOT_CONFIGURED_CODE ? first.message : undefined;
}

/** Last segment of a local path, whichever OS wrote it. */
export function folderName(localPath: string): string {
  return (localPath.includes('\\') ? win32 : posix).basename(localPath) || localPath;
}
