/**
 * The settings schema: one source of truth for the CLI (`conf`) and the tray
 * app (`electron-store`, the same file). Secrets are NOT stored here: see
 * src/config/secrets (CLI: keychain or 0600 file; app: Electron safeStorage).
 */
export type Cloud = 'feishu' | 'lark' | string; // or a custom base URL

export type DeletePolicy = 'keep' | 'trash';

export interface MappingSettings {
  /** Stable id, e.g. "m1". */
  id: string;
  /** Absolute local folder. */
  localPath: string;
  /** Remote Drive folder token. */
  folderToken: string;
  /** Optional URL of the remote folder (for "Open in Feishu"). */
  folderUrl?: string;
  deletePolicy: DeletePolicy;
  /** Extra gitignore-syntax patterns, on top of .feisyncignore and the defaults. */
  ignore: string[];
  /** Paused by the user. */
  paused: boolean;
}

export interface LimitsSettings {
  /** Bytes per second for uploads; 0 = unlimited. */
  bandwidthBytesPerSec: number;
  /** Fraction of each daily quota kept for explicit sends (right-click / `feisync send`). */
  quotaReserve: number;
  /** Files uploaded at once. */
  fileConcurrency: number;
  /** Blocks of one file uploaded at once. */
  blockConcurrency: number;
  /** Requests per second per endpoint. */
  qps: number;
  /** Per-endpoint overrides of the QPS. */
  qpsPerEndpoint: Record<string, number>;
  /** Calls per day per endpoint. */
  dailyQuota: number;
  /** IANA zone of the daily quota reset (00:00). */
  quotaTimeZone: string;
}

export interface AccountSettings {
  /** 'feishu' | 'lark' | custom base URL (e.g. a sandbox). */
  cloud: Cloud;
  appId: string;
  /** 'tenant' uses app credentials; 'user' uses an OAuth user token with refresh. */
  identity: 'tenant' | 'user';
}

export interface Settings {
  schemaVersion: number;
  account: AccountSettings | null;
  mappings: MappingSettings[];
  limits: LimitsSettings;
  /** Seconds between full rescans in watch mode. */
  rescanIntervalSec: number;
  /** Milliseconds a file's size and mtime must stay unchanged before it is uploaded. */
  settleMs: number;
  /** 'auto' follows the OS locale. */
  language: 'auto' | 'en' | 'zh-CN';
  startAtLogin: boolean;
  notifications: boolean;
  /** All syncing paused by the user (`feisync pause` without a running daemon); absent = false. */
  paused?: boolean;
}

export const SETTINGS_SCHEMA_VERSION = 1;

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  account: null,
  mappings: [],
  limits: {
    bandwidthBytesPerSec: 0,
    quotaReserve: 0.05,
    fileConcurrency: 4,
    blockConcurrency: 3,
    qps: 5,
    qpsPerEndpoint: {},
    dailyQuota: 10_000,
    quotaTimeZone: 'Asia/Shanghai',
  },
  rescanIntervalSec: 3600,
  settleMs: 2000,
  language: 'auto',
  startAtLogin: false,
  notifications: true,
};
