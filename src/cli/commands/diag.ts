/**
 * `feisync diag [--out FILE]`: a diagnostics bundle to attach to a bug report.
 *
 * Format: one JSON file, not a .tar.gz. Everything in it is text we produce
 * (versions, settings, doctor results, log lines), so JSON keeps it one
 * readable file a user can open and check before sending — and the whole
 * document passes through the same `redact` as the logs on its way out,
 * which an archive of raw files would not guarantee.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { join, resolve } from 'node:path';
import type { Translate } from '../../i18n/index.js';
import { callDaemon } from '../../ipc/client.js';
import { readLogTail } from '../../platform/logFiles.js';
import { redact } from '../../platform/logRedact.js';
import { EXIT } from '../cliError.js';
import type { CliContext } from '../context.js';
import { errorReport } from '../errorReport.js';
import type { Act } from '../program.js';
import { VERSION } from '../version.js';
import { runDoctor } from './doctor.js';

const LOG_LINES = 500;

export function registerDiag(program: Command, act: Act, t: Translate): void {
  program
    .command('diag')
    .description(t('cli.help.diag.description'))
    .option('--out <file>', t('cli.help.diag.out'))
    .action(
      act(async (ctx, options: { out?: string }) => {
        const bundle = redact(await collect(ctx));
        const file = resolve(options.out ?? `feisync-diag-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
        writeFileSync(file, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 });
        if (ctx.out.json) ctx.out.data({ file });
        ctx.out.line(ctx.t('diag.written', { file }));
        return EXIT.ok;
      }),
    );
}

async function collect(ctx: CliContext): Promise<Record<string, unknown>> {
  let settings: unknown;
  try {
    settings = ctx.settings();
  } catch (e) {
    settings = { error: errorReport(e).message };
  }
  let daemon: unknown;
  try {
    daemon = (await callDaemon(ctx.stateDir, 'status', {}, { timeoutMs: 5000 })) ?? 'not running';
  } catch (e) {
    daemon = { error: errorReport(e).message };
  }
  return {
    generatedAt: new Date().toISOString(),
    versions: { feisync: VERSION, node: process.versions.node, sqlite: process.versions.sqlite, platform: platform(), release: release(), arch: arch() },
    paths: { config: ctx.settingsFile.path, state: ctx.stateDir },
    env: Object.fromEntries(
      Object.entries(ctx.io.env).filter(([k]) => /^(FEISYNC_(?!APP_SECRET)|LANG$|LC_|HTTPS?_PROXY$|NO_PROXY$)/i.test(k)),
    ),
    settings,
    doctor: await runDoctor(ctx, 'en'), // a support bundle is read by whoever supports FeiSync: English
    daemon,
    log: readLogTail(join(ctx.stateDir, 'logs'), LOG_LINES).map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return line;
      }
    }),
  };
}
