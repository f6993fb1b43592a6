/**
 * The daemon follows the settings file: `feisync map add/remove/set` and the
 * tray's settings page take effect without a restart. An invalid edit is
 * logged and ignored (the running mappings stay as they were).
 */
import { watchFileChanges } from '../config/fileWatch.js';
import type { SettingsFile } from '../config/settingsFile.js';
import type { MappingSettings, Settings } from '../config/settings.js';
import type { Logger } from '../platform/log.js';
import type { SyncEngineApi } from '../sync/engineApi.js';

/** What to change in the engine to go from `before` to `after` (pure). */
export function mappingChanges(before: MappingSettings[], after: MappingSettings[]): { add: MappingSettings[]; remove: string[] } {
  const old = new Map(before.map((m) => [m.id, m]));
  const next = new Map(after.map((m) => [m.id, m]));
  const remove = before.filter((m) => !next.has(m.id)).map((m) => m.id);
  const add = after.filter((m) => JSON.stringify(old.get(m.id)) !== JSON.stringify(m));
  return { add, remove };
}

export function followSettings(
  file: SettingsFile,
  engine: Pick<SyncEngineApi, 'addMapping' | 'removeMapping' | 'pause' | 'resume'>,
  initial: Settings,
  log: Logger,
  debounceMs = 100,
): () => void {
  let current = initial;
  const onChange = () => {
    let next: Settings;
    try {
      next = file.load();
    } catch (e) {
      log.warn('settings changed but cannot be used; keeping the running mappings', { error: e });
      return;
    }
    const { add, remove } = mappingChanges(current.mappings, next.mappings);
    for (const id of remove) engine.removeMapping(id);
    for (const m of add) engine.addMapping(m);
    if ((next.paused ?? false) !== (current.paused ?? false)) (next.paused ? engine.pause : engine.resume).call(engine);
    if (add.length || remove.length) log.info('settings reloaded', { added: add.map((m) => m.id), removed: remove });
    current = next;
  };
  // The folder is watched (conf writes by rename); see fileWatch.ts for why not fs.watchFile.
  const watch = watchFileChanges(file.path, onChange, {
    debounceMs,
    onError: (e) => log.warn('cannot watch the settings file; restart to pick up changes', { error: e }),
  });
  // A write between loading `initial` and arming the watch would otherwise go unseen.
  onChange();
  return () => watch.close();
}
