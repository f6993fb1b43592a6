/**
 * Quoting for every place a launcher line is written: Desktop Entry `Exec`
 * keys (freedesktop Desktop Entry spec, "The Exec key"), POSIX shells (bash
 * scripts, GLib's g_shell_parse_argv as used by Thunar) and XML text.
 */

/** Characters that force an Exec argument into double quotes (spec list). */
const EXEC_RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/** One argument of an Exec line, before the Desktop Entry string escaping. */
export function quoteExecArg(arg: string): string {
  const body = arg.replace(/%/g, '%%');
  if (body !== '' && !EXEC_RESERVED.test(body)) return body;
  return `"${body.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** A whole Exec value: quoted arguments; field codes such as %F are appended raw by the caller. */
export function execLine(argv: readonly string[]): string {
  return argv.map(quoteExecArg).join(' ');
}

/**
 * Escape a value of type string for a .desktop file ("\\", "\n", "\t", "\r").
 * Applied to the whole line after the Exec quoting, which is why a literal
 * backslash in a quoted argument ends up as four.
 */
export function escapeDesktopValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

/** POSIX single-quote quoting (bash, sh, g_shell_quote). */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Fill `@NAME@` placeholders; a placeholder without a value is an error, not silently left in. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/@([A-Z_]+)@/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder ${match} has no value`);
    return value;
  });
}
