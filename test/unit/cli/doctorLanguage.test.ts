/**
 * `feisync doctor` in the user's language: run in-process against a sandbox
 * Drive, with one mapped folder that exists and one that does not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockSkewCheck, diskSpaceCheck, indexCheck, inotifyCheck } from '../../../src/cli/doctor/checks.js';
import { runCli } from '../../../src/cli/program.js';
import { en } from '../../../src/i18n/en.js';
import { ZH_FEISHU_REMEDIES } from '../../../src/i18n/feishuRemedies.js';
import { zhCN } from '../../../src/i18n/zhCN.js';
import { INDEX_FILE_NAME } from '../../../src/platform/stateDir.js';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { fakeIo } from './fakeIo.js';

let sandbox: SandboxHandle;
let home: string;
let present: string;
let missing: string;

beforeAll(async () => {
  sandbox = await startSandbox({ limits: 'off' });
  home = mkdtempSync(join(tmpdir(), 'feisync-doctor-'));
  present = join(home, 'photos');
  missing = join(home, 'gone');
  mkdirSync(present);
  const mapping = (id: string, localPath: string) => ({ id, localPath, folderToken: sandbox.rootFolderToken });
  writeFileSync(join(home, 'config.json'), JSON.stringify({ mappings: [mapping('m1', present), mapping('m2', missing)] }));
});
afterAll(async () => {
  await sandbox?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function doctor(lang: string, options: { secret?: string; json?: boolean } = {}) {
  const io = fakeIo({ FEISYNC_CONFIG: join(home, 'config.json'), FEISYNC_STATE_DIR: join(home, 'state'), NO_COLOR: '1' });
  const secret = options.secret ?? sandbox.appSecret;
  const argv = ['--lang', lang, '--base-url', sandbox.baseUrl, '--app-id', sandbox.appId, '--app-secret', secret, 'doctor', ...(options.json ? ['--json'] : [])];
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout.text };
}

describe('feisync doctor in the user’s language', () => {
  it('English stays as it was: verdicts, names, details and remedies, in aligned columns', async () => {
    const { code, stdout } = await doctor('en');
    expect(code).toBe(1);
    const state = join(home, 'state');
    expect(stdout).toContain(`ok    settings           ${join(home, 'config.json')}\n`);
    expect(stdout).toMatch(/^ok    reachability       http:\/\/127\.0\.0\.1:\d+ answered in \d+ ms$/m);
    expect(stdout).toContain(`ok    credentials        app ${sandbox.appId} (secret from flag); Drive root ${sandbox.rootFolderToken}\n`);
    expect(stdout).toContain(`ok    mapping m1 remote  folder ${sandbox.rootFolderToken} is readable\n`);
    expect(stdout).toContain(`ok    mapping m1 local   ${present}\n`);
    expect(stdout).toContain(
      `fail  mapping m2 local   the local folder ${missing} does not exist\n` +
        `                         → Create it (mkdir -p "${missing}") or check the path.\n`,
    );
    expect(stdout).toMatch(/^ok    disk space         \d+\.\d GB free for /m);
    expect(stdout).toContain(`ok    index              no index yet (${join(state, INDEX_FILE_NAME)}); created by the first sync\n`);
    expect(stdout).toContain('ok    daemon             not running\n');
  });

  it('zh-CN: verdicts, check names, details and remedies in Chinese, aligned by display width', async () => {
    const { code, stdout } = await doctor('zh-CN');
    expect(code).toBe(1);
    const state = join(home, 'state');
    expect(stdout).toContain(`正常  设置          ${join(home, 'config.json')}\n`);
    expect(stdout).toMatch(/^正常  网络连通      http:\/\/127\.0\.0\.1:\d+ 在 \d+ 毫秒内响应$/m);
    expect(stdout).toContain(`正常  凭证          应用 ${sandbox.appId}（密钥来自命令行参数 --app-secret）；云空间根目录 ${sandbox.rootFolderToken}\n`);
    expect(stdout).toContain(`正常  映射 m1 云端  文件夹 ${sandbox.rootFolderToken} 可以读取\n`);
    // The missing folder: the ConfigError's message and remedy from the Chinese table.
    expect(stdout).toContain(
      `失败  映射 m2 本地  本地文件夹 ${missing} 不存在\n` +
        `                    → 先创建它（mkdir -p "${missing}"），或检查路径。\n`,
    );
    expect(stdout).toMatch(/^正常  文件监视      (需要监视 \d+ 个文件夹，fs\.inotify\.max_user_watches = \d+|此平台没有 inotify 监视数量上限)$/m);
    expect(stdout).toMatch(/^正常  磁盘空间      \S+ 的可用空间为 \d+\.\d GB$/m);
    expect(stdout).toContain(`正常  索引          还没有索引（${join(state, INDEX_FILE_NAME)}）；首次同步时会创建\n`);
    expect(stdout).toContain('正常  后台进程      未运行\n');
    expect(stdout).not.toMatch(/^(ok|warn|fail) /m);
    expect(stdout).not.toMatch(/answered|from the server|secret from|is readable|does not exist|folders to watch|GB free|no index yet|not running/);
  });

  it('zh-CN: a Feishu error keeps its code and log id, with the Chinese remedy of that code', async () => {
    const { code, stdout } = await doctor('zh-CN', { secret: 'wrong' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^失败  凭证 +飞书错误 10014 .+ \[日志 ID \S+\]$/m);
    expect(stdout).toContain(`→ ${ZH_FEISHU_REMEDIES[10014]}\n`);
  });

  it('zh-CN --json: the same shape (id, name, verdict, detail, remedy), ids and verdicts for machines, Chinese texts', async () => {
    const { stdout } = await doctor('zh-CN', { json: true });
    const checks = JSON.parse(stdout) as Record<string, string>[];
    for (const c of checks) expect(Object.keys(c).sort()).toEqual(c.remedy === undefined ? ['detail', 'id', 'name', 'verdict'] : ['detail', 'id', 'name', 'remedy', 'verdict']);
    // Scripts pick a check by its id, the same in every language.
    const english = JSON.parse((await doctor('en', { json: true })).stdout) as Record<string, string>[];
    expect(checks.map((c) => c.id)).toEqual(english.map((c) => c.id));
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(['settings', 'reachability', 'clock', 'credentials', 'mappingLocal:m2', 'index', 'daemon']));
    expect(checks.find((c) => c.id === 'mappingLocal:m2')).toEqual({
      id: 'mappingLocal:m2',
      name: '映射 m2 本地',
      verdict: 'fail',
      detail: `本地文件夹 ${missing} 不存在`,
      remedy: `先创建它（mkdir -p "${missing}"），或检查路径。`,
    });
    expect(checks.find((c) => c.id === 'index')).toMatchObject({ name: '索引', verdict: 'ok' });
  });
});

describe('doctor checks in Chinese', () => {
  it('index: a damaged index fails with SQLite’s reason and the Chinese remedy; English as before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feisync-doctor-index-'));
    try {
      const path = join(dir, INDEX_FILE_NAME);
      writeFileSync(path, 'not a database '.repeat(100));
      expect(indexCheck(dir, 'zh-CN')).toEqual({
        id: 'index',
        name: '索引',
        verdict: 'fail',
        detail: `${path}：file is not a database`,
        remedy: '请停止 FeiSync 后重新启动：损坏的索引会被移到一旁，并通过重新扫描重建。',
      });
      expect(indexCheck(dir, 'en')).toEqual({
        id: 'index',
        name: 'index',
        verdict: 'fail',
        detail: `${path}: file is not a database`,
        remedy: 'Stop FeiSync and start it again: a damaged index is moved aside and rebuilt from a rescan.',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('clock, file watching and disk space: details and remedies in Chinese, commands untranslated', () => {
    const now = Date.parse('Wed, 25 Nov 2026 12:00:00 GMT');
    expect(clockSkewCheck('Wed, 25 Nov 2026 12:10:00 GMT', now, 'zh-CN')).toEqual({
      id: 'clock',
      name: '时钟',
      verdict: 'fail',
      detail: '本地时钟相对服务器偏差 -600 秒',
      remedy: '请开启时间同步（NTP）：令牌和每日配额的重置都依赖准确的时间。',
    });
    expect(inotifyCheck(8192, 9000, 'zh-CN')).toMatchObject({
      name: '文件监视',
      detail: '需要监视 9000 个文件夹，fs.inotify.max_user_watches = 8192',
      remedy: '请提高上限：echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-feisync.conf && sudo sysctl --system（在此之前，FeiSync 改为定期重新扫描）',
    });
    expect(diskSpaceCheck('/s', 500 * 1024 ** 2, 'zh-CN')).toEqual({
      id: 'diskSpace',
      name: '磁盘空间',
      verdict: 'warn',
      detail: '/s 的可用空间为 0.5 GB',
      remedy: '可用空间不足 1 GB：请释放一些空间，或把状态目录移到别处（--state）。',
    });
  });

  // zhCN.ts is typed Record<MessageKey, string>, so a missing key fails `tsc`;
  // this catches an English line copied into the Chinese table instead.
  it('every doctor message has its own Chinese line', () => {
    const keys = (Object.keys(en) as (keyof typeof en)[]).filter((k) => k.startsWith('doctor.'));
    expect(keys.length).toBeGreaterThan(40);
    for (const key of keys) expect(zhCN[key], key).not.toBe(en[key]);
  });
});
