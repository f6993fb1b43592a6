/**
 * A stand-in for the preload's `window.feisync`, injected into the page with
 * page.addInitScript. It runs in the browser, so it is one self-contained
 * function of plain data; it keeps its own settings/state and records calls
 * in window.__calls. Validation here mirrors main only as far as the tests
 * need to see errors rendered; main's real checks are tested in test/unit/app.
 */
import type { AppInfo, SettingsView } from '../../app/shared/bridgeApi.js';
import type { EngineState } from '../../src/sync/engineApi.js';

export interface FakeBridgeData {
  info: AppInfo;
  settings: SettingsView;
  state: EngineState;
}

export function installFakeBridge(data: FakeBridgeData): void {
  const w = window as unknown as Record<string, unknown>;
  const calls: unknown[][] = [];
  const listeners: ((event: unknown) => void)[] = [];
  w.__calls = calls;
  w.__emit = (event: unknown) => listeners.forEach((l) => l(event));
  w.__data = data;
  const ok = (value: unknown) => Promise.resolve({ ok: true, value: JSON.parse(JSON.stringify(value ?? null)) });
  const fail = (code: string, message: string, remedy: string) => Promise.resolve({ ok: false, error: { code, message, remedy } });
  const folders: Record<string, { token: string; name: string; url?: string }[]> = {
    root: [
      { token: 'fldcnTeam', name: '团队资料 Team', url: 'https://example.feishu.cn/drive/folder/fldcnTeam' },
      { token: 'fldcnArchive', name: 'Archive', url: 'https://example.feishu.cn/drive/folder/fldcnArchive' },
    ],
    fldcnTeam: [{ token: 'fldcnDesign', name: 'Design 设计稿', url: 'https://example.feishu.cn/drive/folder/fldcnDesign' }],
  };
  const record = (name: string) => (...args: unknown[]) => {
    calls.push([name, ...args]);
    return ok(name.startsWith('get') ? undefined : data.state);
  };
  w.feisync = {
    getInfo: () => ok({ ...data.info, locale: data.settings.language === 'auto' ? data.info.locale : data.settings.language }),
    getSettings: () => ok(data.settings),
    getState: () => ok(data.state),
    saveAccount(input: { cloud: string; appId: string; identity: string; secret?: string }) {
      calls.push(['saveAccount', input]);
      if (!input.appId) return fail('E_INVALID_ARGUMENT', 'App ID is empty.', 'Fill in App ID.');
      if (!input.secret && !data.settings.hasSecret) return fail('E_INVALID_ARGUMENT', 'The app secret is missing.', 'Paste the App Secret from the Feishu developer console (Credentials & Basic Info).');
      data.settings.account = { cloud: input.cloud, appId: input.appId, identity: input.identity as 'tenant' };
      data.settings.hasSecret = true;
      return ok(data.settings);
    },
    testConnection(input: { secret?: string }) {
      calls.push(['testConnection', input]);
      return ok(input.secret === 'wrong' ? { ok: false, message: 'Feishu error 10014: app secret invalid' } : { ok: true, message: 'Connected: tenant token issued.' });
    },
    // Sign-in: startSignIn waits until the test calls window.__finishSignIn(result) or Cancel is pressed.
    startSignIn(input: { appId: string; cloud: string }) {
      calls.push(['startSignIn', input]);
      return new Promise((resolve) => {
        const finish = (result: { ok: boolean; code?: string; message?: string; remedy?: string }) => {
          w.__finishSignIn = undefined;
          if (!result.ok) return resolve(fail(result.code!, result.message!, result.remedy!));
          data.settings.account = { cloud: input.cloud, appId: input.appId, identity: 'user' };
          data.settings.signedIn = true;
          data.settings.hasSecret = true;
          resolve(ok({ settings: data.settings, rootToken: 'fldRootOfAda' }));
        };
        w.__finishSignIn = finish;
      });
    },
    signInLink: () => ok(w.__finishSignIn ? 'https://open.feishu.cn/open-apis/authen/v1/authorize?app_id=cli_a5f3c2e1b0d9&redirect_uri=http%3A%2F%2F127.0.0.1%3A41237%2Ffeisync%2Foauth%2Fcallback&state=Xy7' : null),
    cancelSignIn() {
      calls.push(['cancelSignIn']);
      const finish = w.__finishSignIn as ((r: object) => void) | undefined;
      finish?.({ ok: false, code: 'E_OAUTH_CANCELLED', message: 'The sign-in was cancelled.', remedy: 'Sign in again when ready.' });
      return ok(null);
    },
    completeSignIn(input: { appId: string; cloud: string; code: string }) {
      calls.push(['completeSignIn', input]);
      const finish = w.__finishSignIn as ((r: object) => void) | undefined;
      finish?.({ ok: false, code: 'E_OAUTH_CANCELLED', message: 'The sign-in was cancelled.', remedy: 'Sign in again when ready.' });
      if (input.code !== 'good-code') return fail('20007', 'Feishu error 20007: the authorization code is invalid or expired', 'Sign in again: a code works once and only for a few minutes.');
      data.settings.account = { cloud: input.cloud, appId: input.appId, identity: 'user' };
      data.settings.signedIn = true;
      return ok({ settings: data.settings, rootToken: 'fldRootOfAda' });
    },
    addMapping(input: { localPath: string; remote: string; deletePolicy: 'keep' | 'trash'; ignore: string[] }) {
      calls.push(['addMapping', input]);
      if (!input.localPath.startsWith('/')) return fail('E_INVALID_ARGUMENT', `local folder "${input.localPath}" is not an absolute path.`, 'Pick the folder with the Browse… button.');
      const m = /\/drive\/folder\/([A-Za-z0-9_-]+)/.exec(input.remote) ?? /^([A-Za-z0-9_-]{4,})$/.exec(input.remote);
      if (!m) return fail('E_MAPPING', `"${input.remote}" is not a Feishu folder URL or token: the path is not /drive/folder/<token>`, 'Open the folder in Feishu Drive and copy its URL.');
      const id = `m${data.settings.mappings.length + 1}`;
      const mapping = { id, localPath: input.localPath, folderToken: m[1]!, folderUrl: input.remote.startsWith('http') ? input.remote : undefined, deletePolicy: input.deletePolicy, ignore: input.ignore, paused: false };
      data.settings.mappings.push(mapping);
      data.state.mappings.push({ id, localPath: input.localPath, folderToken: m[1]!, status: 'scanning', pending: 0, uploading: 0, failed: 0, skipped: 0, synced: 0, firstSyncDone: false });
      return ok(data.settings);
    },
    updateMapping(id: string, patch: object) {
      calls.push(['updateMapping', id, patch]);
      data.settings.mappings = data.settings.mappings.map((m) => (m.id === id ? { ...m, ...patch } : m));
      return ok(data.settings);
    },
    removeMapping(id: string) {
      calls.push(['removeMapping', id]);
      data.settings.mappings = data.settings.mappings.filter((m) => m.id !== id);
      return ok(data.settings);
    },
    pickFolder: () => ok('/home/ada/Picked Folder'),
    listRemoteFolders(parent: string | null) {
      calls.push(['listRemoteFolders', parent]);
      return ok(folders[parent ?? 'root'] ?? []);
    },
    saveLimits(patch: { fileConcurrency?: number }) {
      calls.push(['saveLimits', patch]);
      if (patch.fileConcurrency !== undefined && (patch.fileConcurrency < 1 || patch.fileConcurrency > 32)) {
        return fail('E_INVALID_ARGUMENT', `limits.fileConcurrency = ${patch.fileConcurrency}: must be >= 1`, 'Correct the highlighted value.');
      }
      data.settings.limits = { ...data.settings.limits, ...patch };
      return ok(data.settings);
    },
    savePreferences(input: object) {
      calls.push(['savePreferences', input]);
      data.settings = { ...data.settings, ...input };
      return ok(data.settings);
    },
    pause: record('pause'),
    resume: record('resume'),
    syncNow: record('syncNow'),
    retryFailed: record('retryFailed'),
    // Waits (like the real listing and pass) until the test calls window.__finishVerify(result).
    verifyRemote(mappingId: string) {
      calls.push(['verifyRemote', mappingId]);
      return new Promise((resolve) => {
        w.__finishVerify = (result: { ok: true; value: object } | { ok: false; code: string; message: string; remedy: string }) => {
          w.__finishVerify = undefined;
          resolve(result.ok ? ok(result.value) : fail(result.code, result.message, result.remedy));
        };
      });
    },
    openLocal: (p: string) => (calls.push(['openLocal', p]), ok(null)),
    openUrl: (u: string) => (calls.push(['openUrl', u]), ok(null)),
    openLogFolder: () => (calls.push(['openLogFolder']), ok(null)),
    exportDiagnostics: () => ok('/home/ada/feisync-diagnostics-2026-03-01.zip'),
    onEvent(listener: (event: unknown) => void) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
  };
}
