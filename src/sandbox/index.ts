/**
 * The sandbox: a local, Feishu-compatible Drive server (HTTP on 127.0.0.1)
 * for tests, benchmarks and `feisync demo`. Persistent in a data directory:
 * stop it, start it again on the same dataDir, and every folder, file, token
 * and in-flight upload is still there.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointId } from '../feishu/endpoints.js';
import { DEFAULT_DAILY_QUOTA, DEFAULT_QPS } from '../feishu/limits.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { SandboxAuth, type AppCredentials, type UserTokenPair } from './auth.js';
import { BlobStore } from './blobs.js';
import type { SandboxState } from './context.js';
import { downloadHandlers } from './download.js';
import { SandboxDrive } from './drive.js';
import { FaultInjector } from './faults.js';
import { folderHandlers } from './folders.js';
import { CallLimiter } from './limits.js';
import { createSandboxServer } from './server.js';
import { SandboxStore } from './store.js';
import { sandboxTree } from './tree.js';
import { sweepExpiredUploads, uploadHandlers } from './uploads.js';

export { FaultSpecError, parseFaultSpec, type FaultSpec } from './faults.js';
export type { AppCredentials, UserTokenPair } from './auth.js';

export interface SandboxOptions {
  port?: number;            // 0 (default) = free port; always bound to 127.0.0.1
  dataDir?: string;         // persistent data dir; default: a fresh temp dir (removed on close)
  limits?: 'feishu' | 'off';// 'feishu' (default): 5 QPS per endpoint + daily quota; 'off': no limits (speed tests)
  qps?: number;             // per-endpoint rate when limits are on (default 5)
  dailyQuota?: number;      // per-endpoint calls/day (default 10,000)
  tokenTtlSec?: number;     // tenant token lifetime (default 7200)
  uploadTtlSec?: number;    // upload_id lifetime (default 86,400)
  faults?: string;          // fault spec, e.g. "1061045:0.1,1061001:0.05,5xx:0.05,latency:50,reset:0.02,slow:0.01,seed:42"
  appId?: string; appSecret?: string; // default "cli_sandbox" / a fixed default secret
  clock?: Clock;            // from src/platform/clock.ts
  /** More apps the token endpoint accepts (e.g. a second identity for 1062007 tests). */
  extraApps?: AppCredentials[];
  /** HTTP status of 99991661 / 99991663 answers (unconfirmed in the Feishu docs; default: the error table's). */
  tokenErrorStatus?: number;
}

export interface SandboxHandle {
  baseUrl: string; appId: string; appSecret: string; rootFolderToken: string;
  /** Whole tree: every folder and file with path, token, type, size, sha256, version. */
  tree(): SandboxNode[];
  /** Calls received per EndpointId today (including rejected ones), and 99991400 answers per endpoint. */
  counters(): { calls: Partial<Record<EndpointId, number>>; rateLimited: Partial<Record<EndpointId, number>> };
  setFaults(spec: string): void;
  /**
   * A user_access_token + refresh_token pair for `user` (default "sandbox_user"),
   * as an OAuth login would give (also `POST /sandbox/admin/user-tokens`).
   */
  issueUserTokens(user?: string): UserTokenPair;
  close(): Promise<void>;
}

export interface SandboxNode { path: string; token: string; type: 'folder' | 'file'; parentToken: string; name: string; size?: number; sha256?: string; version?: string }

export const DEFAULT_APP_ID = 'cli_sandbox';
export const DEFAULT_APP_SECRET = 'sandbox-secret-0123456789abcdef';
const DEFAULT_TOKEN_TTL_SEC = 7200;
const DEFAULT_UPLOAD_TTL_SEC = 86_400;

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const clock = options.clock ?? systemClock;
  const appId = options.appId ?? DEFAULT_APP_ID;
  const appSecret = options.appSecret ?? DEFAULT_APP_SECRET;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'feisync-sandbox-'));
  mkdirSync(dataDir, { recursive: true });

  const faults = new FaultInjector(options.faults);
  const limiter = new CallLimiter({
    clock,
    enabled: (options.limits ?? 'feishu') === 'feishu',
    qps: options.qps ?? DEFAULT_QPS,
    dailyQuota: options.dailyQuota ?? DEFAULT_DAILY_QUOTA,
  });
  const store = new SandboxStore(dataDir, clock.now(), `app:${appId}`);
  const auth = new SandboxAuth(store, clock, {
    apps: [{ appId, appSecret }, ...(options.extraApps ?? [])],
    tokenTtlSec: options.tokenTtlSec ?? DEFAULT_TOKEN_TTL_SEC,
    ...(options.tokenErrorStatus === undefined ? {} : { tokenErrorStatus: options.tokenErrorStatus }),
  });
  const drive = new SandboxDrive(store, new BlobStore(dataDir), clock);
  let baseUrl = '';
  const state: SandboxState = { drive, clock, uploadTtlMs: (options.uploadTtlSec ?? DEFAULT_UPLOAD_TTL_SEC) * 1000, baseUrl: () => baseUrl };
  const tree = () => sandboxTree(store);
  await sweepExpiredUploads(state);

  const server = createSandboxServer({
    clock,
    auth,
    limiter,
    faults,
    handlers: { ...uploadHandlers(state), ...folderHandlers(state), ...downloadHandlers(state) },
    admin: { tree, counters: () => limiter.counters() },
    onInternalError: (error) => console.error('feisync sandbox: internal error', error),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`sandbox: cannot listen on 127.0.0.1:${options.port ?? 0}: ${(error as Error).message}`, { cause: error });
  }
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    appId,
    appSecret,
    rootFolderToken: store.rootToken,
    tree,
    counters: () => limiter.counters(),
    setFaults: (spec) => faults.set(spec),
    issueUserTokens: (user) => auth.issueUserTokens(user),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        store.close();
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      })),
  };
}

/** The one line `feisync sandbox` prints when ready. */
export function sandboxReadyLine(handle: Pick<SandboxHandle, 'baseUrl' | 'appId' | 'appSecret' | 'rootFolderToken'>): string {
  const { baseUrl, appId, appSecret, rootFolderToken } = handle;
  return JSON.stringify({ baseUrl, appId, appSecret, rootFolderToken });
}
