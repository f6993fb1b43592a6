/** `feisync config path|show|get|set`: read and change the settings file safely (validated before writing). */
import type { Command } from 'commander';
import { SETTINGS_JSON_SCHEMA } from '../../config/schema.js';
import type { Settings } from '../../config/settings.js';
import { CliError } from '../cliError.js';
import type { Act } from '../program.js';

export function registerConfig(program: Command, act: Act): void {
  const config = program
    .command('config')
    .description('Show or change settings (the secret is never stored here)')
    .addHelpText('after', '\nThe settings file is one JSON document (see `feisync config schema`); every key is optional and defaults apply.\nA minimal file: {"mappings": [{"id": "m1", "localPath": "/data/photos", "folderToken": "fldcnXXXXXXXX"}]}');

  config
    .command('path')
    .description('Print the settings file path and the state dir')
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
    .description('Print the settings as JSON (defaults filled in)')
    .action(
      act(async (ctx) => {
        ctx.out.stdout.write(JSON.stringify(ctx.settings(), null, 2) + '\n');
      }),
    );

  config
    .command('schema')
    .description('Print the JSON Schema of the settings file (every key, its type, limits and meaning)')
    .action(
      act(async (ctx) => {
        ctx.out.stdout.write(JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'FeiSync settings', ...SETTINGS_JSON_SCHEMA }, null, 2) + '\n');
      }),
    );

  config
    .command('get')
    .description('Print one setting, e.g. `feisync config get limits.qps`')
    .argument('<key>', 'dotted key')
    .action(
      act(async (ctx, key: string) => {
        const value = getPath(ctx.settings(), key, ctx.t('config.unknownKey', { key }));
        ctx.out.stdout.write((typeof value === 'string' ? value : JSON.stringify(value)) + '\n');
      }),
    );

  config
    .command('set')
    .description('Change one setting, e.g. `feisync config set limits.qps 3` (the value is JSON, or a plain string)')
    .argument('<key>', 'dotted key')
    .argument('<value>', 'new value')
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
