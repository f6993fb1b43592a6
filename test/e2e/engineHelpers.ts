/** Shared setup of the engine end-to-end tests: a real sandbox, a temp tree, an engine from settings. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterEach } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import { createEngineFromSettings, type EngineHandle } from '../../src/sync/engineFactory.js';
import type { SyncEngineOptions } from '../../src/sync/engine.js';
import type { SchedulerOptions } from '../../src/sync/scheduler/index.js';

export interface E2E {
  sandbox: SandboxHandle;
  root: string;
  stateDir: string;
  handle: EngineHandle;
  write(rel: string, data: Buffer | string): void;
  /** relPath → sha256 of every local file (following the tree). */
  localFiles(): Map<string, string>;
  /** relPath → sha256 of every remote file under the mapping root. */
  remoteFiles(): Map<string, string>;
  /** Paths present more than once in the sandbox (duplicates). */
  duplicatePaths(): string[];
  /**
   * A new engine on the same sandbox, as after a restart of the app: by default
   * the same state folder and settings. It becomes `handle`; close the old one first.
   */
  reopen(over?: { stateDir?: string; settings?: Partial<Settings> }): EngineHandle;
  cleanup(): Promise<void>;
}

export type E2EOptions = { sandbox?: SandboxOptions; qps?: number; settings?: Partial<Settings>; engine?: Partial<SyncEngineOptions>; scheduler?: Partial<SchedulerOptions> };

/** e2e() for one test file: what a test started is cleaned up after it. Call at the top level of the test file. */
export function e2ePerTest(): (options?: E2EOptions) => Promise<E2E> {
  const open: E2E[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.cleanup();
  });
  return async (options) => {
    const t = await e2e(options);
    open.push(t);
    return t;
  };
}

export async function e2e(options: E2EOptions = {}): Promise<E2E> {
  const sandbox = await startSandbox(options.sandbox);
  const root = mkdtempSync(join(tmpdir(), 'feisync-e2e-root-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'feisync-e2e-state-'));
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    limits: { ...DEFAULT_SETTINGS.limits, qps: options.qps ?? DEFAULT_SETTINGS.limits.qps },
    settleMs: 0,
    mappings: [{ id: 'm1', localPath: root, folderToken: sandbox.rootFolderToken, deletePolicy: 'trash', ignore: [], paused: false }],
    ...options.settings,
  };
  const open = (at: string, withSettings: Settings) =>
    createEngineFromSettings({
      baseUrl: sandbox.baseUrl,
      credentials: { kind: 'tenant', appId: sandbox.appId, appSecret: sandbox.appSecret },
      stateDir: at,
      settings: withSettings,
      engine: options.engine,
      scheduler: options.scheduler,
    });
  const handle = open(stateDir, settings);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const e: E2E = {
    sandbox, root, stateDir, handle,
    write(rel, data) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), data);
    },
    localFiles() {
      const out = new Map<string, string>();
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const abs = join(dir, name);
          if (statSync(abs).isDirectory()) walk(abs);
          else out.set(relative(root, abs).split(sep).join('/'), sha(readFileSync(abs)));
        }
      };
      walk(root);
      return out;
    },
    duplicatePaths() {
      const seen = new Map<string, number>();
      for (const n of sandbox.tree()) seen.set(n.path, (seen.get(n.path) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([p]) => p);
    },
    remoteFiles() {
      return new Map(sandbox.tree().filter((n) => n.type === 'file').map((n) => [n.path.replace(/^\/+/, ''), n.sha256!]));
    },
    reopen(over = {}) {
      e.handle = open(over.stateDir ?? stateDir, { ...settings, ...over.settings });
      return e.handle;
    },
    async cleanup() {
      await e.handle.close();
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return e;
}
