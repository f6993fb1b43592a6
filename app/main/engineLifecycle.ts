/**
 * Creates the real engine from the settings and the stored secret, and
 * replaces it when the account changes. No Electron here: the secret lookup
 * and the factory are injected.
 */
import type { Credentials } from '../../src/feishu/client.js';
import type { UserTokens } from '../../src/feishu/auth.js';
import type { DriveApi } from '../../src/feishu/driveApi.js';
import type { Clock } from '../../src/platform/clock.js';
import type { Logger } from '../../src/platform/log.js';
import type { createEngineFromSettings, EngineFromSettingsOptions } from '../../src/sync/engineFactory.js';
import type { EngineState } from '../../src/sync/engineApi.js';
import type { EngineHolder } from './engineHolder.js';
import { unconfiguredEngine } from './engineHolder.js';
import type { SettingsStore } from './settingsStore.js';

export interface EngineLifecycleDeps {
  settings: SettingsStore;
  stateDir: string;
  holder: EngineHolder;
  /** The app secret for an app id (the app's safeStorage first, then the CLI's keychain/file). */
  appSecret(appId: string): Promise<string | undefined>;
  /** Stored user tokens (identity 'user'), and where refreshed ones go. */
  userTokens(appId: string): { get(): UserTokens | undefined | Promise<UserTokens | undefined>; set(tokens: UserTokens): void };
  create: (options: EngineFromSettingsOptions) => Pick<ReturnType<typeof createEngineFromSettings>, 'engine' | 'client' | 'close'>;
  emptyQuota: () => EngineState['quota'];
  clock: Pick<Clock, 'now'>;
  /** Why the engine must not run now (e.g. `feisync sync` already syncs this state folder). */
  blocked?: () => string | undefined;
  logger: Logger;
}

export type EngineStatus = { running: true } | { running: false; reason: string };

export interface EngineLifecycle {
  /** (Re)create the engine from the current settings; says why when it cannot run. */
  restart(): Promise<EngineStatus>;
  drive(): Pick<DriveApi, 'rootFolderMeta' | 'listFolder'> | null;
  close(): Promise<void>;
}

export function createEngineLifecycle(deps: EngineLifecycleDeps): EngineLifecycle {
  let handle: ReturnType<EngineLifecycleDeps['create']> | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  const stopCurrent = async () => {
    const old = handle;
    handle = null;
    await old?.close().catch((e: unknown) => deps.logger.warn('engine close failed', { error: String(e) }));
  };

  const credentials = async (): Promise<Credentials | string> => {
    const blocked = deps.blocked?.();
    if (blocked) return blocked;
    const account = deps.settings.get().account;
    if (!account) return 'No Feishu account yet: open Settings → Account.';
    const appSecret = await deps.appSecret(account.appId);
    if (!appSecret) return `No app secret stored for ${account.appId}: enter it on the Account page.`;
    if (account.identity === 'tenant') return { kind: 'tenant', appId: account.appId, appSecret };
    const stored = deps.userTokens(account.appId);
    const tokens = await stored.get();
    if (!tokens) return 'Uploading as a user needs a sign-in: open Settings → Account and click "Sign in with Feishu".';
    return { kind: 'user', appId: account.appId, appSecret, tokens, onRefresh: (next) => stored.set(next) };
  };

  const restart = async (): Promise<EngineStatus> => {
    await stopCurrent();
    const creds = await credentials();
    if (typeof creds === 'string') {
      deps.holder.swap(unconfiguredEngine(deps.emptyQuota(), creds, deps.clock.now()));
      return { running: false, reason: creds };
    }
    const next = deps.create({ credentials: creds, stateDir: deps.stateDir, settings: deps.settings.get() });
    handle = next;
    deps.holder.swap(next.engine);
    await next.engine.start();
    return { running: true };
  };

  return {
    restart() {
      // Account saves can come quickly one after another: never run two engines on one index.
      const run = chain.then(restart, restart);
      chain = run.catch(() => undefined);
      return run;
    },
    drive: () => handle?.client ?? null,
    close: () => stopCurrent(),
  };
}
