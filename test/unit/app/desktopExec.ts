/**
 * A reference reading of a .desktop Exec key, written from the freedesktop
 * Desktop Entry spec ("The Exec key"), used to check what FeiSync writes:
 * 1. string-value escapes (\s \n \t \r \\) are undone first;
 * 2. the line splits on unquoted spaces; inside "…", a backslash escapes " ` $ \;
 * 3. field codes expand: %F → one argument per file, %% → %.
 */
export function expandExec(value: string, files: string[]): string[] {
  const unescaped = value.replace(/\\([sntr\\])/g, (_, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c]!);
  const words: { text: string; quoted: boolean }[] = [];
  let current = '';
  let quoted = false;
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < unescaped.length; i++) {
    const c = unescaped[i]!;
    if (inQuotes) {
      if (c === '\\' && '"`$\\'.includes(unescaped[i + 1] ?? '')) current += unescaped[++i];
      else if (c === '"') inQuotes = false;
      else current += c;
    } else if (c === '"') {
      inQuotes = quoted = started = true;
    } else if (c === ' ') {
      if (started) words.push({ text: current, quoted });
      current = '';
      quoted = started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (inQuotes) throw new Error(`unterminated quote in Exec=${value}`);
  if (started) words.push({ text: current, quoted });
  return words.flatMap((w) => (w.text === '%F' && !w.quoted ? files : [w.text.replace(/%%/g, '%')]));
}

export function desktopKey(text: string, group: string, key: string): string {
  let inGroup = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) inGroup = line === `[${group}]`;
    else if (inGroup && line.startsWith(`${key}=`)) return line.slice(key.length + 1);
  }
  throw new Error(`no ${key} in [${group}]`);
}
