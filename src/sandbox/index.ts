/**
 * The sandbox: a local, Feishu-compatible Drive server (HTTP on 127.0.0.1)
 * for tests, benchmarks and `feisync demo`. Persistent in a data directory:
 * stop it, start it again on the same dataDir, and every folder, file, token,
 * in-flight upload and the day's call counts are still there.
 *
 * Serves every endpoint of src/feishu/endpoints.ts with Feishu's paths,
 * fields, envelopes and codes, plus admin routes (no auth, never faulted):
 *   GET  /sandbox/admin/tree         → SandboxNode[] (as handle.tree())
 *   GET  /sandbox/admin/counters     → { calls, rateLimited } (as handle.counters())
 *   POST /sandbox/admin/faults       { "spec": "…" } → { spec, faults } (400 + msg for a bad spec)
 *   POST /sandbox/admin/user-tokens  { "user"?: "…" } → UserTokenPair (as handle.issueUserTokens())
 * and the OAuth authorize page (GET /open-apis/authen/v1/authorize, /index: auto-approves,
 * `interactive=1` shows a button; see oauth.ts).
 *
 * Sandbox choices where the Feishu docs are silent (all unconfirmed):
 * - daily quota exhausted → HTTP 400, 99991400, msg "daily quota exceeded", reset header at Shanghai midnight (limits.ts);
 * - upload_all declared over 20 MB → 1061043 (the doc's "file size beyond limit"); malformed sizes → 1061002;
 * - unknown upload_id → 1061002; an upload_id of another identity → 1062007;
 * - unknown API path → HTTP 404 with a 1061003 envelope;
 * - token errors use the table's HTTP status (401) unless `tokenErrorStatus` says otherwise.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointId } from '../feishu/endpoints.js';
import type { Clock } from '../platform/clock.js';
import { SandboxAuth, type AppCredentials, type UserTokenPair } from './auth.js';
import { SandboxOAuth } from './oauth.js';
import { BlobStore } from './blobs.js';
import type { SandboxState } from './context.js';
import { downloadHandlers } from './download.js';
import { SandboxDrive } from './drive.js';
import { FaultInjector } from './faults.js';
import { folderHandlers } from './folders.js';
import { CallLimiter } from './limits.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { createSandboxServer } from './server.js';
import { SandboxStore } from './store.js';
import { sandboxTree } from './tree.js';
import { sweepExpiredUploads, uploadHandlers } from './uploads.js';

export { FaultSpecError, parseFaultSpec, type FaultSpec } from './faults.js';
export type { AppCredentials, UserTokenPair } from './auth.js';
export { DEFAULT_APP_ID, DEFAULT_APP_SECRET, SandboxOptionsError } from './options.js';

export interface SandboxOptions {
  port?: number;            // 0 (default) = free port; always bound to 127.0.0.1
  dataDir?: string;         // persistent data dir; default: a fresh temp dir (removed on close)
  limits?: 'feishu' | 'off';// 'feishu' (default): 5 QPS per endpoint + daily quota; 'off': no limits (speed tests)
  qps?: number;             // per-endpoint rate when limits are on (default 5)
  dailyQuota?: number;      // per-endpoint calls/day (default 10,000)
  tokenTtlSec?: number;     // tenant token lifetime (default 7200)
  uploadTtlSec?: number;    // upload_id lifetime (default 86,400)
  /** Folder move/delete tasks answer task_check with "process" for this long, then "success" (default 0: done at once). */
  taskMs?: number;
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

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const o = resolveOptions(options);
  const { clock } = o;
  const ownsDataDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'feisync-sandbox-'));
  mkdirSync(dataDir, { recursive: true });
  let store: SandboxStore | undefined;
  const discard = () => {
    store?.close();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    store = new SandboxStore(dataDir, clock.now(), `app:${o.apps[0]!.appId}`);
    return await serve(o, store, () => discard());
  } catch (error) {
    discard();
    throw error;
  }
}

async function serve(o: ResolvedOptions, store: SandboxStore, discard: () => void): Promise<SandboxHandle> {
  const { clock } = o;
  const faults = new FaultInjector(o.faults);
  const limiter = new CallLimiter({ clock, enabled: o.limitsEnabled, qps: o.qps, dailyQuota: o.dailyQuota, ledger: store });
  const auth = new SandboxAuth(store, clock, { apps: o.apps, tokenTtlSec: o.tokenTtlSec, ...(o.tokenErrorStatus === undefined ? {} : { tokenErrorStatus: o.tokenErrorStatus }) });
  const drive = new SandboxDrive(store, new BlobStore(store.dataDir), clock);
  let baseUrl = '';
  const state: SandboxState = { drive, clock, uploadTtlMs: o.uploadTtlSec * 1000, taskMs: o.taskMs, baseUrl: () => baseUrl };
  const tree = () => sandboxTree(store);
  await sweepExpiredUploads(state);

  const server = createSandboxServer({
    clock,
    auth,
    oauth: new SandboxOAuth(auth, clock, o.apps),
    limiter,
    faults,
    handlers: { ...uploadHandlers(state), ...folderHandlers(state), ...downloadHandlers(state) },
    admin: { tree, counters: () => limiter.counters() },
    onInternalError: (error) => console.error('feisync sandbox: internal error', error),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new Error(`sandbox: cannot listen on 127.0.0.1:${o.port}: ${(error as Error).message}`, { cause: error });
  }
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    appId: o.apps[0]!.appId,
    appSecret: o.apps[0]!.appSecret,
    rootFolderToken: store.rootToken,
    tree,
    counters: () => limiter.counters(),
    setFaults: (spec) => faults.set(spec),
    issueUserTokens: (user) => auth.issueUserTokens(user),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(discard)),
  };
}

/** The one line `feisync sandbox` prints when ready. */
export function sandboxReadyLine(handle: Pick<SandboxHandle, 'baseUrl' | 'appId' | 'appSecret' | 'rootFolderToken'>): string {
  const { baseUrl, appId, appSecret, rootFolderToken } = handle;
  return JSON.stringify({ baseUrl, appId, appSecret, rootFolderToken });
}
