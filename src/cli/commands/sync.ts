/**
 * `feisync sync`: one-shot (`--once`, exit codes 0/1/2/3) or the daemon
 * (default: live status, control socket for send/status/pause).
 * `--local DIR --folder TOKEN` syncs one folder without touching the settings
 * file, so a fresh machine needs nothing but flags.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { checkLocalDir, parseFolderRef } from '../../config/mappings.js';
import type { MappingSettings, Settings } from '../../config/settings.js';
import type { Translate } from '../../i18n/index.js';
import { callDaemon } from '../../ipc/client.js';
import { startIpcServer } from '../../ipc/server.js';
import type { SyncSummary } from '../../sync/engineApi.js';
import { CliError, EXIT, type ExitCode } from '../cliError.js';
import type { CliContext } from '../context.js';
import { alignColumns } from '../displayWidth.js';
import { openEngine } from '../engineHost.js';
import { isCredentialCode } from '../errorReport.js';
import { formatCalls, formatTime } from '../format.js';
import type { Act } from '../program.js';
import { attachProgress } from '../progressView.js';
import { followSettings } from '../settingsReload.js';
import { untilSignal } from '../signals.js';
import { VERSION } from '../version.js';

interface SyncOptions {
  once?: boolean;
  local?: string;
  folder?: string;
  dryRun?: boolean;
  verify?: boolean;
  mapping?: string;
}

export function registerSync(program: Command, act: Act, t: Translate): void {
  program
    .command('sync')
    .description(t('cli.help.sync.description'))
    .option('--once', t('cli.help.sync.once'))
    .option('--local <dir>', t('cli.help.sync.local'))
    .option('--folder <url-or-token>', t('cli.help.sync.folder'))
    .option('--mapping <id>', t('cli.help.sync.mapping'))
    .option('--dry-run', t('cli.help.sync.dryRun'))
    .option('--verify', t('cli.help.sync.verify'))
    .action(act(sync));
}

/** Mappings to run: the ad-hoc one from flags, or the saved ones. */
export function mappingsFor(ctx: CliContext, options: SyncOptions): { settings: Settings; mappings: MappingSettings[] } {
  if ((options.local === undefined) !== (options.folder === undefined)) {
    throw new CliError({ code: 'E_USAGE', message: ctx.t('sync.localFolderPair'), remedy: ctx.t('sync.localFolderRemedy') });
  }
  if (options.local !== undefined && options.folder !== undefined) {
    const localPath = checkLocalDir(options.local);
    const { folderToken, folderUrl } = parseFolderRef(options.folder);
    // The file's limits still apply (defaults when there is no file).
    const settings = ctx.settings();
    const saved = settings.mappings.find((m) => m.localPath === localPath && m.folderToken === folderToken);
    // A stable id per (folder, token): a restarted run resumes the same index records and chunk uploads.
    const id = saved?.id ?? `adhoc-${createHash('sha256').update(`${localPath}\0${folderToken}`).digest('hex').slice(0, 10)}`;
    const mapping: MappingSettings = saved ?? { id, localPath, folderToken, ...(folderUrl ? { folderUrl } : {}), deletePolicy: 'keep', ignore: [], paused: false };
    return { settings, mappings: [mapping] };
  }
  const settings = ctx.settings();
  let mappings = settings.mappings;
  if (options.mapping) {
    mappings = mappings.filter((m) => m.id === options.mapping);
    if (mappings.length === 0) throw new CliError({ code: 'E_USAGE', message: ctx.t('sync.unknownMapping', { id: options.mapping }), remedy: ctx.t('sync.noMappingsRemedy') });
  }
  if (mappings.length === 0) throw new CliError({ code: 'E_USAGE', message: ctx.t('sync.noMappings'), remedy: ctx.t('sync.noMappingsRemedy') });
  for (const m of mappings) checkLocalDir(m.localPath);
  return { settings, mappings };
}

async function sync(ctx: CliContext, options: SyncOptions): Promise<ExitCode> {
  const { settings, mappings } = mappingsFor(ctx, options);
  // One engine per state dir: the index has one writer, and two uploaders would race on the same files.
  const running = await callDaemon(ctx.stateDir, 'ping', {}, { timeoutMs: 3000 });
  if (running) {
    throw new CliError({ code: 'E_DAEMON_RUNNING', message: ctx.t('sync.daemonRunning', { pid: running.pid, kind: running.kind }), remedy: ctx.t('sync.daemonRunningRemedy') });
  }
  const host = await openEngine(ctx, settings, mappings);
  try {
    if (options.once || options.dryRun || options.verify) return await syncOnce(ctx, host.engine, options.dryRun === true, options.verify === true);
    return await daemon(ctx, host.engine, settings, options.local === undefined && options.mapping === undefined);
  } finally {
    await host.close();
  }
}

async function syncOnce(ctx: CliContext, engine: Awaited<ReturnType<typeof openEngine>>['engine'], dryRun: boolean, verify: boolean): Promise<ExitCode> {
  const view = attachProgress(engine, ctx.out, ctx.t, { lang: ctx.lang });
  let summary: SyncSummary & { plannedCost?: Record<string, number> };
  try {
    summary = await engine.syncOnce({ dryRun, verify });
  } finally {
    view.stop();
  }
  ctx.logger().info('sync once finished', { dryRun, uploaded: summary.uploaded.length, failed: summary.failed.length, quotaExhausted: summary.quotaExhausted, calls: summary.callsByEndpoint });
  if (ctx.out.json) ctx.out.data(summary);
  else printSummary(ctx, summary, dryRun);
  if (dryRun) return EXIT.ok;
  return syncExitCode(summary);
}

/** 3 when the quota stopped the run, 2 when the credentials are wrong, 1 when files failed, else 0. */
export function syncExitCode(summary: SyncSummary): ExitCode {
  if (summary.quotaExhausted) return EXIT.quota;
  if (summary.failed.some((f) => isCredentialCode(f.code))) return EXIT.usage;
  return summary.failed.length > 0 ? EXIT.failed : EXIT.ok;
}

export function printSummary(ctx: CliContext, s: SyncSummary & { plannedCost?: Record<string, number> }, dryRun: boolean): void {
  const { t, out } = ctx;
  for (const v of s.verified ?? []) out.line(t(dryRun ? 'sync.verifiedDry' : 'sync.verified', { id: v.mappingId, checked: v.checked, listed: v.listed, files: v.lostFiles, folders: v.lostFolders }));
  if (dryRun) {
    out.line(out.paint.bold(t('sync.planHeader')));
    const rows = [
      ...s.uploaded.map((p) => ['upload', p]),
      ...s.versioned.map((p) => ['version', p]),
      ...s.moved.map((m) => ['move', m.from, `→ ${m.to}`]),
      ...s.skipped.map((k) => ['skip', k.path, `(${k.reason})`]),
    ];
    // Paths may hold CJK (two columns each): the third column aligns by display width.
    for (const line of alignColumns(rows)) out.line(`  ${line}`);
    out.line(t('sync.planCost', { calls: formatCalls(s.plannedCost ?? {}) }));
    out.line(t('sync.callsUsed', { calls: formatCalls(s.callsByEndpoint) }));
    return;
  }
  // Reasons of Feishu failures end with " — <remedy>": the error line on stderr carries the remedy, keep the summary short.
  for (const f of s.failed) out.line(`${out.paint.fail('failed')}  ${f.path}: ${f.reason.split(' — ')[0]}${f.code !== undefined ? ` [${f.code}]` : ''}`);
  for (const k of s.skipped) out.line(`${out.paint.warn('skipped')} ${k.path}: ${k.reason}`);
  out.line(
    t('sync.summary', {
      uploaded: s.uploaded.length,
      versioned: s.versioned.length,
      moved: s.moved.length,
      skipped: s.skipped.length,
      failed: s.failed.length,
      unchanged: s.unchanged,
    }),
  );
  out.line(t('sync.callsUsed', { calls: formatCalls(s.callsByEndpoint) }));
  if (s.quotaExhausted) out.line(out.paint.warn(t('sync.quotaExhausted', { time: s.resumesAt ? formatTime(s.resumesAt) : '?' })));
}

async function daemon(ctx: CliContext, engine: Awaited<ReturnType<typeof openEngine>>['engine'], settings: Settings, followFile: boolean): Promise<ExitCode> {
  const log = ctx.logger();
  const ipc = await startIpcServer(engine, {
    stateDir: ctx.stateDir,
    logger: log,
    kind: 'cli',
    version: VERSION,
    onPausedChange: (paused) => {
      try {
        // Fresh from disk: the file may have changed since the daemon started (map add, the tray).
        ctx.settingsFile.update((s) => ({ ...s, paused }));
      } catch (e) {
        log.warn('cannot persist the paused flag', { error: e });
      }
    },
  });
  const view = attachProgress(engine, ctx.out, ctx.t, { statusLines: true, lang: ctx.lang });
  const unfollow = followFile ? followSettings(ctx.settingsFile, engine, settings, log) : () => {};
  try {
    if (settings.paused) engine.pause();
    const started = engine.start();
    ctx.out.info(ctx.t(settings.paused ? 'sync.watchingPaused' : 'sync.watching', { n: engine.getState().mappings.length }));
    const stopped = untilSignal();
    await Promise.race([started, stopped]);
    const signal = await stopped;
    log.info('stopping', { signal });
    await engine.stop();
    return EXIT.ok;
  } finally {
    unfollow();
    view.stop();
    await ipc.close();
  }
}
