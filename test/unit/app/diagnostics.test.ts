import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.js';
import { buildDiagnostics, diagnosticsFileName } from '../../../app/main/diagnostics.js';
import { engineState, NOW } from './engineStateFixture.js';

describe('diagnostics export', () => {
  it('holds versions, settings, state and log lines, with secrets redacted', () => {
    const text = buildDiagnostics({
      info: { version: '0.1.0', electron: '38', chrome: '140', node: '22', platform: 'linux', locale: 'en', logDir: '/l', stateDir: '/s' },
      settings: { ...DEFAULT_SETTINGS, account: { cloud: 'feishu', appId: 'cli_x', identity: 'tenant' } },
      state: engineState(),
      logLines: ['{"msg":"token","tenant_access_token":"t-abcdefghijklmnopqrstuv"}', 'Authorization: Bearer u-secretsecretsecret'],
      now: NOW,
      secretStored: true,
    });
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({ generatedAt: '2026-03-01T01:30:00.000Z', app: { version: '0.1.0' }, settings: { account: { appId: 'cli_x' } }, secretStored: true });
    expect(parsed.state.mappings[0].localPath).toBe('/home/ada/Photos');
    expect(text).not.toContain('t-abcdefghijklmnopqrstuv');
    expect(text).not.toContain('u-secretsecretsecret');
  });

  it('names the file by time, safe on every file system', () => {
    expect(diagnosticsFileName(NOW)).toBe('feisync-diagnostics-2026-03-01T01-30-00-000Z.json');
  });
});
