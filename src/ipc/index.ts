export { startIpcServer, isListening, type IpcServerHandle, type IpcServerOptions, type IpcEngine } from './server.js';
export { connectIpc, callDaemon, type IpcClient } from './client.js';
export { ipcSocketPath } from './socketPath.js';
export * from './protocol.js';
