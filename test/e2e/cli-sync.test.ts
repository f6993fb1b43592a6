/**
 * `feisync sync / send / status / quota / demo` through the real binary
 * against an in-process sandbox: summaries, exit codes 0-3, the daemon and
 * its control socket, and counters that match the sandbox's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { displayWidth } from '../../src/cli/displayWidth.js';
import { FeishuClient } from '../../src/feishu/client.js';
import { METERED_ENDPOINTS } from '../../src/feishu/endpoints.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { EngineState, QuotaState, SyncSummary } from '../../src/sync/engineApi.js';
import { assertBuilt, cliHome, exitOf, type CliHome } from './helpers/cliRunner.js';
import { expectMirrors, localFiles, remoteFiles, writeTree } from './helpers/trees.js';
import { sandboxPerTest } from './helpers/sandboxes.js';

const sandbox = sandboxPerTest();
beforeAll(() => assertBuilt());

function creds(sb: SandboxHandle): string[] {
  return ['--base-url', sb.baseUrl, '--app-id', sb.appId, '--app-secret', sb.appSecret];
}

function sampleTree(home: CliHome): string {
  const dir = join(home.dir, 'data');
  writeTree(dir, {
    'a.txt': 'alpha',
    'docs/b.md': '# b\n'.repeat(100),
    'docs/deep/c.bin': Buffer.alloc(70_000, 7),
    '中文 名字.txt': '你好',
  });
  return dir;
}

/** Metered calls the sandbox received, to compare with FeiSync's ledger. */
function meteredCalls(sb: SandboxHandle): Record<string, number> {
  const calls = sb.counters().calls as Record<string, number>;
  return Object.fromEntries(Object.entries(calls).filter(([k, n]) => (METERED_ENDPOINTS as readonly string[]).includes(k) && n > 0));
}

function usedByEndpoint(quota: QuotaState): Record<string, number> {
  return Object.fromEntries(quota.endpoints.filter((e) => e.used > 0).map((e) => [e.endpoint, e.used]));
}

describe('feisync demo --once', () => {
  it('syncs the sample folder, verifies every file by sha256, and exits 0', async () => {
    const r = await cliHome().run(['demo', '--once'], { timeoutMs: 90_000 });
    expect(r.stderr).toMatch(/Sandbox Drive running at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toMatch(/6 of 6 files verified/);
    expect(r.stdout).toMatch(/big-recording\.bin/);
    // The tree is a table: with the CJK name (two columns per character) too, the checksums start at one column.
    const rows = r.stdout.split('\n').filter((l) => /sha256 [0-9a-f]{16}/.test(l));
    expect(rows).toHaveLength(6);
    expect(rows.some((l) => l.includes('项目资料/季度报告 2024.txt'))).toBe(true);
    expect(new Set(rows.map((l) => displayWidth(l.slice(0, l.indexOf('sha256 ')))))).toHaveLength(1);
    expect(r.code).toBe(0);
  }, 120_000);
});

describe('feisync sync --once', () => {
  it('works on a fresh state dir with no config file: one JSON summary, a mirror in Drive, quota = sandbox counters', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const dir = sampleTree(home);
    const state = join(home.dir, 'fresh-state');
    const r = await home.run(['sync', '--once', '--local', dir, '--folder', sb.rootFolderToken, ...creds(sb), '--state', state, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as SyncSummary;
    expect(summary.uploaded.sort()).toEqual(['a.txt', 'docs/b.md', 'docs/deep/c.bin', '中文 名字.txt']);
    expect(summary.failed).toEqual([]);
    expect(summary.quotaExhausted).toBe(false);
    expect(summary.callsByEndpoint.filesUploadAll).toBe(4);
    expect(expectMirrors(localFiles(dir), remoteFiles(sb.tree()))).toEqual([]);

    // The ledger FeiSync keeps agrees with what the server counted.
    const quota = JSON.parse((await home.run(['quota', '--json', '--state', state])).stdout) as QuotaState;
    expect(usedByEndpoint(quota)).toEqual(meteredCalls(sb));

    // Nothing changed: a second run uploads nothing.
    const again = JSON.parse((await home.run(['sync', '--once', '--local', dir, '--folder', sb.rootFolderToken, ...creds(sb), '--state', state, '--json'])).stdout) as SyncSummary;
    expect(again.uploaded).toEqual([]);
    expect(again.unchanged).toBe(4);
    expect(again.callsByEndpoint.filesUploadAll ?? 0).toBe(0);
  });

  it('--dry-run prints the plan and its cost and makes no upload call', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const dir = sampleTree(home);
    const r = await home.run(['sync', '--dry-run', '--local', dir, '--folder', sb.rootFolderToken, ...creds(sb)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/upload +a\.txt/);
    expect(r.stdout).toMatch(/Cost of the plan: \d+ \(.*filesUploadAll 4/);
    const calls = sb.counters().calls;
    expect(calls.filesUploadAll ?? 0).toBe(0);
    expect(calls.createFolder ?? 0).toBe(0);
    expect(sb.tree()).toEqual([]);
  });

  it('--verify uploads again what was deleted in Feishu, which a plain run does not notice', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const dir = sampleTree(home);
    const args = ['--local', dir, '--folder', sb.rootFolderToken, ...creds(sb)];
    expect((await home.run(['sync', '--once', ...args])).code).toBe(0);
    const client = new FeishuClient({ baseUrl: sb.baseUrl, credentials: { kind: 'tenant', appId: sb.appId, appSecret: sb.appSecret } });
    try {
      await client.delete(sb.tree().find((n) => n.path === 'a.txt')!.token, 'file');
      await client.delete(sb.tree().find((n) => n.path === 'docs')!.token, 'folder');
    } finally {
      await client.close();
    }
    expect((await home.run(['sync', '--once', ...args])).stdout).toMatch(/uploaded 0,/);
    const r = await home.run(['sync', '--verify', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verified adhoc-[0-9a-f]+: 4 synced files checked against 1 entries in Feishu; 3 missing there are queued to upload again, 2 missing folders/);
    expect(r.stdout).toMatch(/uploaded 3,/);
    expect(expectMirrors(localFiles(dir), remoteFiles(sb.tree()))).toEqual([]);
  });

  it('exit 1 when files fail, with the Feishu code in the summary', async () => {
    const sb = await sandbox({ faults: '1061004:1' });
    const home = cliHome();
    const dir = join(home.dir, 'flat');
    writeTree(dir, { 'x.txt': 'x' });
    const r = await home.run(['sync', '--once', '--local', dir, '--folder', sb.rootFolderToken, ...creds(sb), '--json']);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as SyncSummary;
    expect(summary.failed[0]).toMatchObject({ code: 1061004 });
  });

  it('exit 2 for usage and credential errors', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const dir = sampleTree(home);
    const half = await home.run(['sync', '--once', '--local', dir]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--local and --folder go together/);
    const wrong = await home.run(['sync', '--once', '--local', dir, '--folder', sb.rootFolderToken, '--base-url', sb.baseUrl, '--app-id', sb.appId, '--app-secret', 'nope']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/10014/);
    const none = await home.run(['sync', '--once']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no mappings/);
  });

  it('exit 3 when the daily API quota runs out before everything is uploaded', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const dir = join(home.dir, 'many');
    writeTree(dir, Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, `file ${i}`])));
    mkdirSync(join(home.dir, 'config'), { recursive: true });
    writeFileSync(home.config, JSON.stringify({ limits: { dailyQuota: 3, quotaReserve: 0 } }));
    const r = await home.run(['sync', '--once', '--local', dir, '--folder', sb.rootFolderToken, ...creds(sb), '--json']);
    expect(r.code).toBe(3);
    const summary = JSON.parse(r.stdout) as SyncSummary;
    expect(summary.quotaExhausted).toBe(true);
    expect(summary.resumesAt).toBeGreaterThan(Date.now());
    expect(summary.uploaded.length).toBeLessThanOrEqual(3);
    expect(sb.counters().calls.filesUploadAll ?? 0).toBeLessThanOrEqual(3);
  });
});

describe('feisync send', () => {
  it('without a daemon: runs an engine for the send and uploads to --to', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const file = join(home.dir, 'report.txt');
    writeFileSync(file, 'quarterly');
    const r = await home.run(['send', file, '--to', `https://x.feishu.cn/drive/folder/${sb.rootFolderToken}`, ...creds(sb), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.via).toBe('engine');
    expect(out.results).toEqual([expect.objectContaining({ path: file, ok: true })]);
    expect(sb.tree().filter((n) => n.name === 'report.txt')).toHaveLength(1);
  });

  it('rejects a missing file and a folder with exit 2', async () => {
    const home = cliHome();
    expect((await home.run(['send', join(home.dir, 'missing.txt')])).code).toBe(2);
    const folder = await home.run(['send', home.dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is not a file/);
    const asOnly = await home.run(['send', home.config, '--as', 'image']);
    expect(asOnly.code).toBe(2);
  });
});

describe('the daemon (feisync sync in watch mode)', () => {
  it('serves send, status, quota and pause over the control socket, and stops cleanly on SIGINT', async () => {
    const sb = await sandbox();
    const home = cliHome();
    const dir = sampleTree(home);
    expect((await home.run(['map', 'add', dir, sb.rootFolderToken])).code).toBe(0);
    const daemon = home.spawn(['sync', ...creds(sb)]);
    onTestFinished(() => void daemon.kill('SIGKILL')); // never leave a daemon behind a failed assertion
    let daemonErr = '';
    daemon.stderr!.setEncoding('utf8').on('data', (d: string) => (daemonErr += d));
    daemon.stdout!.resume();

    // Wait until the daemon answers and the first sync is done.
    let status: (EngineState & { daemon: { pid: number } | null }) | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await home.run(['status', '--json']);
      if (r.code === 0) {
        status = JSON.parse(r.stdout);
        if (status!.daemon && status!.mappings[0]?.firstSyncDone) break;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(status?.daemon?.pid, daemonErr).toBe(daemon.pid);
    expect(status!.mappings[0]).toMatchObject({ id: 'm1', synced: 4, failed: 0 });

    // A second engine on the same state dir is refused (one writer per index).
    const second = await home.run(['sync', '--once', ...creds(sb)]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`already running for this state dir \\(pid ${daemon.pid}`));

    const extra = join(home.dir, 'extra.txt');
    writeFileSync(extra, 'sent through the daemon');
    const sent = await home.run(['send', extra, '--to', sb.rootFolderToken, '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ via: 'daemon', results: [{ path: extra, ok: true }] });
    expect(sb.tree().filter((n) => n.name === 'extra.txt')).toHaveLength(1);

    // A mapping added while the daemon runs is picked up without a restart.
    const secondDir = join(home.dir, 'second');
    writeTree(secondDir, { 'late.txt': 'added later' });
    const otherFolder = sb.tree().find((n) => n.type === 'folder' && n.name === 'docs')!.token;
    expect((await home.run(['map', 'add', secondDir, otherFolder])).code).toBe(0);
    for (let i = 0; i < 100 && !sb.tree().some((n) => n.path === 'docs/late.txt'); i++) await new Promise((res) => setTimeout(res, 100));
    expect(sb.tree().filter((n) => n.path === 'docs/late.txt')).toHaveLength(1);

    const quota = JSON.parse((await home.run(['quota', '--json'])).stdout) as QuotaState;
    expect(usedByEndpoint(quota)).toEqual(meteredCalls(sb));

    const paused = await home.run(['pause', '--json']);
    expect(JSON.parse(paused.stdout)).toEqual({ paused: true, appliedTo: 'daemon' });
    expect((JSON.parse((await home.run(['status', '--json'])).stdout) as EngineState).paused).toBe(true);
    expect((await home.run(['resume'])).code).toBe(0);

    daemon.kill('SIGINT');
    expect(await exitOf(daemon)).toEqual({ code: 0, signal: null });
    // The socket is gone: commands fall back to the index.
    expect(JSON.parse((await home.run(['status', '--json'])).stdout).daemon).toBeNull();
  }, 120_000);
});
