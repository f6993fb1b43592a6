/** `feisync log [--follow] [--lines N]`: the structured log of the state dir (already redacted on write). */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { Translate } from '../../i18n/index.js';
import { followLog, readLogTail } from '../../platform/logFiles.js';
import { CliError } from '../cliError.js';
import type { CliContext } from '../context.js';
import type { Act } from '../program.js';
import { untilSignal } from '../signals.js';

interface LogOptions {
  follow?: boolean;
  lines: string;
}

export function registerLog(program: Command, act: Act, t: Translate): void {
  program
    .command('log')
    .description(t('cli.help.log.description'))
    .option('-f, --follow', t('cli.help.log.follow'))
    .option('-n, --lines <n>', t('cli.help.log.lines'), '50')
    .action(act(showLog));
}

async function showLog(ctx: CliContext, options: LogOptions): Promise<void> {
  const count = Number(options.lines);
  if (!Number.isInteger(count) || count < 0) {
    throw new CliError({ code: 'E_USAGE', message: `--lines "${options.lines}" is not a whole number`, remedy: 'Pass e.g. --lines 100.' });
  }
  const dir = join(ctx.stateDir, 'logs');
  const print = (line: string) => ctx.out.stdout.write((ctx.out.json ? line : humanLine(line, ctx)) + '\n');
  const lines = readLogTail(dir, count);
  if (lines.length === 0 && !options.follow) ctx.out.info(ctx.t('log.empty', { dir }));
  lines.forEach(print);
  if (!options.follow) return;
  const stop = followLog(dir, print);
  await untilSignal();
  stop();
}

/** "2026-11-25T19:00:00.000Z INFO  logged in  appId=cli_x" — the JSON stays available with --json. */
function humanLine(line: string, ctx: CliContext): string {
  try {
    const { ts, level, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const lvl = String(level).toUpperCase().padEnd(5);
    const paint = level === 'error' ? ctx.out.paint.fail : level === 'warn' ? ctx.out.paint.warn : ctx.out.paint.dim;
    const fields = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${String(ts)} ${paint(lvl)} ${String(msg)}${fields ? '  ' + ctx.out.paint.dim(fields) : ''}`;
  } catch {
    return line;
  }
}
