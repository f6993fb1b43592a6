/**
 * The compiled preload (preload.cjs, as in dist/app/preload/) run as Electron runs a
 * sandboxed preload: CommonJS, with `require` limited to 'electron'. It must
 * expose exactly one object, forward every call over the one invoke channel,
 * and hand the page only the event payload (never IpcRendererEvent.sender).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
let source: string;

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'feisync-preload-build-')); // one per run: concurrent runs never share it
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'app', 'preload', 'tsconfig.json'), '--outDir', out], { stdio: 'inherit' });
  source = readFileSync(join(out, 'app', 'preload', 'preload.cjs'), 'utf8');
});

function load() {
  const exposed: Record<string, any> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: 'answer' }),
      on: (channel: string, fn: (...args: unknown[]) => void) => void listeners.set(channel, fn),
      removeListener: (channel: string, fn: unknown) => void (listeners.get(channel) === fn && listeners.delete(channel)),
    },
  };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(source, { require: sandboxRequire, module, exports: module.exports });
  return { exposed, invoked, listeners, required };
}

describe('preload (sandboxed, contextBridge)', () => {
  it("exposes one object, window.feisync, and requires nothing but 'electron'", () => {
    const { exposed, required } = load();
    expect(Object.keys(exposed)).toEqual(['feisync']);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(Object.keys(exposed.feisync).sort()).toEqual(
      [
        'addMapping', 'cancelSignIn', 'completeSignIn', 'exportDiagnostics', 'getInfo', 'getSettings', 'getState', 'listRemoteFolders', 'onEvent', 'openLocal', 'openLogFolder', 'openUrl',
        'pause', 'pickFolder', 'removeMapping', 'resume', 'retryFailed', 'saveAccount', 'saveLimits', 'savePreferences', 'signInLink', 'startSignIn', 'syncNow', 'testConnection', 'updateMapping', 'verifyRemote',
      ].sort(),
    );
  });

  it('forwards each call with its arguments over the one invoke channel', async () => {
    const { exposed, invoked } = load();
    expect(await exposed.feisync.updateMapping('m1', { paused: true })).toEqual({ ok: true, value: 'answer' });
    await exposed.feisync.getState();
    expect(invoked).toEqual([
      ['feisync:invoke', 'updateMapping', 'm1', { paused: true }],
      ['feisync:invoke', 'getState'],
    ]);
  });

  it('passes engine events without the IPC event object, and unsubscribes', () => {
    const { exposed, listeners } = load();
    const seen: unknown[][] = [];
    const off = exposed.feisync.onEvent((...args: unknown[]) => seen.push(args));
    listeners.get('feisync:event')!({ sender: { secret: 'ipc internals' } }, { type: 'firstSyncDone', mappingId: 'm1' });
    expect(seen).toEqual([[{ type: 'firstSyncDone', mappingId: 'm1' }]]);
    off();
    expect(listeners.has('feisync:event')).toBe(false);
  });
});
