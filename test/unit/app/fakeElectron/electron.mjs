// A stand-in for Electron's main-process API, enough to run dist/app/main/main.js
// under plain Node. It records what the app does (process.send to the test) and
// lets the test drive it (messages: invoke a bridge call, fire second-instance,
// click a tray item, fetch from the app scheme, quit).
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';

const env = process.env;
// Like `electron .`: argv[1] is the app path, not a user argument.
process.defaultApp = true;
const report = (type, data = {}) => process.send?.({ ...data, type });

class FakeApp extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock(data) {
    report('singleInstanceLock', { data });
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getAppPath() {
    return env.FAKE_APP_PATH;
  }
  getPath(name) {
    const dirs = { home: env.HOME, appData: env.FAKE_APP_DATA, userData: env.FAKE_USER_DATA, downloads: env.FAKE_DOWNLOADS, temp: env.TMPDIR ?? '/tmp' };
    if (!dirs[name]) throw new Error(`fake electron: no path ${name}`);
    return dirs[name];
  }
  getLocale() {
    return env.FAKE_LOCALE ?? 'en-US';
  }
  getVersion() {
    return '0.1.0';
  }
  setName(name) {
    report('setName', { name });
  }
  setAppUserModelId() {}
  setAsDefaultProtocolClient(scheme, ...rest) {
    report('protocolClient', { scheme, rest });
    return true;
  }
  getLoginItemSettings() {
    return { openAtLogin: false, wasOpenedAtLogin: false };
  }
  setLoginItemSettings(settings) {
    report('loginItem', { settings });
  }
  quit() {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) {
      report('quit');
      setTimeout(() => process.exit(0), 10);
    }
  }
  exit(code) {
    report('exit', { code });
    process.exit(code);
  }
}
export const app = new FakeApp();

const handlers = new Map();
export const ipcMain = {
  handle: (channel, fn) => handlers.set(channel, fn),
  on: () => {},
};
let schemeHandler = null;
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => report('privilegedSchemes', { schemes }),
  handle: (scheme, fn) => {
    schemeHandler = fn;
    report('schemeHandled', { scheme });
  },
};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
    webRequest: { onHeadersReceived: () => {} },
  },
};
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = { send: (channel, payload) => report('webContentsSend', { channel, eventType: payload?.type }) };
    report('window', { options: { ...options, webPreferences: { ...options.webPreferences } }, preloadExists: existsSync(options.webPreferences?.preload ?? '') });
  }
  loadURL(url) {
    report('loadURL', { url });
    setTimeout(() => this.emit('ready-to-show'), 1);
    return Promise.resolve();
  }
  isDestroyed() { return false; }
  isMinimized() { return false; }
  restore() {}
  show() {}
  focus() {}
}
let lastMenu = [];
export const Menu = { buildFromTemplate: (template) => ((lastMenu = template), template) };
export class Tray extends EventEmitter {
  constructor(image) {
    super();
    report('trayCreated', { icon: image.path, exists: existsSync(image.path) });
  }
  setImage(image) { report('trayIcon', { icon: image.path, exists: existsSync(image.path) }); }
  setToolTip(text) { report('trayTooltip', { text }); }
  setTitle() {}
  setContextMenu() {}
  popUpContextMenu() {}
  destroy() { report('trayDestroyed'); }
}
export const nativeImage = { createFromPath: (path) => ({ path, setTemplateImage() {} }) };
export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false });
export class Notification extends EventEmitter {
  static isSupported() { return true; }
  constructor(options) {
    super();
    this.options = options;
  }
  show() { report('notification', { title: this.options.title, body: this.options.body }); }
}
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s) => Buffer.from(`fake:${Buffer.from(s).toString('hex')}`),
  decryptString: (b) => Buffer.from(b.toString().slice(5), 'hex').toString(),
};
export const shell = {
  openPath: async (p) => (report('openPath', { path: p }), ''),
  openExternal: async (u) => report('openExternal', { url: u }),
  showItemInFolder: (p) => report('showItemInFolder', { path: p }),
};
export const dialog = {
  showErrorBox: (title, content) => report('errorBox', { title, content }),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
};

const labels = (items) => items.map((i) => (i.type === 'separator' ? '---' : i.submenu ? { label: i.label, submenu: labels(i.submenu) } : i.label));
function findItem(items, path) {
  const [head, ...rest] = path;
  const item = items.find((i) => i.label === head);
  if (!item) return undefined;
  return rest.length ? findItem(item.submenu ?? [], rest) : item;
}

process.on('message', async (msg) => {
  const reply = (data) => report('reply', { ...data, id: msg.id });
  try {
    switch (msg.cmd) {
      case 'invoke': {
        const fn = handlers.get('feisync:invoke');
        const event = { senderFrame: { url: msg.frameUrl ?? 'feisync-app://app/index.html' } };
        return reply({ result: await fn(event, msg.method, ...(msg.args ?? [])) });
      }
      case 'second-instance':
        app.emit('second-instance', {}, msg.argv, msg.cwd, msg.data);
        return reply({});
      case 'open-url':
        app.emit('open-url', { preventDefault() {} }, msg.url);
        return reply({});
      case 'menu':
        return reply({ menu: labels(lastMenu) });
      case 'click': {
        const item = findItem(lastMenu, msg.path);
        item?.click?.();
        return reply({ clicked: !!item?.click });
      }
      case 'fetch': {
        const res = await schemeHandler(new Request(msg.url));
        return reply({ status: res.status, csp: res.headers.get('content-security-policy'), contentType: res.headers.get('content-type'), text: (await res.text()).slice(0, 4000) });
      }
      case 'quit':
        app.quit();
        return reply({});
    }
  } catch (e) {
    reply({ error: String(e?.stack ?? e) });
  }
});

export default { app, ipcMain, protocol, session, BrowserWindow, Menu, Tray, nativeImage, nativeTheme, Notification, safeStorage, shell, dialog };
