/**
 * The checks of `feisync doctor`: each one line, ok / warn / fail, with a
 * remedy when not ok. Effects (fs, network, clock) come in through `DoctorEnv`
 * so the verdict logic is testable. Every text comes from the message tables
 * (src/i18n) in the language `lang`; remedies of other layers' coded errors
 * go through localizeRemedy.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { checkLocalDir } from '../../config/mappings.js';
import type { Settings } from '../../config/settings.js';
import { FeishuClient } from '../../feishu/client.js';
import { isFeishuError } from '../../feishu/feishuError.js';
import { translator, type Lang, type MessageKey, type Translate } from '../../i18n/index.js';
import { localizeRemedy } from '../../i18n/localizeRemedy.js';
import { INDEX_FILE_NAME } from '../../platform/stateDir.js';
import { clientCredentials, type Account } from '../context.js';
import { errorReport } from '../errorReport.js';
import { probeFolder } from '../remoteFolder.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** The same in every language ('clock', 'mappingRemote:<mapping id>', …): what scripts pick a check by. */
  id: string;
  name: string;
  verdict: Verdict;
  detail: string;
  remedy?: string;
}

/** A check's id and its name in the user's language (message key doctor.check.<check>). */
export type CheckLabel = Pick<CheckResult, 'id' | 'name'>;

/** The checks, as named in the message tables (doctor.check.<check>). */
export type CheckId = MessageKey extends infer K ? (K extends `doctor.check.${infer C}` ? C : never) : never;

export function checkLabel(t: Translate, check: CheckId, mappingId?: string): CheckLabel {
  return mappingId === undefined
    ? { id: check, name: t(`doctor.check.${check}`) }
    : { id: `${check}:${mappingId}`, name: t(`doctor.check.${check}`, { id: mappingId }) };
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;

export function diskSpaceCheck(dir: string, freeBytes: number, lang: Lang): CheckResult {
  const t = translator(lang);
  const check = checkLabel(t, 'diskSpace');
  const detail = t('doctor.disk.free', { gb: (freeBytes / GB).toFixed(1), dir });
  if (freeBytes < 100 * MB) return { ...check, verdict: 'fail', detail, remedy: t('doctor.disk.fullRemedy') };
  if (freeBytes < GB) return { ...check, verdict: 'warn', detail, remedy: t('doctor.disk.lowRemedy') };
  return { ...check, verdict: 'ok', detail };
}

export function freeBytes(dir: string): number {
  let probe = dir;
  while (!existsSync(probe) && probe !== join(probe, '..')) probe = join(probe, '..');
  const s = statfsSync(probe);
  return s.bavail * s.bsize;
}

/** Skew between the server's Date header and the local clock. */
export function clockSkewCheck(serverDate: string | null, localNow: number, lang: Lang): CheckResult {
  const t = translator(lang);
  const check = checkLabel(t, 'clock');
  if (!serverDate) return { ...check, verdict: 'warn', detail: t('doctor.clock.noDate'), remedy: t('doctor.clock.noDateRemedy') };
  const server = Date.parse(serverDate);
  if (Number.isNaN(server)) return { ...check, verdict: 'warn', detail: t('doctor.clock.badDate', { date: serverDate }) };
  const skewSec = Math.round((localNow - server) / 1000);
  // The Date header has 1 s resolution and the request takes time: a few seconds is noise.
  const detail = t('doctor.clock.skew', { skew: `${skewSec >= 0 ? '+' : ''}${skewSec}` });
  const remedy = t('doctor.clock.remedy');
  if (Math.abs(skewSec) >= 300) return { ...check, verdict: 'fail', detail, remedy };
  if (Math.abs(skewSec) >= 30) return { ...check, verdict: 'warn', detail, remedy };
  return { ...check, verdict: 'ok', detail };
}

/** Linux: one inotify watch per watched folder. */
export function inotifyCheck(maxWatches: number | null, folders: number, lang: Lang): CheckResult {
  const t = translator(lang);
  const check = checkLabel(t, 'fileWatching');
  if (maxWatches === null) return { ...check, verdict: 'ok', detail: t('doctor.inotify.none') };
  const detail = t('doctor.inotify.detail', { folders, limit: maxWatches });
  const command = `echo fs.inotify.max_user_watches=${Math.max(524288, folders * 2)} | sudo tee /etc/sysctl.d/60-feisync.conf && sudo sysctl --system`;
  if (folders >= maxWatches) return { ...check, verdict: 'fail', detail, remedy: t('doctor.inotify.failRemedy', { command }) };
  if (folders >= maxWatches * 0.8) return { ...check, verdict: 'warn', detail, remedy: t('doctor.inotify.remedy', { command }) };
  return { ...check, verdict: 'ok', detail };
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

export function indexCheck(stateDir: string, lang: Lang): CheckResult {
  const t = translator(lang);
  const check = checkLabel(t, 'index');
  const path = join(stateDir, INDEX_FILE_NAME);
  if (!existsSync(path)) return { ...check, verdict: 'ok', detail: t('doctor.index.none', { path }) };
  const damaged = (reason: string): CheckResult => ({ ...check, verdict: 'fail', detail: t('doctor.index.damaged', { path, reason }), remedy: t('doctor.index.remedy') });
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const result = db.pragma('quick_check', { simple: true });
      if (result === 'ok') return { ...check, verdict: 'ok', detail: t('doctor.index.ok', { path }) };
      return damaged(String(result));
    } finally {
      db.close();
    }
  } catch (e) {
    return damaged((e as Error).message);
  }
}

/** A missing or unreadable folder is a ConfigError with message keys; errorReport renders it (and any coded error) in `lang`. */
export function localFolderChecks(settings: Settings, lang: Lang): CheckResult[] {
  const t = translator(lang);
  return settings.mappings.map((m) => {
    const check = checkLabel(t, 'mappingLocal', m.id);
    try {
      checkLocalDir(m.localPath);
      return { ...check, verdict: 'ok' as const, detail: m.localPath };
    } catch (e) {
      const r = errorReport(e, t, lang);
      return { ...check, verdict: 'fail' as const, detail: r.message, remedy: r.remedy };
    }
  });
}

/** Reachability + clock (one plain request), then credentials and each mapped folder (one list call each). */
export async function remoteChecks(account: Account, settings: Settings, now: () => number, lang: Lang): Promise<CheckResult[]> {
  const t = translator(lang);
  const results: CheckResult[] = [];
  const started = now();
  let response: Response;
  try {
    response = await fetch(account.baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(10_000), redirect: 'manual' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    results.push({
      ...checkLabel(t, 'reachability'),
      verdict: 'fail',
      detail: t('doctor.reachability.failed', { url: account.baseUrl, reason: cause }),
      remedy: t('doctor.reachability.remedy'),
    });
    return results;
  }
  results.push({ ...checkLabel(t, 'reachability'), verdict: 'ok', detail: t('doctor.reachability.ok', { url: account.baseUrl, ms: now() - started }) });
  results.push(clockSkewCheck(response.headers.get('date'), now(), lang));

  const client = new FeishuClient({ baseUrl: account.baseUrl, credentials: clientCredentials(account) });
  try {
    const root = await client.rootFolderMeta();
    const signedIn = { appId: account.appId, secretFrom: t(`doctor.secretFrom.${account.secretFrom}`), root: root.token };
    results.push({ ...checkLabel(t, 'credentials'), verdict: 'ok', detail: t(account.identity === 'user' ? 'doctor.credentials.user' : 'doctor.credentials.app', signedIn) });
    for (const m of settings.mappings) {
      const check = checkLabel(t, 'mappingRemote', m.id);
      try {
        await probeFolder(account, m.folderToken);
        results.push({ ...check, verdict: 'ok', detail: t('doctor.remote.readable', { folder: m.folderToken }) });
      } catch (e) {
        results.push(feishuFailure(check, e, t, lang));
      }
    }
  } catch (e) {
    results.push(feishuFailure(checkLabel(t, 'credentials'), e, t, lang));
  } finally {
    await client.close();
  }
  return results;
}

function feishuFailure(check: CheckLabel, e: unknown, t: Translate, lang: Lang): CheckResult {
  if (isFeishuError(e)) {
    const logId = e.logId ? ` [${t('label.logId', { logId: e.logId })}]` : '';
    return { ...check, verdict: 'fail', detail: t('doctor.feishuError', { code: e.code, msg: e.msg }) + logId, remedy: localizeRemedy(e.code, e.remedy, lang) };
  }
  return { ...check, verdict: 'fail', detail: (e as Error).message, remedy: t('doctor.unexpectedRemedy') };
}
