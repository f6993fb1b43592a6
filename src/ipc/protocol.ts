/**
 * The local control protocol between `feisync` commands and a running
 * daemon (`feisync sync` in watch mode, or the tray app): newline-delimited
 * JSON over a Unix socket (0600, in the state dir) or a Windows named pipe.
 *
 *   → {"id":1,"method":"status","params":{}}
 *   ← {"id":1,"ok":true,"result":{...EngineState}}
 *   ← {"id":2,"ok":false,"error":{"code":"E_IPC_BAD_REQUEST","message":"...","remedy":"..."}}
 */
import type { EngineState, QuotaState, SendResult, SendTarget } from '../sync/engineApi.js';

export interface IpcMethods {
  /** Upload now at top priority; resolves when every path is done. */
  send: { params: { paths: string[]; target?: SendTarget }; result: SendResult[] };
  status: { params: Record<string, never>; result: EngineState };
  pause: { params: Record<string, never>; result: { paused: boolean } };
  resume: { params: Record<string, never>; result: { paused: boolean } };
  syncNow: { params: { mappingId?: string }; result: { started: true } };
  quota: { params: Record<string, never>; result: QuotaState };
  /** Who is listening (daemon detection, `feisync status`). */
  ping: { params: Record<string, never>; result: { pid: number; version: string; kind: 'cli' | 'app' } };
}

export type IpcMethod = keyof IpcMethods;

export const IPC_METHODS: readonly IpcMethod[] = ['send', 'status', 'pause', 'resume', 'syncNow', 'quota', 'ping'];

export interface IpcRequest<M extends IpcMethod = IpcMethod> {
  id: number | string;
  method: M;
  params?: IpcMethods[M]['params'];
}

export interface IpcErrorBody {
  code: string;
  message: string;
  remedy: string;
}

export type IpcResponse<M extends IpcMethod = IpcMethod> =
  | { id: number | string | null; ok: true; result: IpcMethods[M]['result'] }
  | { id: number | string | null; ok: false; error: IpcErrorBody };

/** A request line longer than this is refused (a client gone wrong, not a real request). */
export const MAX_IPC_LINE_BYTES = 4 * 1024 * 1024;

export class IpcError extends Error {
  override readonly name = 'IpcError';
  readonly code: string;
  readonly remedy: string;
  constructor(body: IpcErrorBody, options?: { cause?: unknown }) {
    super(body.message, options);
    this.code = body.code;
    this.remedy = body.remedy;
  }
}
