/**
 * What the settings window asks of the operating system: start at login,
 * "Send to Feishu" in file managers, the log folder, diagnostics. The plans
 * come from tested modules (autostart.ts, shell/*); this file carries them
 * out with Electron and the real file system. Electron edge.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { app, shell } from 'electron';
import { readLogTail } from '../../src/platform/logFiles.js';
import { systemClock } from '../../src/platform/clock.js';
import { planAutostart } from './autostart.js';
import { buildDiagnostics, diagnosticsFileName, type DiagnosticsInput } from './diagnostics.js';
import type { HandlerDeps } from './ipcHandlers.js';
import { HIDDEN_FLAG } from './launchArgs.js';
import { appLaunchArgv } from './launchCommand.js';
import { applyFileOps } from './shell/fileOps.js';
import { planShellInstall, planShellRemove, shellIntegrationMarker, type Templates, type UserDirs } from './shell/shellIntegration.js';
import { SHELL_TEMPLATES } from './shell/shellTemplates.js';

const run = promisify(execFile);

export interface SystemOptions {
  appRoot: string;
  logDir: string;
  /** resources/shell (packaged: next to the asar). */
  shellTemplatesDir: string;
  diagnostics(): Omit<DiagnosticsInput, 'logLines' | 'now'>;
}

export function createSystemActions(options: SystemOptions): HandlerDeps['system'] {
  const userDirs: UserDirs = {
    platform: process.platform,
    home: app.getPath('home'),
    xdgDataHome: process.env.XDG_DATA_HOME,
    xdgConfigHome: process.env.XDG_CONFIG_HOME,
    appData: app.getPath('appData'),
  };
  const launchArgv = () =>
    appLaunchArgv({ execPath: process.execPath, appImage: process.env.APPIMAGE, defaultApp: process.defaultApp === true, appPath: options.appRoot });
  const exec = async (file: string, args: string[]) => void (await run(file, args, { windowsHide: true }));
  const templates = (): Templates =>
    Object.fromEntries(Object.entries(SHELL_TEMPLATES).map(([name, rel]) => [name, readFileSync(join(options.shellTemplatesDir, rel), 'utf8')])) as Templates;

  return {
    async setStartAtLogin(enabled) {
      if (process.platform === 'linux') {
        // Electron has no login items on Linux: an XDG autostart entry does it.
        await applyFileOps(planAutostart(enabled, { home: userDirs.home, xdgConfigHome: userDirs.xdgConfigHome }, launchArgv()), fsp, exec);
      } else {
        app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: [HIDDEN_FLAG] });
      }
    },
    async setShellIntegration(enabled) {
      await applyFileOps(enabled ? planShellInstall(userDirs, templates(), launchArgv()) : planShellRemove(userDirs), fsp, exec);
    },
    shellIntegrationInstalled: () => existsSync(shellIntegrationMarker(userDirs)),
    async openLogFolder() {
      await fsp.mkdir(options.logDir, { recursive: true });
      const failure = await shell.openPath(options.logDir);
      if (failure) throw new Error(failure);
    },
    async exportDiagnostics() {
      const now = systemClock.now();
      const file = join(app.getPath('downloads'), diagnosticsFileName(now));
      await fsp.writeFile(file, buildDiagnostics({ ...options.diagnostics(), logLines: logTail(options.logDir), now }), { mode: 0o600 });
      shell.showItemInFolder(file);
      return file;
    },
  };
}

function logTail(logDir: string): string[] {
  try {
    return readLogTail(logDir, 500);
  } catch {
    return []; // no log yet
  }
}
