/**
 * What `feisync login` checks before saving an account: a token can be
 * obtained, and the Drive root answers with it. Failures are the client's
 * FeishuErrors (bad secret → 10014 with its remedy, missing scope → 1061073…).
 */
import { FeishuClient, type FeishuClientOptions } from './client.js';
import type { RootFolderMeta } from './driveApi.js';

export interface VerifiedAccount {
  baseUrl: string;
  root: RootFolderMeta;
}

export async function verifyCredentials(options: FeishuClientOptions): Promise<VerifiedAccount> {
  const client = new FeishuClient(options);
  try {
    await client.tokens.token();
    const root = await client.rootFolderMeta();
    return { baseUrl: client.baseUrl, root };
  } finally {
    await client.close();
  }
}
