import { describe, expect, it } from 'vitest';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import { ScanError } from '../../../src/scan/scanError.js';
import { SyncError, toErrorInfo } from '../../../src/sync/syncError.js';

describe('toErrorInfo', () => {
  it('gives the remedy on its own and leaves it out of the message (surfaces show both, the remedy translated)', () => {
    const feishu = new FeishuError({ code: 1061004, httpStatus: 403, msg: 'forbidden', endpoint: 'filesUploadAll', logId: 'L1' });
    const scan = new ScanError('E_SCAN_ROOT_MISSING', '/home/u/Docs');
    const sync = new SyncError('E_LOCAL_UNREADABLE', 'cannot read a.txt');
    for (const error of [feishu, scan, sync]) {
      expect(error.message.endsWith(` — ${error.remedy}`)).toBe(true); // the log line keeps both
      const info = toErrorInfo(error, 1);
      expect(info.remedy).toBe(error.remedy);
      expect(info.message).toBe(error.message.slice(0, -` — ${error.remedy}`.length));
    }
    expect(toErrorInfo(feishu, 1)).toMatchObject({ message: expect.stringContaining('[log id L1]'), logId: 'L1' });
  });

  it('keeps a message that does not end with its remedy as it is', () => {
    const odd = Object.assign(new Error('disk full — try later'), { code: 'E_X', remedy: 'free some space' });
    expect(toErrorInfo(odd, 1)).toMatchObject({ message: 'disk full — try later', remedy: 'free some space' });
  });
});
