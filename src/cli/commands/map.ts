/** `feisync map add|list|remove|set`: which local folder goes to which Drive folder. */
import type { Command } from 'commander';
import { addMapping, changeMapping, findMapping, removeMapping } from '../../config/mappings.js';
import type { DeletePolicy } from '../../config/settings.js';
import type { Translate } from '../../i18n/index.js';
import { CliError } from '../cliError.js';
import type { CliContext } from '../context.js';
import { alignColumns } from '../displayWidth.js';
import type { Act } from '../program.js';
import { probeFolder } from '../remoteFolder.js';
import { isFeishuError } from '../../feishu/feishuError.js';

interface MapOptions {
  deletePolicy?: string;
  ignore?: string[];
  check?: boolean;
}

/**
 * When an account is set up, a folder that does not exist or that the app may
 * not read is refused now rather than at the first sync. Without an account
 * (or without network) the mapping is saved and checked by the first sync.
 */
async function checkRemote(ctx: CliContext, folderToken: string): Promise<void> {
  let account;
  try {
    account = await ctx.account();
  } catch {
    return ctx.out.info(ctx.t('map.notChecked'));
  }
  try {
    await probeFolder(account, folderToken);
  } catch (e) {
    if (isFeishuError(e) && !e.retryable) {
      throw new CliError({ code: String(e.code), message: ctx.t('map.remoteRefused', { folder: folderToken, reason: `${e.msg} [${e.code}${e.logId ? `, log id ${e.logId}` : ''}]` }), remedy: e.remedy, cause: e });
    }
    ctx.out.warn(ctx.t('map.remoteUnreachable', { reason: (e as Error).message }));
  }
}

export function registerMap(program: Command, act: Act, t: Translate): void {
  const map = program.command('map').description(t('cli.help.map.description'));

  map
    .command('add')
    .description(t('cli.help.map.add.description'))
    .argument('<local-dir>', t('cli.help.map.add.localDir'))
    .argument('<folder-url-or-token>', t('cli.help.map.add.folder'))
    .option('--delete-policy <policy>', t('cli.help.map.add.deletePolicy'), 'keep')
    .option('--ignore <pattern...>', t('cli.help.map.add.ignore'))
    .option('--no-check', t('cli.help.map.add.noCheck'))
    .action(
      act(async (ctx, localDir: string, folder: string, options: MapOptions) => {
        const settings = ctx.settings();
        const { settings: next, mapping } = addMapping(settings, {
          localPath: localDir,
          folder,
          deletePolicy: deletePolicy(options.deletePolicy, ctx.t('map.policyRemedy')),
          ignore: options.ignore ?? [],
        });
        if (options.check !== false) await checkRemote(ctx, mapping.folderToken);
        ctx.saveSettings(next);
        if (ctx.out.json) ctx.out.data(mapping);
        ctx.out.line(ctx.t('map.added', { id: mapping.id, local: mapping.localPath, folder: mapping.folderToken }));
      }),
    );

  map
    .command('list')
    .description(t('cli.help.map.list.description'))
    .action(
      act(async (ctx) => {
        const { mappings } = ctx.settings();
        if (ctx.out.json) return ctx.out.data(mappings);
        if (mappings.length === 0) return ctx.out.line(ctx.t('map.none'));
        const rows = mappings.map((m) => {
          const flags = [`delete=${m.deletePolicy}`, ...(m.paused ? ['paused'] : []), ...(m.ignore.length ? [`ignore=${m.ignore.join(',')}`] : [])];
          return [ctx.out.paint.bold(m.id), m.localPath, '→', m.folderUrl ?? m.folderToken, ctx.out.paint.dim(flags.join(' '))];
        });
        // Local paths may hold CJK (two columns each): aligned by display width.
        for (const line of alignColumns(rows)) ctx.out.line(line);
      }),
    );

  map
    .command('remove')
    .description(t('cli.help.map.remove.description'))
    .argument('<id>', t('cli.help.map.remove.id'))
    .action(
      act(async (ctx, id: string) => {
        const settings = ctx.settings();
        const removed = findMapping(settings, id);
        ctx.saveSettings(removeMapping(settings, id));
        if (ctx.out.json) ctx.out.data({ removed });
        ctx.out.line(ctx.t('map.removed', { id, local: removed.localPath }));
      }),
    );

  map
    .command('set')
    .description(t('cli.help.map.set.description'))
    .argument('<id>', t('cli.help.map.set.id'))
    .option('--delete-policy <policy>', t('cli.help.map.set.deletePolicy'))
    .option('--ignore <pattern...>', t('cli.help.map.set.ignore'))
    .action(
      act(async (ctx, id: string, options: MapOptions) => {
        if (options.deletePolicy === undefined && options.ignore === undefined) {
          throw new CliError({ code: 'E_USAGE', message: ctx.t('map.setNothing'), remedy: ctx.t('map.setRemedy') });
        }
        const change: { deletePolicy?: DeletePolicy; ignore?: string[] } = {};
        if (options.deletePolicy !== undefined) change.deletePolicy = deletePolicy(options.deletePolicy, ctx.t('map.policyRemedy'));
        if (options.ignore !== undefined) change.ignore = options.ignore.filter((p) => p !== '');
        const next = changeMapping(ctx.settings(), id, change);
        ctx.saveSettings(next);
        const mapping = findMapping(next, id);
        if (ctx.out.json) ctx.out.data(mapping);
        ctx.out.line(ctx.t('map.changed', { id, policy: mapping.deletePolicy, ignore: mapping.ignore.join(', ') || '-' }));
      }),
    );
}

function deletePolicy(value: string | undefined, remedy: string): DeletePolicy {
  if (value === undefined || value === 'keep' || value === 'trash') return value ?? 'keep';
  throw new CliError({ code: 'E_USAGE', message: `--delete-policy "${value}" is not keep or trash`, remedy });
}
