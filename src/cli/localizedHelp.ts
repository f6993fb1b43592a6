/**
 * commander's help in the user's language, through its public Help overrides
 * (configureHelp): its own words (section titles, "(default: …)") from the
 * message tables, and a layout that counts a Chinese character as the two
 * terminal columns it takes and may break a line between two of them —
 * Chinese has no spaces, the only place commander breaks a line.
 */
import { Help, type HelpConfiguration } from 'commander';
import type { MessageKey, Translate } from '../i18n/index.js';
import { displayWidth } from './displayWidth.js';

/** commander's section titles, as it passes them to Help.styleTitle. */
const TITLES: Record<string, MessageKey> = {
  'Usage:': 'cli.help.commander.usage',
  'Arguments:': 'cli.help.commander.arguments',
  'Options:': 'cli.help.commander.options',
  'Global Options:': 'cli.help.commander.globalOptions',
  'Commands:': 'cli.help.commander.commands',
};

/** CJK characters and full-width punctuation: a line may break before each one. */
const WIDE = '\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6';
/** Punctuation that stays with the text after it (opening) or before it (closing), never alone at a line's end or start. */
const OPENING = '（《「『“';
const CLOSING = '，。、；：！？）》」』”';
/** One unit of line breaking: the spaces before it, then a word or a single wide character, with its punctuation. */
const UNIT = new RegExp(`\\s*[${OPENING}]*(?:[^\\s${WIDE}]+|[${WIDE}])[${CLOSING}]*`, 'gu');

export function localizedHelp(t: Translate): HelpConfiguration {
  const stock = new Help();
  return {
    styleTitle: (title) => (title in TITLES ? t(TITLES[title]!) : title),
    // commander appends " (default: <value>)" in English; only that suffix is reworded.
    optionDescription: (option) =>
      stock.optionDescription(option).replace(/^(.+) \(default: (.*)\)$/s, (_, description: string, value: string) => t('cli.help.commander.withDefault', { description, value })),
    displayWidth,
    // commander's boxWrap, with wide characters as break points (English text wraps exactly as before).
    boxWrap: (text, width) => {
      if (width < stock.minWidthToWrap) return text;
      return text
        .split(/\r\n|\n/)
        .map((line) => {
          const rows: string[] = [];
          let row = '';
          let rowWidth = 0;
          for (const unit of line.match(UNIT) ?? []) {
            const unitWidth = displayWidth(unit);
            if (row !== '' && rowWidth + unitWidth > width) {
              rows.push(row);
              row = unit.trimStart();
              rowWidth = displayWidth(row);
            } else {
              row += unit;
              rowWidth += unitWidth;
            }
          }
          return [...rows, row].join('\n');
        })
        .join('\n');
    },
  };
}
