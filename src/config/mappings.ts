/**
 * Mapping edits shared by `feisync map` and the tray app's settings page:
 * parse a folder URL or token, check the local folder, and return new
 * settings (pure apart from the local-folder check).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { MessageKey, MessageParams } from '../i18n/index.js';
import { ConfigError } from './configError.js';
import type { DeletePolicy, MappingSettings, Settings } from './settings.js';

const TOKEN_RE = /^[A-Za-z0-9_-]{4,128}$/;

/** Drive folder, file and document tokens: letters, digits, '_' and '-'. */
export function isDriveToken(text: string): boolean {
  return TOKEN_RE.test(text);
}

export interface FolderRef {
  folderToken: string;
  folderUrl?: string;
}

/**
 * A Drive folder token, or a folder URL such as
 * https://example.feishu.cn/drive/folder/<token> (Lark: *.larksuite.com, also
 * any host serving /drive/folder/<token>, e.g. the sandbox).
 */
export function parseFolderRef(input: string): FolderRef {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw badFolder('cfg.folder.url', { input });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badFolder('cfg.folder.scheme', { input, scheme: url.protocol });
    const m = /\/drive\/folder\/([^/?#]+)\/?$/.exec(url.pathname);
    if (!m) throw badFolder('cfg.folder.path', { input });
    const token = decodeURIComponent(m[1]!);
    if (!TOKEN_RE.test(token)) throw badFolder('cfg.folder.token', { input, token });
    return { folderToken: token, folderUrl: `${url.origin}${url.pathname}` };
  }
  if (!TOKEN_RE.test(text)) throw badFolder('cfg.folder.chars', { input });
  return { folderToken: text };
}

function badFolder(key: MessageKey, params: MessageParams): ConfigError {
  return ConfigError.of('E_MAPPING', { key, remedyKey: 'cfg.folder.remedy', params });
}

/** Resolve and check a local folder: exists, is a directory, readable. Returns the absolute path. */
export function checkLocalDir(path: string): string {
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw ConfigError.of(
      'E_MAPPING',
      missing
        ? { key: 'cfg.local.missing', remedyKey: 'cfg.local.missingRemedy', params: { path: abs } }
        : { key: 'cfg.local.stat', remedyKey: 'cfg.local.statRemedy', params: { path: abs, reason: (e as Error).message } },
      { cause: e },
    );
  }
  if (!isDir) {
    throw ConfigError.of('E_MAPPING', { key: 'cfg.local.notDir', remedyKey: 'cfg.local.notDirRemedy', params: { path: abs } });
  }
  try {
    accessSync(abs, constants.R_OK | constants.X_OK);
  } catch (e) {
    throw ConfigError.of('E_MAPPING', { key: 'cfg.local.noAccess', remedyKey: 'cfg.local.noAccessRemedy', params: { path: abs } }, { cause: e });
  }
  return abs;
}

export function nextMappingId(mappings: readonly MappingSettings[]): string {
  const used = new Set(mappings.map((m) => m.id));
  for (let n = 1; ; n++) if (!used.has(`m${n}`)) return `m${n}`;
}

export interface NewMapping {
  localPath: string;
  folder: string;
  deletePolicy?: DeletePolicy;
  ignore?: string[];
}

/** Settings with one more mapping. Rejects overlapping local folders (a file would sync twice). */
export function addMapping(settings: Settings, input: NewMapping): { settings: Settings; mapping: MappingSettings } {
  const localPath = checkLocalDir(input.localPath);
  const folder = parseFolderRef(input.folder);
  for (const m of settings.mappings) {
    if (isSameOrInside(localPath, m.localPath) || isSameOrInside(m.localPath, localPath)) {
      throw ConfigError.of('E_MAPPING', { key: 'cfg.overlap', remedyKey: 'cfg.overlapRemedy', params: { path: localPath, id: m.id, other: m.localPath } });
    }
  }
  const mapping: MappingSettings = {
    id: nextMappingId(settings.mappings),
    localPath,
    folderToken: folder.folderToken,
    ...(folder.folderUrl ? { folderUrl: folder.folderUrl } : {}),
    deletePolicy: input.deletePolicy ?? 'keep',
    ignore: input.ignore ?? [],
    paused: false,
  };
  return { settings: { ...settings, mappings: [...settings.mappings, mapping] }, mapping };
}

export function findMapping(settings: Settings, id: string): MappingSettings {
  const found = settings.mappings.find((m) => m.id === id);
  if (!found) {
    const known = settings.mappings.map((m) => m.id).join(', ') || 'none';
    throw ConfigError.of('E_MAPPING', { key: 'cfg.unknownMapping', remedyKey: 'cfg.unknownMappingRemedy', params: { id, known } });
  }
  return found;
}

export function removeMapping(settings: Settings, id: string): Settings {
  findMapping(settings, id);
  return { ...settings, mappings: settings.mappings.filter((m) => m.id !== id) };
}

export function changeMapping(
  settings: Settings,
  id: string,
  change: Partial<Pick<MappingSettings, 'deletePolicy' | 'ignore' | 'paused'>>,
): Settings {
  findMapping(settings, id);
  return { ...settings, mappings: settings.mappings.map((m) => (m.id === id ? { ...m, ...change } : m)) };
}

function isSameOrInside(child: string, parent: string): boolean {
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child === parent || child.startsWith(p);
}
