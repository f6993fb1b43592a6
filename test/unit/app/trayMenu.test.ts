import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../../../src/index/types.js';
import type { EngineState, MappingState } from '../../../src/sync/engineApi.js';
import { buildTrayMenu, trayIconFile, type MenuItemModel, type MenuModel } from '../../../app/main/trayMenu.js';
import { engineState, mapping, NOW } from './engineStateFixture.js';

const en = { locale: 'en' as const, timeZone: 'Asia/Shanghai' };

function labels(items: MenuItemModel[]): string[] {
  return items.map((i) => (i.kind === 'separator' ? '---' : i.label));
}
function find(model: MenuModel | MenuItemModel[], label: string | RegExp): MenuItemModel {
  const items = Array.isArray(model) ? model : model.items;
  const hit = items.find((i) => i.kind !== 'separator' && (typeof label === 'string' ? i.label === label : label.test(i.label)));
  if (!hit) throw new Error(`no item ${label} in ${labels(items).join(' | ')}`);
  return hit;
}
function sub(item: MenuItemModel): MenuItemModel[] {
  if (item.kind !== 'submenu') throw new Error(`${item.kind} is not a submenu`);
  return item.items;
}

describe('buildTrayMenu — one icon and status line per engine state', () => {
  it('idle: synced icon, folder count, the fixed items in order', () => {
    const model = buildTrayMenu(engineState(), en);
    expect(model.icon).toBe('idle');
    expect(labels(model.items)).toEqual([
      'Up to date · 1 folder',
      '---',
      'Photos — up to date',
      '---',
      'Pause syncing',
      'Sync now',
      'Recent uploads',
      'API quota today',
      '---',
      'Settings…',
      'Quit FeiSync',
    ]);
    expect(model.tooltip).toBe('FeiSync — Up to date · 1 folder');
  });

  it('no mappings: says so and disables Sync now', () => {
    const model = buildTrayMenu(engineState({ mappings: [] }), en);
    expect(model.items[0]).toEqual({ kind: 'label', label: 'No folders synced yet' });
    expect(find(model, 'Sync now')).toMatchObject({ enabled: false });
  });

  it('syncing: shows the count of files pending and uploading as a badge', () => {
    const model = buildTrayMenu(
      engineState({ mappings: [mapping({ status: 'syncing', pending: 10, uploading: 2 }), mapping({ id: 'm2', localPath: '/srv/Docs' })] }),
      en,
    );
    expect(model.icon).toBe('syncing');
    expect(model.badge).toBe(12);
    expect(model.items[0]).toMatchObject({ label: 'Syncing 12 files…' });
    expect(labels(model.items)).toContain('Photos — syncing 12');
    expect(labels(model.items)).toContain('Docs — up to date');
  });

  it('paused: paused icon, and the toggle offers Resume', () => {
    const model = buildTrayMenu(engineState({ paused: true }), en);
    expect(model.icon).toBe('paused');
    expect(find(model, 'Resume syncing')).toMatchObject({ action: { type: 'resume' }, enabled: true });
    expect(labels(model.items)).not.toContain('Pause syncing');
  });

  it('quota exhausted: shows when it resumes, in the user zone', () => {
    const state = engineState();
    state.quota.exhausted = true;
    const model = buildTrayMenu(state, en);
    expect(model.icon).toBe('quota');
    expect(model.items[0]).toMatchObject({ label: 'Daily API quota used up · resumes at 00:00' });
    expect(buildTrayMenu(state, { locale: 'en', timeZone: 'UTC' }).items[0]).toMatchObject({ label: 'Daily API quota used up · resumes at 16:00' });
  });

  it('error: a stopped mapping wins over everything and its submenu shows the reason and the remedy', () => {
    const stopped = mapping({
      status: 'stopped',
      error: { code: 1061004, message: 'No edit permission on the Feishu folder', remedy: 'Ask the owner to grant edit access, then Sync now.', at: NOW },
    });
    const model = buildTrayMenu(engineState({ paused: true, online: false, mappings: [stopped] }), en);
    expect(model.icon).toBe('error');
    expect(model.items[0]).toMatchObject({ label: 'Needs attention: No edit permission on the Feishu folder' });
    const items = sub(find(model, 'Photos — stopped'));
    expect(labels(items).slice(0, 2)).toEqual(['No edit permission on the Feishu folder', 'Ask the owner to grant edit access, then Sync now.']);
  });

  it('not connected (no account or secret): says so instead of pretending all is synced', () => {
    const model = buildTrayMenu(
      engineState({ running: false, mappings: [], lastErrors: [{ code: 'E_NOT_CONFIGURED', message: 'No Feishu account yet', remedy: 'Open Settings', at: NOW }] }),
      en,
    );
    expect(model.icon).toBe('offline');
    expect(model.items.slice(0, 2)).toEqual([
      { kind: 'label', label: 'Not syncing' },
      { kind: 'label', label: 'No Feishu account yet' },
    ]);
    expect(find(model, 'Settings…')).toMatchObject({ enabled: true });
  });

  it('offline: offline icon', () => {
    const model = buildTrayMenu(engineState({ online: false }), en);
    expect(model.icon).toBe('offline');
    expect(model.items[0]).toMatchObject({ label: 'Offline · waiting for the network' });
  });
});

describe('buildTrayMenu — per-mapping, recent and quota submenus', () => {
  it('each mapping offers Sync now, the Feishu check, Open local folder, Open in Feishu, and Retry when files failed', () => {
    const model = buildTrayMenu(engineState({ mappings: [mapping({ failed: 3 })] }), en);
    const item = find(model, /^Photos/);
    expect(item.kind === 'submenu' && item.label).toBe('Photos — up to date · 3 failed');
    expect(sub(item)).toEqual([
      { kind: 'action', label: 'Sync now', action: { type: 'syncNow', mappingId: 'm1' }, enabled: true },
      { kind: 'action', label: 'Check for files missing in Feishu', action: { type: 'verify', mappingId: 'm1' }, enabled: true },
      { kind: 'action', label: 'Open local folder', action: { type: 'openLocal', path: '/home/ada/Photos' }, enabled: true },
      { kind: 'action', label: 'Open in Feishu', action: { type: 'openUrl', url: 'https://example.feishu.cn/drive/folder/fldcnPhotos123' }, enabled: true },
      { kind: 'action', label: 'Retry 3 failed files', action: { type: 'retryFailed', mappingId: 'm1' }, enabled: true },
    ]);
  });

  it('the Feishu check is offered while a mapping syncs, and disabled while it is paused or stopped', () => {
    const check = (m: Partial<MappingState>, state: Partial<EngineState> = {}) =>
      find(sub(find(buildTrayMenu(engineState({ mappings: [mapping(m)], ...state }), en), /^Photos/)), 'Check for files missing in Feishu');
    expect(check({ status: 'syncing', pending: 4 })).toMatchObject({ action: { type: 'verify', mappingId: 'm1' }, enabled: true });
    expect(check({ status: 'waiting-quota' })).toMatchObject({ enabled: true });
    expect(check({ status: 'paused' }, { paused: true })).toMatchObject({ enabled: false });
    const error = { code: 1061004, message: 'No edit permission on the Feishu folder', remedy: 'Ask the owner for edit access.', at: NOW };
    expect(check({ status: 'stopped', error })).toMatchObject({ enabled: false });
  });

  it('Open in Feishu is disabled when the folder URL is unknown', () => {
    const model = buildTrayMenu(engineState({ mappings: [mapping({ folderUrl: undefined })] }), en);
    expect(find(sub(find(model, /^Photos/)), 'Open in Feishu')).toMatchObject({ enabled: false });
  });

  it('Windows paths show their folder name', () => {
    const model = buildTrayMenu(engineState({ mappings: [mapping({ localPath: 'C:\\Users\\Ada\\工作文件' })] }), en);
    expect(labels(model.items)).toContain('工作文件 — up to date');
  });

  it('recent uploads: the last 10 uploads, newest first, each opening its Feishu URL', () => {
    const recent: ActivityRecord[] = Array.from({ length: 14 }, (_, i) => ({
      at: NOW - i * 1000,
      mappingId: 'm1',
      relPath: `2026/trip/img_${i}.jpg`,
      kind: i === 1 ? 'failed' : 'uploaded',
      remoteToken: `box${i}`,
      url: i === 3 ? null : `https://example.feishu.cn/file/box${i}`,
      detail: null,
    }));
    const items = sub(find(buildTrayMenu(engineState({ recent }), en), 'Recent uploads'));
    expect(items).toHaveLength(10);
    expect(items[0]).toEqual({ kind: 'action', label: 'img_0.jpg', action: { type: 'openUrl', url: 'https://example.feishu.cn/file/box0' }, enabled: true });
    expect(labels(items)).not.toContain('img_1.jpg'); // failures are not uploads
    expect(items[2]).toEqual({ kind: 'label', label: 'img_3.jpg' }); // no URL: informational
  });

  it('recent uploads: an empty list says so', () => {
    expect(sub(find(buildTrayMenu(engineState(), en), 'Recent uploads'))).toEqual([{ kind: 'label', label: 'Nothing uploaded yet' }]);
  });

  it('quota today: used and left per endpoint that was called, and the reset time', () => {
    expect(labels(sub(find(buildTrayMenu(engineState(), en), 'API quota today')))).toEqual([
      'filesUploadAll: 1,234 used · 8,766 left',
      '---',
      'Resets at 00:00',
    ]);
  });

  it('speaks Chinese', () => {
    const state = engineState();
    state.quota.exhausted = true;
    const model = buildTrayMenu(state, { locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(model.items[0]).toMatchObject({ label: '今日 API 配额已用完 · 00:00 恢复' });
    expect(labels(model.items)).toEqual(expect.arrayContaining(['暂停同步', '立即同步', '最近上传', '今日 API 配额', '设置…', '退出 FeiSync']));
    expect(labels(sub(find(model, /^Photos/)))).toContain('检查飞书中缺失的文件');
  });
});

describe('trayIconFile', () => {
  it('macOS uses template images; elsewhere the panel variant, with the syncing count as a badge', () => {
    expect(trayIconFile('syncing', 12, 'darwin', true)).toBe('syncingTemplate.png');
    expect(trayIconFile('syncing', 3, 'win32', false)).toBe('syncing-3-light.png');
    expect(trayIconFile('syncing', 10, 'linux', true)).toBe('syncing-many-dark.png');
    expect(trayIconFile('syncing', 0, 'linux', true)).toBe('syncing-dark.png');
    expect(trayIconFile('error', 0, 'win32', true)).toBe('error-dark.png');
  });
});
