/**
 * The settings window and its security: a private scheme for its files,
 * context isolation + sandbox + no Node, CSP as a header too, no navigation
 * away, no new windows, no permissions, no <webview>. (Electron edge: not
 * unit-tested; the decisions it applies live in rendererProtocol.ts.)
 */
import { readFile } from 'node:fs/promises';
import { app, BrowserWindow, protocol, session } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, isAllowedNavigation, resolveAppFile, SETTINGS_URL } from './rendererProtocol.js';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);
}

/** After ready: serve dist/app/renderer, and lock down every web contents the app ever creates. */
export function installWindowSecurity(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file.path);
      return new Response(body, { headers: { 'content-type': file.contentType, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export interface SettingsWindowOptions {
  preloadPath: string;
  title: string;
  iconPath?: string;
}

let current: BrowserWindow | null = null;

/** Show the settings window (one at a time), on `page` if given. */
export function showSettingsWindow(options: SettingsWindowOptions, page?: string): BrowserWindow {
  const url = page ? `${SETTINGS_URL}#${page}` : SETTINGS_URL;
  if (current && !current.isDestroyed()) {
    if (page) void current.loadURL(url);
    if (current.isMinimized()) current.restore();
    current.show();
    current.focus();
    return current;
  }
  const win = new BrowserWindow({
    width: 940,
    height: 700,
    minWidth: 720,
    minHeight: 520,
    title: options.title,
    show: false,
    autoHideMenuBar: true,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (current === win) current = null;
  });
  void win.loadURL(url);
  current = win;
  return win;
}

export function settingsWindow(): BrowserWindow | null {
  return current && !current.isDestroyed() ? current : null;
}
