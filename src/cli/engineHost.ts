/**
 * The CLI's engine: createEngineFromSettings with the resolved account, plus
 * the engine's events written to the structured log (the daemon's record of
 * what it did).
 */
import type { MappingSettings, Settings } from '../config/settings.js';
import type { Credentials } from '../feishu/client.js';
import type { Logger } from '../platform/log.js';
import type { EngineEvent, SyncEngineApi } from '../sync/engineApi.js';
import { createEngineFromSettings, type EngineHandle } from '../sync/engineFactory.js';
import { CliError } from './cliError.js';
import { clientCredentials, type Account, type CliContext } from './context.js';

export interface EngineHost {
  engine: SyncEngineApi;
  handle: EngineHandle;
  close(): Promise<void>;
}

/**
 * An engine for `mappings`. With `offline`, no account is needed (status and
 * quota read the index only): any attempt to reach Feishu fails with "not logged in".
 */
export async function openEngine(
  ctx: CliContext,
  settings: Settings,
  mappings: MappingSettings[],
  options: { offline?: boolean; account?: Account; stateDir?: string } = {},
): Promise<EngineHost> {
  let credentials: Credentials;
  let baseUrl: string | undefined;
  if (options.offline) {
    credentials = {
      kind: 'provider',
      provider: {
        token: () => Promise.reject(new CliError({ code: 'E_NOT_LOGGED_IN', message: ctx.t('account.missing'), remedy: ctx.t('account.missingRemedy') })),
        invalidate: () => {},
      },
    };
  } else {
    const account = options.account ?? (await ctx.account());
    credentials = clientCredentials(account);
    baseUrl = account.baseUrl;
  }
  const handle = createEngineFromSettings({
    ...(baseUrl ? { baseUrl } : {}),
    credentials,
    stateDir: options.stateDir ?? ctx.stateDir,
    settings: { ...settings, mappings },
  });
  if (handle.index.rebuilt) ctx.out.warn(ctx.t('engine.indexRebuilt', { movedTo: handle.index.rebuilt.movedTo }));
  const off = handle.engine.on(eventLogger(ctx.logger().child({ component: 'engine' })));
  return {
    engine: handle.engine,
    handle,
    close: async () => {
      off();
      await handle.close();
    },
  };
}

function eventLogger(log: Logger): (event: EngineEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'fileDone':
        log.info(event.activity.kind, { mappingId: event.activity.mappingId, relPath: event.activity.relPath, token: event.activity.remoteToken, detail: event.activity.detail });
        return;
      case 'error':
        log.warn('error', { mappingId: event.mappingId, ...event.error });
        return;
      case 'quota':
        if (event.quota.exhausted) log.warn('quota exhausted', { day: event.quota.day, resetsAt: new Date(event.quota.resetsAt).toISOString() });
        return;
      case 'watchLimit':
        log.warn('watch limit', { mappingId: event.mappingId, message: event.message });
        return;
      case 'firstSyncDone':
        log.info('first sync done', { mappingId: event.mappingId });
        return;
      case 'sendDone':
        log.info('send done', { sendId: event.sendId, results: event.results.map((r) => ({ path: r.path, ok: r.ok, token: r.fileToken })) });
        return;
      default:
        return;
    }
  };
}
