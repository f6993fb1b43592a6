/**
 * Where "Send to Feishu" is installed for the current user on each OS, as a
 * plan of file operations (pure). The templates are read by the caller from
 * resources/shell/ (packaged as extraResources).
 */
import { posix, win32 } from 'node:path';
import type { FileOp } from './fileOps.js';
import {
  desktopFileFromTemplate,
  macWorkflow,
  mergeThunarActions,
  nautilusScript,
  removeThunarAction,
  thunarAction,
  windowsSendToCommand,
  type ShellTemplateName,
} from './shellTemplates.js';

export interface UserDirs {
  platform: NodeJS.Platform;
  home: string;
  /** $XDG_DATA_HOME (Linux), default ~/.local/share. */
  xdgDataHome?: string;
  /** $XDG_CONFIG_HOME (Linux), default ~/.config. */
  xdgConfigHome?: string;
  /** %APPDATA% (Windows). */
  appData?: string;
}

export type Templates = Record<ShellTemplateName, string>;

export function sendToShortcutPath(dirs: UserDirs): string {
  const appData = dirs.appData ?? win32.join(dirs.home, 'AppData', 'Roaming');
  return win32.join(appData, 'Microsoft', 'Windows', 'SendTo', 'FeiSync.lnk');
}

function linuxPaths(dirs: UserDirs) {
  const data = dirs.xdgDataHome || posix.join(dirs.home, '.local', 'share');
  const config = dirs.xdgConfigHome || posix.join(dirs.home, '.config');
  return {
    launcher: posix.join(data, 'applications', 'feisync-send.desktop'),
    nautilus: posix.join(data, 'nautilus', 'scripts', 'Send to Feishu'),
    dolphin6: posix.join(data, 'kio', 'servicemenus', 'feisync-send.desktop'),
    dolphin5: posix.join(data, 'kservices5', 'ServiceMenus', 'feisync-send.desktop'),
    thunar: posix.join(config, 'Thunar', 'uca.xml'),
  };
}

function macWorkflowDir(dirs: UserDirs): string {
  return posix.join(dirs.home, 'Library', 'Services', 'Send to Feishu.workflow', 'Contents');
}

/** Install for the current user. `appArgv` launches FeiSync (the AppImage / .exe / app binary). */
export function planShellInstall(dirs: UserDirs, templates: Templates, appArgv: readonly string[]): FileOp[] {
  switch (dirs.platform) {
    case 'win32':
      return [{ kind: 'exec', ...windowsSendToCommand(sendToShortcutPath(dirs), appArgv[0]!) }];
    case 'darwin': {
      const dir = macWorkflowDir(dirs);
      return [
        { kind: 'write', path: posix.join(dir, 'Info.plist'), content: templates.macInfoPlist },
        { kind: 'write', path: posix.join(dir, 'document.wflow'), content: macWorkflow(templates.macWorkflow, appArgv) },
      ];
    }
    default: {
      const p = linuxPaths(dirs);
      const dolphin = desktopFileFromTemplate(templates.dolphinServiceMenu, appArgv);
      const action = thunarAction(templates.thunarAction, appArgv);
      return [
        { kind: 'write', path: p.launcher, content: desktopFileFromTemplate(templates.linuxLauncher, appArgv) },
        { kind: 'write', path: p.nautilus, content: nautilusScript(templates.nautilusScript, appArgv), mode: 0o755 },
        // KDE 6 requires service menus to be executable.
        { kind: 'write', path: p.dolphin6, content: dolphin, mode: 0o755 },
        { kind: 'write', path: p.dolphin5, content: dolphin },
        { kind: 'edit', path: p.thunar, edit: (current) => mergeThunarActions(current, action) },
      ];
    }
  }
}

export function planShellRemove(dirs: UserDirs): FileOp[] {
  switch (dirs.platform) {
    case 'win32':
      return [{ kind: 'remove', path: sendToShortcutPath(dirs) }];
    case 'darwin':
      return [{ kind: 'remove', path: posix.dirname(macWorkflowDir(dirs)), recursive: true }];
    default: {
      const p = linuxPaths(dirs);
      return [
        { kind: 'remove', path: p.launcher },
        { kind: 'remove', path: p.nautilus },
        { kind: 'remove', path: p.dolphin6 },
        { kind: 'remove', path: p.dolphin5 },
        { kind: 'edit', path: p.thunar, edit: (current) => (current === null ? null : removeThunarAction(current)) },
      ];
    }
  }
}

/** Whether the integration looks installed (the first file of the plan exists). */
export function shellIntegrationMarker(dirs: UserDirs): string {
  if (dirs.platform === 'win32') return sendToShortcutPath(dirs);
  if (dirs.platform === 'darwin') return posix.join(macWorkflowDir(dirs), 'document.wflow');
  return linuxPaths(dirs).nautilus;
}
