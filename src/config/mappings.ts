/**
 * Mapping edits shared by `feisync map` and the tray app's settings page:
 * parse a folder URL or token, check the local folder, and return new
 * settings (pure apart from the local-folder check).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { ConfigError } from './configError.js';
import type { DeletePolicy, MappingSettings, Settings } from './settings.js';

const TOKEN_RE = /^[A-Za-z0-9_-]{4,128}$/;

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
      throw badFolder(input, 'it is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badFolder(input, `the scheme ${url.protocol} is not http(s)`);
    const m = /\/drive\/folder\/([^/?#]+)\/?$/.exec(url.pathname);
    if (!m) throw badFolder(input, 'the path is not /drive/folder/<token>');
    const token = decodeURIComponent(m[1]!);
    if (!TOKEN_RE.test(token)) throw badFolder(input, `"${token}" is not a folder token`);
    return { folderToken: token, folderUrl: `${url.origin}${url.pathname}` };
  }
  if (!TOKEN_RE.test(text)) throw badFolder(input, 'a folder token has only letters, digits, "_" and "-"');
  return { folderToken: text };
}

function badFolder(input: string, why: string): ConfigError {
  return new ConfigError({
    code: 'E_MAPPING',
    message: `"${input}" is not a Feishu folder URL or token: ${why}`,
    remedy: 'Open the folder in Feishu Drive and copy its URL (https://<tenant>.feishu.cn/drive/folder/<token>), or pass the token itself.',
  });
}

/** Resolve and check a local folder: exists, is a directory, readable. Returns the absolute path. */
export function checkLocalDir(path: string): string {
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError({
      code: 'E_MAPPING',
      message:
        code === 'ENOENT' ? `the local folder ${abs} does not exist` : `cannot read the local folder ${abs}: ${(e as Error).message}`,
      remedy: code === 'ENOENT' ? `Create it (mkdir -p "${abs}") or check the path.` : 'Check the path and its permissions.',
      cause: e,
    });
  }
  if (!isDir) {
    throw new ConfigError({
      code: 'E_MAPPING',
      message: `${abs} is a file, not a folder`,
      remedy: 'Map the folder that contains it, or use `feisync send` for single files.',
    });
  }
  try {
    accessSync(abs, constants.R_OK | constants.X_OK);
  } catch (e) {
    throw new ConfigError({
      code: 'E_MAPPING',
      message: `the local folder ${abs} is not readable by you`,
      remedy: `Give yourself read access (chmod u+rx "${abs}") or map another folder.`,
      cause: e,
    });
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
      throw new ConfigError({
        code: 'E_MAPPING',
        message: `${localPath} overlaps mapping ${m.id} (${m.localPath})`,
        remedy: `Remove ${m.id} first (feisync map remove ${m.id}) or choose a folder outside it.`,
      });
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
    throw new ConfigError({
      code: 'E_MAPPING',
      message: `no mapping with id "${id}" (known: ${known})`,
      remedy: 'List mappings with `feisync map list`.',
    });
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
