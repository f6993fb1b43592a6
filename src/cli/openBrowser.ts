/**
 * Opening the sign-in page in the user's browser — only on an interactive
 * terminal of a desktop session that has an opener (never in scripts, CI,
 * SSH sessions without a display, or with FEISYNC_NO_BROWSER=1). The URL is
 * always printed as well, so a failed attempt costs nothing.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface OpenerEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  /** Is `command` an executable on PATH? */
  onPath?: (command: string) => boolean;
}

/** The command (and leading args) that opens a URL here, or null when none should be tried. */
export function browserOpener(o: OpenerEnv): { command: string; args: string[] } | null {
  if (!o.isTTY || o.env.FEISYNC_NO_BROWSER === '1' || o.env.CI) return null;
  const onPath = o.onPath ?? ((command) => isOnPath(command, o.env.PATH ?? ''));
  if (o.platform === 'darwin') return { command: 'open', args: [] };
  if (o.platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  if (!o.env.DISPLAY && !o.env.WAYLAND_DISPLAY) return null;
  return onPath('xdg-open') ? { command: 'xdg-open', args: [] } : null;
}

function isOnPath(command: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Try to open `url`; true when an opener was started (it may still fail on its own). */
export function openBrowser(url: string, o: OpenerEnv): boolean {
  const opener = browserOpener(o);
  if (!opener) return false;
  try {
    const child = spawn(opener.command, [...opener.args, url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
