/**
 * `feisync demo`: the README's first command. A sandbox in-process, a sample
 * folder, one sync with live progress, the remote tree checked byte-for-byte
 * (sha256) against the local files — then live watching until Ctrl-C.
 * `--once` stops after the check: exit 0 only if every file verified.
 */
import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MappingSettings } from '../../config/settings.js';
import { DEFAULT_SETTINGS } from '../../config/settings.js';
import type { Translate } from '../../i18n/index.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { EXIT, type ExitCode } from '../cliError.js';
import type { CliContext } from '../context.js';
import { createDemoFolder, sha256File, type DemoFile } from '../demoFiles.js';
import { openEngine } from '../engineHost.js';
import { alignColumns } from '../displayWidth.js';
import { formatBytes, formatCalls } from '../format.js';
import type { Act } from '../program.js';
import { attachProgress } from '../progressView.js';
import { untilSignal } from '../signals.js';

export function registerDemo(program: Command, act: Act, t: Translate): void {
  program
    .command('demo')
    .description(t('cli.help.demo.description'))
    .option('--once', t('cli.help.demo.once'))
    .option('--keep', t('cli.help.demo.keep'))
    .action(act(demo));
}

interface Verified {
  relPath: string;
  size: number;
  ok: boolean;
  sha256?: string;
  reason?: string;
}

async function demo(ctx: CliContext, options: { once?: boolean; keep?: boolean }): Promise<ExitCode> {
  const { t, out } = ctx;
  const base = mkdtempSync(join(tmpdir(), 'feisync-demo-'));
  const folder = join(base, 'FeiSync Demo');
  const stateDir = join(base, 'state');
  let sandbox: SandboxHandle | undefined;
  try {
    sandbox = await startSandbox({ dataDir: join(base, 'sandbox') });
    out.info(t('demo.sandbox', { url: sandbox.baseUrl }));
    const files = createDemoFolder(folder);
    out.info(t('demo.folder', { dir: folder, n: files.length, size: formatBytes(files.reduce((s, f) => s + f.size, 0)) }));

    const mapping: MappingSettings = { id: 'demo', localPath: folder, folderToken: sandbox.rootFolderToken, deletePolicy: 'keep', ignore: [], paused: false };
    const account = { baseUrl: sandbox.baseUrl, appId: sandbox.appId, appSecret: sandbox.appSecret, secretFrom: 'flag' as const };
    // Quick settling: the sample files are written before the engine starts.
    const settings = { ...DEFAULT_SETTINGS, settleMs: 200, mappings: [mapping] };
    const host = await openEngine(ctx, settings, [mapping], { account, stateDir });
    try {
      const view = attachProgress(host.engine, out, t, { lang: ctx.lang });
      const summary = await host.engine.syncOnce().finally(() => view.stop());
      const verified = await verify(folder, files, sandbox);
      const allOk = verified.every((v) => v.ok) && summary.failed.length === 0;
      if (out.json) out.data({ folder, baseUrl: sandbox.baseUrl, summary, verified, ok: allOk });
      else printTree(ctx, verified, formatCalls(summary.callsByEndpoint));
      if (options.once) return allOk ? EXIT.ok : EXIT.failed;

      const live = attachProgress(host.engine, out, t, { statusLines: true, lang: ctx.lang });
      await host.engine.start();
      out.line(out.paint.bold(t('demo.watching', { dir: folder })));
      await untilSignal();
      live.stop();
      return EXIT.ok;
    } finally {
      await host.close();
    }
  } finally {
    await sandbox?.close();
    if (!options.keep) rmSync(base, { recursive: true, force: true });
    else out.info(t('demo.kept', { dir: base }));
  }
}

/** Every local file must be in the remote tree once, with the same size and sha256. */
async function verify(folder: string, files: DemoFile[], sandbox: SandboxHandle): Promise<Verified[]> {
  const remote = sandbox.tree().filter((n) => n.type === 'file');
  return Promise.all(
    files.map(async (f): Promise<Verified> => {
      const local = await sha256File(join(folder, f.relPath));
      const matches = remote.filter((n) => n.path === f.relPath);
      if (matches.length !== 1) return { relPath: f.relPath, size: f.size, ok: false, reason: `${matches.length} remote copies` };
      const node = matches[0]!;
      if (node.size !== f.size) return { relPath: f.relPath, size: f.size, ok: false, reason: `remote size ${node.size}` };
      if (node.sha256 !== local) return { relPath: f.relPath, size: f.size, ok: false, reason: 'sha256 differs' };
      return { relPath: f.relPath, size: f.size, ok: true, sha256: local };
    }),
  );
}

function printTree(ctx: CliContext, verified: Verified[], calls: string): void {
  const { out, t } = ctx;
  out.line('');
  out.line(out.paint.bold(t('demo.remoteTree')));
  const rows = [...verified]
    .sort((a, b) => a.relPath.localeCompare(b.relPath))
    .map((v) => [
      v.ok ? out.paint.ok('✓') : out.paint.fail('✗'),
      v.relPath,
      formatBytes(v.size),
      v.ok ? out.paint.dim(`sha256 ${v.sha256!.slice(0, 16)}…`) : out.paint.fail(v.reason ?? ''),
    ]);
  // Names may hold CJK (two columns each): aligned by display width, not by String.length.
  for (const line of alignColumns(rows, { alignRight: [2] })) out.line(`  ${line}`);
  const ok = verified.filter((v) => v.ok).length;
  out.line(t('demo.verified', { ok, total: verified.length }));
  out.line(t('sync.callsUsed', { calls }));
}
