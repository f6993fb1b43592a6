/** Newline-delimited JSON framing shared by the IPC server and client. */
import type { Socket } from 'node:net';
import { MAX_IPC_LINE_BYTES } from './protocol.js';

/** Calls `onLine` for each complete line; `onOverflow` when a line passes the size limit. */
export function readLines(socket: Socket, onLine: (line: string) => void, onOverflow: () => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
    if (Buffer.byteLength(buffered) > MAX_IPC_LINE_BYTES) {
      buffered = '';
      onOverflow();
    }
  });
}

export function writeLine(socket: Socket, value: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(JSON.stringify(value) + '\n');
}
