/** Turn any thrown value into what the user sees (message, code, log id, remedy) and an exit code. */
import { isConfigError } from '../config/configError.js';
import { errorInfo } from '../feishu/errorCodes.js';
import { isFeishuError } from '../feishu/feishuError.js';
import type { Lang, Translate } from '../i18n/index.js';
import { localizeRemedy } from '../i18n/localizeRemedy.js';
import { IpcError } from '../ipc/protocol.js';
import { CliError, EXIT, type ExitCode } from './cliError.js';
import type { ErrorView } from './output.js';

export interface ErrorReport extends ErrorView {
  exitCode: ExitCode;
}

/** `t` renders errors that carry i18n keys in the user's language; `lang` picks the language of the remedies of coded errors (Feishu's and the core's). */
export function errorReport(e: unknown, t?: Translate, lang: Lang = 'en'): ErrorReport {
  if (e instanceof CliError) return { message: e.message, code: e.code, remedy: e.remedy, exitCode: e.exitCode };
  if (isConfigError(e)) {
    const l = e.localized;
    const text = l && t ? { message: t(l.key, l.params), remedy: t(l.remedyKey, l.params) } : { message: e.message, remedy: e.remedy };
    return { ...text, code: e.code, exitCode: EXIT.usage };
  }
  if (isFeishuError(e)) {
    const credentials = isCredentialCode(e.code);
    return {
      message: `${e.endpoint}: ${e.msg} (HTTP ${e.httpStatus})`,
      code: e.code,
      logId: e.logId,
      remedy: localizeRemedy(e.code, e.remedy, lang),
      exitCode: credentials ? EXIT.usage : e.quotaExhausted ? EXIT.quota : EXIT.failed,
    };
  }
  if (e instanceof IpcError) return { message: e.message, code: e.code, remedy: e.remedy, exitCode: EXIT.failed };
  if (e instanceof Error) {
    const coded = e as Error & { code?: unknown; remedy?: unknown };
    const code = typeof coded.code === 'string' || typeof coded.code === 'number' ? coded.code : undefined;
    const remedy = typeof coded.remedy === 'string' ? coded.remedy : 'See `feisync log` for details; `feisync doctor` checks the setup.';
    return {
      message: e.message,
      code,
      // The core's errors (IndexError, ScanError, …) are translated by their E_… code; a number here is not Feishu's.
      remedy: typeof code === 'string' ? localizeRemedy(code, remedy, lang) : remedy,
      exitCode: EXIT.failed,
    };
  }
  return { message: String(e), remedy: 'See `feisync log` for details.', exitCode: EXIT.failed };
}

/**
 * Bad credentials are a configuration problem the user must fix (exit 2, like
 * a bad flag): the token errors of the table, and the auth endpoint's answers
 * for an unknown app or a wrong secret (the rows whose action stops all work
 * and whose remedy sends the user to `feisync login`).
 */
export function isCredentialCode(code: number | string | undefined): boolean {
  if (typeof code !== 'number') return false;
  const info = errorInfo(code, 0);
  return info.kind === 'reauth' || (info.action === 'stopAll' && info.kind === 'fatalForMapping' && info.remedy.includes('feisync login'));
}
