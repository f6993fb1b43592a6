/** `feisync doctor`: is this machine ready to sync? One line per check, with a remedy. */
import type { Command } from 'commander';
import { DEFAULT_SETTINGS } from '../../config/settings.js';
import { translator, type Lang, type Translate } from '../../i18n/index.js';
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
  checkLabel,
  type CheckLabel,
  type CheckResult,
  type Verdict,
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

/** The checks in `lang` (default: the user's, `ctx.lang`); `--json` prints the same texts. */
export async function runDoctor(ctx: CliContext, lang: Lang = ctx.lang): Promise<CheckResult[]> {
  const t = lang === ctx.lang ? ctx.t : translator(lang);
  const results: CheckResult[] = [];
  const failed = (check: CheckLabel, verdict: Verdict, e: unknown): CheckResult => {
    const r = errorReport(e, t, lang);
    return { ...check, verdict, detail: r.message, remedy: r.remedy };
  };
  let settings;
  try {
    settings = ctx.settings();
    const path = ctx.settingsFile.path;
    results.push({ ...checkLabel(t, 'settings'), verdict: 'ok', detail: ctx.settingsFile.exists() ? path : t('doctor.settings.defaults', { path }) });
  } catch (e) {
    results.push(failed(checkLabel(t, 'settings'), 'fail', e));
  }
  try {
    const account = await ctx.account();
    results.push(...(await remoteChecks(account, settings ?? DEFAULT_SETTINGS, () => Date.now(), lang)));
  } catch (e) {
    results.push(failed(checkLabel(t, 'credentials'), 'fail', e));
  }
  if (settings) {
    results.push(...localFolderChecks(settings, lang));
    const limit = readInotifyLimit();
    const roots = settings.mappings.map((m) => m.localPath);
    results.push(inotifyCheck(limit, countFolders(roots, (limit ?? 100_000) + 1), lang));
  }
  try {
    results.push(diskSpaceCheck(ctx.stateDir, freeBytes(ctx.stateDir), lang));
  } catch (e) {
    results.push({ ...checkLabel(t, 'diskSpace'), verdict: 'warn', detail: t('doctor.disk.unmeasured', { reason: (e as Error).message }) });
  }
  results.push(indexCheck(ctx.stateDir, lang));
  try {
    const daemon = await callDaemon(ctx.stateDir, 'ping', {}, { timeoutMs: 3000 });
    const detail = daemon ? t('doctor.daemon.running', { pid: daemon.pid, kind: daemon.kind, version: daemon.version }) : t('doctor.daemon.notRunning');
    results.push({ ...checkLabel(t, 'daemon'), verdict: 'ok', detail });
  } catch (e) {
    results.push(failed(checkLabel(t, 'daemon'), 'warn', e));
  }
  return results;
}

function printChecks(ctx: CliContext, results: CheckResult[]): void {
  if (ctx.out.json) return ctx.out.data(results);
  const { paint } = ctx.out;
  const words: Record<Verdict, string> = { ok: ctx.t('doctor.verdict.ok'), warn: ctx.t('doctor.verdict.warn'), fail: ctx.t('doctor.verdict.fail') };
  // Names and verdicts are translated (zh-CN: two columns per character).
  const tagWidth = Math.max(...Object.values(words).map(displayWidth));
  const width = Math.max(...results.map((r) => displayWidth(r.name)));
  for (const r of results) {
    const tag = paint[r.verdict](padDisplay(words[r.verdict], tagWidth));
    ctx.out.line(`${tag}  ${padDisplay(r.name, width)}  ${r.detail}`);
    if (r.remedy && r.verdict !== 'ok') ctx.out.line(`${' '.repeat(tagWidth + 2 + width)}  ${paint.dim('→ ' + r.remedy)}`);
  }
}
