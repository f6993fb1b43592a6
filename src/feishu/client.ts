/**
 * FeishuClient: the DriveApi over HTTP. It owns one keep-alive dispatcher and
 * one token provider; the endpoint modules do the protocol work. It never
 * retries (apart from the single re-auth) and never paces: the RequestHook is
 * where the scheduler paces and counts.
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../platform/clock.js';
import { apiContext, type ApiContext } from './apiContext.js';
import { AppTokenProvider, UserTokenProvider, type TokenProvider, type UserTokenOptions } from './auth.js';
import { resolveBaseUrl, type CloudName } from './baseUrl.js';
import { download } from './download.js';
import type {
  DocMeta,
  DriveApi,
  DriveEntry,
  ListOptions,
  RequestHook,
  RootFolderMeta,
  UploadAllRequest,
  UploadFinishRequest,
  UploadPartRequest,
  UploadPrepareRequest,
  UploadPrepareResult,
  UploadResult,
} from './driveApi.js';
import * as folders from './folders.js';
import { HttpTransport } from './http.js';
import { createDispatcher, type HttpTimeouts, type ProxyEnv } from './proxy.js';
import * as uploads from './uploads.js';

export type Credentials =
  /** App identity: tenant_access_token from the app id and secret. */
  | { kind: 'tenant'; appId: string; appSecret: string }
  /** User identity: a user_access_token renewed with its refresh token (the app credentials authorise the refresh). */
  | ({ kind: 'user'; appId: string; appSecret: string } & UserTokenOptions)
  /** Any other source of tokens (tests, an embedding app). */
  | { kind: 'provider'; provider: TokenProvider };

export interface FeishuClientOptions {
  /** Base URL; wins over `cloud`. */
  baseUrl?: string;
  /** 'feishu' | 'lark' | a base URL (default 'feishu'). */
  cloud?: CloudName | string | URL;
  credentials: Credentials;
  hook?: RequestHook;
  /** Use this dispatcher instead of creating one (the client then does not close it). */
  dispatcher?: Dispatcher;
  timeouts?: HttpTimeouts;
  /** Proxy environment (default process.env). */
  env?: ProxyEnv;
  clock?: Clock;
}

export class FeishuClient implements DriveApi {
  readonly baseUrl: string;
  readonly tokens: TokenProvider;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly ctx: ApiContext;
  private closing: Promise<void> | undefined;

  constructor(options: FeishuClientOptions) {
    this.baseUrl = resolveBaseUrl(options.baseUrl ?? options.cloud ?? 'feishu');
    const clock = options.clock ?? systemClock;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? createDispatcher(this.baseUrl, options.timeouts, options.env);
    const http = new HttpTransport({ baseUrl: this.baseUrl, dispatcher: this.dispatcher, hook: options.hook, clock });
    this.tokens = tokenProvider(http, options.credentials, clock);
    this.ctx = apiContext(http, this.tokens);
  }

  uploadAll(req: UploadAllRequest): Promise<UploadResult> {
    return uploads.uploadAll(this.ctx, req);
  }
  uploadPrepare(req: UploadPrepareRequest): Promise<UploadPrepareResult> {
    return uploads.uploadPrepare(this.ctx, req);
  }
  uploadPart(req: UploadPartRequest): Promise<{ checksum: string }> {
    return uploads.uploadPart(this.ctx, req);
  }
  uploadFinish(req: UploadFinishRequest): Promise<UploadResult> {
    return uploads.uploadFinish(this.ctx, req);
  }
  rootFolderMeta(): Promise<RootFolderMeta> {
    return folders.rootFolderMeta(this.ctx);
  }
  listFolder(folderToken: string, options?: ListOptions): AsyncIterable<DriveEntry> {
    return folders.listFolder(this.ctx, folderToken, options);
  }
  createFolder(name: string, parentToken: string): Promise<{ token: string; url?: string }> {
    return folders.createFolder(this.ctx, name, parentToken);
  }
  move(token: string, type: string, folderToken: string): Promise<{ taskId?: string }> {
    return folders.move(this.ctx, token, type, folderToken);
  }
  copy(token: string, type: string, name: string, folderToken: string): Promise<DriveEntry> {
    return folders.copy(this.ctx, token, type, name, folderToken);
  }
  delete(token: string, type: string): Promise<{ taskId?: string }> {
    return folders.deleteEntry(this.ctx, token, type);
  }
  taskCheck(taskId: string): Promise<{ status: string }> {
    return folders.taskCheck(this.ctx, taskId);
  }
  download(token: string): Promise<Readable> {
    return download(this.ctx, token);
  }
  batchQueryMetas(docs: { docToken: string; docType: string }[]): Promise<DocMeta[]> {
    return folders.batchQueryMetas(this.ctx, docs);
  }

  /** Close the keep-alive connections once the calls in flight end. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.ownsDispatcher || this.closing) return this.closing;
    this.closing = this.dispatcher.close();
    return this.closing;
  }
}

function tokenProvider(http: HttpTransport, credentials: Credentials, clock: Clock): TokenProvider {
  switch (credentials.kind) {
    case 'tenant':
      return new AppTokenProvider(http, credentials, clock, 'tenant');
    case 'user':
      return new UserTokenProvider(http, new AppTokenProvider(http, credentials, clock, 'app'), credentials, clock);
    case 'provider':
      return credentials.provider;
  }
}
