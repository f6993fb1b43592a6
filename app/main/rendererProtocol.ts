/**
 * The settings window is served from a private scheme (feisync-app://app/…)
 * rather than file://, so ES modules load, 'self' in the CSP means exactly
 * these files, and nothing else on disk is reachable.
 */
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'feisync-app';
export const APP_HOST = 'app';
export const SETTINGS_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The one policy of the settings window (also sent as a header; frame-ancestors only works there). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Map a request URL to a file under `root`, or null (wrong scheme/host, traversal, unknown type). */
export function resolveAppFile(requestUrl: string, root: string): { path: string; contentType: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^[/\\]+/, '');
  const path = join(root, relative);
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  const contentType = TYPES[extname(path).toLowerCase()];
  return contentType ? { path, contentType } : null;
}

/** Only the settings window's own pages may be shown in it. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST;
  } catch {
    return false;
  }
}
