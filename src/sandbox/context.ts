/** What an endpoint handler receives, and the shared state it works on. */
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../platform/clock.js';
import type { SandboxDrive } from './drive.js';
import type { Reply } from './envelope.js';

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  /** Path parameters, e.g. `file_token`. */
  params: Record<string, string>;
  /** Who the access token belongs to, e.g. `app:cli_sandbox`. */
  identity: string;
}

export type Handler = (ctx: RequestContext) => Promise<Reply>;

export interface SandboxState {
  drive: SandboxDrive;
  clock: Clock;
  uploadTtlMs: number;
  /** How long a folder task reports "process" before "success". */
  taskMs: number;
  /** Base of the `url` fields (the server's own address). */
  baseUrl(): string;
}
