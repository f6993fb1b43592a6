/** Local sample trees and checks against the sandbox tree (one remote file per local file, same sha256). */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { SandboxNode } from '../../../src/sandbox/index.js';

export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

export function localFiles(root: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const rel = relative(root, full).split('\\').join('/');
      if (skip(rel)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else out.set(rel, createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

/** Remote files under `prefix` (the mapped folder's path in the tree, '' for the root) by relative path. */
export function remoteFiles(tree: SandboxNode[], prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of tree) {
    if (n.type !== 'file') continue;
    if (prefix && !n.path.startsWith(prefix + '/')) continue;
    const rel = prefix ? n.path.slice(prefix.length + 1) : n.path;
    out.set(rel, [...(out.get(rel) ?? []), n.sha256 ?? '']);
  }
  return out;
}

/** Every local file exactly once remotely with the same sha256, and nothing else. */
export function expectMirrors(local: Map<string, string>, remote: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const [rel, sha] of local) {
    const copies = remote.get(rel) ?? [];
    if (copies.length !== 1) problems.push(`${rel}: ${copies.length} remote copies`);
    else if (copies[0] !== sha) problems.push(`${rel}: sha256 differs`);
  }
  for (const rel of remote.keys()) if (!local.has(rel)) problems.push(`${rel}: remote only`);
  return problems;
}
