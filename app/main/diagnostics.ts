/**
 * "Export diagnostics": one JSON file a user can attach to a bug report —
 * versions, settings (which never hold secrets), the engine state and the
 * last log lines, passed through the core's redaction.
 */
import type { Settings } from '../../src/config/settings.js';
import { redact, redactText } from '../../src/platform/logRedact.js';
import type { EngineState } from '../../src/sync/engineApi.js';
import type { AppInfo } from '../shared/bridgeApi.js';

export interface DiagnosticsInput {
  info: AppInfo;
  settings: Settings;
  state: EngineState;
  logLines: string[];
  now: number;
  secretStored: boolean;
}

export function buildDiagnostics(input: DiagnosticsInput): string {
  const report = {
    generatedAt: new Date(input.now).toISOString(),
    app: input.info,
    settings: redact(input.settings),
    secretStored: input.secretStored,
    state: redact(input.state),
    log: input.logLines.map(redactText),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function diagnosticsFileName(now: number): string {
  return `feisync-diagnostics-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`;
}
