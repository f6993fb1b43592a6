/**
 * The `feisync` command tree (commander). `runCli` is the whole CLI as a
 * function of argv and the process streams, so tests can run it in-process
 * as well as through bin/feisync.js.
 */
import { Command, CommanderError } from 'commander';
import { translator } from '../i18n/index.js';
import { CliError, EXIT } from './cliError.js';
import { createContext, type CliContext, type CliIo } from './context.js';
import { errorReport } from './errorReport.js';
import { createOutput } from './output.js';
import { VERSION } from './version.js';

/** Wraps a command body: builds the context, reports errors, records the exit code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Act = <A extends any[]>(body: (ctx: CliContext, ...args: A) => Promise<number | void>) => (...args: unknown[]) => Promise<void>;

const EXIT_HELP = `
Exit codes:
  0  everything done
  1  some files (or the operation) failed
  2  usage or configuration error (bad flag, path, config file or credentials)
  3  the daily API quota ran out before everything was uploaded

Environment: FEISYNC_BASE_URL, FEISYNC_APP_ID, FEISYNC_APP_SECRET, FEISYNC_STATE_DIR,
FEISYNC_CONFIG, LANG / LC_ALL (en or zh), NO_COLOR.`;

type Register = (program: Command, act: Act) => void;

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

  const program = new Command('feisync')
    .description('Sync local folders to Feishu / Lark Drive')
    .version(VERSION, '-V, --version')
    .option('--base-url <url>', 'Open Platform base URL, "feishu" or "lark" (env FEISYNC_BASE_URL)')
    .option('--app-id <id>', 'app id (env FEISYNC_APP_ID)')
    .option('--app-secret <secret>', 'app secret (env FEISYNC_APP_SECRET; prefer `feisync login`)')
    .option('--state <dir>', 'state dir: index, logs, control socket (env FEISYNC_STATE_DIR)')
    .option('--config <file>', 'settings file (env FEISYNC_CONFIG)')
    .option('--lang <lang>', 'en | zh-CN (default: from LANG / LC_ALL)')
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  for (const register of await commandsFor(argv)) register(program, act);

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
