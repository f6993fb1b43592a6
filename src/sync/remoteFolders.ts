/**
 * The remote folder tree of each mapping: resolves a local folder path to its
 * Drive folder token, creating missing folders parents first and recording
 * each one (FolderRecord) as soon as Drive answers. Concurrent requests for
 * the same folder share one create call.
 */
import type { DriveApi } from '../feishu/driveApi.js';
import type { IndexStore } from '../index/types.js';
import { nameOf, parentOf } from '../plan/relPath.js';
import type { DriveCalls } from './driveCalls.js';

export function isUnder(relPath: string, folder: string): boolean {
  return folder === '' || relPath === folder || relPath.startsWith(`${folder}/`);
}

export class RemoteFolders {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly drive: DriveApi,
    private readonly index: IndexStore,
    private readonly calls: DriveCalls,
    /** The Drive folder token a mapping is rooted at. */
    private readonly rootToken: (mappingId: string) => string,
  ) {}

  /** Token of the remote folder for `relPath` ('' = the mapping root), creating the chain as needed. */
  ensure(mappingId: string, relPath: string, signal?: AbortSignal): Promise<string> {
    if (relPath === '') return Promise.resolve(this.rootToken(mappingId));
    const known = this.index.getFolder(mappingId, relPath);
    if (known) return Promise.resolve(known.remoteToken);
    const key = `${mappingId}\u0000${relPath}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.create(mappingId, relPath, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /**
   * Forget the records of `relPath` and everything below it (the remote folder
   * was deleted) — only while `relPath` still maps to `staleToken`: when several
   * files hit the same deleted folder at once, the first recreates it and the
   * others must not throw the fresh folder away (that would create it twice).
   */
  invalidate(mappingId: string, relPath: string, staleToken: string): void {
    this.index.transaction(() => {
      if (this.index.getFolder(mappingId, relPath)?.remoteToken !== staleToken) return;
      for (const folder of this.index.listFolders(mappingId)) {
        if (folder.relPath !== '' && isUnder(folder.relPath, relPath)) this.index.deleteFolder(mappingId, folder.relPath);
      }
    });
  }

  private async create(mappingId: string, relPath: string, signal?: AbortSignal): Promise<string> {
    const parentToken = await this.ensure(mappingId, parentOf(relPath), signal);
    const name = nameOf(relPath);
    const token = await this.calls.runCreate(
      async () => (await this.drive.createFolder(name, parentToken)).token,
      () => this.findFolder(parentToken, name),
      signal,
    );
    this.index.upsertFolder({ mappingId, relPath, remoteToken: token });
    return token;
  }

  private async findFolder(parentToken: string, name: string): Promise<string | undefined> {
    for await (const entry of this.drive.listFolder(parentToken)) {
      if (entry.type === 'folder' && entry.name === name) return entry.token;
    }
    return undefined;
  }
}
