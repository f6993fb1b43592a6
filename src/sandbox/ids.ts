/** Feishu-looking identifiers for the things the sandbox creates. */
import { randomBytes } from 'node:crypto';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Feishu-looking token: a prefix and random base62 characters (27 in all, like Drive tokens). */
export function newToken(prefix: string, length = 27): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; out.length < length; i++) out += TOKEN_ALPHABET[bytes[i]! % TOKEN_ALPHABET.length];
  return out;
}
