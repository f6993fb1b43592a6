/** The admin view of the Drive: every live folder and file below the root, with its path. */
import type { SandboxNode } from './index.js';
import type { NodeRow, SandboxStore } from './store.js';

export function sandboxTree(store: SandboxStore): SandboxNode[] {
  const rows = store.allLiveNodes();
  const byToken = new Map(rows.map((row) => [row.token, row]));
  const paths = new Map<string, string>();
  const pathOf = (row: NodeRow): string => {
    const known = paths.get(row.token);
    if (known !== undefined) return known;
    const parent = byToken.get(row.parent_token);
    const path = !parent || parent.token === store.rootToken ? row.name : `${pathOf(parent)}/${row.name}`;
    paths.set(row.token, path);
    return path;
  };
  return rows
    .filter((row) => row.token !== store.rootToken)
    .map((row): SandboxNode => {
      const node: SandboxNode = { path: pathOf(row), token: row.token, type: row.type, parentToken: row.parent_token, name: row.name };
      if (row.type === 'file') {
        if (row.size !== null) node.size = row.size;
        if (row.sha256 !== null) node.sha256 = row.sha256;
        node.version = String(row.version);
      }
      return node;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.token < b.token ? -1 : 1));
}
