/** Turn any thrown value into what the user sees (message, code, log id, remedy) and an exit code. */
import { isConfigError } from '../config/configError.js';
import { isFeishuError } from '../feishu/feishuError.js';
import { IpcError } from '../ipc/protocol.js';
import { CliError, EXIT, type ExitCode } from './cliError.js';
import type { ErrorView } from './output.js';

export interface ErrorReport extends ErrorView {
  exitCode: ExitCode;
}

export function errorReport(e: unknown): ErrorReport {
  if (e instanceof CliError) return { message: e.message, code: e.code, remedy: e.remedy, exitCode: e.exitCode };
  if (isConfigError(e)) return { message: e.message, code: e.code, remedy: e.remedy, exitCode: EXIT.usage };
  if (isFeishuError(e)) {
    // Bad credentials are a configuration problem the user must fix: exit 2, like a bad flag.
    const credentials = e.reauth || e.code === 10014 || e.code === 10003;
    return {
      message: `${e.endpoint}: ${e.msg} (HTTP ${e.httpStatus})`,
      code: e.code,
      logId: e.logId,
      remedy: e.remedy,
      exitCode: credentials ? EXIT.usage : e.quotaExhausted ? EXIT.quota : EXIT.failed,
    };
  }
  if (e instanceof IpcError) return { message: e.message, code: e.code, remedy: e.remedy, exitCode: EXIT.failed };
  if (e instanceof Error) {
    const coded = e as Error & { code?: unknown; remedy?: unknown };
    return {
      message: e.message,
      code: typeof coded.code === 'string' || typeof coded.code === 'number' ? coded.code : undefined,
      remedy: typeof coded.remedy === 'string' ? coded.remedy : 'See `feisync log` for details; `feisync doctor` checks the setup.',
      exitCode: EXIT.failed,
    };
  }
  return { message: String(e), remedy: 'See `feisync log` for details.', exitCode: EXIT.failed };
}
