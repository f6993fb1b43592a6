import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/config/settings.js';
import type { EngineFromSettingsOptions } from '../../../src/sync/engineFactory.js';
import { nullLogger } from '../../../src/platform/log.js';
import type { UserTokens } from '../../../src/feishu/auth.js';
import { createEngineHolder, unconfiguredEngine } from '../../../app/main/engineHolder.js';
import { createEngineLifecycle } from '../../../app/main/engineLifecycle.js';
import { memorySettingsStore } from '../../../app/main/settingsStore.js';
import { engineState } from './engineStateFixture.js';

function setup(account: Settings['account'], secret?: string, tokens?: UserTokens, blocked?: () => string | undefined, asyncTokens = false) {
  const log: string[] = [];
  const created: EngineFromSettingsOptions[] = [];
  const settings = memorySettingsStore({ ...structuredClone(DEFAULT_SETTINGS), account });
  const holder = createEngineHolder(unconfiguredEngine(engineState().quota));
  let stored = tokens;
  const lifecycle = createEngineLifecycle({
    settings,
    stateDir: '/state',
    holder,
    appSecret: async (appId) => (appId === 'cli_ok' ? secret : undefined),
    userTokens: (appId) => ({
      get: () => {
        const found = appId === 'cli_ok' ? stored : undefined;
        return asyncTokens ? Promise.resolve(found) : found; // the app's store answers at once, the CLI's keychain later
      },
      set: (t) => void (stored = t),
    }),
    create: (options) => {
      const n = created.push(options);
      const engine = { ...unconfiguredEngine(engineState().quota), start: async () => void log.push(`start ${n}`), getState: () => engineState({ running: true }) };
      return { engine, client: {} as never, close: async () => void log.push(`close ${n}`) };
    },
    emptyQuota: () => engineState().quota,
    clock: { now: () => 42 },
    blocked,
    logger: nullLogger,
  });
  return { lifecycle, holder, log, created, settings, tokens: () => stored };
}

describe('engine lifecycle', () => {
  it('without an account or secret the engine does not start, and says what to do', async () => {
    const s = setup(null);
    expect(await s.lifecycle.restart()).toEqual({ running: false, reason: 'No Feishu account yet: open Settings → Account.' });
    expect(s.holder.getState().lastErrors).toEqual([{ code: 'E_NOT_CONFIGURED', message: 'No Feishu account yet: open Settings → Account.', remedy: 'Open Settings → Account.', at: 42 }]);
    expect(await setup({ cloud: 'feishu', appId: 'cli_none', identity: 'tenant' }).lifecycle.restart()).toMatchObject({ running: false, reason: expect.stringContaining('cli_none') });
  });

  it('starts the real engine with the tenant credentials, and a restart closes the old one first', async () => {
    const s = setup({ cloud: 'lark', appId: 'cli_ok', identity: 'tenant' }, 'sec');
    expect(await s.lifecycle.restart()).toEqual({ running: true });
    expect(s.created[0]).toMatchObject({ credentials: { kind: 'tenant', appId: 'cli_ok', appSecret: 'sec' }, stateDir: '/state' });
    expect(s.holder.getState().running).toBe(true);
    await Promise.all([s.lifecycle.restart(), s.lifecycle.restart()]);
    expect(s.log).toEqual(['start 1', 'close 1', 'start 2', 'close 2', 'start 3']);
    await s.lifecycle.close();
    expect(s.log.at(-1)).toBe('close 3');
  });

  it('does not start while something else syncs the same state folder, and starts once it is gone', async () => {
    let reason: string | undefined = '`feisync sync` is already running';
    const s = setup({ cloud: 'feishu', appId: 'cli_ok', identity: 'tenant' }, 'sec', undefined, () => reason);
    expect(await s.lifecycle.restart()).toEqual({ running: false, reason: '`feisync sync` is already running' });
    expect(s.created).toHaveLength(0);
    reason = undefined;
    expect(await s.lifecycle.restart()).toEqual({ running: true });
  });

  it('user identity uses the stored tokens and persists refreshed ones', async () => {
    const tokens = { accessToken: 'u-a', refreshToken: 'ur-r', expiresAt: 1 };
    const s = setup({ cloud: 'feishu', appId: 'cli_ok', identity: 'user' }, 'sec', tokens);
    await s.lifecycle.restart();
    const creds = s.created[0]!.credentials;
    expect(creds).toMatchObject({ kind: 'user', tokens });
    if (creds.kind !== 'user') throw new Error('expected user credentials');
    await creds.onRefresh?.({ accessToken: 'u-b', refreshToken: 'ur-s', expiresAt: 2 });
    expect(s.tokens()).toEqual({ accessToken: 'u-b', refreshToken: 'ur-s', expiresAt: 2 });
    expect(await setup({ cloud: 'feishu', appId: 'cli_ok', identity: 'user' }, 'sec').lifecycle.restart()).toMatchObject({ running: false, reason: expect.stringContaining('Sign in with Feishu') });
  });

  it('user tokens that arrive asynchronously (the CLI login) start the engine too', async () => {
    const tokens = { accessToken: 'u-a', refreshToken: 'ur-r', expiresAt: 1 };
    const s = setup({ cloud: 'feishu', appId: 'cli_ok', identity: 'user' }, 'sec', tokens, undefined, true);
    expect(await s.lifecycle.restart()).toEqual({ running: true });
    expect(s.created[0]!.credentials).toMatchObject({ kind: 'user', appId: 'cli_ok', appSecret: 'sec', tokens });
  });
});
