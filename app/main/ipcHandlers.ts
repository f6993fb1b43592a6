/**
 * What main does for each call of the settings window, as plain functions of
 * injected dependencies (engine, settings, secrets, fs, shell…), so they are
 * tested without Electron. electronIpc.ts registers them on ipcMain.
 * Every argument is validated here (ipcValidation.ts); every answer is a
 * BridgeResult.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { addMapping, changeMapping, removeMapping } from '../../src/config/mappings.js';
import type { AccountSettings, MappingSettings, Settings } from '../../src/config/settings.js';
import type { DriveApi } from '../../src/feishu/driveApi.js';
import type { SyncEngineApi } from '../../src/sync/engineApi.js';
import type { AppInfo, BridgeCalls, BridgeError, BridgeMethod, BridgeResult, ConnectionReport, PreferencesInput, RemoteFolder, SettingsView } from '../shared/bridgeApi.js';
import { AppError } from './appError.js';
import {
  expectAbsolutePath,
  expectAccountInput,
  expectBoolean,
  expectEnum,
  expectLimitsPatch,
  expectMappingId,
  expectObject,
  expectOpenableUrl,
  expectString,
  expectStringList,
  invalid,
} from './ipcValidation.js';
import { createRemoteVerifier } from './remoteVerify.js';
import { applySettingsChange } from './settingsChange.js';
import { createSignInCalls, type SignInDeps } from './signInCalls.js';
import type { SettingsStore } from './settingsStore.js';

export interface HandlerDeps {
  engine: SyncEngineApi;
  settings: SettingsStore;
  /** The app secrets by app id (SecretStore). */
  secrets: {
    has(name: 'appSecret', appId: string): boolean;
    get(name: 'appSecret', appId: string): string | undefined;
    set(name: 'appSecret', appId: string, value: string): void;
  };
  fs: { stat(path: string): Promise<{ isDirectory(): boolean }> };
  shell: { openPath(path: string): Promise<string>; openExternal(url: string): Promise<void> };
  dialog: { pickFolder(): Promise<string | null> };
  /** The Drive client for browsing remote folders, or null before an account is set up. */
  drive(): Pick<DriveApi, 'rootFolderMeta' | 'listFolder'> | null;
  testConnection(account: AccountSettings, secret: string): Promise<ConnectionReport>;
  info(): AppInfo;
  system: {
    setStartAtLogin(enabled: boolean): Promise<void>;
    setShellIntegration(enabled: boolean): Promise<void>;
    shellIntegrationInstalled(): boolean;
    openLogFolder(): Promise<void>;
    exportDiagnostics(): Promise<string>;
  };
  /** User sign-in (OAuth): the core's calls and where the tokens go. */
  signIn: Omit<SignInDeps, 'secrets' | 'settings' | 'openExternal' | 'onAccountChanged' | 'onOpenFailed'> & {
    /** Whether a user sign-in is stored for an app id. */
    hasUserTokens(appId: string): boolean;
  };
  /** The account changed: rebuild the engine and the Drive client. */
  onAccountChanged?(): void;
  platform?: NodeJS.Platform;
  /** Unexpected failures (not validation) are logged here. */
  logError?(method: string, error: unknown): void;
}

export type BridgeHandlers = {
  [K in BridgeMethod]: (...args: unknown[]) => Promise<BridgeResult<ReturnType<BridgeCalls[K]>>>;
};

/** Remote folders listed at most (a folder holds at most 1,500 items). */
const MAX_REMOTE_FOLDERS = 1500;

export function createBridgeHandlers(deps: HandlerDeps): BridgeHandlers {
  const platform = deps.platform ?? process.platform;
  const hasSecret = (appId: string | undefined) => appId !== undefined && deps.secrets.has('appSecret', appId);
  const signedIn = (appId: string | undefined) => appId !== undefined && deps.signIn.hasUserTokens(appId);
  const view = (): SettingsView => ({
    ...deps.settings.get(),
    hasSecret: hasSecret(deps.settings.get().account?.appId),
    signedIn: signedIn(deps.settings.get().account?.appId),
    shellIntegration: deps.system.shellIntegrationInstalled(),
  });
  const update = (change: (s: Settings) => Settings): SettingsView => {
    deps.settings.set(change(deps.settings.get()));
    return view();
  };

  const signIn = createSignInCalls(
    { ...deps.signIn, secrets: deps.secrets, settings: deps.settings, openExternal: (url) => deps.shell.openExternal(url), ...(deps.onAccountChanged ? { onAccountChanged: deps.onAccountChanged } : {}),
      onOpenFailed: (e) => deps.logError?.('startSignIn', e),
    },
    () => view(),
  );

  const verifyRemote = createRemoteVerifier(deps.engine);

  const calls: { [K in BridgeMethod]: (...args: unknown[]) => Promise<ReturnType<BridgeCalls[K]>> | ReturnType<BridgeCalls[K]> } = {
    getInfo: () => deps.info(),
    getSettings: () => view(),
    getState: () => deps.engine.getState(),

    saveAccount(input) {
      const { account, secret } = expectAccountInput(input);
      if (!secret && !hasSecret(account.appId)) {
        const previous = deps.settings.get().account;
        throw previous && previous.appId !== account.appId
          ? invalid(`No App Secret is stored for ${account.appId}.`, `Paste the App Secret of ${account.appId}.`)
          : invalid('The app secret is missing.', 'Paste the App Secret from the Feishu developer console (Credentials & Basic Info).');
      }
      if (secret) deps.secrets.set('appSecret', account.appId, secret);
      const result = update((s) => ({ ...s, account }));
      deps.onAccountChanged?.();
      return result;
    },

    async testConnection(input) {
      const { account, secret } = expectAccountInput(input);
      const useSecret = secret || deps.secrets.get('appSecret', account.appId);
      if (!useSecret) throw invalid('No app secret to test with.', 'Paste the App Secret first.');
      return deps.testConnection(account, useSecret);
    },

    startSignIn: (input) => signIn.startSignIn(input),
    cancelSignIn: () => signIn.cancelSignIn(),
    signInLink: () => signIn.signInLink(),
    completeSignIn: (input) => signIn.completeSignIn(input),

    addMapping(input) {
      const raw = expectObject('folder', input);
      const localPath = expectAbsolutePath('local folder', raw.localPath, platform);
      const remote = expectString('Feishu folder', raw.remote, { max: 2048 });
      const deletePolicy = expectEnum('delete policy', raw.deletePolicy, ['keep', 'trash'] as const);
      const ignore = expectStringList('ignore rules', raw.ignore ?? [], { maxItems: 500, maxLength: 1000 });
      const before = deps.settings.get();
      const { settings, mapping } = addMapping(before, { localPath, folder: remote, deletePolicy, ignore });
      deps.engine.addMapping(mapping);
      try {
        deps.settings.set(settings);
      } catch (e) {
        deps.engine.removeMapping(mapping.id); // nothing half-added
        throw e;
      }
      return view();
    },

    updateMapping(id, patchInput) {
      const settings = deps.settings.get();
      const mappingId = expectMappingId(settings, id);
      const raw = expectObject('change', patchInput);
      const patch: Partial<Pick<MappingSettings, 'deletePolicy' | 'ignore' | 'paused'>> = {};
      for (const key of Object.keys(raw)) {
        if (key === 'deletePolicy') patch.deletePolicy = expectEnum('delete policy', raw.deletePolicy, ['keep', 'trash'] as const);
        else if (key === 'ignore') patch.ignore = expectStringList('ignore rules', raw.ignore, { maxItems: 500, maxLength: 1000 });
        else if (key === 'paused') patch.paused = expectBoolean('paused', raw.paused);
        else throw invalid(`Unknown folder setting "${key}".`, 'Reload the settings window and try again.');
      }
      const next = changeMapping(settings, mappingId, patch);
      deps.settings.set(next);
      applySettingsChange(deps.engine, { rebuild: false, upsert: [next.mappings.find((m) => m.id === mappingId)!], remove: [] });
      return view();
    },

    removeMapping(id) {
      const mappingId = expectMappingId(deps.settings.get(), id);
      const result = update((s) => removeMapping(s, mappingId));
      deps.engine.removeMapping(mappingId);
      return result;
    },

    pickFolder: () => deps.dialog.pickFolder(),

    async listRemoteFolders(parent) {
      const drive = deps.drive();
      if (!drive) throw new AppError('E_UNAVAILABLE', 'No Feishu account is set up yet.', 'Fill in the Account page and save, then browse again.');
      const token = parent === null || parent === undefined ? (await drive.rootFolderMeta()).token : expectString('folder token', parent, { max: 128 });
      const folders: RemoteFolder[] = [];
      for await (const entry of drive.listFolder(token)) {
        if (entry.type !== 'folder') continue;
        folders.push({ token: entry.token, name: entry.name, ...(entry.url ? { url: entry.url } : {}) });
        if (folders.length >= MAX_REMOTE_FOLDERS) break;
      }
      return folders.sort((a, b) => a.name.localeCompare(b.name));
    },

    saveLimits(patch) {
      const current = deps.settings.get();
      const checked = expectLimitsPatch(patch, current.limits);
      return update((s) => ({ ...s, limits: { ...s.limits, ...checked } }));
    },

    async savePreferences(input) {
      // Check everything first: a bad key must not leave half the changes applied.
      const raw = expectObject('preferences', input);
      const prefs: PreferencesInput = {};
      for (const key of Object.keys(raw)) {
        if (key === 'language') prefs.language = expectEnum('language', raw.language, ['auto', 'en', 'zh-CN'] as const);
        else if (key === 'notifications') prefs.notifications = expectBoolean('notifications', raw.notifications);
        else if (key === 'startAtLogin') prefs.startAtLogin = expectBoolean('start at login', raw.startAtLogin);
        else if (key === 'shellIntegration') prefs.shellIntegration = expectBoolean('shell integration', raw.shellIntegration);
        else throw invalid(`Unknown preference "${key}".`, 'Reload the settings window and try again.');
      }
      if (prefs.startAtLogin !== undefined) await deps.system.setStartAtLogin(prefs.startAtLogin);
      if (prefs.shellIntegration !== undefined) await deps.system.setShellIntegration(prefs.shellIntegration);
      const { shellIntegration: _system, ...stored } = prefs;
      return update((s) => ({ ...s, ...stored }));
    },

    pause() {
      deps.engine.pause();
      return deps.engine.getState();
    },
    resume() {
      deps.engine.resume();
      return deps.engine.getState();
    },
    syncNow(mappingId) {
      const id = mappingId === null || mappingId === undefined ? undefined : expectMappingId(deps.settings.get(), mappingId);
      void deps.engine.syncNow(id).catch((e) => deps.logError?.('syncNow', e));
      return deps.engine.getState();
    },
    retryFailed(mappingId) {
      const id = mappingId === null || mappingId === undefined ? undefined : expectMappingId(deps.settings.get(), mappingId);
      deps.engine.retryFailed(id);
      return deps.engine.getState();
    },
    verifyRemote: (mappingId) => verifyRemote(expectMappingId(deps.settings.get(), mappingId)),

    async openLocal(pathInput) {
      const path = expectAbsolutePath('path', pathInput, platform);
      const inside = deps.settings.get().mappings.some((m) => isSameOrInside(path, m.localPath));
      if (!inside) throw invalid(`${path} is not inside a synced folder.`, 'Only synced folders and their files can be opened from FeiSync.');
      await deps.fs.stat(path).catch((e: NodeJS.ErrnoException) => {
        throw new AppError('E_NOT_FOUND', `${path} does not exist any more.`, 'It was moved or deleted; check the synced folder.', e);
      });
      const failure = await deps.shell.openPath(path);
      if (failure) throw new AppError('E_INTERNAL', `Could not open ${path}: ${failure}`, 'Open it from your file manager.');
      return null;
    },

    async openUrl(urlInput) {
      const url = expectOpenableUrl(urlInput, allowedHosts(deps.settings.get()));
      await deps.shell.openExternal(url.href);
      return null;
    },

    async openLogFolder() {
      await deps.system.openLogFolder();
      return null;
    },
    exportDiagnostics: () => deps.system.exportDiagnostics(),
  };

  const handlers = {} as Record<BridgeMethod, (...args: unknown[]) => Promise<BridgeResult<unknown>>>;
  for (const method of Object.keys(calls) as BridgeMethod[]) {
    handlers[method] = async (...args) => {
      try {
        return { ok: true, value: await calls[method](...args) };
      } catch (e) {
        const error = toBridgeError(e);
        if (error.code === 'E_INTERNAL') deps.logError?.(method, e);
        return { ok: false, error };
      }
    };
  }
  return handlers as BridgeHandlers;
}

/** Hosts besides Feishu/Lark that links may point to: a custom cloud (sandbox) and the hosts of mapped folder URLs. */
function allowedHosts(settings: Settings): { hosts: string[]; httpHosts: string[] } {
  const hosts: string[] = [];
  const httpHosts: string[] = [];
  const parse = (text: string | undefined): URL | undefined => {
    try {
      return text ? new URL(text) : undefined;
    } catch {
      return undefined; // 'feishu' / 'lark'
    }
  };
  const cloud = parse(settings.account?.cloud);
  if (cloud) {
    hosts.push(cloud.hostname.toLowerCase());
    if (cloud.protocol === 'http:') httpHosts.push(cloud.hostname.toLowerCase());
  }
  for (const m of settings.mappings) {
    const url = parse(m.folderUrl);
    if (url?.protocol === 'https:') hosts.push(url.hostname.toLowerCase());
  }
  return { hosts, httpHosts };
}

function isSameOrInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export function toBridgeError(e: unknown): BridgeError {
  if (e && typeof e === 'object' && 'code' in e && 'remedy' in e && e instanceof Error) {
    return { code: String((e as { code: unknown }).code), message: e.message, remedy: String((e as { remedy: unknown }).remedy) };
  }
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e), remedy: 'Try again; if it keeps failing, export diagnostics from the About page and report it.' };
}
