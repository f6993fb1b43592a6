/** `feisync status` and `feisync quota`: from the running daemon, else from the index on disk. */
import type { Command } from 'commander';
import type { Translate } from '../../i18n/index.js';
import { localizeRemedy } from '../../i18n/localizeRemedy.js';
import { callDaemon } from '../../ipc/client.js';
import type { EngineState, QuotaState } from '../../sync/engineApi.js';
import type { CliContext } from '../context.js';
import { alignColumns } from '../displayWidth.js';
import { openEngine } from '../engineHost.js';
import { formatTime, withoutRemedy } from '../format.js';
import type { Act } from '../program.js';

export function registerStatus(program: Command, act: Act, t: Translate): void {
  program
    .command('status')
    .description(t('cli.help.status.description'))
    .action(
      act(async (ctx) => {
        const { state, daemon } = await currentState(ctx);
        if (ctx.out.json) return ctx.out.data({ daemon, ...state });
        printStatus(ctx, state, daemon);
      }),
    );
  program
    .command('quota')
    .description(t('cli.help.quota.description'))
    .option('--all', t('cli.help.quota.all'))
    .action(
      act(async (ctx, options: { all?: boolean }) => {
        const { state } = await currentState(ctx);
        if (ctx.out.json) return ctx.out.data(state.quota);
        printQuota(ctx, state.quota, options.all === true);
      }),
    );
}

type Daemon = { pid: number; kind: string; version: string } | null;

async function currentState(ctx: CliContext): Promise<{ state: EngineState; daemon: Daemon }> {
  const daemon = await callDaemon(ctx.stateDir, 'ping', {}, { timeoutMs: 5000 });
  if (daemon) {
    const state = await callDaemon(ctx.stateDir, 'status', {}, { timeoutMs: 10_000 });
    if (state) return { state, daemon };
  }
  const settings = ctx.settings();
  const host = await openEngine(ctx, settings, settings.mappings, { offline: true });
  try {
    const state = host.engine.getState();
    return { state: { ...state, paused: settings.paused ?? false }, daemon: null };
  } finally {
    await host.close();
  }
}

function printStatus(ctx: CliContext, state: EngineState, daemon: Daemon): void {
  const { t, out } = ctx;
  const running = daemon ? t('status.running', { pid: daemon.pid, kind: daemon.kind }) : t('status.notRunning');
  out.line(`${out.paint.bold('FeiSync')}: ${running}${state.paused ? `, ${out.paint.warn(t('status.paused'))}` : ''}`);
  if (state.mappings.length === 0) out.line(t('map.none'));
  for (const m of state.mappings) {
    out.line(`${out.paint.bold(m.id)}  ${m.localPath} → ${m.folderUrl ?? m.folderToken}  [${m.status}]`);
    out.line(`    ${t('status.counts', { synced: m.synced, pending: m.pending, uploading: m.uploading, failed: m.failed, skipped: m.skipped })}`);
    if (m.error) out.line(`    ${out.paint.fail(withoutRemedy(m.error.message, m.error.remedy))} — ${localizeRemedy(m.error.code, m.error.remedy, ctx.lang)}`);
  }
  printQuota(ctx, state.quota, false);
  if (state.lastErrors.length > 0) {
    out.line(t('status.lastErrors'));
    for (const e of state.lastErrors.slice(-5)) {
      out.line(`  ${new Date(e.at).toISOString()} ${e.relPath ? e.relPath + ': ' : ''}${withoutRemedy(e.message, e.remedy)} [${e.code}${e.logId ? `, log id ${e.logId}` : ''}]`);
      out.line(`    → ${localizeRemedy(e.code, e.remedy, ctx.lang)}`);
    }
  } else {
    // No daemon: the errors it saw are gone with it, but failed files are in the index's activity.
    const failures = state.recent.filter((a) => a.kind === 'failed').slice(0, 5);
    if (failures.length > 0) out.line(t('status.lastErrors'));
    for (const a of failures) out.line(`  ${new Date(a.at).toISOString()} ${a.mappingId ?? ''} ${a.relPath}: ${a.detail ?? ''}`);
  }
}

function printQuota(ctx: CliContext, quota: QuotaState, all: boolean): void {
  const { t, out } = ctx;
  out.line(t('quota.header', { day: quota.day, reset: formatTime(quota.resetsAt) }) + (quota.exhausted ? `  ${out.paint.warn(t('quota.exhausted'))}` : ''));
  const shown = quota.endpoints.filter((e) => all || e.used > 0);
  if (shown.length === 0) out.line(`  ${t('quota.noneUsed', { limit: quota.endpoints[0]?.limit ?? 0 })}`);
  for (const line of alignColumns(shown.map((e) => [e.endpoint, t('quota.line', { used: e.used, limit: e.limit, left: e.left })]))) out.line(`  ${line}`);
}
