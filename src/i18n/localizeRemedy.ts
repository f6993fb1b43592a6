/**
 * The remedy a user reads, in their language. The core writes remedies in
 * English (also the log's language); the Chinese lines live in
 * feishuRemedies.ts (Feishu's numeric codes) and coreRemedies.ts (FeiSync's
 * own E_… codes).
 */
import { zhCoreRemedy } from './coreRemedies.js';
import { zhFeishuRemedy } from './feishuRemedies.js';
import type { Lang } from './language.js';

/** `remedy` of an error `code` in `lang`; a string code without a Chinese line for this remedy keeps it. */
export function localizeRemedy(code: string | number, remedy: string, lang: Lang): string {
  if (lang !== 'zh-CN') return remedy;
  if (typeof code === 'number') return zhFeishuRemedy(code, remedy);
  return zhCoreRemedy(code, remedy) ?? remedy;
}
