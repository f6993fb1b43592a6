/** Where the control socket lives: in the state dir, or a named pipe on Windows. */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SOCKET_FILE_NAME = 'feisync.sock';

/** sun_path holds 108 bytes on Linux, 104 on macOS (with the NUL). */
const MAX_UNIX_SOCKET_PATH = 100;

export function ipcSocketPath(stateDir: string, platform: NodeJS.Platform = process.platform): string {
  const abs = resolve(stateDir);
  const digest = createHash('sha256').update(abs).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\feisync-${digest}`;
  const inState = join(abs, SOCKET_FILE_NAME);
  if (Buffer.byteLength(inState) <= MAX_UNIX_SOCKET_PATH) return inState;
  // A deep state dir: a short path in the temp dir, still unique per state dir and user.
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return join(tmpdir(), `feisync-${uid}-${digest}.sock`);
}
