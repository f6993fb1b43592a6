/**
 * Messages in English and Simplified Chinese. `en` defines the keys; the
 * Chinese table must have every one of them (the type checker enforces it).
 */
import { en, type MessageKey } from './en.js';
import { zhCN } from './zhCN.js';
import type { Lang } from './language.js';

export { resolveLanguage, langFromLocale, isLang, LANGUAGES, type Lang } from './language.js';
export type { MessageKey } from './en.js';

export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const TABLES: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** `{name}` placeholders are filled from params; unknown placeholders stay visible. */
export function translator(lang: Lang): Translate {
  const table = TABLES[lang];
  return (key, params) => {
    const template = table[key] ?? en[key];
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
  };
}
