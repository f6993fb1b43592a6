/**
 * File changes as data: installers plan a list of operations (pure, tested),
 * then applyFileOps carries them out through an injected file system.
 */
import { dirname } from 'node:path';

export type FileOp =
  | { kind: 'write'; path: string; content: string; mode?: number }
  | { kind: 'remove'; path: string; recursive?: boolean }
  /** Read-modify-write; `edit` gets null when the file is missing and returns null to delete it. */
  | { kind: 'edit'; path: string; edit: (current: string | null) => string | null }
  /** Run a program without a shell (Windows shortcut creation). */
  | { kind: 'exec'; file: string; args: string[] };

export interface OpsFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, content: string, options?: { mode?: number }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  rm(path: string, options: { force: true; recursive?: boolean }): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
}

export type Exec = (file: string, args: string[]) => Promise<void>;

export async function applyFileOps(ops: readonly FileOp[], fs: OpsFs, exec: Exec): Promise<void> {
  for (const op of ops) {
    switch (op.kind) {
      case 'write':
        await fs.mkdir(dirname(op.path), { recursive: true });
        await fs.writeFile(op.path, op.content, { mode: op.mode });
        // writeFile's mode only applies when the file is created.
        if (op.mode !== undefined) await fs.chmod(op.path, op.mode);
        break;
      case 'remove':
        await fs.rm(op.path, { force: true, recursive: op.recursive === true });
        break;
      case 'edit': {
        const current = await fs.readFile(op.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return null;
          throw e;
        });
        const next = op.edit(current);
        if (next === null) await fs.rm(op.path, { force: true });
        else if (next !== current) {
          await fs.mkdir(dirname(op.path), { recursive: true });
          await fs.writeFile(op.path, next);
        }
        break;
      }
      case 'exec':
        await exec(op.file, op.args);
        break;
    }
  }
}
