/** `feisync doctor`: is this machine ready to sync? One line per check, with a remedy. */
import type { Command } from 'commander';
import { DEFAULT_SETTINGS } from '../../config/settings.js';
import type { Translate } from '../../i18n/index.js';
import { callDaemon } from '../../ipc/client.js';
import { EXIT } from '../cliError.js';
import type { CliContext } from '../context.js';
import { displayWidth, padDisplay } from '../displayWidth.js';
import {
  countFolders,
  diskSpaceCheck,
  freeBytes,
  indexCheck,
  inotifyCheck,
  localFolderChecks,
  readInotifyLimit,
  remoteChecks,
  type CheckResult,
} from '../doctor/checks.js';
import { errorReport } from '../errorReport.js';
import type { Act } from '../program.js';

export function registerDoctor(program: Command, act: Act, t: Translate): void {
  program
    .command('doctor')
    .description(t('cli.help.doctor.description'))
    .action(
      act(async (ctx) => {
        const results = await runDoctor(ctx);
        printChecks(ctx, results);
        return results.some((r) => r.verdict === 'fail') ? EXIT.failed : EXIT.ok;
      }),
    );
}

export async function runDoctor(ctx: CliContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let settings;
  try {
    settings = ctx.settings();
    results.push({ name: 'settings', verdict: 'ok', detail: ctx.settingsFile.exists() ? ctx.settingsFile.path : `${ctx.settingsFile.path} (not created yet: defaults)` });
  } catch (e) {
    const r = errorReport(e, ctx.t, ctx.lang);
    results.push({ name: 'settings', verdict: 'fail', detail: r.message, remedy: r.remedy });
  }
  try {
    const account = await ctx.account();
    results.push(...(await remoteChecks(account, settings ?? DEFAULT_SETTINGS, () => Date.now())));
  } catch (e) {
    const r = errorReport(e, ctx.t, ctx.lang);
    results.push({ name: 'credentials', verdict: 'fail', detail: r.message, remedy: r.remedy });
  }
  if (settings) {
    results.push(...localFolderChecks(settings));
    const limit = readInotifyLimit();
    const roots = settings.mappings.map((m) => m.localPath);
    results.push(inotifyCheck(limit, countFolders(roots, (limit ?? 100_000) + 1)));
  }
  try {
    results.push(diskSpaceCheck(ctx.stateDir, freeBytes(ctx.stateDir)));
  } catch (e) {
    results.push({ name: 'disk space', verdict: 'warn', detail: `cannot measure: ${(e as Error).message}` });
  }
  results.push(indexCheck(ctx.stateDir));
  try {
    const daemon = await callDaemon(ctx.stateDir, 'ping', {}, { timeoutMs: 3000 });
    results.push({ name: 'daemon', verdict: 'ok', detail: daemon ? `running (pid ${daemon.pid}, ${daemon.kind} ${daemon.version})` : 'not running' });
  } catch (e) {
    const r = errorReport(e, ctx.t, ctx.lang);
    results.push({ name: 'daemon', verdict: 'warn', detail: r.message, remedy: r.remedy });
  }
  return results;
}

function printChecks(ctx: CliContext, results: CheckResult[]): void {
  if (ctx.out.json) return ctx.out.data(results);
  const { paint } = ctx.out;
  // Check names are translated (zh-CN: two columns per character).
  const width = Math.max(...results.map((r) => displayWidth(r.name)));
  for (const r of results) {
    const tag = r.verdict === 'ok' ? paint.ok('ok  ') : r.verdict === 'warn' ? paint.warn('warn') : paint.fail('fail');
    ctx.out.line(`${tag}  ${padDisplay(r.name, width)}  ${r.detail}`);
    if (r.remedy && r.verdict !== 'ok') ctx.out.line(`      ${' '.repeat(width)}  ${paint.dim('→ ' + r.remedy)}`);
  }
}
