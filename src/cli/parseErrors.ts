/**
 * commander's parse errors (unknown option, missing argument, …) in the
 * user's language. commander writes them in English, with the names in
 * quotes; in another language each shape it has is said again from the
 * message tables, the names kept as typed. English output is commander's
 * own text, and a shape this table does not know (a newer commander) passes
 * through as commander wrote it.
 */
import { translator, type Lang, type MessageKey, type MessageParams } from '../i18n/index.js';

interface Shape {
  pattern: RegExp;
  key: MessageKey;
  params(match: RegExpMatchArray): MessageParams;
}

const SHAPES: readonly Shape[] = [
  { pattern: /^error: unknown option '([^']*)'/, key: 'cli.parse.unknownOption', params: (m) => ({ flag: m[1]! }) },
  { pattern: /^error: unknown command '([^']*)'/, key: 'cli.parse.unknownCommand', params: (m) => ({ name: m[1]! }) },
  { pattern: /^error: missing required argument '([^']*)'/, key: 'cli.parse.missingArgument', params: (m) => ({ name: m[1]! }) },
  { pattern: /^error: option '([^']*)' argument missing/, key: 'cli.parse.optionArgumentMissing', params: (m) => ({ flags: m[1]! }) },
  { pattern: /^error: required option '([^']*)' not specified/, key: 'cli.parse.requiredOption', params: (m) => ({ flags: m[1]! }) },
  {
    pattern: /^error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./,
    key: 'cli.parse.tooManyArguments',
    params: (m) => ({ command: `feisync${m[1] === undefined ? '' : ` ${m[1]}`}`, expected: m[2]!, got: m[3]! }),
  },
];

const SUGGESTION = /\n\(Did you mean (.+)\?\)/;

/** `text` (one commander error, ending in a newline) in `lang`. */
export function localizeParseError(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  const t = translator(lang);
  for (const shape of SHAPES) {
    const match = text.match(shape.pattern);
    if (!match) continue;
    const suggestion = text.match(SUGGESTION);
    return `${t(shape.key, shape.params(match))}${suggestion ? t('cli.parse.didYouMean', { names: suggestion[1]! }) : ''}\n`;
  }
  return text;
}
