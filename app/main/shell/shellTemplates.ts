/**
 * "Send to Feishu" for each desktop, generated from the templates in
 * resources/shell/ (the same files the packages ship). Every generator takes
 * the template text and the argv that launches FeiSync, and quotes that argv
 * for the place it lands, so paths with spaces, quotes or unicode survive.
 */
import { escapeDesktopValue, execLine, fillTemplate, shellQuote, xmlEscape } from './quoting.js';

/** Template files under resources/shell/, relative to it. */
export const SHELL_TEMPLATES = {
  linuxLauncher: 'linux/feisync-send.desktop',
  nautilusScript: 'linux/nautilus-send-to-feishu.sh',
  dolphinServiceMenu: 'linux/dolphin-feisync-send.desktop',
  thunarAction: 'linux/thunar-uca-action.xml',
  macInfoPlist: 'macos/Send to Feishu.workflow/Contents/Info.plist',
  macWorkflow: 'macos/Send to Feishu.workflow/Contents/document.wflow',
} as const;

export type ShellTemplateName = keyof typeof SHELL_TEMPLATES;

/** A .desktop file whose Exec starts with FeiSync's argv (Linux launcher, Dolphin). */
export function desktopFileFromTemplate(template: string, appArgv: readonly string[]): string {
  return fillTemplate(template, { FEISYNC_EXEC: escapeDesktopValue(execLine(appArgv)) });
}

export function nautilusScript(template: string, appArgv: readonly string[]): string {
  return fillTemplate(template, { FEISYNC_SH_ARGV: appArgv.map(shellQuote).join(' ') });
}

/**
 * Thunar's command goes through its own %-expansion (%F becomes the quoted
 * paths, %% a percent sign) and then g_shell_parse_argv, inside XML.
 */
export function thunarAction(template: string, appArgv: readonly string[]): string {
  const command = appArgv.map((a) => shellQuote(a).replace(/%/g, '%%')).join(' ');
  return fillTemplate(template, { FEISYNC_UCA_COMMAND: xmlEscape(command) });
}

/** The shell script of the macOS Quick Action (run by Automator with the items as arguments). */
export function macQuickActionScript(appArgv: readonly string[]): string {
  return [
    '# FeiSync: hand the selected items to the running FeiSync (single-instance hand-off).',
    `${appArgv.map(shellQuote).join(' ')} --send "$@" >/dev/null 2>&1 &`,
    '',
  ].join('\n');
}

export function macWorkflow(template: string, appArgv: readonly string[]): string {
  return fillTemplate(template, { FEISYNC_XML_SCRIPT: xmlEscape(macQuickActionScript(appArgv)) });
}

const THUNAR_ID = 'feisync-send-to-feishu';
const THUNAR_ACTION = new RegExp(`\\s*<action>(?:(?!</action>)[\\s\\S])*<unique-id>${THUNAR_ID}</unique-id>[\\s\\S]*?</action>`, 'g');

/** Add (or replace) our action in a user's uca.xml, keeping every other action. */
export function mergeThunarActions(existing: string | null, action: string): string {
  const base = existing && existing.includes('</actions>') ? removeThunarAction(existing) : '<?xml version="1.0" encoding="UTF-8"?>\n<actions>\n</actions>\n';
  return base.replace(/\s*<\/actions>\s*$/, `\n${action.trim()}\n</actions>\n`);
}

/** Remove our action from uca.xml (other actions untouched). */
export function removeThunarAction(existing: string): string {
  return existing.replace(THUNAR_ACTION, '');
}

/**
 * Windows "Send to" shortcut: a PowerShell command that asks WScript.Shell to
 * write the .lnk. Passed with -EncodedCommand (UTF-16LE base64), so no layer
 * of cmd or PowerShell quoting can mangle the paths; run with execFile (no shell).
 */
export function windowsSendToCommand(shortcutPath: string, exePath: string): { file: string; args: string[] } {
  const ps = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const script = [
    '$ErrorActionPreference = "Stop"',
    '$shell = New-Object -ComObject WScript.Shell',
    `$link = $shell.CreateShortcut(${ps(shortcutPath)})`,
    `$link.TargetPath = ${ps(exePath)}`,
    `$link.Arguments = '--send'`,
    `$link.IconLocation = ${ps(`${exePath},0`)}`,
    `$link.Description = 'Send to Feishu'`,
    '$link.Save()',
  ].join('\n');
  return {
    file: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')],
  };
}
