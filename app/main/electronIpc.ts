/** Registers the bridge handlers on ipcMain and pushes engine events to the settings window. Electron edge. */
import { ipcMain, type BrowserWindow } from 'electron';
import type { EngineEvent } from '../../src/sync/engineApi.js';
import type { BridgeEventChannel, BridgeInvokeChannel, BridgeMethod } from '../shared/bridgeApi.js';
import type { BridgeHandlers } from './ipcHandlers.js';
import { progressGate } from './progressGate.js';
import { isAllowedNavigation } from './rendererProtocol.js';

const INVOKE: BridgeInvokeChannel = 'feisync:invoke';
const EVENTS: BridgeEventChannel = 'feisync:event';

export function registerBridge(handlers: BridgeHandlers): void {
  ipcMain.handle(INVOKE, async (event, method: unknown, ...args: unknown[]) => {
    // Only our own page may call, and only the methods the bridge declares.
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isAllowedNavigation(frameUrl)) {
      return { ok: false, error: { code: 'E_FORBIDDEN', message: 'This page may not control FeiSync.', remedy: 'Open Settings from the FeiSync tray icon.' } };
    }
    if (typeof method !== 'string' || !Object.hasOwn(handlers, method)) {
      return { ok: false, error: { code: 'E_INVALID_ARGUMENT', message: `Unknown call ${String(method)}.`, remedy: 'Reload the settings window.' } };
    }
    return handlers[method as BridgeMethod](...args);
  });
}

export function forwardEvents(window: () => BrowserWindow | null): (event: EngineEvent) => void {
  const pass = progressGate(() => Date.now());
  return (event) => {
    const win = window();
    if (!win || !pass(event)) return;
    if (!win.isDestroyed()) win.webContents.send(EVENTS, event);
  };
}
