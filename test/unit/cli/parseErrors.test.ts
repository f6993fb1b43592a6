import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { localizeParseError } from '../../../src/cli/parseErrors.js';
import { fakeIo } from './fakeIo.js';

async function run(argv: string[]) {
  const io = fakeIo();
  const code = await runCli(argv, io);
  return { code, stderr: io.stderr.text };
}

/** Each shape of commander's parse errors, provoked for real. */
const MISTAKES: [string, string[], RegExp, string][] = [
  ['an unknown option, with a suggestion', ['sync', '--onse'], /^error: unknown option '--onse'\n\(Did you mean --once\?\)\n/, "错误：未知选项 '--onse'\n（您是想输入 --once 吗？）\n"],
  ['an unknown command, with a suggestion', ['snyc'], /^error: unknown command 'snyc'\n\(Did you mean sync\?\)\n/, "错误：未知命令 'snyc'\n（您是想输入 sync 吗？）\n"],
  ['a missing argument', ['config', 'get'], /^error: missing required argument 'key'\n/, "错误：缺少必需的参数 'key'\n"],
  ['an option without its value', ['sync', '--local'], /^error: option '--local <dir>' argument missing\n/, "错误：选项 '--local <dir>' 缺少取值\n"],
  ['too many arguments', ['status', 'extra'], /^error: too many arguments for 'status'\. Expected 0 arguments but got 1\.\n/, '错误：feisync status 的参数过多：应为 0 个，实际为 1 个。\n'],
];

describe('commander’s parse errors', () => {
  for (const [what, argv, english, chinese] of MISTAKES) {
    it(`${what}: commander's words in English, the same in Chinese with the names as typed; exit 2`, async () => {
      const en = await run(['--lang', 'en', ...argv]);
      expect(en.code).toBe(2);
      expect(en.stderr).toMatch(english);
      expect(en.stderr).toContain('(run with --help for usage)');
      const zh = await run(['--lang', 'zh-CN', ...argv]);
      expect(zh.code).toBe(2);
      expect(zh.stderr.startsWith(chinese)).toBe(true);
      expect(zh.stderr).toContain('（使用 --help 查看用法）');
      expect(zh.stderr).not.toMatch(/error:|Did you mean|argument missing|too many/);
    });
  }

  it('a shape it does not know passes through as commander wrote it', () => {
    const text = "error: option '--x' value 'y' from env 'X' is invalid.\n";
    expect(localizeParseError(text, 'zh-CN')).toBe(text);
  });
});
