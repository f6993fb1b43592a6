/**
 * Where FeiSync keeps its state (the SQLite index, logs). The CLI and the app
 * both ask here, so they share one index per user.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface StateDirEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/**
 * The platform's per-user state folder for FeiSync:
 * - `FEISYNC_STATE_DIR` when set (tests, portable installs);
 * - Linux/BSD: `$XDG_STATE_HOME/feisync`, else `~/.local/state/feisync`;
 * - macOS: `~/Library/Application Support/FeiSync`;
 * - Windows: `%LOCALAPPDATA%\FeiSync`, else `~\AppData\Local\FeiSync`.
 */
export function defaultStateDir(
  from: StateDirEnv = { platform: process.platform, env: process.env, home: homedir() },
): string {
  const { platform, env, home } = from;
  if (env.FEISYNC_STATE_DIR) return env.FEISYNC_STATE_DIR;
  if (platform === 'win32') {
    return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'FeiSync');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'FeiSync');
  // XDG says relative values are invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  return posix.join(xdg && xdg.startsWith('/') ? xdg : posix.join(home, '.local', 'state'), 'feisync');
}

/** The index file inside a state folder. */
export const INDEX_FILE_NAME = 'index.db';
