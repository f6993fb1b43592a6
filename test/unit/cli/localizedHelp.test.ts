import { Help, type Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, helpLanguage, runCli, type Act } from '../../../src/cli/program.js';
import { SETTINGS_SCHEMA_VERSION } from '../../../src/config/settings.js';
import { translator, type Lang } from '../../../src/i18n/index.js';
import { fakeIo } from './fakeIo.js';

async function run(argv: string[], env: Record<string, string> = {}) {
  const io = fakeIo(env);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('help in the user’s language', () => {
  it('--lang zh-CN --help: the program, its commands, options, exit codes and commander’s own words in Chinese', async () => {
    const { code, stdout } = await run(['--lang', 'zh-CN', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('用法： feisync [options] [command]');
    expect(stdout).toContain('将本地文件夹同步到飞书 / Lark 云空间');
    expect(stdout).toMatch(/^选项：$/m);
    expect(stdout).toMatch(/^命令：$/m);
    expect(stdout).toMatch(/--config <file> +设置文件（环境变量 FEISYNC_CONFIG）/);
    expect(stdout).toMatch(/-V, --version +显示版本号/);
    expect(stdout).toMatch(/-h, --help +显示命令帮助/);
    expect(stdout).toMatch(/sync \[options\] +同步已映射的文件夹/);
    expect(stdout).toMatch(/help \[command\] +显示命令帮助/);
    expect(stdout).toContain('退出码：\n  0  全部完成');
    expect(stdout).not.toMatch(/Sync local folders|Usage:|Options:|Exit codes:|display help/);
  });

  it('--lang zh-CN sync --help: the command’s description and options in Chinese, defaults included', async () => {
    const sync = await run(['--lang', 'zh-CN', 'sync', '--help']);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('用法： feisync sync [options]');
    expect(sync.stdout).toContain('同步已映射的文件夹：持续监视（默认），或用 --once 同步一次后退出');
    expect(sync.stdout).toMatch(/--dry-run +扫描本地、列出云端/);
    const log = await run(['log', '--help', '--lang=zh-CN']);
    expect(log.stdout).toMatch(/-n, --lines <n> +显示最近多少行（默认："50"）/);
  });

  it('LANG=zh_CN.UTF-8 in the environment gives the same Chinese help as --lang zh-CN', async () => {
    for (const argv of [['--help'], ['sync', '--help'], ['map', 'add', '--help']]) {
      const fromEnv = await run(argv, { LANG: 'zh_CN.UTF-8' });
      const fromFlag = await run(['--lang', 'zh-CN', ...argv]);
      expect(fromEnv.stdout).toContain('用法：');
      expect(fromEnv.stdout).toBe(fromFlag.stdout);
    }
  });

  it('English by default, and --lang en wins over a Chinese LANG', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: feisync [options] [command]\n\nSync local folders to Feishu / Lark Drive\n\nOptions:\n  -V, --version              output the version number\n');
    expect(stdout).toContain('  -h, --help                 display help for command\n\nCommands:\n');
    expect(stdout).toContain('  help [command]             display help for command\n\nExit codes:\n  0  everything done\n');
    expect(stdout).toContain('\nEnvironment: FEISYNC_BASE_URL, FEISYNC_APP_ID, FEISYNC_APP_SECRET, FEISYNC_STATE_DIR,\nFEISYNC_CONFIG, LANG / LC_ALL (en or zh), NO_COLOR.\n');
    expect((await run(['log', '--help'])).stdout).toContain('  -n, --lines <n>  how many recent lines (default: "50")\n');
    expect((await run(['--lang', 'en', '--help'], { LANG: 'zh_CN.UTF-8' })).stdout).toBe(stdout);
  });

  it('a usage error points to --help in Chinese', async () => {
    const { code, stderr } = await run(['--lang', 'zh-CN', 'map', 'list', '--frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('（使用 --help 查看用法）');
  });

  it('decides the language from argv before parsing: --lang (either form, anywhere before --), then the environment', () => {
    expect(helpLanguage(['--lang=zh-CN', '--help'], {})).toBe('zh-CN');
    expect(helpLanguage(['sync', '--lang', 'zh-CN'], { LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(helpLanguage(['--lang', 'en'], { LC_ALL: 'zh_CN.UTF-8' })).toBe('en');
    expect(helpLanguage(['--help'], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(helpLanguage(['send', '--', '--lang', 'zh-CN'], {})).toBe('en');
    // An unknown --lang is the command's error to report; help follows the environment.
    expect(helpLanguage(['--lang', 'fr', '--help'], { LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
  });

  it('follows the language chosen in the settings (the Settings window of the tray) over the environment, like every command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feisync-help-'));
    try {
      const config = join(dir, 'settings.json');
      writeFileSync(config, JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION, language: 'zh-CN' }));
      expect(helpLanguage(['--config', config, '--help'], { LANG: 'en_US.UTF-8' })).toBe('zh-CN');
      expect(helpLanguage(['--help'], { FEISYNC_CONFIG: config, LANG: 'en_US.UTF-8' })).toBe('zh-CN');
      expect(helpLanguage(['--lang', 'en', '--help'], { FEISYNC_CONFIG: config })).toBe('en');
      writeFileSync(config, '{ not json');
      expect(helpLanguage(['--help'], { FEISYNC_CONFIG: config, LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('every help text has a Chinese translation', () => {
  /**
   * Texts legitimately the same in both languages (pure flag or value syntax).
   * Keep it tiny: anything a user reads belongs in zhCN.ts.
   */
  const SAME_IN_BOTH = new Set<string>();

  const inert: Act = () => async () => {};
  const stock = new Help();

  async function tree(lang: Lang) {
    const io = fakeIo();
    return { program: await buildProgram([], io, inert, lang), io };
  }

  /** Every command, subcommand, option (help and version included) and argument, by where it sits. */
  function descriptions(command: Command, path = command.name()): Map<string, string> {
    const found = new Map<string, string>([[path, command.description()]]);
    for (const option of stock.visibleOptions(command)) found.set(`${path} ${option.flags}`, option.description);
    for (const argument of command.registeredArguments) found.set(`${path} <${argument.name()}>`, argument.description);
    for (const sub of stock.visibleCommands(command)) {
      if (sub.name() === 'help') found.set(`${path} help`, sub.description());
      else for (const [where, text] of descriptions(sub, `${path} ${sub.name()}`)) found.set(where, text);
    }
    return found;
  }

  /** Each command's whole --help output (with its extra text after), by command path. */
  function helpPages(command: Command, io: ReturnType<typeof fakeIo>, path = command.name()): Map<string, string> {
    io.stdout.text = '';
    command.outputHelp();
    const pages = new Map([[path, io.stdout.text]]);
    for (const sub of command.commands) for (const [p, page] of helpPages(sub, io, `${path} ${sub.name()}`)) pages.set(p, page);
    return pages;
  }

  it('no description of a command, option or argument is left in English', async () => {
    const en = descriptions((await tree('en')).program);
    const zh = descriptions((await tree('zh-CN')).program);
    expect([...zh.keys()]).toEqual([...en.keys()]);
    expect(en.size).toBeGreaterThan(80); // the walk reached every command module
    const untranslated = [...en].filter(([where, text]) => !SAME_IN_BOTH.has(text) && (text === '' || zh.get(where) === text)).map(([where]) => where);
    expect(untranslated).toEqual([]);
  });

  it('no line of any English help page (titles, usage, text after the options) appears in the Chinese one', async () => {
    const en = await tree('en');
    const zh = await tree('zh-CN');
    const enPages = helpPages(en.program, en.io);
    const zhPages = helpPages(zh.program, zh.io);
    expect([...zhPages.keys()]).toEqual([...enPages.keys()]);
    const leftovers: string[] = [];
    for (const [path, page] of enPages) {
      const zhLines = new Set(zhPages.get(path)!.split('\n'));
      for (const line of page.split('\n')) if (line.trim() !== '' && !SAME_IN_BOTH.has(line.trim()) && zhLines.has(line)) leftovers.push(`${path}: ${line}`);
    }
    expect(leftovers).toEqual([]);
  });
});
