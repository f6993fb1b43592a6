/**
 * Every string the main process shows (tray, menu, notifications), in English
 * and Chinese. The settings window has its own table (app/renderer/messages.ts).
 */
import type { VerifyReport } from '../shared/bridgeApi.js';
import type { AppLocale } from './locale.js';

export interface MainMessages {
  appName: string;
  statusIdle(mappings: number): string;
  statusNoMappings: string;
  statusSyncing(files: number): string;
  statusPaused: string;
  statusQuota(resetAt: string): string;
  statusError(message: string): string;
  statusOffline: string;
  statusNotConnected: string;
  mappingIdle: string;
  mappingScanning: string;
  mappingSyncing(files: number): string;
  mappingPaused: string;
  mappingQuota: string;
  mappingStopped: string;
  mappingOffline: string;
  failedCount(n: number): string;
  pause: string;
  resume: string;
  syncNow: string;
  openLocal: string;
  openInFeishu: string;
  retryFailed(n: number): string;
  verifyRemote: string;
  recentUploads: string;
  noRecentUploads: string;
  quotaToday: string;
  quotaLine(endpoint: string, used: number, left: number): string;
  quotaNoCalls: string;
  quotaResets(at: string): string;
  settings: string;
  quit: string;
  // notifications
  sentTitle: string;
  sendFailedTitle: string;
  engineFailedTitle: string;
  sentBody(files: number, failed: number): string;
  quotaTitle: string;
  quotaBody(resetAt: string): string;
  stoppedTitle(folder: string): string;
  stoppedSummary(n: number): string;
  firstSyncTitle: string;
  firstSyncBody(folder: string): string;
  firstSyncSummary(n: number): string;
  verifyTitle(folder: string): string;
  /** What a check of the Feishu copy found and did (see remoteVerify.ts). */
  verifyBody(report: VerifyReport): string;
  open: string;
}

const n = (value: number) => value.toLocaleString('en-US');

const en: MainMessages = {
  appName: 'FeiSync',
  statusIdle: (m) => `Up to date · ${m} folder${m === 1 ? '' : 's'}`,
  statusNoMappings: 'No folders synced yet',
  statusSyncing: (f) => `Syncing ${n(f)} file${f === 1 ? '' : 's'}…`,
  statusPaused: 'Paused',
  statusQuota: (at) => `Daily API quota used up · resumes at ${at}`,
  statusError: (msg) => `Needs attention: ${msg}`,
  statusOffline: 'Offline · waiting for the network',
  statusNotConnected: 'Not syncing',
  mappingIdle: 'up to date',
  mappingScanning: 'scanning…',
  mappingSyncing: (f) => `syncing ${n(f)}`,
  mappingPaused: 'paused',
  mappingQuota: 'waiting for quota',
  mappingStopped: 'stopped',
  mappingOffline: 'offline',
  failedCount: (k) => `${n(k)} failed`,
  pause: 'Pause syncing',
  resume: 'Resume syncing',
  syncNow: 'Sync now',
  openLocal: 'Open local folder',
  openInFeishu: 'Open in Feishu',
  retryFailed: (k) => `Retry ${n(k)} failed file${k === 1 ? '' : 's'}`,
  verifyRemote: 'Check for files missing in Feishu',
  recentUploads: 'Recent uploads',
  noRecentUploads: 'Nothing uploaded yet',
  quotaToday: 'API quota today',
  quotaLine: (e, used, left) => `${e}: ${n(used)} used · ${n(left)} left`,
  quotaNoCalls: 'No API calls yet today',
  quotaResets: (at) => `Resets at ${at}`,
  settings: 'Settings…',
  quit: 'Quit FeiSync',
  sentTitle: 'Sent to Feishu',
  sendFailedTitle: 'Could not send to Feishu',
  engineFailedTitle: 'FeiSync could not start syncing',
  sentBody: (f, failed) => `${n(f)} file${f === 1 ? '' : 's'} sent` + (failed ? `, ${n(failed)} failed` : ''),
  quotaTitle: 'Daily API quota used up',
  quotaBody: (at) => `Syncing resumes at ${at}. Right-click sends still use the reserve.`,
  stoppedTitle: (folder) => `${folder} stopped syncing`,
  stoppedSummary: (k) => `${n(k)} folders stopped syncing and need your attention`,
  firstSyncTitle: 'First sync finished',
  firstSyncBody: (folder) => `${folder} is now in Feishu.`,
  firstSyncSummary: (k) => `${n(k)} folders finished their first sync.`,
  verifyTitle: (folder) => `Checked ${folder} in Feishu`,
  verifyBody: (r) => {
    const files = (k: number) => `${n(k)} file${k === 1 ? '' : 's'}`;
    const done = r.failed === 0 && !r.quotaExhausted;
    return [
      r.lostFiles === 0 && r.lostFolders === 0 ? `Nothing is missing in Feishu (${files(r.checked)} checked).` : '',
      r.lostFiles === 0 ? '' : r.lostFiles === 1
        ? `1 file was missing in Feishu and ${done ? 'was uploaded again' : 'is queued to upload again'}.`
        : `${files(r.lostFiles)} were missing in Feishu and ${done ? 'were uploaded again' : 'are queued to upload again'}.`,
      r.lostFolders === 0 ? '' : `${n(r.lostFolders)} missing folder${r.lostFolders === 1 ? '' : 's'} will be created again as needed.`,
      r.failed === 0 ? '' : `${files(r.failed)} failed: see Settings → Activity.`,
      r.quotaExhausted ? 'The daily API quota ran out: the rest will upload after it resets.' : '',
    ].filter(Boolean).join(' ');
  },
  open: 'Open',
};

const zh: MainMessages = {
  appName: 'FeiSync',
  statusIdle: (m) => `已同步 · ${m} 个文件夹`,
  statusNoMappings: '尚未添加同步文件夹',
  statusSyncing: (f) => `正在同步 ${n(f)} 个文件…`,
  statusPaused: '已暂停',
  statusQuota: (at) => `今日 API 配额已用完 · ${at} 恢复`,
  statusError: (msg) => `需要处理：${msg}`,
  statusOffline: '离线 · 等待网络恢复',
  statusNotConnected: '未在同步',
  mappingIdle: '已同步',
  mappingScanning: '正在扫描…',
  mappingSyncing: (f) => `同步中 ${n(f)}`,
  mappingPaused: '已暂停',
  mappingQuota: '等待配额',
  mappingStopped: '已停止',
  mappingOffline: '离线',
  failedCount: (k) => `${n(k)} 个失败`,
  pause: '暂停同步',
  resume: '继续同步',
  syncNow: '立即同步',
  openLocal: '打开本地文件夹',
  openInFeishu: '在飞书中打开',
  retryFailed: (k) => `重试 ${n(k)} 个失败的文件`,
  verifyRemote: '检查飞书中缺失的文件',
  recentUploads: '最近上传',
  noRecentUploads: '还没有上传',
  quotaToday: '今日 API 配额',
  quotaLine: (e, used, left) => `${e}：已用 ${n(used)} · 剩余 ${n(left)}`,
  quotaNoCalls: '今天还没有 API 调用',
  quotaResets: (at) => `${at} 重置`,
  settings: '设置…',
  quit: '退出 FeiSync',
  sentTitle: '已发送到飞书',
  sendFailedTitle: '无法发送到飞书',
  engineFailedTitle: 'FeiSync 无法开始同步',
  sentBody: (f, failed) => `已发送 ${n(f)} 个文件` + (failed ? `，${n(failed)} 个失败` : ''),
  quotaTitle: '今日 API 配额已用完',
  quotaBody: (at) => `同步将在 ${at} 恢复。右键发送仍可使用预留配额。`,
  stoppedTitle: (folder) => `${folder} 已停止同步`,
  stoppedSummary: (k) => `${n(k)} 个文件夹已停止同步，需要处理`,
  firstSyncTitle: '首次同步完成',
  firstSyncBody: (folder) => `${folder} 已全部上传到飞书。`,
  firstSyncSummary: (k) => `${n(k)} 个文件夹已完成首次同步。`,
  verifyTitle: (folder) => `已核对飞书中的 ${folder}`,
  verifyBody: (r) => {
    const done = r.failed === 0 && !r.quotaExhausted;
    return [
      r.lostFiles === 0 && r.lostFolders === 0 ? `飞书中没有缺失的文件（已核对 ${n(r.checked)} 个文件）。` : '',
      r.lostFiles === 0 ? '' : `飞书中缺失 ${n(r.lostFiles)} 个文件，${done ? '已重新上传' : '已排队重新上传'}。`,
      r.lostFolders === 0 ? '' : `缺失的 ${n(r.lostFolders)} 个文件夹将按需重新创建。`,
      r.failed === 0 ? '' : `${n(r.failed)} 个文件上传失败：见 设置 → 动态。`,
      r.quotaExhausted ? '今日 API 配额已用完：其余文件将在配额重置后上传。' : '',
    ].join('');
  },
  open: '打开',
};

export function mainMessages(locale: AppLocale): MainMessages {
  return locale === 'zh-CN' ? zh : en;
}
