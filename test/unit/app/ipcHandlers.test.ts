import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertValid } from '../../../src/config/settingsFile.js';
import { DEFAULT_SETTINGS, type MappingSettings, type Settings } from '../../../src/config/settings.js';
import type { DriveEntry } from '../../../src/feishu/driveApi.js';
import type { SyncEngineApi, SyncSummary } from '../../../src/sync/engineApi.js';
import { createBridgeHandlers, type HandlerDeps } from '../../../app/main/ipcHandlers.js';
import { memorySettingsStore } from '../../../app/main/settingsStore.js';
import type { BridgeResult } from '../../../app/shared/bridgeApi.js';
import { engineState, mapping } from './engineStateFixture.js';

function fakeEngine() {
  const calls: string[] = [];
  const engine: SyncEngineApi = {
    addMapping: (m) => void calls.push(`add ${m.id} ${m.localPath} ${m.folderToken}`),
    removeMapping: (id) => void calls.push(`remove ${id}`),
    start: async () => {},
    stop: async () => {},
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    syncNow: async (id) => void calls.push(`syncNow ${id ?? 'all'}`),
    syncOnce: async () => ({ uploaded: [], versioned: [], moved: [], skipped: [], failed: [], unchanged: 0, callsByEndpoint: {}, quotaExhausted: false }),
    send: async () => [],
    retryFailed: (id) => void calls.push(`retry ${id ?? 'all'}`),
    getState: () => engineState(),
    on: () => () => {},
  };
  return { engine, calls };
}

let root: string;
let photos: string;
let setup: ReturnType<typeof build>;

function build(initial: Partial<Settings> = {}, overrides: Partial<SyncEngineApi> = {}) {
  const fake = fakeEngine();
  const engine: SyncEngineApi = { ...fake.engine, ...overrides };
  const calls = fake.calls;
  const settings = memorySettingsStore({ ...structuredClone(DEFAULT_SETTINGS), ...initial }, (s) => assertValid(s as never));
  const secretData = new Map<string, string>();
  const opened: string[] = [];
  const system: string[] = [];
  const folders: DriveEntry[] = [
    { token: 'fldB', name: 'Beta', type: 'folder', parentToken: 'root1' },
    { token: 'doc1', name: 'Notes', type: 'docx', parentToken: 'root1' },
    { token: 'fldA', name: 'Alpha', type: 'folder', parentToken: 'root1', url: 'https://x.feishu.cn/drive/folder/fldA' },
  ];
  let accountChanges = 0;
  const deps: HandlerDeps = {
    engine,
    settings,
    secrets: { has: (n, app) => secretData.has(`${n}:${app}`), get: (n, app) => secretData.get(`${n}:${app}`), set: (n, app, v) => void secretData.set(`${n}:${app}`, v) },
    fs: { stat },
    shell: { openPath: async (p) => void opened.push(`path ${p}`) ?? '', openExternal: async (u) => void opened.push(`url ${u}`) },
    dialog: { pickFolder: async () => photos },
    drive: () => ({
      rootFolderMeta: async () => ({ token: 'root1', id: '1', userId: 'u' }),
      listFolder: async function* (token) {
        if (token === 'root1') yield* folders;
      },
    }),
    signIn: {
      signInUser: async () => Promise.reject(new Error('not in these tests')),
      completeUserSignIn: async () => Promise.reject(new Error('not in these tests')),
      saveUserTokens: async () => {},
      hasUserTokens: () => false,
    },
    testConnection: async (account, secret) => ({ ok: secret === 'right', message: `${account.appId} on ${account.cloud}` }),
    info: () => ({ version: '0.1.0', electron: '38', chrome: '140', node: '22', platform: 'linux', locale: 'en', logDir: '/l', stateDir: '/s' }),
    system: {
      setStartAtLogin: async (on) => void system.push(`login ${on}`),
      setShellIntegration: async (on) => void system.push(`shell ${on}`),
      shellIntegrationInstalled: () => system.includes('shell true'),
      openLogFolder: async () => void system.push('logs'),
      exportDiagnostics: async () => '/tmp/feisync-diagnostics.zip',
    },
    onAccountChanged: () => void accountChanges++,
    platform: 'linux',
  };
  return { handlers: createBridgeHandlers(deps), calls, settings, secretData, opened, system, accountChanges: () => accountChanges };
}

function ok<T>(r: BridgeResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
function err<T>(r: BridgeResult<T>) {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}
const mappingInput = (over: Record<string, unknown> = {}) => ({
  localPath: photos,
  remote: 'https://example.feishu.cn/drive/folder/fldcnPhotos123',
  deletePolicy: 'keep',
  ignore: ['*.tmp', ''],
  ...over,
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'feisync-ipc-'));
  photos = join(root, 'My Photos 照片');
  mkdirSync(photos);
  writeFileSync(join(photos, 'a.jpg'), 'x');
  setup = build();
});

describe('addMapping', () => {
  it('adds a mapping to the engine and the settings, parsing the folder URL', async () => {
    const view = ok(await setup.handlers.addMapping(mappingInput()));
    expect(view.mappings).toEqual([
      { id: 'm1', localPath: photos, folderToken: 'fldcnPhotos123', folderUrl: 'https://example.feishu.cn/drive/folder/fldcnPhotos123', deletePolicy: 'keep', ignore: ['*.tmp'], paused: false },
    ]);
    expect(setup.calls).toEqual([`add m1 ${photos} fldcnPhotos123`]);
  });

  it('rejects relative, missing and file paths, and bad folder URLs, changing nothing', async () => {
    expect(err(await setup.handlers.addMapping(mappingInput({ localPath: 'Photos' })))).toMatchObject({ code: 'E_INVALID_ARGUMENT', message: expect.stringContaining('not an absolute path') });
    expect(err(await setup.handlers.addMapping(mappingInput({ localPath: join(root, 'nope') })))).toMatchObject({ code: 'E_MAPPING', message: expect.stringContaining('does not exist') });
    expect(err(await setup.handlers.addMapping(mappingInput({ localPath: join(photos, 'a.jpg') })))).toMatchObject({ message: expect.stringContaining('is a file') });
    expect(err(await setup.handlers.addMapping(mappingInput({ remote: 'https://example.feishu.cn/docx/abc' })))).toMatchObject({ code: 'E_MAPPING', remedy: expect.stringContaining('/drive/folder/') });
    expect(err(await setup.handlers.addMapping(mappingInput({ deletePolicy: 'shred' })))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect(err(await setup.handlers.addMapping(mappingInput({ ignore: 'not-a-list' })))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect(err(await setup.handlers.addMapping(null))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect(setup.settings.get().mappings).toEqual([]);
    expect(setup.calls).toEqual([]);
  });

  it('refuses a folder that overlaps one already synced', async () => {
    ok(await setup.handlers.addMapping(mappingInput()));
    const inner = join(photos, 'inner');
    mkdirSync(inner);
    expect(err(await setup.handlers.addMapping(mappingInput({ localPath: inner })))).toMatchObject({ code: 'E_MAPPING', message: expect.stringContaining('overlaps') });
  });
});

describe('updateMapping / removeMapping', () => {
  beforeEach(async () => void ok(await setup.handlers.addMapping(mappingInput())));

  it('changes the delete policy, ignore rules and pause of a known mapping and hands it to the engine', async () => {
    const view = ok(await setup.handlers.updateMapping('m1', { deletePolicy: 'trash', ignore: ['build/'], paused: true }));
    expect(view.mappings[0]).toMatchObject({ deletePolicy: 'trash', ignore: ['build/'], paused: true });
    expect(setup.calls.slice(1)).toEqual(['remove m1', `add m1 ${photos} fldcnPhotos123`]);
  });

  it('unknown ids and unknown keys are refused', async () => {
    expect(err(await setup.handlers.updateMapping('m9', { paused: true }))).toMatchObject({ code: 'E_NOT_FOUND' });
    expect(err(await setup.handlers.updateMapping('m1', { folderToken: 'evil' }))).toMatchObject({ code: 'E_INVALID_ARGUMENT', message: expect.stringContaining('folderToken') });
    expect(err(await setup.handlers.removeMapping({ id: 'm1' }))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
  });

  it('remove takes it out of the settings and the engine', async () => {
    expect(ok(await setup.handlers.removeMapping('m1')).mappings).toEqual([]);
    expect(setup.calls.at(-1)).toBe('remove m1');
  });
});

describe('account', () => {
  it('stores the secret apart from the settings and reports only that one exists', async () => {
    const view = ok(await setup.handlers.saveAccount({ cloud: 'feishu', appId: 'cli_a1b2', identity: 'tenant', secret: ' s3cret ' }));
    expect(view.account).toEqual({ cloud: 'feishu', appId: 'cli_a1b2', identity: 'tenant' });
    expect(view.hasSecret).toBe(true);
    expect(JSON.stringify(view)).not.toContain('s3cret');
    expect(setup.secretData.get('appSecret:cli_a1b2')).toBe('s3cret');
    expect(setup.accountChanges()).toBe(1);
  });

  it('needs a secret the first time, accepts a custom server URL, rejects a bad cloud', async () => {
    expect(err(await setup.handlers.saveAccount({ cloud: 'feishu', appId: 'cli_a', identity: 'tenant' }))).toMatchObject({ message: 'The app secret is missing.' });
    ok(await setup.handlers.saveAccount({ cloud: 'http://127.0.0.1:8787', appId: 'cli_a', identity: 'tenant', secret: 'x' }));
    expect(err(await setup.handlers.saveAccount({ cloud: 'ftp://x', appId: 'cli_a', identity: 'tenant', secret: 'x' }))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect(err(await setup.handlers.saveAccount({ cloud: 'feishu', appId: 'cli a', identity: 'tenant', secret: 'x' }))).toMatchObject({ message: expect.stringContaining('spaces') });
    // Same app: the stored secret is kept. Another app: its own secret is needed.
    ok(await setup.handlers.saveAccount({ cloud: 'lark', appId: 'cli_a', identity: 'tenant' }));
    expect(err(await setup.handlers.saveAccount({ cloud: 'lark', appId: 'cli_b', identity: 'tenant' }))).toMatchObject({ message: 'No App Secret is stored for cli_b.' });
  });

  it('test connection uses the typed secret, else the stored one', async () => {
    expect(ok(await setup.handlers.testConnection({ cloud: 'lark', appId: 'cli_z', identity: 'tenant', secret: 'right' }))).toEqual({ ok: true, message: 'cli_z on lark' });
    expect(err(await setup.handlers.testConnection({ cloud: 'lark', appId: 'cli_z', identity: 'tenant' }))).toMatchObject({ message: 'No app secret to test with.' });
    setup.secretData.set('appSecret:cli_z', 'wrong');
    expect(ok(await setup.handlers.testConnection({ cloud: 'lark', appId: 'cli_z', identity: 'tenant' })).ok).toBe(false);
  });
});

describe('limits and preferences', () => {
  it('saves limits checked against the shared schema', async () => {
    expect(ok(await setup.handlers.saveLimits({ bandwidthBytesPerSec: 1_000_000, fileConcurrency: 2 })).limits).toMatchObject({ bandwidthBytesPerSec: 1_000_000, fileConcurrency: 2 });
    expect(err(await setup.handlers.saveLimits({ fileConcurrency: 0 }))).toMatchObject({ code: 'E_INVALID_ARGUMENT', message: expect.stringContaining('fileConcurrency') });
    expect(err(await setup.handlers.saveLimits({ quotaReserve: 0.9 }))).toMatchObject({ message: expect.stringContaining('quotaReserve') });
    expect(err(await setup.handlers.saveLimits({ dangerous: 1 }))).toMatchObject({ message: 'Unknown limit "dangerous".' });
  });

  it('start at login and shell integration act on the system; language is checked', async () => {
    const view = ok(await setup.handlers.savePreferences({ startAtLogin: true, shellIntegration: true, language: 'zh-CN', notifications: false }));
    expect(setup.system).toEqual(['login true', 'shell true']);
    expect(view).toMatchObject({ startAtLogin: true, shellIntegration: true, language: 'zh-CN', notifications: false });
    expect(err(await setup.handlers.savePreferences({ language: 'fr' }))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    // Nothing is applied when one key is bad.
    expect(err(await setup.handlers.savePreferences({ startAtLogin: false, bogus: 1 }))).toMatchObject({ message: 'Unknown preference "bogus".' });
    expect(setup.system).toEqual(['login true', 'shell true']);
    expect(setup.settings.get().startAtLogin).toBe(true);
  });
});

describe('engine controls and opening things', () => {
  beforeEach(async () => void ok(await setup.handlers.addMapping(mappingInput())));

  it('pause, resume, sync now and retry reach the engine; mapping ids are checked', async () => {
    ok(await setup.handlers.pause());
    ok(await setup.handlers.resume());
    ok(await setup.handlers.syncNow('m1'));
    ok(await setup.handlers.syncNow(null));
    ok(await setup.handlers.retryFailed('m1'));
    expect(setup.calls.slice(1)).toEqual(['pause', 'resume', 'syncNow m1', 'syncNow all', 'retry m1']);
    expect(err(await setup.handlers.syncNow('../../etc'))).toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('opens only existing paths inside synced folders', async () => {
    ok(await setup.handlers.openLocal(join(photos, 'a.jpg')));
    expect(setup.opened).toEqual([`path ${join(photos, 'a.jpg')}`]);
    expect(err(await setup.handlers.openLocal('/etc/passwd'))).toMatchObject({ message: expect.stringContaining('not inside a synced folder') });
    expect(err(await setup.handlers.openLocal(join(photos, '..', 'x')))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect(err(await setup.handlers.openLocal(join(photos, 'gone.txt')))).toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('opens only https Feishu/Lark links (and the configured server)', async () => {
    ok(await setup.handlers.openUrl('https://example.feishu.cn/file/box1'));
    ok(await setup.handlers.openUrl('https://open.larksuite.com/x'));
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'https://evil.example.com/', 'https://feishu.cn.evil.com/', 'http://example.feishu.cn/', 'https://u:p@x.feishu.cn/', 42]) {
      expect(err(await setup.handlers.openUrl(bad)).code).toBe('E_INVALID_ARGUMENT');
    }
    expect(setup.opened).toEqual(['url https://example.feishu.cn/file/box1', 'url https://open.larksuite.com/x']);
  });

  it('browses remote folders: only folders, sorted by name', async () => {
    expect(ok(await setup.handlers.listRemoteFolders(null))).toEqual([
      { token: 'fldA', name: 'Alpha', url: 'https://x.feishu.cn/drive/folder/fldA' },
      { token: 'fldB', name: 'Beta' },
    ]);
  });

  it('an unexpected failure becomes E_INTERNAL with a remedy, never a crash', async () => {
    const { handlers } = build();
    const broken = createBridgeHandlers({ ...({} as HandlerDeps), engine: { getState: () => { throw new Error('boom'); } } as unknown as SyncEngineApi, settings: memorySettingsStore(DEFAULT_SETTINGS) });
    expect(err(await broken.getState())).toMatchObject({ code: 'E_INTERNAL', message: 'boom', remedy: expect.stringContaining('diagnostics') });
    expect(ok(await handlers.pickFolder())).toBe(photos);
  });
});

type SyncOptions = NonNullable<Parameters<SyncEngineApi['syncOnce']>[0]>;

describe('verifyRemote (check for files missing in Feishu)', () => {
  const summary = (over: Partial<SyncSummary> = {}): SyncSummary => ({
    uploaded: [], versioned: [], moved: [], skipped: [], failed: [], unchanged: 0, callsByEndpoint: {}, quotaExhausted: false, ...over,
  });
  /** A handler set whose engine answers syncOnce with `answer`, recording the options it got. */
  async function withSyncOnce(answer: (options: SyncOptions) => Promise<SyncSummary>, over: Partial<SyncEngineApi> = {}) {
    const asked: SyncOptions[] = [];
    const built = build({}, { syncOnce: (options = {}) => (asked.push(options), answer(options)), ...over });
    ok(await built.handlers.addMapping(mappingInput()));
    return { ...built, asked };
  }

  it('runs one verifying pass for the mapping and answers what it found and uploaded', async () => {
    const { handlers, asked } = await withSyncOnce(async () =>
      summary({
        uploaded: ['a.jpg', 'trip/b.jpg', 'trip/c.jpg'],
        failed: [{ path: 'd.jpg', reason: 'forbidden', code: 1061004 }],
        verified: [{ mappingId: 'm1', checked: 120, listed: 118, lostFiles: 3, lostFolders: 1, summary: 'm1: 3 files missing' }],
      }),
    );
    expect(ok(await handlers.verifyRemote('m1'))).toEqual({ mappingId: 'm1', checked: 120, listed: 118, lostFiles: 3, lostFolders: 1, uploaded: 3, failed: 1, quotaExhausted: false });
    expect(asked).toEqual([{ mappingId: 'm1', verify: true }]);
  });

  it('checks the mapping id like the other calls, and asks nothing of the engine when it is wrong', async () => {
    const { handlers, asked } = await withSyncOnce(async () => summary());
    expect(err(await handlers.verifyRemote('m9'))).toMatchObject({ code: 'E_NOT_FOUND' });
    expect(err(await handlers.verifyRemote(null))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect(err(await handlers.verifyRemote({ id: 'm1' }))).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect(asked).toEqual([]);
  });

  it('a double click lists Feishu once: the second call waits for the first pass', async () => {
    const found = summary({ verified: [{ mappingId: 'm1', checked: 5, listed: 5, lostFiles: 0, lostFolders: 0, summary: '' }] });
    let finish = (_: SyncSummary): void => undefined;
    const { handlers, asked } = await withSyncOnce(() => (asked.length === 1 ? new Promise((resolve) => (finish = resolve)) : Promise.resolve(found)));
    const first = handlers.verifyRemote('m1');
    const second = handlers.verifyRemote('m1');
    await Promise.resolve();
    finish(found);
    expect(ok(await first)).toEqual(ok(await second));
    expect(asked).toHaveLength(1);
    ok(await handlers.verifyRemote('m1')); // once done, a new check lists again
    expect(asked).toHaveLength(2);
  });

  it('a paused mapping is not checked: pausing means nothing is uploaded', async () => {
    const { handlers, asked } = await withSyncOnce(async () => summary(), { getState: () => engineState({ mappings: [mapping({ status: 'paused' })] }) });
    expect(err(await handlers.verifyRemote('m1'))).toMatchObject({ code: 'E_UNAVAILABLE', message: expect.stringContaining('paused'), remedy: 'Resume syncing, then check again.' });
    expect(asked).toEqual([]);
  });

  it('a pass paused before it listed Feishu (syncOnce answers at once) is an error, not "nothing missing"', async () => {
    let status: 'idle' | 'paused' = 'idle';
    const { handlers } = await withSyncOnce(
      async () => ((status = 'paused'), summary()),
      { getState: () => engineState({ paused: status === 'paused', mappings: [mapping({ status })] }) },
    );
    expect(err(await handlers.verifyRemote('m1'))).toMatchObject({ code: 'E_UNAVAILABLE', remedy: 'Resume syncing, then check again.' });
  });

  it("a listing that fails answers the engine's error and remedy (the mapping stopped on it)", async () => {
    let stopped = false;
    const error = { code: 1061004, message: 'No edit permission on the Feishu folder', remedy: 'Ask the owner to grant edit access.', at: 1 };
    const { handlers } = await withSyncOnce(
      async () => ((stopped = true), summary({ failed: [{ path: photos, reason: error.message, code: error.code }] })),
      { getState: () => engineState({ mappings: [stopped ? mapping({ status: 'stopped', error }) : mapping()] }) },
    );
    expect(err(await handlers.verifyRemote('m1'))).toEqual({ code: 'E_SYNC_STOPPED', message: error.message, remedy: error.remedy });
  });

  it('without a running engine (no account yet) it says why instead of failing internally', async () => {
    const reason = { code: 'E_NOT_CONFIGURED', message: 'No Feishu account yet: open Settings → Account.', remedy: 'Open Settings → Account.', at: 1 };
    const { handlers, asked } = await withSyncOnce(async () => summary(), { getState: () => engineState({ running: false, mappings: [], lastErrors: [reason] }) });
    expect(err(await handlers.verifyRemote('m1'))).toEqual({ code: 'E_UNAVAILABLE', message: reason.message, remedy: reason.remedy });
    expect(asked).toEqual([]);
  });
});

it('every mapping in the settings stays valid for the shared schema', async () => {
  ok(await setup.handlers.addMapping(mappingInput()));
  const m: MappingSettings = setup.settings.get().mappings[0]!;
  expect(() => assertValid({ ...setup.settings.get(), mappings: [m] } as never)).not.toThrow();
});
