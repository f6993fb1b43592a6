/** The command side of the control socket: talk to a running daemon, if any. */
import { createConnection, type Socket } from 'node:net';
import { readLines, writeLine } from './lineStream.js';
import { IpcError, type IpcMethod, type IpcMethods, type IpcResponse } from './protocol.js';
import { ipcSocketPath } from './socketPath.js';

export interface IpcClient {
  call<M extends IpcMethod>(method: M, params?: IpcMethods[M]['params'], options?: { timeoutMs?: number }): Promise<IpcMethods[M]['result']>;
  close(): void;
}

/**
 * Connect to the daemon of `stateDir`. Resolves null when no daemon listens
 * (no socket, or a stale one), so callers can fall back to running the work themselves.
 */
export function connectIpc(stateDir: string, options: { socketPath?: string; connectTimeoutMs?: number } = {}): Promise<IpcClient | null> {
  const path = options.socketPath ?? ipcSocketPath(stateDir);
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, options.connectTimeoutMs ?? 2000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(clientOn(socket));
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') resolve(null);
      else if (e.code === 'EACCES' || e.code === 'EPERM') {
        reject(
          new IpcError({
            code: 'E_IPC_DENIED',
            message: `permission denied on the control socket ${path}`,
            remedy: 'Run the command as the user who started FeiSync.',
          }),
        );
      } else resolve(null);
    });
  });
}

function clientOn(socket: Socket): IpcClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(error);
    }
    pending.clear();
  };
  readLines(
    socket,
    (line) => {
      let response: IpcResponse;
      try {
        response = JSON.parse(line) as IpcResponse;
      } catch {
        return;
      }
      const p = typeof response.id === 'number' ? pending.get(response.id) : undefined;
      if (!p) return;
      pending.delete(response.id as number);
      if (p.timer) clearTimeout(p.timer);
      if (response.ok) p.resolve(response.result);
      else p.reject(new IpcError(response.error));
    },
    () => failAll(new IpcError({ code: 'E_IPC_BAD_RESPONSE', message: 'the daemon sent an oversized answer', remedy: 'See `feisync log`.' })),
  );
  socket.on('error', (e) => failAll(new IpcError({ code: 'E_IPC_LOST', message: `lost the daemon connection: ${e.message}`, remedy: 'Check that FeiSync is still running (`feisync status`).' })));
  socket.on('close', () => failAll(new IpcError({ code: 'E_IPC_LOST', message: 'the daemon closed the connection', remedy: 'Check that FeiSync is still running (`feisync status`).' })));

  return {
    call(method, params, options) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const entry: { resolve: (v: unknown) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout } = {
          resolve: resolve as (v: unknown) => void,
          reject,
        };
        if (options?.timeoutMs) {
          entry.timer = setTimeout(() => {
            pending.delete(id);
            reject(new IpcError({ code: 'E_IPC_TIMEOUT', message: `the daemon did not answer ${method} in ${options.timeoutMs} ms`, remedy: 'Check `feisync log`; restart FeiSync if it hangs.' }));
          }, options.timeoutMs);
        }
        pending.set(id, entry);
        writeLine(socket, { id, method, params: params ?? {} });
      });
    },
    close() {
      socket.end();
      socket.destroy();
    },
  };
}

/** One call to the daemon, or null when none runs. */
export async function callDaemon<M extends IpcMethod>(
  stateDir: string,
  method: M,
  params?: IpcMethods[M]['params'],
  options: { socketPath?: string; timeoutMs?: number } = {},
): Promise<IpcMethods[M]['result'] | null> {
  const client = await connectIpc(stateDir, options);
  if (!client) return null;
  try {
    return await client.call(method, params, { timeoutMs: options.timeoutMs });
  } finally {
    client.close();
  }
}
