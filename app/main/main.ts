/**
 * FeiSync's tray app: the Electron entry (package.json "main" →
 * dist/app/main/main.js). Wires the plain modules of app/main to Electron and
 * to the engine; every decision lives in those modules and is tested there.
 */
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { app, dialog, shell } from 'electron';
import { isConfigError } from '../../src/config/configError.js';
import { resolveConfigFile } from '../../src/config/paths.js';
import { startIpcServer, type IpcServerHandle } from '../../src/ipc/index.js';
import { createLogger, createRotatingFileSink, nullLogger, type Logger } from '../../src/platform/log.js';
import { defaultStateDir } from '../../src/platform/stateDir.js';
import { systemClock } from '../../src/platform/clock.js';
import { nextQuotaReset, quotaDayKey } from '../../src/sync/scheduler/quotaDay.js';
import { createEngineFromSettings } from '../../src/sync/engineFactory.js';
import { completeUserSignIn, signInUser } from '../../src/feishu/userSignIn.js';
import type { EngineState } from '../../src/sync/engineApi.js';
import type { AppInfo } from '../shared/bridgeApi.js';
import { APP_ID, PRODUCT_NAME } from './appIdentity.js';
import { testConnection } from './connectionTest.js';
import { forwardEvents, registerBridge } from './electronIpc.js';
import { startNotifications } from './electronNotifications.js';
import { openAppSecrets, openSharedSettings } from './electronStores.js';
import { createSystemActions } from './electronSystem.js';
import { TrayController } from './electronTray.js';
import { installWindowSecurity, registerAppScheme, settingsWindow, showSettingsWindow } from './electronWindow.js';
import { createEngineHolder, unconfiguredEngine } from './engineHolder.js';
import { createEngineLifecycle } from './engineLifecycle.js';
import { createBridgeHandlers } from './ipcHandlers.js';
import { parseLaunchArgs, parseProtocolUrl, PROTOCOL_SCHEME, secondInstanceLaunch, type InstanceHandoff, type LaunchRequest } from './launchArgs.js';
import { resolveLocale } from './locale.js';
import { mainMessages } from './mainMessages.js';
import { verifyNotice } from './remoteVerify.js';
import { actionFailureNotice } from './engineNotices.js';
import { applySettingsChange, settingsChangePlan } from './settingsChange.js';
import type { WatchedSettingsStore } from './settingsStore.js';
import { buildTrayMenu, type MenuAction } from './trayMenu.js';

/** `electron .` in development puts the app path after the executable. */
const ARGV_SKIP = process.defaultApp ? 2 : 1;
const appRoot = app.getAppPath();
const paths = {
  renderer: join(appRoot, 'dist', 'app', 'renderer'),
  preload: join(appRoot, 'dist', 'app', 'preload', 'preload.cjs'),
  trayIcons: join(appRoot, 'resources', 'icons', 'tray'),
  appIcon: join(appRoot, 'resources', 'icons', 'icon.png'),
  // Shell templates are extraResources: real files outside the asar, so file managers can read what we copy.
  shell: app.isPackaged ? join(process.resourcesPath, 'shell') : join(appRoot, 'resources', 'shell'),
};

interface Runtime {
  handleLaunch(request: LaunchRequest): void;
}
let runtime: Runtime | null = null;
const pendingUrls: string[] = [];

// Dev runs (`electron .`) would otherwise be named after package.json ("feisync") and keep
// Chromium's data in the CLI's config folder; Windows needs the id for notifications.
app.setName(PRODUCT_NAME);
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
registerAppScheme();
// macOS delivers feisync:// links (Quick Action, browser) through open-url, possibly before ready.
app.on('open-url', (event, url) => {
  event.preventDefault();
  if (runtime) runtime.handleLaunch({ hidden: true, ...parseProtocolUrl(url) });
  else pendingUrls.push(url);
});

const handoff: InstanceHandoff = { argv: process.argv, cwd: process.cwd() };
if (!app.requestSingleInstanceLock(handoff as unknown as Record<string, unknown>)) {
  // Another FeiSync runs: it receives our argv (second-instance) and does the work.
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    runtime?.handleLaunch(secondInstanceLaunch(argv, workingDirectory, additionalData, { skip: ARGV_SKIP }));
  });
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  app.whenReady().then(start, fatal);
}

async function start(): Promise<void> {
  installWindowSecurity(paths.renderer);
  const stateDir = defaultStateDir();
  const logDir = join(stateDir, 'logs');
  const logger = openLogger(logDir);

  let settings: WatchedSettingsStore;
  const settingsPath = resolveConfigFile(undefined);
  try {
    settings = openSharedSettings(settingsPath, logger);
  } catch (e) {
    // Never start on (and so never overwrite) a settings file we cannot read.
    const detail = isConfigError(e) ? `${e.message}\n\n${e.remedy}` : String(e);
    dialog.showErrorBox('FeiSync cannot read its settings', detail);
    app.exit(1);
    return;
  }
  const t = () => mainMessages(resolveLocale(settings.get().language, app.getLocale()));
  const appSecrets = openAppSecrets(settingsPath, logger);
  const secrets = appSecrets.store;

  const emptyQuota = (): EngineState['quota'] => {
    const zone = settings.get().limits.quotaTimeZone;
    const now = systemClock.now();
    return { day: quotaDayKey(now, zone), resetsAt: nextQuotaReset(now, zone), endpoints: [], exhausted: false };
  };
  const holder = createEngineHolder(unconfiguredEngine(emptyQuota()), { lang: () => resolveLocale(settings.get().language, app.getLocale()) });
  const lifecycle = createEngineLifecycle({
    settings,
    stateDir,
    holder,
    logger,
    emptyQuota,
    clock: systemClock,
    blocked: () => daemonRunning,
    create: createEngineFromSettings,
    appSecret: appSecrets.appSecret,
    userTokens: appSecrets.userTokens,
  });

  const appInfo = (): AppInfo => ({
    version: app.getVersion(),
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
    node: process.versions.node,
    platform: process.platform,
    locale: resolveLocale(settings.get().language, app.getLocale()),
    logDir,
    stateDir,
  });
  const handlers = createBridgeHandlers({
    engine: holder,
    settings,
    secrets,
    fs: { stat: (p) => fsp.stat(p) },
    shell: { openPath: (p) => shell.openPath(p), openExternal: (u) => shell.openExternal(u) },
    dialog: {
      async pickFolder() {
        const win = settingsWindow();
        const options = { properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    },
    drive: () => lifecycle.drive(),
    signIn: { signInUser, completeUserSignIn, saveUserTokens: appSecrets.logins.save, hasUserTokens: appSecrets.logins.has },
    testConnection: (account, secret) => testConnection(account, secret),
    info: appInfo,
    system: createSystemActions({
      appRoot,
      logDir,
      shellTemplatesDir: paths.shell,
      diagnostics: () => ({ info: appInfo(), settings: settings.get(), state: holder.getState(), secretStored: settings.get().account ? secrets.has('appSecret', settings.get().account!.appId) : false }),
    }),
    onAccountChanged: () => void restartEngine(),
    logError: (method, error) => logger.error('bridge call failed', { method, error: String(error) }),
  });
  registerBridge(handlers);

  const notifier = startNotifications({
    engine: holder,
    clock: systemClock,
    enabled: () => settings.get().notifications,
    messages: t,
    open: (url) => (url ? void handlers.openUrl(url) : openSettings()),
  });
  const notify = notifier.notify;
  holder.on(forwardEvents(settingsWindow));

  // Tray: rebuilt at most twice a second (progress events come per block).
  const openSettings = (page?: string) => showSettingsWindow({ preloadPath: paths.preload, title: PRODUCT_NAME, iconPath: paths.appIcon }, page);
  const tray = new TrayController(paths.trayIcons, (action) => void runAction(action));
  const drawTray = () => tray.update(buildTrayMenu(holder.getState(), { locale: resolveLocale(settings.get().language, app.getLocale()) }));
  let trayTimer: NodeJS.Timeout | null = null;
  /** Set at Quit: from then on the engine and its index close, and nothing may read them. */
  let quitting = false;
  holder.on(() => {
    if (quitting) return;
    trayTimer ??= setTimeout(() => {
      trayTimer = null;
      drawTray();
    }, 500);
  });
  drawTray();

  const setPaused = (paused: boolean) => settings.set({ ...settings.get(), paused });
  async function runAction(action: MenuAction): Promise<void> {
    const result = await (async () => {
      switch (action.type) {
        case 'pause':
          setPaused(true);
          return handlers.pause();
        case 'resume':
          setPaused(false);
          return handlers.resume();
        case 'syncNow':
          return handlers.syncNow(action.mappingId ?? null);
        case 'retryFailed':
          return handlers.retryFailed(action.mappingId ?? null);
        case 'verify': {
          // Waits for the listing and the pass that uploads again (minutes, for a big folder).
          const checked = await handlers.verifyRemote(action.mappingId);
          const mapping = settings.get().mappings.find((m) => m.id === action.mappingId);
          if (checked.ok && mapping) notify(verifyNotice(t(), mapping, checked.value));
          return checked;
        }
        case 'openLocal':
          return handlers.openLocal(action.path);
        case 'openUrl':
          return handlers.openUrl(action.url);
        case 'openSettings':
          openSettings(action.page);
          return null;
        case 'quit':
          app.quit();
          return null;
      }
    })();
    const failed = result && !result.ok ? actionFailureNotice(result.error) : undefined;
    if (failed) notify(failed);
    drawTray();
  }

  // `feisync send` from a terminal reaches the app through the same socket the CLI daemon uses.
  // `feisync send` from a terminal reaches the app through the socket the CLI daemon would use.
  // If `feisync sync` already holds it, that daemon syncs this state folder: the app's engine
  // waits (two engines on one index would collide) and the app retries every 30 s.
  let ipc: IpcServerHandle | null = null;
  let daemonRunning: string | undefined;
  const claimSocket = async (): Promise<void> => {
    try {
      ipc = await startIpcServer(holder, { stateDir, logger, kind: 'app', version: app.getVersion(), onPausedChange: setPaused });
      daemonRunning = undefined;
    } catch (e) {
      if ((e as { code?: string }).code !== 'E_IPC_IN_USE') {
        logger.warn('IPC server not started; `feisync send` will not reach the app', { error: String(e) });
        return;
      }
      daemonRunning = '`feisync sync` is already running for this account: the app waits until it stops.';
    }
  };
  await claimSocket();
  const socketRetry = setInterval(() => {
    if (!daemonRunning) return;
    void claimSocket().then(() => (daemonRunning ? undefined : restartEngine()));
  }, 30_000);
  socketRetry.unref();

  async function restartEngine(): Promise<void> {
    try {
      const status = await lifecycle.restart();
      if (!status.running) logger.info('engine not started', { reason: status.reason });
    } catch (e) {
      logger.error('engine failed to start', { error: String(e) });
      notify({ title: t().engineFailedTitle, body: String((e as Error).message ?? e) });
    }
    drawTray();
  }

  // `feisync map add`, `feisync login`, … while the app runs: the engine follows the file.
  settings.onExternalChange((next, previous) => {
    const plan = settingsChangePlan(previous, next);
    if (plan.rebuild) void restartEngine();
    else applySettingsChange(holder, plan);
    drawTray();
  });

  runtime = {
    handleLaunch(request) {
      for (const problem of request.problems) notify({ title: 'FeiSync', body: problem });
      if (request.send.length > 0) {
        // The engine reports the outcome as a 'sendDone' event (→ notification).
        holder.send(request.send).catch((e: unknown) => {
          logger.warn('send failed', { count: request.send.length, error: String(e) });
          notify({ title: t().sendFailedTitle, body: (e as Error).message ?? String(e) });
        });
      } else if (!request.hidden && request.problems.length === 0) {
        openSettings();
      }
    },
  };

  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    if (trayTimer) clearTimeout(trayTimer); // a redraw would read the closing index
    notifier.dispose();
    clearInterval(socketRetry);
    void Promise.allSettled([lifecycle.close(), ipc?.close()]).finally(() => {
      tray.destroy();
      app.quit();
    });
  });

  if (process.defaultApp) app.setAsDefaultProtocolClient(PROTOCOL_SCHEME, process.execPath, [appRoot]);
  else app.setAsDefaultProtocolClient(PROTOCOL_SCHEME);

  await restartEngine();
  const first = parseLaunchArgs(process.argv, { cwd: process.cwd(), skip: ARGV_SKIP });
  const atLogin = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  runtime.handleLaunch({ ...first, hidden: true }); // sends and problems only
  // A first launch opens the window only to set up the account; later the tray is the app.
  if (!first.hidden && !atLogin && first.send.length === 0 && !settings.get().account) openSettings('account');
  for (const url of pendingUrls.splice(0)) runtime.handleLaunch({ hidden: true, ...parseProtocolUrl(url) });
}

function openLogger(logDir: string): Logger {
  try {
    return createLogger(createRotatingFileSink(logDir), { fields: { pid: process.pid, component: 'app' } });
  } catch {
    return nullLogger;
  }
}

function fatal(e: unknown): void {
  dialog.showErrorBox('FeiSync failed to start', e instanceof Error ? `${e.message}\n\n${e.stack ?? ''}` : String(e));
  app.exit(1);
}
