/** Recursive listing of a mapping's remote folder (index rebuild / adoption). One list call per folder page. */
import type { DriveApi } from '../feishu/driveApi.js';
import type { RemoteListingEntry } from '../index/adoptRemote.js';
import type { DriveCalls } from './driveCalls.js';

export async function listRemoteTree(drive: DriveApi, calls: DriveCalls, rootToken: string, signal?: AbortSignal): Promise<RemoteListingEntry[]> {
  const out: RemoteListingEntry[] = [];
  const queue: { token: string; relPath: string }[] = [{ token: rootToken, relPath: '' }];
  while (queue.length > 0) {
    const folder = queue.shift()!;
    const entries = await calls.run(async () => {
      const page = [];
      for await (const entry of drive.listFolder(folder.token)) page.push(entry);
      return page;
    }, signal);
    for (const entry of entries) {
      const relPath = folder.relPath === '' ? entry.name : `${folder.relPath}/${entry.name}`;
      out.push({ relPath, entry });
      if (entry.type === 'folder') queue.push({ token: entry.token, relPath });
    }
  }
  return out;
}
