/** One cheap call (list, page size 1) to see that a Drive folder exists and the app may read it. */
import { FeishuClient } from '../feishu/client.js';
import { clientCredentials, type Account } from './context.js';

export async function probeFolder(account: Account, folderToken: string): Promise<void> {
  const client = new FeishuClient({ baseUrl: account.baseUrl, credentials: clientCredentials(account) });
  try {
    for await (const _entry of client.listFolder(folderToken, { pageSize: 1 })) break;
  } finally {
    await client.close();
  }
}
