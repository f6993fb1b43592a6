/**
 * The sandbox's options with their defaults filled in and every value
 * checked, before anything is opened: a bad option is one clear error, and
 * no half-started server or stray data directory is left behind.
 */
import { DEFAULT_DAILY_QUOTA, DEFAULT_QPS } from '../feishu/limits.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { AppCredentials } from './auth.js';
import { parseFaultSpec } from './faults.js';
import type { SandboxOptions } from './index.js';

export const DEFAULT_APP_ID = 'cli_sandbox';
export const DEFAULT_APP_SECRET = 'sandbox-secret-0123456789abcdef';
/** Feishu's tenant tokens live 2 hours. */
const DEFAULT_TOKEN_TTL_SEC = 7200;
/** Unconfirmed in the Feishu docs; ../shared/feishu-drive-api.md picks 24 h. */
const DEFAULT_UPLOAD_TTL_SEC = 86_400;

export interface ResolvedOptions {
  port: number;
  dataDir: string | undefined;
  limitsEnabled: boolean;
  qps: number;
  dailyQuota: number;
  tokenTtlSec: number;
  uploadTtlSec: number;
  taskMs: number;
  faults: string;
  apps: AppCredentials[];
  clock: Clock;
  tokenErrorStatus: number | undefined;
}

export class SandboxOptionsError extends Error {
  override readonly name = 'SandboxOptionsError';
}

function positive(name: string, value: number | undefined, fallback: number, whole: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
    throw new SandboxOptionsError(`sandbox option ${name} must be a positive ${whole ? 'whole ' : ''}number, got ${value}`);
  }
  return value;
}

export function resolveOptions(options: SandboxOptions): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SandboxOptionsError(`sandbox option port must be 0..65535, got ${port}`);
  if (options.limits !== undefined && options.limits !== 'feishu' && options.limits !== 'off') {
    throw new SandboxOptionsError(`sandbox option limits must be 'feishu' or 'off', got ${String(options.limits)}`);
  }
  const apps = [{ appId: options.appId ?? DEFAULT_APP_ID, appSecret: options.appSecret ?? DEFAULT_APP_SECRET }, ...(options.extraApps ?? [])];
  for (const app of apps) {
    if (!app.appId || !app.appSecret) throw new SandboxOptionsError('sandbox apps need a non-empty appId and appSecret');
  }
  const faults = options.faults ?? '';
  parseFaultSpec(faults); // throws FaultSpecError naming the bad piece
  const status = options.tokenErrorStatus;
  if (status !== undefined && (!Number.isInteger(status) || status < 400 || status > 499)) {
    throw new SandboxOptionsError(`sandbox option tokenErrorStatus must be a 4xx status, got ${status}`);
  }
  return {
    port,
    dataDir: options.dataDir,
    limitsEnabled: (options.limits ?? 'feishu') === 'feishu',
    qps: positive('qps', options.qps, DEFAULT_QPS, false),
    dailyQuota: positive('dailyQuota', options.dailyQuota, DEFAULT_DAILY_QUOTA, true),
    tokenTtlSec: positive('tokenTtlSec', options.tokenTtlSec, DEFAULT_TOKEN_TTL_SEC, false),
    uploadTtlSec: positive('uploadTtlSec', options.uploadTtlSec, DEFAULT_UPLOAD_TTL_SEC, false),
    taskMs: options.taskMs === undefined || options.taskMs === 0 ? 0 : positive('taskMs', options.taskMs, 0, false),
    faults,
    apps,
    clock: options.clock ?? systemClock,
    tokenErrorStatus: status,
  };
}
