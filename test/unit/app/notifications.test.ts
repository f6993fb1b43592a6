import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/platform/clock.js';
import type { EngineEvent } from '../../../src/sync/engineApi.js';
import { actionFailureNotice, createNoticeSource, summarizeNotices } from '../../../app/main/engineNotices.js';
import { mainMessages } from '../../../app/main/mainMessages.js';
import { createNotificationThrottle, type Notice } from '../../../app/main/notificationThrottle.js';
import { verifyNotice } from '../../../app/main/remoteVerify.js';
import type { VerifyReport } from '../../../app/shared/bridgeApi.js';
import { engineState, mapping, NOW } from './engineStateFixture.js';

const t = mainMessages('en');

function setup(windowMs = 10_000) {
  const clock = new FakeClock(NOW);
  const shown: Notice[] = [];
  const throttle = createNotificationThrottle({ clock, windowMs, show: (n) => shown.push(n), summarize: (k, held) => summarizeNotices(t, k, held) });
  return { clock, shown, throttle };
}
const sent = (files: number, failed = 0): Notice => ({ kind: 'sent', title: t.sentTitle, body: t.sentBody(files, failed), count: files, failed });

describe('notification throttle (fake clock)', () => {
  it('shows the first notice of a kind at once', () => {
    const { shown, throttle } = setup();
    throttle.push(sent(1));
    expect(shown).toEqual([sent(1)]);
  });

  it('coalesces a burst into one summary at the end of the window', async () => {
    const { clock, shown, throttle } = setup();
    throttle.push(sent(1));
    for (let i = 0; i < 11; i++) {
      await clock.advance(500);
      throttle.push(sent(1, i === 4 ? 1 : 0));
    }
    expect(shown).toHaveLength(1);
    await clock.advance(4_499);
    expect(shown).toHaveLength(1);
    await clock.advance(1);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toMatchObject({ kind: 'sent', body: '11 files sent, 1 failed', count: 11 });
  });

  it('a single held notice is shown as itself, not as a summary', async () => {
    const { clock, shown, throttle } = setup();
    throttle.push(sent(2));
    await clock.advance(3_000);
    throttle.push(sent(5));
    await clock.advance(7_000);
    expect(shown).toEqual([sent(2), sent(5)]);
  });

  it('kinds are throttled separately', () => {
    const { shown, throttle } = setup();
    throttle.push(sent(1));
    throttle.push({ kind: 'quota', title: 'q', body: 'b', count: 1 });
    expect(shown.map((n) => n.kind)).toEqual(['sent', 'quota']);
  });

  it('after a quiet window the next notice shows immediately again', async () => {
    const { clock, shown, throttle } = setup();
    throttle.push(sent(1));
    await clock.advance(10_000);
    throttle.push(sent(3));
    expect(shown).toEqual([sent(1), sent(3)]);
    expect(clock.pending).toBe(0);
  });

  it('dispose drops held notices', async () => {
    const { clock, shown, throttle } = setup();
    throttle.push(sent(1));
    throttle.push(sent(1));
    throttle.dispose();
    await clock.advance(20_000);
    expect(shown).toHaveLength(1);
  });
});

describe('engine events → notices', () => {
  const stopped = mapping({ status: 'stopped', error: { code: 1061004, message: 'No edit permission.', remedy: 'Ask for edit access.', at: NOW } });
  const source = () => createNoticeSource({ messages: () => t, mapping: (id) => (id === 'm1' ? mapping() : undefined), timeZone: 'Asia/Shanghai' });

  it('a finished send: counts, failures, and an Open action for a single file', () => {
    const next = source();
    const one: EngineEvent = { type: 'sendDone', sendId: 's1', results: [{ path: '/a/x.pdf', ok: true, url: 'https://example.feishu.cn/file/boxX' }] };
    expect(next(one)).toEqual([{ kind: 'sent', title: 'Sent to Feishu', body: '1 file sent', count: 1, failed: 0, openUrl: 'https://example.feishu.cn/file/boxX' }]);
    const many: EngineEvent = {
      type: 'sendDone',
      sendId: 's2',
      results: [
        { path: '/a/1', ok: true },
        { path: '/a/2', ok: true },
        { path: '/a/3', ok: false, error: { code: 1061004, message: 'denied', remedy: 'ask', at: NOW } },
      ],
    };
    expect(next(many)[0]).toMatchObject({ body: '2 files sent, 1 failed', openUrl: undefined });
  });

  it('quota exhausted notifies once per transition, with the reset time', () => {
    const next = source();
    const exhausted = engineState().quota;
    exhausted.exhausted = true;
    expect(next({ type: 'quota', quota: exhausted })).toEqual([
      { kind: 'quota', title: 'Daily API quota used up', body: 'Syncing resumes at 00:00. Right-click sends still use the reserve.', count: 1 },
    ]);
    expect(next({ type: 'quota', quota: exhausted })).toEqual([]);
    expect(next({ type: 'state', state: { ...engineState(), quota: exhausted } })).toEqual([]);
    expect(next({ type: 'quota', quota: { ...exhausted, exhausted: false } })).toEqual([]);
    expect(next({ type: 'quota', quota: exhausted })).toHaveLength(1);
  });

  it('a mapping stopped by an error that needs the user notifies once, with the remedy', () => {
    const next = source();
    expect(next({ type: 'mapping', mapping: stopped })).toEqual([
      { kind: 'stopped', title: 'Photos stopped syncing', body: 'No edit permission. Ask for edit access.', count: 1 },
    ]);
    expect(next({ type: 'mapping', mapping: stopped })).toEqual([]);
    expect(next({ type: 'state', state: engineState({ mappings: [stopped] }) })).toEqual([]);
    expect(next({ type: 'mapping', mapping: mapping() })).toEqual([]);
    expect(next({ type: 'mapping', mapping: stopped })).toHaveLength(1);
  });

  it('first sync of a mapping done names the folder and opens it in Feishu', () => {
    expect(source()({ type: 'firstSyncDone', mappingId: 'm1' })).toEqual([
      { kind: 'firstSync', title: 'First sync finished', body: 'Photos is now in Feishu.', count: 1, openUrl: 'https://example.feishu.cn/drive/folder/fldcnPhotos123' },
    ]);
  });

  it('progress and per-file events never notify', () => {
    const next = source();
    expect(next({ type: 'progress', progress: { mappingId: 'm1', relPath: 'a', bytesDone: 1, bytesTotal: 2 } })).toEqual([]);
    expect(next({ type: 'error', error: { code: 1061045, message: 'retry', remedy: '', at: NOW }, mappingId: 'm1' })).toEqual([]);
  });

  it('summaries of stopped folders and first syncs count folders', () => {
    const held: Notice[] = [
      { kind: 'stopped', title: 'A stopped syncing', body: '', count: 1 },
      { kind: 'stopped', title: 'B stopped syncing', body: '', count: 1 },
    ];
    expect(summarizeNotices(t, 'stopped', held)).toEqual({ kind: 'stopped', title: '2 folders stopped syncing and need your attention', body: 'A stopped syncing\nB stopped syncing', count: 2 });
    expect(summarizeNotices(mainMessages('zh-CN'), 'firstSync', [held[0]!, held[1]!]).body).toBe('2 个文件夹已完成首次同步。');
  });
});

describe('a tray action that failed', () => {
  it('notifies its error, unless it is a pass that stopped on an engine error: the mapping\'s "stopped" notice says that once', () => {
    expect(actionFailureNotice({ code: 'E_UNAVAILABLE', message: 'Syncing of /x is paused, so Feishu was not checked.', remedy: 'Resume syncing, then check again.' }))
      .toEqual({ title: 'Syncing of /x is paused, so Feishu was not checked.', body: 'Resume syncing, then check again.' });
    // The verify pass stopped (folder gone): the engine's state change already gives one notice.
    const stoppedMapping = mapping({ status: 'stopped', error: { code: 'E_SCAN_ROOT_MISSING', message: 'The folder is gone.', remedy: 'Reconnect the disk.', at: NOW } });
    const notices = createNoticeSource({ messages: () => t, mapping: () => stoppedMapping })({ type: 'mapping', mapping: stoppedMapping });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toBe('The folder is gone. Reconnect the disk.');
    expect(actionFailureNotice({ code: 'E_SYNC_STOPPED', message: 'The folder is gone.', remedy: 'Reconnect the disk.' })).toBeUndefined();
  });
});

describe('the notice answering "Check for files missing in Feishu"', () => {
  const photos = { localPath: '/home/ada/Photos', folderUrl: 'https://example.feishu.cn/drive/folder/fldcnPhotos123' };
  const report = (over: Partial<VerifyReport> = {}): VerifyReport => ({
    mappingId: 'm1', checked: 120, listed: 121, lostFiles: 0, lostFolders: 0, uploaded: 0, failed: 0, quotaExhausted: false, ...over,
  });

  it('says nothing is missing, or how many files were uploaded again, and opens the folder in Feishu', () => {
    expect(verifyNotice(t, photos, report())).toEqual({
      title: 'Checked Photos in Feishu',
      body: 'Nothing is missing in Feishu (120 files checked).',
      openUrl: photos.folderUrl,
    });
    expect(verifyNotice(t, photos, report({ lostFiles: 3, uploaded: 3 })).body).toBe('3 files were missing in Feishu and were uploaded again.');
    expect(verifyNotice(t, photos, report({ lostFiles: 1, uploaded: 1, lostFolders: 2 })).body).toBe(
      '1 file was missing in Feishu and was uploaded again. 2 missing folders will be created again as needed.',
    );
    expect(verifyNotice(t, { localPath: 'C:\\Users\\Ada\\Docs' }, report())).not.toHaveProperty('openUrl');
  });

  it('does not claim an upload that failed or waits for the quota', () => {
    expect(verifyNotice(t, photos, report({ lostFiles: 3, uploaded: 1, failed: 2 })).body).toBe(
      '3 files were missing in Feishu and are queued to upload again. 2 files failed: see Settings → Activity.',
    );
    expect(verifyNotice(t, photos, report({ lostFiles: 3, quotaExhausted: true })).body).toBe(
      '3 files were missing in Feishu and are queued to upload again. The daily API quota ran out: the rest will upload after it resets.',
    );
  });

  it('speaks Chinese', () => {
    const zh = mainMessages('zh-CN');
    expect(verifyNotice(zh, photos, report())).toMatchObject({ title: '已核对飞书中的 Photos', body: '飞书中没有缺失的文件（已核对 120 个文件）。' });
    expect(verifyNotice(zh, photos, report({ lostFiles: 3, uploaded: 3 })).body).toBe('飞书中缺失 3 个文件，已重新上传。');
    expect(verifyNotice(zh, photos, report({ lostFiles: 3, failed: 1, lostFolders: 1 })).body).toBe(
      '飞书中缺失 3 个文件，已排队重新上传。缺失的 1 个文件夹将按需重新创建。1 个文件上传失败：见 设置 → 动态。',
    );
  });
});
