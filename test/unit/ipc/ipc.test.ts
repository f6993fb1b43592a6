import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callDaemon, connectIpc } from '../../../src/ipc/client.js';
import { startIpcServer, type IpcEngine, type IpcServerHandle } from '../../../src/ipc/server.js';
import { ipcSocketPath } from '../../../src/ipc/socketPath.js';
import type { EngineState } from '../../../src/sync/engineApi.js';

const stateDir = () => mkdtempSync(join(tmpdir(), 'feisync-ipc-'));

function fakeEngine() {
  const calls: string[] = [];
  const state = { paused: false, quota: { day: '2026-01-01', resetsAt: 1, endpoints: [], exhausted: false } } as unknown as EngineState;
  const engine: IpcEngine = {
    send: async (paths) => {
      calls.push(`send ${paths.join(',')}`);
      return paths.map((path) => ({ path, ok: true, fileToken: `tok-${path}` }));
    },
    getState: () => state,
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    syncNow: async (id) => void calls.push(`syncNow ${id ?? 'all'}`),
  };
  return { engine, calls };
}

const servers: IpcServerHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('IPC socket', () => {
  it('answers every method of the protocol', async () => {
    const dir = stateDir();
    const { engine, calls } = fakeEngine();
    const paused: boolean[] = [];
    servers.push(await startIpcServer(engine, { stateDir: dir, onPausedChange: (p) => paused.push(p), version: '1.2.3' }));
    expect(await callDaemon(dir, 'send', { paths: ['/a', '/b'] })).toEqual([
      { path: '/a', ok: true, fileToken: 'tok-/a' },
      { path: '/b', ok: true, fileToken: 'tok-/b' },
    ]);
    expect(await callDaemon(dir, 'pause')).toEqual({ paused: true });
    expect(await callDaemon(dir, 'resume')).toEqual({ paused: false });
    expect(await callDaemon(dir, 'syncNow', { mappingId: 'm1' })).toEqual({ started: true });
    expect(await callDaemon(dir, 'quota')).toMatchObject({ day: '2026-01-01' });
    expect(await callDaemon(dir, 'status')).toMatchObject({ paused: false });
    expect(await callDaemon(dir, 'ping')).toEqual({ pid: process.pid, version: '1.2.3', kind: 'cli' });
    expect(calls).toEqual(['send /a,/b', 'pause', 'resume', 'syncNow m1']);
    expect(paused).toEqual([true, false]);
  });

  it('the socket is private to the user (mode 0600)', async () => {
    const dir = stateDir();
    const server = await startIpcServer(fakeEngine().engine, { stateDir: dir });
    servers.push(server);
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
  });

  it('without a daemon, clients get null (so the command runs the work itself)', async () => {
    expect(await callDaemon(stateDir(), 'status')).toBeNull();
  });

  it('a stale socket file (no listener) is replaced', async () => {
    const dir = stateDir();
    const path = ipcSocketPath(dir);
    // A socket file left behind by a daemon killed with SIGKILL (it never got to unlink it).
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(statSync(path).isSocket()).toBe(true);
    servers.push(await startIpcServer(fakeEngine().engine, { stateDir: dir }));
    expect(await callDaemon(dir, 'ping')).toMatchObject({ kind: 'cli' });
  });

  it('a second daemon on the same state dir is refused', async () => {
    const dir = stateDir();
    servers.push(await startIpcServer(fakeEngine().engine, { stateDir: dir }));
    await expect(startIpcServer(fakeEngine().engine, { stateDir: dir })).rejects.toMatchObject({ code: 'E_IPC_IN_USE' });
  });

  it('bad requests get an error answer and the connection keeps working', async () => {
    const dir = stateDir();
    servers.push(await startIpcServer(fakeEngine().engine, { stateDir: dir }));
    const socket = createConnection(ipcSocketPath(dir));
    const lines: string[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
    socket.write('not json\n{"id":7,"method":"explode"}\n{"id":8,"method":"send","params":{"paths":[]}}\n{"id":9,"method":"pause"}\n');
    for (let waited = 0; lines.length < 4 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    socket.destroy();
    const answers = lines.map((l) => JSON.parse(l));
    expect(answers[0]).toMatchObject({ id: null, ok: false, error: { code: 'E_IPC_BAD_REQUEST' } });
    expect(answers[1]).toMatchObject({ id: 7, ok: false, error: { message: 'unknown method "explode"' } });
    expect(answers[2]).toMatchObject({ id: 8, ok: false, error: { code: 'E_IPC_BAD_REQUEST' } });
    expect(answers[3]).toEqual({ id: 9, ok: true, result: { paused: true } });
  });

  it('engine failures travel back with their code and remedy', async () => {
    const dir = stateDir();
    const { engine } = fakeEngine();
    engine.send = async () => {
      throw Object.assign(new Error('quota gone'), { code: 'E_QUOTA', remedy: 'wait until midnight' });
    };
    servers.push(await startIpcServer(engine, { stateDir: dir }));
    const client = (await connectIpc(dir))!;
    await expect(client.call('send', { paths: ['/x'] })).rejects.toMatchObject({ code: 'E_QUOTA', message: 'quota gone', remedy: 'wait until midnight' });
    client.close();
  });

  it('a deep state dir gets a short socket path in the temp dir (sun_path limit)', () => {
    const deep = join('/tmp', 'x'.repeat(120));
    const path = ipcSocketPath(deep, 'linux');
    expect(Buffer.byteLength(path)).toBeLessThanOrEqual(100);
    expect(ipcSocketPath(deep, 'linux')).toBe(path);
    expect(ipcSocketPath('/tmp/s', 'win32')).toMatch(/^\\\\\.\\pipe\\feisync-[0-9a-f]{16}$/);
  });

  it('a regular file where the socket should be is replaced too (nothing listens)', async () => {
    const dir = stateDir();
    writeFileSync(ipcSocketPath(dir), 'junk');
    servers.push(await startIpcServer(fakeEngine().engine, { stateDir: dir }));
    expect(await callDaemon(dir, 'ping')).not.toBeNull();
  });
});
