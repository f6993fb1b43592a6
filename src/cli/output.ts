/**
 * Everything the CLI writes goes through here: results on stdout (plain lines,
 * or one JSON document with --json), warnings and errors on stderr. Colours
 * only on a TTY, never with NO_COLOR or --no-color.
 */
import type { Writable } from 'node:stream';
import { redactText } from '../platform/logRedact.js';
import type { Translate } from '../i18n/index.js';

export interface Paint {
  ok(s: string): string;
  warn(s: string): string;
  fail(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export interface Output {
  readonly json: boolean;
  readonly color: boolean;
  /** stdout is a terminal (live progress allowed). */
  readonly isTTY: boolean;
  readonly paint: Paint;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** A result line on stdout (suppressed with --json). */
  line(text?: string): void;
  /** A progress/info line on stderr (kept off stdout so --json stays one document). */
  info(text: string): void;
  /** The one JSON document of --json mode. */
  data(value: unknown): void;
  warn(text: string): void;
  /** An error with its code, Feishu log id and remedy. */
  error(err: ErrorView): void;
}

export interface ErrorView {
  message: string;
  code?: number | string;
  logId?: string;
  remedy?: string;
}

const ANSI = { green: 32, yellow: 33, red: 31, dim: 2, bold: 1 } as const;

export function colorEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined>, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function makePaint(color: boolean): Paint {
  const wrap = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { ok: wrap(ANSI.green), warn: wrap(ANSI.yellow), fail: wrap(ANSI.red), dim: wrap(ANSI.dim), bold: wrap(ANSI.bold) };
}

export function createOutput(options: {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  json: boolean;
  colorFlag: boolean;
  env: Record<string, string | undefined>;
  t: Translate;
}): Output {
  const { stdout, stderr, json, t } = options;
  const color = colorEnabled(stderr, options.env, options.colorFlag) && colorEnabled(stdout, options.env, options.colorFlag);
  const paint = makePaint(color);
  return {
    json,
    color,
    isTTY: stdout.isTTY === true,
    paint,
    stdout,
    stderr,
    line: (text = '') => {
      if (!json) stdout.write(text + '\n');
    },
    info: (text) => {
      stderr.write(text + '\n');
    },
    data: (value) => {
      stdout.write(JSON.stringify(value, bigintSafe) + '\n');
    },
    warn: (text) => {
      stderr.write(`${paint.warn(t('label.warning'))}: ${redactText(text)}\n`);
    },
    error: (err) => {
      const parts = [`${paint.fail(t('label.error'))}: ${redactText(err.message)}`];
      const meta: string[] = [];
      if (err.code !== undefined) meta.push(t('label.code', { code: String(err.code) }));
      if (err.logId) meta.push(t('label.logId', { logId: err.logId }));
      if (meta.length) parts.push(`  ${meta.join('  ')}`);
      if (err.remedy) parts.push(`  ${t('label.remedy')}: ${err.remedy}`);
      stderr.write(parts.join('\n') + '\n');
    },
  };
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
