import { describe, expect, it } from 'vitest';
import { CliError, EXIT } from '../../../src/cli/cliError.js';
import { syncExitCode } from '../../../src/cli/commands/sync.js';
import { errorReport, isCredentialCode } from '../../../src/cli/errorReport.js';
import { ZH_FEISHU_REMEDIES } from '../../../src/i18n/feishuRemedies.js';
import { ConfigError } from '../../../src/config/configError.js';
import { FeishuError } from '../../../src/feishu/feishuError.js';
import type { SyncSummary } from '../../../src/sync/engineApi.js';

const summary = (over: Partial<SyncSummary>): SyncSummary => ({
  uploaded: [], versioned: [], moved: [], skipped: [], failed: [], unchanged: 0, callsByEndpoint: {}, quotaExhausted: false, ...over,
});

describe('exit codes', () => {
  it('sync --once: 0 done, 1 files failed, 2 bad credentials, 3 quota (wins over failures)', () => {
    expect(syncExitCode(summary({ uploaded: ['a'] }))).toBe(EXIT.ok);
    expect(syncExitCode(summary({ skipped: [{ path: 'a', reason: 'empty-file' }] }))).toBe(EXIT.ok);
    expect(syncExitCode(summary({ failed: [{ path: 'a', reason: 'x', code: 1061004 }] }))).toBe(EXIT.failed);
    expect(syncExitCode(summary({ failed: [{ path: '/d', reason: 'x', code: 10014 }] }))).toBe(EXIT.usage);
    expect(syncExitCode(summary({ failed: [{ path: 'a', reason: 'x', code: 1061004 }], quotaExhausted: true }))).toBe(EXIT.quota);
  });

  it('credential codes come from the error table', () => {
    expect([10014, 10003, 99991663, 99991664, 1061005].every(isCredentialCode)).toBe(true);
    expect([1061004, 1061045, 99991400, 'E_X', undefined].some(isCredentialCode)).toBe(false);
  });

  it('errors become a message, code, log id, remedy and exit code', () => {
    const feishu = new FeishuError({ code: 1061004, httpStatus: 403, msg: 'forbidden', endpoint: 'filesUploadAll', logId: 'L1' });
    expect(errorReport(feishu)).toEqual({ message: 'filesUploadAll: forbidden (HTTP 403)', code: 1061004, logId: 'L1', remedy: feishu.remedy, exitCode: EXIT.failed });
    expect(errorReport(feishu, undefined, 'zh-CN').remedy).toBe(ZH_FEISHU_REMEDIES[1061004]);
    const secret = new FeishuError({ code: 10014, httpStatus: 400, msg: 'app secret invalid', endpoint: 'tenantToken' });
    expect(errorReport(secret).exitCode).toBe(EXIT.usage);
    expect(errorReport(new ConfigError({ code: 'E_CONFIG_PARSE', message: 'm', remedy: 'r' })).exitCode).toBe(EXIT.usage);
    expect(errorReport(new CliError({ code: 'E_X', message: 'm', remedy: 'r', exitCode: EXIT.quota })).exitCode).toBe(EXIT.quota);
    expect(errorReport(new Error('boom'))).toMatchObject({ message: 'boom', exitCode: EXIT.failed, remedy: expect.stringMatching(/feisync log/) });
  });
});
