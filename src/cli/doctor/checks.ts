/**
 * The checks of `feisync doctor`: each one line, ok / warn / fail, with a
 * remedy when not ok. Effects (fs, network, clock) come in through `DoctorEnv`
 * so the verdict logic is testable.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { checkLocalDir } from '../../config/mappings.js';
import type { Settings } from '../../config/settings.js';
import { FeishuClient } from '../../feishu/client.js';
import { isFeishuError } from '../../feishu/feishuError.js';
import { INDEX_FILE_NAME } from '../../platform/stateDir.js';
import { clientCredentials, type Account } from '../context.js';
import { probeFolder } from '../remoteFolder.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  verdict: Verdict;
  detail: string;
  remedy?: string;
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;

export function diskSpaceCheck(dir: string, freeBytes: number): CheckResult {
  const detail = `${(freeBytes / GB).toFixed(1)} GB free for ${dir}`;
  if (freeBytes < 100 * MB) return { name: 'disk space', verdict: 'fail', detail, remedy: 'Free disk space: the index and logs need room to write (SQLite fails on a full disk).' };
  if (freeBytes < GB) return { name: 'disk space', verdict: 'warn', detail, remedy: 'Less than 1 GB free; free some space or move the state dir (--state).' };
  return { name: 'disk space', verdict: 'ok', detail };
}

export function freeBytes(dir: string): number {
  let probe = dir;
  while (!existsSync(probe) && probe !== join(probe, '..')) probe = join(probe, '..');
  const s = statfsSync(probe);
  return s.bavail * s.bsize;
}

/** Skew between the server's Date header and the local clock. */
export function clockSkewCheck(serverDate: string | null, localNow: number): CheckResult {
  if (!serverDate) return { name: 'clock', verdict: 'warn', detail: 'the server sent no Date header', remedy: 'Nothing to do unless uploads fail with token errors.' };
  const server = Date.parse(serverDate);
  if (Number.isNaN(server)) return { name: 'clock', verdict: 'warn', detail: `unreadable Date header "${serverDate}"` };
  const skewSec = Math.round((localNow - server) / 1000);
  // The Date header has 1 s resolution and the request takes time: a few seconds is noise.
  const detail = `local clock ${skewSec >= 0 ? '+' : ''}${skewSec} s from the server`;
  const remedy = 'Turn on time synchronisation (NTP): tokens and the daily quota reset depend on the right time.';
  if (Math.abs(skewSec) >= 300) return { name: 'clock', verdict: 'fail', detail, remedy };
  if (Math.abs(skewSec) >= 30) return { name: 'clock', verdict: 'warn', detail, remedy };
  return { name: 'clock', verdict: 'ok', detail };
}

/** Linux: one inotify watch per watched folder. */
export function inotifyCheck(maxWatches: number | null, folders: number): CheckResult {
  if (maxWatches === null) return { name: 'file watching', verdict: 'ok', detail: 'no inotify limit on this platform' };
  const detail = `${folders} folders to watch, fs.inotify.max_user_watches = ${maxWatches}`;
  const remedy = `Raise the limit: echo fs.inotify.max_user_watches=${Math.max(524288, folders * 2)} | sudo tee /etc/sysctl.d/60-feisync.conf && sudo sysctl --system`;
  if (folders >= maxWatches) return { name: 'file watching', verdict: 'fail', detail, remedy: `${remedy} (until then FeiSync falls back to periodic rescans)` };
  if (folders >= maxWatches * 0.8) return { name: 'file watching', verdict: 'warn', detail, remedy };
  return { name: 'file watching', verdict: 'ok', detail };
}

export function readInotifyLimit(platform: NodeJS.Platform = process.platform): number | null {
  if (platform !== 'linux') return null;
  try {
    return Number(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim());
  } catch {
    return null;
  }
}

/** Folders under the mapped roots, counting at most `cap` (enough to judge the limit). */
export function countFolders(roots: string[], cap: number): number {
  let count = 0;
  const stack = [...roots];
  while (stack.length > 0 && count < cap) {
    const dir = stack.pop()!;
    count++;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) if (e.isDirectory() && !e.isSymbolicLink()) stack.push(join(dir, e.name));
  }
  return count;
}

export function indexCheck(stateDir: string): CheckResult {
  const path = join(stateDir, INDEX_FILE_NAME);
  if (!existsSync(path)) return { name: 'index', verdict: 'ok', detail: `no index yet (${path}); created by the first sync` };
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const result = db.pragma('quick_check', { simple: true });
      if (result === 'ok') return { name: 'index', verdict: 'ok', detail: `${path} passes quick_check` };
      return { name: 'index', verdict: 'fail', detail: `${path}: ${String(result)}`, remedy: 'Stop FeiSync and start it again: a damaged index is moved aside and rebuilt from a rescan.' };
    } finally {
      db.close();
    }
  } catch (e) {
    return { name: 'index', verdict: 'fail', detail: `${path}: ${(e as Error).message}`, remedy: 'Stop FeiSync and start it again: a damaged index is moved aside and rebuilt from a rescan.' };
  }
}

export function localFolderChecks(settings: Settings): CheckResult[] {
  return settings.mappings.map((m) => {
    try {
      checkLocalDir(m.localPath);
      return { name: `mapping ${m.id} local`, verdict: 'ok' as const, detail: m.localPath };
    } catch (e) {
      return { name: `mapping ${m.id} local`, verdict: 'fail' as const, detail: (e as Error).message, remedy: (e as { remedy?: string }).remedy };
    }
  });
}

/** Reachability + clock (one plain request), then credentials and each mapped folder (one list call each). */
export async function remoteChecks(account: Account, settings: Settings, now: () => number): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const started = now();
  let response: Response;
  try {
    response = await fetch(account.baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(10_000), redirect: 'manual' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    results.push({
      name: 'reachability',
      verdict: 'fail',
      detail: `${account.baseUrl}: ${cause}`,
      remedy: 'Check the network, proxy (HTTPS_PROXY) and --base-url.',
    });
    return results;
  }
  results.push({ name: 'reachability', verdict: 'ok', detail: `${account.baseUrl} answered in ${now() - started} ms` });
  results.push(clockSkewCheck(response.headers.get('date'), now()));

  const client = new FeishuClient({ baseUrl: account.baseUrl, credentials: clientCredentials(account) });
  try {
    const root = await client.rootFolderMeta();
    results.push({ name: 'credentials', verdict: 'ok', detail: `app ${account.appId}${account.identity === 'user' ? ' as the signed-in user' : ''} (secret from ${account.secretFrom}); Drive root ${root.token}` });
    for (const m of settings.mappings) {
      try {
        await probeFolder(account, m.folderToken);
        results.push({ name: `mapping ${m.id} remote`, verdict: 'ok', detail: `folder ${m.folderToken} is readable` });
      } catch (e) {
        results.push(feishuFailure(`mapping ${m.id} remote`, e));
      }
    }
  } catch (e) {
    results.push(feishuFailure('credentials', e));
  } finally {
    await client.close();
  }
  return results;
}

function feishuFailure(name: string, e: unknown): CheckResult {
  if (isFeishuError(e)) {
    return { name, verdict: 'fail', detail: `Feishu error ${e.code} ${e.msg}${e.logId ? ` [log id ${e.logId}]` : ''}`, remedy: e.remedy };
  }
  return { name, verdict: 'fail', detail: (e as Error).message, remedy: 'Check the network and `feisync log`.' };
}
