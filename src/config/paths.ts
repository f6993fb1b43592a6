/**
 * Where the settings file lives. The CLI (conf) and the tray app
 * (electron-store, `cwd: defaultConfigDir()`) use the same file.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const CONFIG_FILE_NAME = 'config.json';

/** The platform config directory (what env-paths gives `conf` for "feisync" with no suffix). */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'feisync');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'feisync', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'feisync');
}

/** `--config FILE`, else FEISYNC_CONFIG, else the platform default. */
export function resolveConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag || env.FEISYNC_CONFIG;
  return chosen ? resolve(chosen) : join(defaultConfigDir(env), CONFIG_FILE_NAME);
}
