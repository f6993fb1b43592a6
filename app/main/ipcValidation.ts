/**
 * Checks for every argument that crosses from the settings window into main.
 * The renderer is treated as untrusted: each value is checked for type,
 * size and meaning, and a failure names the argument and what to do.
 */
import { posix, win32 } from 'node:path';
import type { AccountSettings, LimitsSettings, Settings } from '../../src/config/settings.js';
import { resolveBaseUrl } from '../../src/feishu/baseUrl.js';
import { SETTINGS_JSON_SCHEMA, type JsonSchema } from '../../src/config/schema.js';
import { formatIssue, validateAgainstSchema } from '../../src/config/validate.js';
import { AppError } from './appError.js';

const MAX_STRING = 4096;

export function invalid(message: string, remedy: string): AppError {
  return new AppError('E_INVALID_ARGUMENT', message, remedy);
}

export function expectString(name: string, value: unknown, options: { max?: number; allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw invalid(`${name} must be text, got ${describe(value)}.`, 'Reload the settings window and try again.');
  if (!options.allowEmpty && value.trim() === '') throw invalid(`${name} is empty.`, `Fill in ${name}.`);
  const max = options.max ?? MAX_STRING;
  if (value.length > max) throw invalid(`${name} is too long (${value.length} characters, at most ${max}).`, `Shorten ${name}.`);
  if (value.includes('\0')) throw invalid(`${name} contains a NUL character.`, `Retype ${name}.`);
  return value;
}

export function expectBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false, got ${describe(value)}.`, 'Reload the settings window and try again.');
  return value;
}

export function expectEnum<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalid(`${name} must be one of ${allowed.join(', ')}, got ${describe(value)}.`, `Choose a ${name} from the list.`);
  }
  return value as T;
}

export function expectObject(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${name} must be an object, got ${describe(value)}.`, 'Reload the settings window and try again.');
  }
  return value as Record<string, unknown>;
}

/** An absolute path on this machine's OS (a relative path would resolve against main's working directory, not the user's). */
export function expectAbsolutePath(name: string, value: unknown, platform: NodeJS.Platform = process.platform): string {
  const path = expectString(name, value);
  const abs = platform === 'win32' ? win32.isAbsolute(path) && /^([a-zA-Z]:\\|\\\\)/.test(path) : posix.isAbsolute(path);
  if (!abs) throw invalid(`${name} "${path}" is not an absolute path.`, 'Pick the folder with the Browse… button.');
  return path;
}

export function expectMappingId(settings: Settings, value: unknown): string {
  const id = expectString('mapping id', value, { max: 64 });
  if (!settings.mappings.some((m) => m.id === id)) {
    throw new AppError('E_NOT_FOUND', `No synced folder with id "${id}".`, 'Reload the settings window: the folder may have been removed meanwhile.');
  }
  return id;
}

export function expectStringList(name: string, value: unknown, options: { maxItems: number; maxLength: number }): string[] {
  if (!Array.isArray(value)) throw invalid(`${name} must be a list, got ${describe(value)}.`, 'Reload the settings window and try again.');
  if (value.length > options.maxItems) throw invalid(`${name} has ${value.length} entries, at most ${options.maxItems}.`, `Merge some ${name}.`);
  return value.map((v, i) => expectString(`${name}[${i}]`, v, { max: options.maxLength, allowEmpty: true })).filter((v) => v.trim() !== '');
}

/**
 * A URL the app may open in the browser: http(s) only, and on a Feishu/Lark
 * host or the configured custom cloud host (never file:, javascript:, …).
 */
export function expectOpenableUrl(value: unknown, allowed: { hosts: readonly string[]; httpHosts: readonly string[] }): URL {
  const text = expectString('url', value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`"${text}" is not a URL.`, 'Copy the whole link, starting with https://.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`Links with ${url.protocol} are not opened.`, 'Only https:// links to Feishu or Lark are opened.');
  if (url.username || url.password) throw invalid('Links with credentials are not opened.', 'Remove the user:password@ part.');
  const host = url.hostname.toLowerCase();
  const ok = FEISHU_HOST_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`)) || allowed.hosts.includes(host);
  if (!ok) throw invalid(`${host} is not a Feishu or Lark address.`, 'FeiSync only opens Feishu / Lark links and your configured server.');
  // Plain http only for a configured local server (the sandbox), never for Feishu itself.
  if (url.protocol === 'http:' && !allowed.httpHosts.includes(host)) {
    throw invalid(`Plain http:// links to ${host} are not opened.`, 'Use the https:// link.');
  }
  return url;
}

/** The Account form: cloud (feishu, lark or an https URL), app id, identity, and an optional new secret. */
export function expectAccountInput(input: unknown): { account: AccountSettings; secret: string | undefined } {
  const raw = expectObject('account', input);
  const cloud = expectString('cloud', raw.cloud, { max: 512 }).trim();
  try {
    resolveBaseUrl(cloud);
  } catch (e) {
    throw invalid((e as Error).message, 'Choose Feishu or Lark, or enter your server as https://host.');
  }
  const appId = expectString('App ID', raw.appId, { max: 128 }).trim();
  if (/\s/.test(appId)) throw invalid('The App ID contains spaces.', 'Copy the App ID (cli_…) again from the developer console.');
  const identity = expectEnum('identity', raw.identity, ['tenant', 'user'] as const);
  const secret = raw.secret === undefined || raw.secret === '' ? undefined : expectString('App Secret', raw.secret, { max: 512 }).trim();
  return { account: { cloud, appId, identity }, secret };
}

export const FEISHU_HOST_SUFFIXES = ['feishu.cn', 'larksuite.com', 'larkoffice.com', 'feishu.net'] as const;

const limitsSchema = SETTINGS_JSON_SCHEMA.properties.limits as JsonSchema;

/** A partial limits update, each key checked against the shared settings schema. */
export function expectLimitsPatch(value: unknown, current: LimitsSettings): Partial<LimitsSettings> {
  const patch = expectObject('limits', value);
  const known = Object.keys(limitsSchema.properties ?? {});
  for (const key of Object.keys(patch)) {
    if (!known.includes(key)) throw invalid(`Unknown limit "${key}".`, `Known limits: ${known.join(', ')}.`);
  }
  const merged = { ...current, ...patch };
  const issues = validateAgainstSchema(limitsSchema, merged, 'limits');
  if (issues.length) throw invalid(issues.map(formatIssue).join('; '), 'Correct the highlighted value.');
  return patch as Partial<LimitsSettings>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
  return typeof value;
}
