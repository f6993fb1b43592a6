/**
 * `feisync send <paths…>`: upload now, at top priority. A running daemon (CLI
 * or tray) gets the paths over the control socket, so two engines never
 * share one index; otherwise an engine runs just for this send.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { isDriveToken, parseFolderRef } from '../../config/mappings.js';
import type { Translate } from '../../i18n/index.js';
import { connectIpc } from '../../ipc/client.js';
import type { SendResult, SendTarget } from '../../sync/engineApi.js';
import { CliError, EXIT, type ExitCode } from '../cliError.js';
import type { CliContext } from '../context.js';
import { openEngine } from '../engineHost.js';
import { withoutRemedy } from '../format.js';
import type { Act } from '../program.js';
import { attachProgress } from '../progressView.js';

interface SendOptions {
  to?: string;
  doc?: string;
  as?: string;
}

export function registerSend(program: Command, act: Act, t: Translate): void {
  program
    .command('send')
    .description(t('cli.help.send.description'))
    .argument('<paths...>', t('cli.help.send.paths'))
    .option('--to <folder>', t('cli.help.send.to'))
    .option('--doc <doc-token>', t('cli.help.send.doc'))
    .option('--as <kind>', t('cli.help.send.as'))
    .action(act(send));
}

export function sendTarget(ctx: CliContext, options: SendOptions): SendTarget | undefined {
  if (options.doc !== undefined && options.to !== undefined) {
    throw new CliError({ code: 'E_USAGE', message: ctx.t('send.toAndDoc'), remedy: ctx.t('send.targetRemedy') });
  }
  if (options.as !== undefined && options.doc === undefined) {
    throw new CliError({ code: 'E_USAGE', message: ctx.t('send.asWithoutDoc'), remedy: ctx.t('send.targetRemedy') });
  }
  if (options.doc !== undefined) {
    const as = options.as ?? 'file';
    if (as !== 'image' && as !== 'file') throw new CliError({ code: 'E_USAGE', message: `--as "${as}" is not image or file`, remedy: ctx.t('send.targetRemedy') });
    if (!isDriveToken(options.doc)) throw new CliError({ code: 'E_USAGE', message: `--doc "${options.doc}" is not a document token`, remedy: ctx.t('send.targetRemedy') });
    return { kind: 'doc', docToken: options.doc, as };
  }
  if (options.to !== undefined) return { kind: 'folder', folderToken: parseFolderRef(options.to).folderToken };
  return undefined;
}

function checkedPaths(ctx: CliContext, paths: string[]): string[] {
  return paths.map((p) => {
    const abs = resolve(p);
    let isFile: boolean;
    try {
      isFile = statSync(abs).isFile();
    } catch {
      throw new CliError({ code: 'E_USAGE', message: ctx.t('send.missing', { path: abs }), remedy: ctx.t('send.missingRemedy') });
    }
    if (!isFile) throw new CliError({ code: 'E_USAGE', message: ctx.t('send.notFile', { path: abs }), remedy: ctx.t('send.notFileRemedy') });
    return abs;
  });
}

/** Without --to / --doc a file goes to its mapping's folder: it must be inside one. */
function requireMapped(ctx: CliContext, paths: string[]): void {
  const roots = ctx.settings().mappings.map((m) => m.localPath);
  const outside = paths.filter((p) => !roots.some((root) => p.startsWith(root.endsWith(sep) ? root : root + sep)));
  if (outside.length > 0) {
    throw new CliError({ code: 'E_USAGE', message: ctx.t('send.noTarget', { path: outside[0]! }), remedy: ctx.t('send.noTargetRemedy') });
  }
}

async function send(ctx: CliContext, paths: string[], options: SendOptions): Promise<ExitCode> {
  const target = sendTarget(ctx, options);
  const absolute = checkedPaths(ctx, paths);
  if (!target) requireMapped(ctx, absolute);
  const log = ctx.logger().child({ command: 'send' });

  let results: SendResult[];
  let via: 'daemon' | 'engine';
  const client = await connectIpc(ctx.stateDir);
  if (client) {
    via = 'daemon';
    log.info('handing paths to the daemon', { paths: absolute });
    try {
      const { pid } = await client.call('ping', {}, { timeoutMs: 5000 });
      if (!ctx.out.json) ctx.out.info(ctx.t('send.viaDaemon', { n: absolute.length, pid }));
      results = await client.call('send', { paths: absolute, ...(target ? { target } : {}) });
    } finally {
      client.close();
    }
  } else {
    via = 'engine';
    const settings = ctx.settings();
    const host = await openEngine(ctx, settings, settings.mappings);
    const view = attachProgress(host.engine, ctx.out, ctx.t, { lang: ctx.lang });
    try {
      results = await host.engine.send(absolute, target);
    } finally {
      view.stop();
      await host.close();
    }
  }

  if (ctx.out.json) ctx.out.data({ via, results });
  else {
    for (const r of results) {
      if (r.ok) ctx.out.line(`${ctx.out.paint.ok('sent')}    ${r.path}  →  ${r.url ?? r.fileToken ?? ''}`);
      else {
        const e = r.error;
        const log = e?.logId ? ` [log id ${e.logId}]` : '';
        ctx.out.line(`${ctx.out.paint.fail('failed')}  ${r.path}: ${e ? withoutRemedy(e.message, e.remedy) : '?'}${log}${e?.remedy ? ` — ${e.remedy}` : ''}`);
      }
    }
  }
  return results.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
}
