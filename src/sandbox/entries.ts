/** How nodes look on the wire: the entry shape of list/copy/metas answers. */
import type { SandboxState } from './context.js';
import type { NodeRow } from './store.js';

/** Feishu gives times as strings of Unix seconds. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

export function nodeUrl(state: SandboxState, row: NodeRow): string {
  return row.type === 'folder' ? `${state.baseUrl()}/drive/folder/${row.token}` : `${state.baseUrl()}/file/${row.token}`;
}

/** A `files[]` entry of the list answer; `size` is a sandbox extra (real Drive leaves it out). */
export function listEntry(state: SandboxState, row: NodeRow): Record<string, unknown> {
  return {
    token: row.token,
    name: row.name,
    type: row.type,
    parent_token: row.parent_token,
    url: nodeUrl(state, row),
    created_time: unixSeconds(row.created_ms),
    modified_time: unixSeconds(row.modified_ms),
    owner_id: row.owner,
    ...(row.type === 'file' && row.size !== null ? { size: row.size } : {}),
  };
}
