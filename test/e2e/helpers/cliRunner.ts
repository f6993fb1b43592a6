/**
 * Runs the real `feisync` binary (bin/feisync.js → dist/, built by `npm run
 * build`) as a child process, with its own HOME, config file and state dir so
 * nothing touches the user's real settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'feisync.js');

/** The binary the tests run: a snapshot of bin/ + dist/src (see assertBuilt). */
let bin = BIN;
let snapshot: string | undefined;
// Registered while the test file imports this module: runs after the file's tests.
afterAll(() => {
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
});

/**
 * Check dist/ exists and take a private snapshot of it for this test file: a
 * `npm run build` running meanwhile (other work in the same checkout) rewrites
 * dist/ file by file, and a child started mid-rewrite would fail to load. The
 * snapshot lives inside the repository so node_modules resolves as usual.
 */
export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the CLI e2e tests');
  }
  if (bin !== BIN) return;
  mkdirSync(join(ROOT, 'test', '.tmp'), { recursive: true });
  snapshot = mkdtempSync(join(ROOT, 'test', '.tmp', 'cli-build-'));
  cpSync(join(ROOT, 'bin'), join(snapshot, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist', 'src'), join(snapshot, 'dist', 'src'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(snapshot, 'package.json')); // the version the CLI reports
  bin = join(snapshot, 'bin', 'feisync.js');
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliHome {
  dir: string;
  config: string;
  state: string;
  env: Record<string, string>;
  run(args: string[], options?: { input?: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult>;
  spawn(args: string[], options?: { env?: Record<string, string | undefined> }): ChildProcess;
}

/** A fresh home for one test: config file, state dir and HOME under a temp dir. */
export function cliHome(): CliHome {
  const dir = mkdtempSync(join(tmpdir(), 'feisync-e2e-'));
  const config = join(dir, 'config', 'config.json');
  const state = join(dir, 'state');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    FEISYNC_CONFIG: config,
    FEISYNC_STATE_DIR: state,
    LANG: 'en_US.UTF-8',
    NO_COLOR: '1',
  };
  const childEnv = (extra?: Record<string, string | undefined>) => {
    const merged: Record<string, string> = { ...env };
    for (const [k, v] of Object.entries(extra ?? {})) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    return merged;
  };
  const start = (args: string[], extra?: Record<string, string | undefined>) =>
    spawn(process.execPath, [bin, ...args], { env: childEnv(extra), stdio: ['pipe', 'pipe', 'pipe'] });
  return {
    dir,
    config,
    state,
    env,
    spawn: (args, options) => start(args, options?.env),
    run: (args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = start(args, options.env);
        let stdout = '';
        let stderr = '';
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`feisync ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, options.timeoutMs ?? 60_000);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stdout, stderr });
        });
        child.stdin!.end(options.input ?? '');
      }),
  };
}

/** Wait for the first stdout line of a long-running child (e.g. the sandbox ready line). */
export function firstLine(child: ChildProcess, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no output in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const nl = buffered.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buffered.slice(0, nl));
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing; stderr: ${stderr}`)));
  });
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}
