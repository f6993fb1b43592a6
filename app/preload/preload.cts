/**
 * The settings window's only door to main: ONE object, `window.feisync`,
 * whose methods forward to ipcMain handlers that validate every argument.
 * A sandboxed preload can require nothing but 'electron', so this file stands
 * alone (CommonJS, emitted as preload.cjs); names are checked against
 * app/shared/bridgeApi.ts by the compiler.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BridgeEventChannel, BridgeInvokeChannel, BridgeMethod, FeiSyncBridge } from '../shared/bridgeApi.js';
import type { EngineEvent } from '../../src/sync/engineApi.js';

const INVOKE: BridgeInvokeChannel = 'feisync:invoke';
const EVENTS: BridgeEventChannel = 'feisync:event';

/** Every bridge method, once: the compiler rejects a missing or an unknown name. */
const METHODS = {
  getInfo: true,
  getSettings: true,
  getState: true,
  saveAccount: true,
  testConnection: true,
  startSignIn: true,
  cancelSignIn: true,
  signInLink: true,
  completeSignIn: true,
  addMapping: true,
  updateMapping: true,
  removeMapping: true,
  pickFolder: true,
  listRemoteFolders: true,
  saveLimits: true,
  savePreferences: true,
  pause: true,
  resume: true,
  syncNow: true,
  retryFailed: true,
  verifyRemote: true,
  openLocal: true,
  openUrl: true,
  openLogFolder: true,
  exportDiagnostics: true,
} as const satisfies Record<BridgeMethod, true>;

const api = Object.fromEntries(
  (Object.keys(METHODS) as BridgeMethod[]).map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(INVOKE, method, ...args)]),
) as Omit<FeiSyncBridge, 'onEvent'>;

const bridge: FeiSyncBridge = {
  ...api,
  onEvent(listener) {
    // Only the event is passed on: the IpcRendererEvent (with `sender`) never reaches the page.
    const handler = (_event: IpcRendererEvent, payload: EngineEvent) => listener(payload);
    ipcRenderer.on(EVENTS, handler);
    return () => void ipcRenderer.removeListener(EVENTS, handler);
  },
};

contextBridge.exposeInMainWorld('feisync', bridge);
