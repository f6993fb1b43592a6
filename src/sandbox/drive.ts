/**
 * The Drive rules of the sandbox, independent of HTTP: what a valid parent
 * is, how many children and how deep, what a new version replaces. Upload and
 * folder handlers both go through here, so each rule has one home.
 */
import { createHash } from 'node:crypto';
import { MAX_FOLDER_CHILDREN, MAX_FOLDER_DEPTH, MAX_TOTAL_NODES } from '../feishu/limits.js';
import type { Clock } from '../platform/clock.js';
import type { BlobStore } from './blobs.js';
import { SandboxError } from './envelope.js';
import { newToken } from './ids.js';
import type { NodeRow, NodeType, SandboxStore } from './store.js';

/** Codes to answer when a looked-up node is unknown, deleted, or of the wrong type. */
export interface LookupCodes {
  missing: number;
  deleted: number;
}

export const AS_UPLOAD_PARENT: LookupCodes = { missing: 1061044, deleted: 1061041 };
export const AS_TARGET: LookupCodes = { missing: 1061003, deleted: 1061007 };

const PARAMS_ERROR = 1061002;

/** The Feishu-style open id the sandbox shows as owner of what an identity creates. */
export function ownerId(identity: string): string {
  return 'ou_' + createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

export class SandboxDrive {
  constructor(
    readonly store: SandboxStore,
    readonly blobs: BlobStore,
    private readonly clock: Clock,
  ) {}

  get rootToken(): string {
    return this.store.rootToken;
  }

  /** A live node of the given type, or the error the codes name. */
  live(token: string, type: NodeType | undefined, codes: LookupCodes): NodeRow {
    const row = this.store.node(token);
    if (!row) throw new SandboxError(codes.missing, `no ${type ?? 'node'} with token ${token}`);
    if (row.deleted_ms !== null) throw new SandboxError(codes.deleted, `${row.type} ${token} is in the recycle bin`);
    if (type && row.type !== type) throw new SandboxError(type === 'folder' ? codes.missing : PARAMS_ERROR, `${token} is a ${row.type}, not a ${type}`);
    return row;
  }

  /** A folder that may receive one more item (1062507 / 1062505 otherwise). */
  folderWithRoom(token: string, codes: LookupCodes): NodeRow {
    const folder = this.live(token, 'folder', codes);
    const children = this.store.liveChildCount(token);
    if (children >= MAX_FOLDER_CHILDREN) {
      throw new SandboxError(1062507, `folder ${token} already holds ${children} items (max ${MAX_FOLDER_CHILDREN})`);
    }
    if (this.store.liveNodeCount() >= MAX_TOTAL_NODES) throw new SandboxError(1062505, `the space holds ${MAX_TOTAL_NODES} nodes`);
    return folder;
  }

  /** Room for a subtree `height` folders tall (1 = one folder) under `parentToken` (1062506 otherwise). */
  checkDepth(parentToken: string, height: number): void {
    const depth = this.store.depth(parentToken) + height;
    if (depth > MAX_FOLDER_DEPTH) {
      throw new SandboxError(1062506, `the folder would sit ${depth} levels deep (max ${MAX_FOLDER_DEPTH})`);
    }
  }

  /** Folder levels in the subtree rooted at a folder, itself included. */
  folderHeight(folderToken: string): number {
    const children = this.store.liveChildren(folderToken).filter((c) => c.type === 'folder');
    return 1 + Math.max(0, ...children.map((c) => this.folderHeight(c.token)));
  }

  createFolder(name: string, parentToken: string, identity: string): NodeRow {
    return this.store.transaction(() => {
      this.folderWithRoom(parentToken, AS_UPLOAD_PARENT);
      this.checkDepth(parentToken, 1);
      return this.insert('folder', name, parentToken, identity, null, null);
    });
  }

  /** Put committed bytes in the tree: a new file, or a new version of `fileToken`. */
  placeFile(input: { name: string; parentToken: string; fileToken?: string; identity: string; size: number; sha256: string }): NodeRow {
    const now = this.clock.now();
    return this.store.transaction(() => {
      if (input.fileToken) {
        this.live(input.fileToken, 'file', AS_TARGET);
        this.store.replaceContent(input.fileToken, input.size, input.sha256, now);
        return this.store.node(input.fileToken)!;
      }
      this.folderWithRoom(input.parentToken, AS_UPLOAD_PARENT);
      return this.insert('file', input.name, input.parentToken, input.identity, input.size, input.sha256);
    });
  }

  copyFile(source: NodeRow, name: string, parentToken: string, identity: string): NodeRow {
    return this.store.transaction(() => {
      this.folderWithRoom(parentToken, AS_UPLOAD_PARENT);
      return this.insert('file', name, parentToken, identity, source.size, source.sha256);
    });
  }

  move(node: NodeRow, folderToken: string): void {
    this.store.transaction(() => {
      if (node.token === this.rootToken) throw new SandboxError(PARAMS_ERROR, 'the root folder cannot move');
      this.folderWithRoom(folderToken, AS_UPLOAD_PARENT);
      if (node.type === 'folder') {
        if (folderToken === node.token || this.store.liveDescendants(node.token).some((d) => d.token === folderToken)) {
          throw new SandboxError(PARAMS_ERROR, 'a folder cannot move into itself');
        }
        this.checkDepth(folderToken, this.folderHeight(node.token));
      }
      this.store.moveNode(node.token, folderToken, this.clock.now());
    });
  }

  private insert(type: NodeType, name: string, parentToken: string, identity: string, size: number | null, sha256: string | null): NodeRow {
    const now = this.clock.now();
    const row: NodeRow = {
      token: newToken(type === 'folder' ? 'fldcn' : 'boxcn'),
      type,
      name,
      parent_token: parentToken,
      created_ms: now,
      modified_ms: now,
      size,
      sha256,
      version: 1,
      deleted_ms: null,
      owner: ownerId(identity),
    };
    this.store.insertNode(row);
    return row;
  }
}
