/**
 * Unicode NFC, the one spelling FeiSync keys paths by. Below U+0300 no
 * character composes or decomposes, so text made only of those is NFC as it
 * is: the test then costs a regular-expression scan, not ICU's normalizer
 * (most paths are such text).
 */
const MAY_CHANGE = /[^\u0000-\u02ff]/;

export function isNfc(text: string): boolean {
  return !MAY_CHANGE.test(text) || text.normalize('NFC') === text;
}
