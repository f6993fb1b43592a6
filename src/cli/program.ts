/**
 * The `feisync` command tree (commander). `runCli` is the whole CLI as a
 * function of argv and the process streams, so tests can run it in-process
 * as well as through bin/feisync.js.
 */
import { Command, CommanderError } from 'commander';
import { localizeParseError } from './parseErrors.js';
import { resolveConfigFile } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import { openSettingsFile } from '../config/settingsFile.js';
import { resolveLanguage, translator, type Lang, type Translate } from '../i18n/index.js';
import { CliError, EXIT } from './cliError.js';
import { createContext, type CliContext, type CliIo } from './context.js';
import { errorReport } from './errorReport.js';
import { localizedHelp } from './localizedHelp.js';
import { createOutput } from './output.js';
import { VERSION } from './version.js';

/** Wraps a command body: builds the context, reports errors, records the exit code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Act = <A extends any[]>(body: (ctx: CliContext, ...args: A) => Promise<number | void>) => (...args: unknown[]) => Promise<void>;

/** Adds a command module's commands to the program; `t` speaks the help text's language. */
type Register = (program: Command, act: Act, t: Translate) => void;

/**
 * Command modules, loaded on demand: `feisync map list` should not pay for
 * loading the sandbox, the engine and SQLite. Order = order in --help.
 */
const COMMANDS: [names: string[], load: () => Promise<Register>][] = [
  [['demo'], async () => (await import('./commands/demo.js')).registerDemo],
  [['sandbox'], async () => (await import('./commands/sandbox.js')).registerSandbox],
  [['login', 'logout'], async () => (await import('./commands/login.js')).registerLogin],
  [['map'], async () => (await import('./commands/map.js')).registerMap],
  [['sync'], async () => (await import('./commands/sync.js')).registerSync],
  [['send'], async () => (await import('./commands/send.js')).registerSend],
  [['status', 'quota'], async () => (await import('./commands/status.js')).registerStatus],
  [['pause', 'resume'], async () => (await import('./commands/pause.js')).registerPause],
  [['log'], async () => (await import('./commands/log.js')).registerLog],
  [['doctor'], async () => (await import('./commands/doctor.js')).registerDoctor],
  [['diag'], async () => (await import('./commands/diag.js')).registerDiag],
  [['config'], async () => (await import('./commands/config.js')).registerConfig],
];

/** Global options that take a value (their value is not the command name). */
const VALUE_OPTIONS = new Set(['--base-url', '--app-id', '--app-secret', '--state', '--config', '--lang']);

/** The command modules argv needs: the named one, or all of them (help, unknown command). */
async function commandsFor(argv: string[]): Promise<Register[]> {
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) {
      name = arg;
      break;
    }
  }
  if (name === undefined && (argv.includes('--version') || argv.includes('-V'))) return [];
  const wanted = COMMANDS.filter(([names]) => name !== undefined && names.includes(name));
  return Promise.all((wanted.length > 0 ? wanted : COMMANDS).map(([, load]) => load()));
}

/**
 * The value of `flag` in argv before commander parses it: `--lang zh-CN` or
 * `--lang=zh-CN`, the last one winning as in commander; nothing after `--`.
 */
function flagValue(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const arg = argv[i]!;
    if (arg === flag) value = argv[++i];
    else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
  }
  return value;
}

/**
 * The language of the help text, needed before the command tree exists: the
 * commands' own rule (resolveLanguage) — `--lang`, then the settings file's
 * `language`, then LC_ALL / LC_MESSAGES / LANG, then English. An unknown
 * `--lang` or a bad settings file is the command's to report; help then
 * follows what is left.
 */
export function helpLanguage(argv: readonly string[], env: Record<string, string | undefined>): Lang {
  let setting: Settings['language'] | undefined;
  try {
    setting = openSettingsFile(resolveConfigFile(flagValue(argv, '--config'), env)).load().language;
  } catch {
    setting = undefined; // a bad settings file is the command's error to report
  }
  try {
    return resolveLanguage({ flag: flagValue(argv, '--lang'), setting, env });
  } catch {
    return resolveLanguage({ setting, env });
  }
}

/** The command tree argv needs (see commandsFor), its help text and parse errors in `lang`. */
export async function buildProgram(argv: string[], io: CliIo, act: Act, lang: Lang): Promise<Command> {
  const t = translator(lang);
  // Help option, help command, help configuration and output are inherited by
  // the subcommands created after them: set before the commands register.
  const program = new Command('feisync')
    .description(t('cli.help.program.description'))
    .version(VERSION, '-V, --version', t('cli.help.commander.version'))
    .helpOption('-h, --help', t('cli.help.commander.help'))
    .helpCommand('help [command]', t('cli.help.commander.help'))
    .configureHelp(localizedHelp(t))
    .option('--base-url <url>', t('cli.help.program.baseUrl'))
    .option('--app-id <id>', t('cli.help.program.appId'))
    .option('--app-secret <secret>', t('cli.help.program.appSecret'))
    .option('--state <dir>', t('cli.help.program.state'))
    .option('--config <file>', t('cli.help.program.config'))
    .option('--lang <lang>', t('cli.help.program.lang'))
    .option('--json', t('cli.help.program.json'))
    .option('--no-color', t('cli.help.program.noColor'))
    .addHelpText('after', t('cli.help.program.after'))
    .showHelpAfterError(t('cli.help.program.afterError'))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(localizeParseError(s, lang)),
    });

  for (const register of await commandsFor(argv)) register(program, act, t);
  return program;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;

  const act: Act =
    (body) =>
    async (...args) => {
      const command = args[args.length - 1] as Command;
      const ctx = createContext(io, command.optsWithGlobals());
      try {
        const code = await body(ctx, ...(args.slice(0, -1) as never));
        exitCode = typeof code === 'number' ? code : EXIT.ok;
      } catch (e) {
        const report = errorReport(e, ctx.t, ctx.lang);
        ctx.logger().error('command failed', { command: command.name(), error: e });
        if (ctx.out.json) ctx.out.data({ error: { code: report.code, message: report.message, logId: report.logId, remedy: report.remedy } });
        ctx.out.error(report);
        exitCode = report.exitCode;
      } finally {
        ctx.close();
      }
    };

  const program = await buildProgram(argv, io, act, helpLanguage(argv, io.env));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exitCode 0; every parse error is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const report = errorReport(e);
    const out = createOutput({ stdout: io.stdout, stderr: io.stderr, json: argv.includes('--json'), colorFlag: !argv.includes('--no-color'), env: io.env, t: translator('en') });
    out.error(report);
    return e instanceof CliError ? e.exitCode : report.exitCode;
  }
  return exitCode;
}
