/**
 * The tray, the IPC handlers and the notifications hold ONE engine object
 * for the app's lifetime, while the real engine is replaced when the account
 * changes (or created only once an account exists). This forwards every call
 * to the current engine and keeps listeners subscribed across swaps.
 */
import type { Lang } from '../../src/i18n/language.js';
import type { EngineErrorInfo, EngineEvent, EngineState, SyncEngineApi } from '../../src/sync/engineApi.js';
import { localizeEvent, localizeState } from '../../src/sync/localizedErrors.js';

/** The code of the engine state that says why nothing syncs yet. */
export const NOT_CONFIGURED_CODE = 'E_NOT_CONFIGURED';
const NOT_CONNECTED = 'FeiSync is not connected to Feishu yet: open Settings → Account, enter the App ID and App Secret, and save.';

export interface EngineHolder extends SyncEngineApi {
  /** Put `next` in place (it is started by the caller); the old one is returned for stopping. */
  swap(next: SyncEngineApi): SyncEngineApi;
  readonly current: SyncEngineApi;
}

/**
 * `lang`: the display language, asked at every state and event. The tray,
 * the window and the notifications then show Feishu's remedies in it (the
 * engine itself, and its log, stay English).
 */
export function createEngineHolder(initial: SyncEngineApi, options: { lang?: () => Lang } = {}): EngineHolder {
  let current = initial;
  const lang = options.lang ?? (() => 'en' as const);
  const listeners = new Set<(event: EngineEvent) => void>();
  const forward = (raw: EngineEvent) => {
    const event = localizeEvent(raw, lang());
    listeners.forEach((l) => l(event));
  };
  let unsubscribe = current.on(forward);

  return {
    get current() {
      return current;
    },
    swap(next) {
      const old = current;
      unsubscribe();
      current = next;
      unsubscribe = current.on(forward);
      forward({ type: 'state', state: current.getState() });
      return old;
    },
    addMapping: (m) => current.addMapping(m),
    removeMapping: (id) => current.removeMapping(id),
    start: () => current.start(),
    stop: () => current.stop(),
    pause: () => current.pause(),
    resume: () => current.resume(),
    syncNow: (id) => current.syncNow(id),
    syncOnce: (o) => current.syncOnce(o),
    send: (paths, target) => current.send(paths, target),
    retryFailed: (id) => current.retryFailed(id),
    getState: () => localizeState(current.getState(), lang()),
    on(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * The engine before an account is set up: it has nothing to sync, says so
 * in its state, and refuses sends with a reason (nothing is silently dropped).
 */
export function unconfiguredEngine(quota: EngineState['quota'], reason = NOT_CONNECTED, at = 0): SyncEngineApi {
  const notReady = () => new Error(reason);
  let paused = false;
  const lastErrors: EngineErrorInfo[] = [{ code: NOT_CONFIGURED_CODE, message: reason, remedy: 'Open Settings → Account.', at }];
  const state = (): EngineState => ({ running: false, paused, online: true, mappings: [], quota, inFlight: [], recent: [], lastErrors });
  return {
    addMapping: () => {},
    removeMapping: () => {},
    start: async () => {},
    stop: async () => {},
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    syncNow: async () => {},
    syncOnce: async () => Promise.reject(notReady()),
    send: async () => Promise.reject(notReady()),
    retryFailed: () => {},
    getState: state,
    on: () => () => {},
  };
}
