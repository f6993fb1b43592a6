/**
 * Which Open Platform host the client talks to. Paths are identical on both
 * clouds (../shared/feishu-drive-api.md, "Hosts"); a sandbox or a proxy
 * gateway is any other http(s) URL.
 */
export const CLOUD_BASE_URLS = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
} as const;

export type CloudName = keyof typeof CLOUD_BASE_URLS;

/** 'feishu' | 'lark' | an http(s) URL → the base URL without a trailing slash. */
export function resolveBaseUrl(cloud: CloudName | string | URL): string {
  if (typeof cloud === 'string' && cloud in CLOUD_BASE_URLS) return CLOUD_BASE_URLS[cloud as CloudName];
  let url: URL;
  try {
    url = cloud instanceof URL ? cloud : new URL(cloud);
  } catch {
    throw new Error(
      `Unknown cloud "${String(cloud)}": use "feishu", "lark", or a base URL such as https://open.feishu.cn`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Cloud URL ${url.href} must start with https:// (or http:// for a local sandbox)`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`Cloud URL ${url.href} must be a plain base URL without query, fragment or credentials`);
  }
  return url.href.replace(/\/+$/, '');
}
