/**
 * The one redaction function: the logger, `feisync diag` and error output all
 * pass data through it, so a secret never reaches a log line or a bundle.
 */

/** Keys whose values are secrets wherever they appear (case-insensitive, `-`/`_` ignored). */
const SECRET_KEYS = new Set(
  [
    'app_secret',
    'appSecret',
    'secret',
    'password',
    'tenant_access_token',
    'user_access_token',
    'app_access_token',
    'access_token',
    'accessToken',
    'refresh_token',
    'refreshToken',
    'authorization',
    'cookie',
    'set-cookie',
  ].map(normaliseKey),
);

export const REDACTED = '[redacted]';

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normaliseKey(key));
}

/** Patterns for secrets embedded in free text (messages, URLs, stack traces). */
const TEXT_PATTERNS: [RegExp, string][] = [
  // Credentials in URLs (proxy settings): http://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // OAuth authorization codes in redirect URLs (a `code` field elsewhere is an error code: kept)
  [/([?&]code=)[^&#\s]+/g, `$1${REDACTED}`],
  // Authorization: Bearer xxx
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  // Feishu token shapes: t-… (tenant), u-… (user), ur-… (refresh), a-… (app). No '-' inside, so
  // hyphenated words and file names ("a-long-file-name.txt") stay readable.
  [/\b(t|u|ur|a)-[A-Za-z0-9._]{16,}/g, REDACTED],
  // key=value / "key": "value" / key: value for secret keys
  [
    /(["']?)(app_secret|appSecret|app-secret|tenant_access_token|user_access_token|access_token|refresh_token|password|secret)\1(\s*[:=]\s*)(["']?)[^\s"'&,}]+\4/gi,
    `$1$2$1$3$4${REDACTED}$4`,
  ],
];

/** Redact secrets in a string. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Deep copy of `value` with every secret replaced by `[redacted]`: values
 * under secret keys, and secret-shaped substrings of any string.
 */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    if (value.stack) out.stack = redactText(value.stack);
    for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), redactEntry(String(k), v, seen)]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v, seen);
  return out;
}

function redactEntry(key: string, value: unknown, seen: WeakSet<object>): unknown {
  if (isSecretKey(key)) {
    return value === undefined || value === null || value === '' ? value : REDACTED;
  }
  return redactValue(value, seen);
}
