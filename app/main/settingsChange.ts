/**
 * When the settings change under the app (the CLI edited the shared file),
 * what the engine must do: add, replace or remove mappings, pause or resume,
 * or be rebuilt (account or limits changed: credentials and the scheduler are
 * fixed when the engine is created).
 */
import { isDeepStrictEqual } from 'node:util';
import type { MappingSettings, Settings } from '../../src/config/settings.js';
import type { SyncEngineApi } from '../../src/sync/engineApi.js';

export interface SettingsChangePlan {
  rebuild: boolean;
  /** New or changed mappings (re-adding under the same id replaces a mapping; its index is kept). */
  upsert: MappingSettings[];
  remove: string[];
  /** Set when the global pause flag changed. */
  paused?: boolean;
}

export function settingsChangePlan(before: Settings, after: Settings): SettingsChangePlan {
  const rebuild = !isDeepStrictEqual(before.account, after.account) || !isDeepStrictEqual(before.limits, after.limits);
  const old = new Map(before.mappings.map((m) => [m.id, m]));
  const now = new Map(after.mappings.map((m) => [m.id, m]));
  const plan: SettingsChangePlan = {
    rebuild,
    upsert: after.mappings.filter((m) => !isDeepStrictEqual(old.get(m.id), m)),
    remove: before.mappings.filter((m) => !now.has(m.id)).map((m) => m.id),
  };
  if ((before.paused ?? false) !== (after.paused ?? false)) plan.paused = after.paused ?? false;
  return plan;
}

/** Carry out a plan that needs no rebuild (a rebuild reads everything from the settings anyway). */
export function applySettingsChange(engine: SyncEngineApi, plan: SettingsChangePlan): void {
  for (const id of plan.remove) engine.removeMapping(id);
  for (const mapping of plan.upsert) {
    engine.removeMapping(mapping.id);
    engine.addMapping(mapping);
  }
  if (plan.paused === true) engine.pause();
  if (plan.paused === false) engine.resume();
}
