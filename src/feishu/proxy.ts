/**
 * Proxy selection from the usual environment variables (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY, lower-case variants first as curl does). The client
 * talks to one origin, so the choice is made once, when it is constructed.
 * Loopback hosts (a local sandbox) never go through a proxy: a remote proxy
 * could not reach them anyway.
 */
import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export type ProxyEnv = Record<string, string | undefined>;

export interface HttpTimeouts {
  /** TCP + TLS connect (default 10 s). */
  connectMs?: number;
  /** From request sent to response headers received (default 120 s: a 20 MB upload must fit). */
  headersMs?: number;
  /** Longest pause between two body chunks (default 120 s). */
  bodyMs?: number;
  /** Idle keep-alive sockets are closed after this (default 10 s; a server hint may shorten it). */
  keepAliveMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<HttpTimeouts> = {
  connectMs: 10_000,
  headersMs: 120_000,
  bodyMs: 120_000,
  keepAliveMs: 10_000,
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function envValue(env: ProxyEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** Does one NO_PROXY entry ("example.com", ".example.com", "*.example.com", "host:port", "*") match? */
function noProxyMatches(entry: string, hostname: string, port: string): boolean {
  if (entry === '*') return true;
  let host = entry;
  const portMatch = /^(.*):(\d+)$/.exec(entry);
  if (portMatch && !entry.startsWith('[')) {
    if (portMatch[2] !== port) return false;
    host = portMatch[1]!;
  }
  host = host.replace(/^\*?\./, '').toLowerCase();
  return hostname === host || hostname.endsWith(`.${host}`);
}

/** The proxy URL to use for `target`, or undefined for a direct connection. */
export function proxyFor(target: string | URL, env: ProxyEnv = process.env): string | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  const hostname = url.hostname.toLowerCase();
  if (LOOPBACK.has(hostname)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const noProxy = envValue(env, 'no_proxy');
  if (noProxy) {
    const entries = noProxy.split(/[\s,]+/).filter(Boolean);
    if (entries.some((entry) => noProxyMatches(entry.toLowerCase(), hostname, port))) return undefined;
  }
  const httpProxy = envValue(env, 'http_proxy');
  if (url.protocol === 'https:') return envValue(env, 'https_proxy') ?? httpProxy;
  return httpProxy;
}

/** One keep-alive dispatcher for all calls to `baseUrl`: a ProxyAgent when the environment asks for one. */
export function createDispatcher(baseUrl: string, timeouts: HttpTimeouts = {}, env: ProxyEnv = process.env): Dispatcher {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const options = {
    connectTimeout: t.connectMs,
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
    keepAliveTimeout: t.keepAliveMs,
  };
  const proxy = proxyFor(baseUrl, env);
  return proxy ? new ProxyAgent({ ...options, uri: proxy }) : new Agent(options);
}
