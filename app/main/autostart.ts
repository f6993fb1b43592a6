/**
 * Start at login. macOS and Windows use app.setLoginItemSettings (see
 * electronApp.ts); Linux has no such API in Electron, so FeiSync writes an
 * XDG autostart entry (freedesktop Desktop Application Autostart spec) that
 * launches it with --hidden.
 */
import { posix } from 'node:path';
import { HIDDEN_FLAG } from './launchArgs.js';
import type { FileOp } from './shell/fileOps.js';
import { escapeDesktopValue, execLine } from './shell/quoting.js';

export const AUTOSTART_FILE_NAME = 'feisync.desktop';

export function autostartPath(env: { home: string; xdgConfigHome?: string }): string {
  return posix.join(env.xdgConfigHome || posix.join(env.home, '.config'), 'autostart', AUTOSTART_FILE_NAME);
}

export function autostartEntry(appArgv: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=FeiSync',
    'Comment=Sync folders to Feishu Drive',
    'Comment[zh_CN]=同步文件夹到飞书云空间',
    `Exec=${escapeDesktopValue(execLine([...appArgv, HIDDEN_FLAG]))}`,
    'Icon=feisync',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'X-GNOME-Autostart-Delay=5',
    '',
  ].join('\n');
}

export function planAutostart(enabled: boolean, env: { home: string; xdgConfigHome?: string }, appArgv: readonly string[]): FileOp[] {
  const path = autostartPath(env);
  return enabled ? [{ kind: 'write', path, content: autostartEntry(appArgv) }] : [{ kind: 'remove', path }];
}
