/**
 * "Test connection" on the Account page: ask Feishu for a tenant access
 * token with the typed credentials. The token endpoint is not metered, so a
 * test costs no daily quota.
 */
import type { AccountSettings } from '../../src/config/settings.js';
import { FeishuClient } from '../../src/feishu/client.js';
import { isFeishuError } from '../../src/feishu/feishuError.js';
import type { ConnectionReport } from '../shared/bridgeApi.js';

export async function testConnection(account: AccountSettings, appSecret: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<ConnectionReport> {
  const client = new FeishuClient({ cloud: account.cloud, credentials: { kind: 'tenant', appId: account.appId, appSecret }, ...(options.env ? { env: options.env } : {}) });
  try {
    await client.tokens.token();
    return { ok: true, message: `Connected to ${client.baseUrl}: the app ${account.appId} received an access token.` };
  } catch (e) {
    const message = isFeishuError(e) ? `${e.message}` : `Could not reach ${client.baseUrl}: ${(e as Error).message}. Check the network, proxy settings and the server URL.`;
    return { ok: false, message };
  } finally {
    await client.close();
  }
}
