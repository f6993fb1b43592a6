/**
 * A signed-in user's token pair, kept in the secret store (keychain or the
 * 0600 file) under `user-tokens:<appId>` as JSON. Feishu rotates the refresh
 * token on every refresh, so the client's `onRefresh` writes it back here:
 * losing the new one would end the login.
 */
import type { SecretLocation, SecretStore } from './secrets.js';

/** Same shape as the client's UserTokens (src/feishu/auth.ts); src/config does not import the client. */
export interface StoredUserTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms, when Feishu said. */
  refreshExpiresAt?: number;
}

export function userTokensName(appId: string): string {
  return `user-tokens:${appId}`;
}

/** The stored pair, or null when there is none or it is unreadable (then the user signs in again). */
export async function loadUserTokens(store: SecretStore, appId: string): Promise<StoredUserTokens | null> {
  const stored = await store.get(userTokensName(appId));
  if (!stored) return null;
  return parseUserTokens(stored.value);
}

export async function saveUserTokens(store: SecretStore, appId: string, tokens: StoredUserTokens): Promise<{ where: SecretLocation; warning?: string }> {
  const { accessToken, refreshToken, expiresAt, refreshExpiresAt } = tokens;
  return store.set(userTokensName(appId), JSON.stringify({ accessToken, refreshToken, expiresAt, ...(refreshExpiresAt === undefined ? {} : { refreshExpiresAt }) }));
}

export function parseUserTokens(text: string): StoredUserTokens | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = value as Partial<StoredUserTokens> | null;
  if (!v || typeof v.accessToken !== 'string' || typeof v.refreshToken !== 'string' || typeof v.expiresAt !== 'number') return null;
  return {
    accessToken: v.accessToken,
    refreshToken: v.refreshToken,
    expiresAt: v.expiresAt,
    ...(typeof v.refreshExpiresAt === 'number' ? { refreshExpiresAt: v.refreshExpiresAt } : {}),
  };
}
