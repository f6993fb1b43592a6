/** `feisync pause` / `feisync resume`: tell the running daemon, or persist the flag for the next start. */
import type { Command } from 'commander';
import type { Translate } from '../../i18n/index.js';
import { callDaemon } from '../../ipc/client.js';
import type { CliContext } from '../context.js';
import type { Act } from '../program.js';

export function registerPause(program: Command, act: Act, t: Translate): void {
  program
    .command('pause')
    .description(t('cli.help.pause.description'))
    .action(act((ctx) => setPaused(ctx, true)));
  program
    .command('resume')
    .description(t('cli.help.resume.description'))
    .action(act((ctx) => setPaused(ctx, false)));
}

async function setPaused(ctx: CliContext, paused: boolean): Promise<void> {
  const answer = await callDaemon(ctx.stateDir, paused ? 'pause' : 'resume', {}, { timeoutMs: 10_000 });
  // The flag is saved either way, so a daemon started later (or after a crash) keeps the user's choice.
  const settings = ctx.settings();
  if ((settings.paused ?? false) !== paused) ctx.saveSettings({ ...settings, paused });
  const where = answer ? 'daemon' : 'settings';
  if (ctx.out.json) return ctx.out.data({ paused, appliedTo: where });
  const key = paused ? (answer ? 'pause.daemon' : 'pause.saved') : answer ? 'resume.daemon' : 'resume.saved';
  ctx.out.line(ctx.t(key));
}
