/** `feisync config path|show|get|set`: read and change the settings file safely (validated before writing). */
import type { Command } from 'commander';
import { SETTINGS_JSON_SCHEMA } from '../../config/schema.js';
import type { Settings } from '../../config/settings.js';
import type { Translate } from '../../i18n/index.js';
import { CliError } from '../cliError.js';
import type { Act } from '../program.js';

export function registerConfig(program: Command, act: Act, t: Translate): void {
  const config = program
    .command('config')
    .description(t('cli.help.config.description'))
    .addHelpText('after', t('cli.help.config.after'));

  config
    .command('path')
    .description(t('cli.help.config.path.description'))
    .action(
      act(async (ctx) => {
        const paths = { config: ctx.settingsFile.path, exists: ctx.settingsFile.exists(), state: ctx.stateDir };
        if (ctx.out.json) return ctx.out.data(paths);
        ctx.out.line(ctx.settingsFile.path);
        ctx.out.line(ctx.stateDir);
      }),
    );

  config
    .command('show')
    .description(t('cli.help.config.show.description'))
    .action(
      act(async (ctx) => {
        ctx.out.stdout.write(JSON.stringify(ctx.settings(), null, 2) + '\n');
      }),
    );

  config
    .command('schema')
    .description(t('cli.help.config.schema.description'))
    .action(
      act(async (ctx) => {
        ctx.out.stdout.write(JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'FeiSync settings', ...SETTINGS_JSON_SCHEMA }, null, 2) + '\n');
      }),
    );

  config
    .command('get')
    .description(t('cli.help.config.get.description'))
    .argument('<key>', t('cli.help.config.key'))
    .action(
      act(async (ctx, key: string) => {
        const value = getPath(ctx.settings(), key, ctx.t('config.unknownKey', { key }));
        ctx.out.stdout.write((typeof value === 'string' ? value : JSON.stringify(value)) + '\n');
      }),
    );

  config
    .command('set')
    .description(t('cli.help.config.set.description'))
    .argument('<key>', t('cli.help.config.key'))
    .argument('<value>', t('cli.help.config.set.value'))
    .action(
      act(async (ctx, key: string, raw: string) => {
        const settings = structuredClone(ctx.settings());
        getPath(settings, key, ctx.t('config.unknownKey', { key })); // the key must exist
        const value = parseValue(raw);
        setPath(settings as unknown as Record<string, unknown>, key, value);
        ctx.saveSettings(settings); // validates: a bad value names the key and is never written
        if (ctx.out.json) return ctx.out.data({ key, value });
        ctx.out.line(ctx.t('config.set', { key, value: JSON.stringify(value) }));
      }),
    );
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function getPath(settings: Settings, key: string, unknown: string): unknown {
  let node: unknown = settings;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in (node as object))) {
      throw new CliError({ code: 'E_USAGE', message: unknown, remedy: 'See `feisync config show` for the keys.' });
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
}
