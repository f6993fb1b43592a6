/** `feisync map add|list|remove|set`: which local folder goes to which Drive folder. */
import type { Command } from 'commander';
import { addMapping, changeMapping, findMapping, removeMapping } from '../../config/mappings.js';
import type { DeletePolicy } from '../../config/settings.js';
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

export function registerMap(program: Command, act: Act): void {
  const map = program.command('map').description('Manage folder mappings (local folder → Feishu Drive folder)');

  map
    .command('add')
    .description('Map a local folder to a Drive folder (URL like https://x.feishu.cn/drive/folder/<token>, or the token)')
    .argument('<local-dir>', 'local folder to sync')
    .argument('<folder-url-or-token>', 'Feishu/Lark Drive folder URL or token')
    .option('--delete-policy <policy>', 'what a local delete does remotely: keep | trash', 'keep')
    .option('--ignore <pattern...>', 'extra gitignore-style patterns to skip')
    .option('--no-check', 'do not check the Drive folder (one list call) before saving')
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
    .description('List the mappings')
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
    .description('Remove a mapping (files stay where they are, locally and in Drive)')
    .argument('<id>', 'mapping id (see `feisync map list`)')
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
    .description('Change the delete policy or ignore patterns of a mapping')
    .argument('<id>', 'mapping id')
    .option('--delete-policy <policy>', 'keep | trash')
    .option('--ignore <pattern...>', 'replace the extra ignore patterns (pass "" for none)')
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
