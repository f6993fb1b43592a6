/**
 * `feisync sandbox`: the Feishu-compatible local server, for trying FeiSync
 * and for tests. Prints ONE JSON line when ready
 * ({"baseUrl","appId","appSecret","rootFolderToken"}), serves until
 * SIGINT/SIGTERM, then shuts down cleanly.
 */
import type { Command } from 'commander';
import type { Translate } from '../../i18n/index.js';
import { FaultSpecError, parseFaultSpec, sandboxReadyLine, startSandbox, type SandboxOptions } from '../../sandbox/index.js';
import { CliError } from '../cliError.js';
import type { CliContext } from '../context.js';
import { intFlag, numberFlag } from '../numbers.js';
import type { Act } from '../program.js';
import { untilSignal } from '../signals.js';

interface SandboxFlags {
  port?: string;
  data?: string;
  limits?: string;
  tokenTtl?: string;
  uploadTtl?: string;
  qps?: string;
  dailyQuota?: string;
  faults?: string;
}

export function registerSandbox(program: Command, act: Act, t: Translate): void {
  program
    .command('sandbox')
    .description(t('cli.help.sandbox.description'))
    .option('--port <n>', t('cli.help.sandbox.port'), '0')
    .option('--data <dir>', t('cli.help.sandbox.data'))
    .option('--limits <mode>', t('cli.help.sandbox.limits'), 'feishu')
    .option('--token-ttl <s>', t('cli.help.sandbox.tokenTtl'))
    .option('--upload-ttl <s>', t('cli.help.sandbox.uploadTtl'))
    .option('--qps <n>', t('cli.help.sandbox.qps'))
    .option('--daily-quota <n>', t('cli.help.sandbox.dailyQuota'))
    .option('--faults <spec>', t('cli.help.sandbox.faults'))
    .addHelpText('after', t('cli.help.sandbox.after'))
    .action(act(runSandbox));
}

/** Validated SandboxOptions from the flags (exit 2 on any bad value). */
export function sandboxOptions(flags: SandboxFlags, ctx: Pick<CliContext, 'opts'>): SandboxOptions {
  if (flags.limits !== undefined && flags.limits !== 'feishu' && flags.limits !== 'off') {
    throw new CliError({ code: 'E_USAGE', message: `--limits "${flags.limits}" is not feishu or off`, remedy: 'Use --limits feishu or --limits off.' });
  }
  if (flags.faults !== undefined) {
    try {
      parseFaultSpec(flags.faults);
    } catch (e) {
      if (e instanceof FaultSpecError) throw new CliError({ code: 'E_USAGE', message: e.message, remedy: 'See `feisync sandbox --help` for the fault spec syntax.' });
      throw e;
    }
  }
  const options: SandboxOptions = {
    port: intFlag('--port', flags.port, { min: 0, max: 65535 }),
    dataDir: flags.data,
    limits: flags.limits as 'feishu' | 'off' | undefined,
    tokenTtlSec: intFlag('--token-ttl', flags.tokenTtl, { min: 1 }),
    uploadTtlSec: intFlag('--upload-ttl', flags.uploadTtl, { min: 1 }),
    qps: numberFlag('--qps', flags.qps, { min: 0.01 }),
    dailyQuota: intFlag('--daily-quota', flags.dailyQuota, { min: 1 }),
    faults: flags.faults,
    appId: ctx.opts.appId,
    appSecret: ctx.opts.appSecret,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SandboxOptions;
}

async function runSandbox(ctx: CliContext, flags: SandboxFlags): Promise<void> {
  const sandbox = await startSandbox(sandboxOptions(flags, ctx)).catch((e: unknown) => {
    throw new CliError({ code: 'E_SANDBOX', message: (e as Error).message, remedy: 'Pick another --port, or check --data.', cause: e });
  });
  ctx.out.stdout.write(sandboxReadyLine(sandbox) + '\n');
  ctx.logger().info('sandbox started', { baseUrl: sandbox.baseUrl });
  const signal = await untilSignal();
  ctx.logger().info('sandbox stopping', { signal });
  await sandbox.close();
}
