/**
 * Renders the engine's event stream: a live bar on a terminal (cli-progress,
 * on stderr), plain lines otherwise; nothing but the final JSON with --json.
 */
import cliProgress from 'cli-progress';
import type { EngineErrorInfo, EngineEvent, SyncEngineApi } from '../sync/engineApi.js';
import type { Lang, Translate } from '../i18n/index.js';
import { localizeRemedy } from '../i18n/localizeRemedy.js';
import { formatBytes, withoutRemedy } from './format.js';
import type { Output } from './output.js';

export interface ProgressView {
  /** Print a line without breaking the live bar. */
  log(text: string): void;
  stop(): void;
}

export function attachProgress(
  engine: Pick<SyncEngineApi, 'on'>,
  out: Output,
  t: Translate,
  options: { statusLines?: boolean; lang?: Lang } = {},
): ProgressView {
  const shown = (e: EngineErrorInfo) => localizeRemedy(e.code, e.remedy, options.lang ?? 'en');
  if (out.json) {
    const off = engine.on(() => {});
    return { log: () => {}, stop: off };
  }
  const live = out.isTTY && (out.stderr as { isTTY?: boolean }).isTTY === true;
  const inFlight = new Map<string, { done: number; total: number }>();
  let doneBytes = 0;
  let files = 0;
  let failed = 0;
  const lastStatus = new Map<string, string>();

  const multi = live
    ? new cliProgress.MultiBar(
        {
          stream: out.stderr,
          format: `{bar} {percentage}% | {bytes} | ${t('progress.files')} {files} | {current}`,
          hideCursor: true,
          clearOnComplete: true,
          fps: 5,
          barsize: 24,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const bar = multi?.create(1, 0, { bytes: '', files: 0, current: '' });

  const render = (current = '') => {
    if (!bar) return;
    let done = doneBytes;
    let total = doneBytes;
    for (const p of inFlight.values()) {
      done += p.done;
      total += p.total;
    }
    bar.setTotal(Math.max(total, 1));
    bar.update(done, { bytes: `${formatBytes(done)}/${formatBytes(total)}`, files: files + (failed ? ` (${failed} ✗)` : ''), current });
  };
  const log = (text: string) => (multi ? multi.log(text + '\n') : out.line(text));

  const onEvent = (event: EngineEvent) => {
    switch (event.type) {
      case 'progress': {
        const key = `${event.progress.mappingId ?? ''}:${event.progress.relPath}`;
        inFlight.set(key, { done: event.progress.bytesDone, total: event.progress.bytesTotal });
        render(event.progress.relPath);
        return;
      }
      case 'fileDone': {
        const a = event.activity;
        const key = `${a.mappingId ?? ''}:${a.relPath}`;
        const p = inFlight.get(key);
        if (p) {
          doneBytes += p.total;
          inFlight.delete(key);
        }
        if (a.kind === 'failed') failed++;
        else if (a.kind !== 'skipped') files++;
        log(`${a.kind.padEnd(9)} ${a.relPath}${a.detail ? `  (${a.detail})` : ''}`);
        render();
        return;
      }
      case 'error': {
        const e = event.error;
        const message = `${e.relPath ? e.relPath + ': ' : ''}${withoutRemedy(e.message, e.remedy)}`;
        // Errors go to stderr, with code, log id and remedy, like every other error of the CLI.
        if (multi) multi.log(`${out.paint.fail(t('label.error'))}: ${message} [${e.code}${e.logId ? `, ${e.logId}` : ''}] — ${shown(e)}\n`);
        else out.error({ message, code: e.code, logId: e.logId, remedy: shown(e) });
        return;
      }
      case 'watchLimit':
        log(`${out.paint.warn(t('label.warning'))}: ${event.message}`);
        return;
      case 'quota':
        if (event.quota.exhausted) log(out.paint.warn(t('sync.quotaWaiting', { time: new Date(event.quota.resetsAt).toISOString() })));
        return;
      case 'mapping': {
        // The daemon's status line: say when a mapping settles, stops or waits, once per change.
        const m = event.mapping;
        if (!options.statusLines || lastStatus.get(m.id) === m.status) return;
        const was = lastStatus.get(m.id);
        lastStatus.set(m.id, m.status);
        if (m.status === 'idle' && was !== undefined) log(out.paint.ok(t('daemon.idle', { id: m.id, synced: m.synced, failed: m.failed })));
        else if (m.status === 'stopped' && m.error) log(out.paint.fail(t('daemon.stopped', { id: m.id, message: withoutRemedy(m.error.message, m.error.remedy), remedy: shown(m.error) })));
        else if (m.status === 'offline') log(out.paint.warn(t('daemon.offline', { id: m.id })));
        return;
      }
      default:
        return;
    }
  };
  const off = engine.on(onEvent);
  return {
    log,
    stop() {
      off();
      multi?.stop();
    },
  };
}
