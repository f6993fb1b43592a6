/**
 * The one object the preload exposes to the settings window as
 * `window.feisync`. Types only: main implements it (ipcHandlers.ts), the
 * preload forwards it over IPC, the renderer calls it. Every call answers with
 * a BridgeResult so a validation error reaches the page with its code and
 * remedy (Electron's IPC keeps only the message of a thrown Error).
 */
import type { DeletePolicy, LimitsSettings, Settings } from '../../src/config/settings.js';
import type { EngineEvent, EngineState } from '../../src/sync/engineApi.js';

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export interface BridgeError {
  code: string;
  message: string;
  remedy: string;
}

export interface AppInfo {
  version: string;
  electron: string;
  chrome: string;
  node: string;
  platform: string;
  /** 'en' or 'zh-CN', already resolved from the setting and the OS locale. */
  locale: 'en' | 'zh-CN';
  logDir: string;
  stateDir: string;
}

/** Settings as the page sees them: never the secret, only whether one is stored. */
export interface SettingsView extends Settings {
  hasSecret: boolean;
  /** A user sign-in is stored for the account's app (identity 'user'). */
  signedIn: boolean;
  shellIntegration: boolean;
}

export interface AccountInput {
  cloud: string;
  appId: string;
  identity: 'tenant' | 'user';
  /** Omitted or '' keeps the stored secret. */
  secret?: string;
}

export interface MappingInput {
  localPath: string;
  /** A Feishu folder URL (…/drive/folder/<token>) or a bare folder token. */
  remote: string;
  deletePolicy: DeletePolicy;
  ignore: string[];
}

export interface MappingPatch {
  deletePolicy?: DeletePolicy;
  ignore?: string[];
  paused?: boolean;
}

export interface RemoteFolder {
  token: string;
  name: string;
  url?: string;
}

export interface PreferencesInput {
  language?: Settings['language'];
  startAtLogin?: boolean;
  notifications?: boolean;
  shellIntegration?: boolean;
}

/** The account form plus the code of a sign-in finished in another browser (or the whole redirect address). */
export interface SignInCodeInput extends AccountInput {
  code: string;
}

/** A finished sign-in: the saved settings (identity 'user', signed in) and the user's Drive root. */
export interface SignInOutcome {
  settings: SettingsView;
  rootToken: string;
}

/**
 * What checking one folder's Feishu copy found (SyncSummary.verified of the
 * mapping) and what the pass that followed did.
 */
export interface VerifyReport {
  mappingId: string;
  /** Synced files looked for in the Feishu listing. */
  checked: number;
  /** Entries the Feishu listing holds. */
  listed: number;
  /** Synced files no longer in Feishu: the same pass uploads them again. */
  lostFiles: number;
  /** Folders no longer in Feishu: created again when a file goes into them. */
  lostFolders: number;
  /** Files the pass uploaded (the lost ones and anything else that was due). */
  uploaded: number;
  failed: number;
  /** The daily quota ran out in the pass: what is left uploads after the reset. */
  quotaExhausted: boolean;
}

export interface ConnectionReport {
  ok: boolean;
  message: string;
}

/** The calls the renderer can make; each maps to one IPC handler in main. */
export interface BridgeCalls {
  getInfo(): AppInfo;
  getSettings(): SettingsView;
  getState(): EngineState;
  saveAccount(input: AccountInput): SettingsView;
  testConnection(input: AccountInput): ConnectionReport;
  /** Open the Feishu sign-in page in the browser and wait (minutes) for it to come back. */
  startSignIn(input: AccountInput): SignInOutcome;
  /** Stop waiting for the browser; the pending startSignIn answers E_OAUTH_CANCELLED. */
  cancelSignIn(): null;
  /** The sign-in page address while startSignIn waits (to open in a browser elsewhere), else null. */
  signInLink(): string | null;
  /** Finish with a pasted code (ends a pending wait). */
  completeSignIn(input: SignInCodeInput): SignInOutcome;
  addMapping(input: MappingInput): SettingsView;
  updateMapping(id: string, patch: MappingPatch): SettingsView;
  removeMapping(id: string): SettingsView;
  pickFolder(): string | null;
  listRemoteFolders(parentToken: string | null): RemoteFolder[];
  saveLimits(patch: Partial<LimitsSettings>): SettingsView;
  savePreferences(input: PreferencesInput): SettingsView;
  pause(): EngineState;
  resume(): EngineState;
  syncNow(mappingId: string | null): EngineState;
  retryFailed(mappingId: string | null): EngineState;
  /** List the folder in Feishu (API calls: only when asked), upload again what was deleted there; waits for the pass. */
  verifyRemote(mappingId: string): VerifyReport;
  openLocal(path: string): null;
  openUrl(url: string): null;
  openLogFolder(): null;
  exportDiagnostics(): string;
}

export type BridgeMethod = keyof BridgeCalls;

/** What `window.feisync` looks like in the page. */
export type FeiSyncBridge = {
  [K in BridgeMethod]: (...args: Parameters<BridgeCalls[K]>) => Promise<BridgeResult<ReturnType<BridgeCalls[K]>>>;
} & {
  /** Engine events pushed by main; returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
};

/**
 * The IPC channels, as types: the sandboxed preload is one file that can
 * require nothing but 'electron', so it spells the names itself and the
 * compiler checks them against these.
 */
export type BridgeInvokeChannel = 'feisync:invoke';
export type BridgeEventChannel = 'feisync:event';
