/**
 * The daemon side of the control socket. Used by `feisync sync` (watch mode)
 * and by the tray app's main process: `startIpcServer(engine, { stateDir })`.
 */
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { SyncEngineApi } from '../sync/engineApi.js';
import { nullLogger, type Logger } from '../platform/log.js';
import { readLines, writeLine } from './lineStream.js';
import { IPC_METHODS, IpcError, type IpcMethod, type IpcMethods, type IpcRequest, type IpcResponse } from './protocol.js';
import { ipcSocketPath } from './socketPath.js';

export type IpcEngine = Pick<SyncEngineApi, 'send' | 'getState' | 'pause' | 'resume' | 'syncNow'>;

export interface IpcServerOptions {
  stateDir: string;
  /** Override the socket path (tests). */
  socketPath?: string;
  logger?: Logger;
  /** Who answers `ping`. */
  kind?: 'cli' | 'app';
  version?: string;
  /** Called after pause/resume so the caller can persist the flag. */
  onPausedChange?: (paused: boolean) => void;
}

export interface IpcServerHandle {
  readonly path: string;
  close(): Promise<void>;
}

/** Listen on the state dir's socket. Replaces a stale socket; refuses when another daemon answers. */
export async function startIpcServer(engine: IpcEngine, options: IpcServerOptions): Promise<IpcServerHandle> {
  const path = options.socketPath ?? ipcSocketPath(options.stateDir);
  const log = (options.logger ?? nullLogger).child({ component: 'ipc' });
  const isPipe = path.startsWith('\\\\');
  if (!isPipe) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (existsSync(path)) {
      if (await isListening(path)) {
        throw new IpcError({
          code: 'E_IPC_IN_USE',
          message: `another FeiSync instance is already running for this state dir (socket ${path})`,
          remedy: 'Use `feisync status` to talk to it, or stop it first; use --state for a separate instance.',
        });
      }
      log.info('removing stale socket', { path });
      rmSync(path, { force: true });
    }
  }

  const handlers = methodHandlers(engine, options);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (e) => log.debug('client socket error', { error: e }));
    readLines(
      socket,
      (line) => void answer(line, socket),
      () => {
        writeLine(socket, failure(null, 'E_IPC_BAD_REQUEST', 'request line too long', 'Send smaller requests.'));
        socket.destroy();
      },
    );
  });

  const answer = async (line: string, socket: Socket) => {
    let request: IpcRequest;
    try {
      request = JSON.parse(line) as IpcRequest;
    } catch {
      return writeLine(socket, failure(null, 'E_IPC_BAD_REQUEST', 'request is not JSON', 'Send one JSON object per line.'));
    }
    const id = request?.id ?? null;
    if (!request || typeof request !== 'object' || !IPC_METHODS.includes(request.method)) {
      return writeLine(
        socket,
        failure(id, 'E_IPC_BAD_REQUEST', `unknown method ${JSON.stringify(request?.method)}`, `Use one of: ${IPC_METHODS.join(', ')}.`),
      );
    }
    try {
      const result = await handlers[request.method]((request.params ?? {}) as never);
      writeLine(socket, { id, ok: true, result } satisfies IpcResponse);
    } catch (e) {
      log.warn('ipc request failed', { method: request.method, error: e });
      const err = e as { code?: unknown; message?: string; remedy?: string };
      writeLine(
        socket,
        failure(id, typeof err.code === 'string' || typeof err.code === 'number' ? String(err.code) : 'E_IPC_FAILED', err.message ?? String(e), err.remedy ?? 'See `feisync log` for details.'),
      );
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The socket file is created inside listen(): a tight umask means no other user can ever connect, not even briefly.
    const oldMask = isPipe ? undefined : process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      if (oldMask !== undefined) process.umask(oldMask);
    }
  });
  if (!isPipe) chmodSync(path, 0o600);
  log.info('listening', { path });

  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          if (!isPipe) rmSync(path, { force: true });
          resolve();
        });
      }),
  };
}

type Handlers = { [M in IpcMethod]: (params: IpcMethods[M]['params']) => Promise<IpcMethods[M]['result']> };

function methodHandlers(engine: IpcEngine, options: IpcServerOptions): Handlers {
  return {
    send: async (params) => {
      if (!Array.isArray(params.paths) || params.paths.length === 0 || !params.paths.every((p) => typeof p === 'string')) {
        throw new IpcError({ code: 'E_IPC_BAD_REQUEST', message: 'send needs params.paths: a non-empty list of absolute paths', remedy: 'Pass at least one path.' });
      }
      return engine.send(params.paths, params.target);
    },
    status: async () => engine.getState(),
    quota: async () => engine.getState().quota,
    pause: async () => {
      engine.pause();
      options.onPausedChange?.(true);
      return { paused: true };
    },
    resume: async () => {
      engine.resume();
      options.onPausedChange?.(false);
      return { paused: false };
    },
    syncNow: async (params) => {
      // A full rescan can take minutes: answer at once, report failures through the engine's events.
      engine.syncNow(params.mappingId).catch(() => {});
      return { started: true };
    },
    ping: async () => ({ pid: process.pid, version: options.version ?? '0.0.0', kind: options.kind ?? 'cli' }),
  };
}

function failure(id: number | string | null, code: string, message: string, remedy: string): IpcResponse {
  return { id, ok: false, error: { code, message, remedy } };
}

/** True when something accepts connections on `path`. */
export function isListening(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const done = (result: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
