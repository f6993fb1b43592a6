/**
 * Writes a Reply to the socket, optionally dribbling it out slowly (the
 * `slow` fault): the body in about 20 pieces with short pauses between them
 * (about half a second more, whatever the size). Pauses are real time, not
 * the injected clock: they exist to be felt by the client's socket.
 */
import type { ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Reply } from './envelope.js';

/** A slow answer comes in about this many pieces, this far apart. */
const SLOW_PIECES = 20;
const SLOW_PAUSE_MS = 25;

class Dribble extends Transform {
  constructor(private readonly pieceBytes: number) {
    super();
  }
  override async _transform(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): Promise<void> {
    try {
      for (let at = 0; at < chunk.length; at += this.pieceBytes) {
        await delay(SLOW_PAUSE_MS);
        this.push(chunk.subarray(at, at + this.pieceBytes));
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }
}

export async function writeReply(res: ServerResponse, reply: Reply, logId: string, slow: boolean): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  const { length } = reply.body;
  const headers: Record<string, string> = { ...reply.headers, 'X-Tt-Logid': logId, 'Content-Length': String(length) };
  if (reply.close) headers.Connection = 'close';
  res.writeHead(reply.status, headers);
  const pieceBytes = Math.max(1, Math.ceil(length / SLOW_PIECES));
  const source = Buffer.isBuffer(reply.body) ? [reply.body] : reply.body.stream;
  try {
    if (slow) await pipeline(source, new Dribble(pieceBytes), res);
    else if (Buffer.isBuffer(reply.body)) res.end(reply.body);
    else await pipeline(source, res);
  } catch {
    // The client went away or the blob could not be read: the connection is all we can close.
    res.destroy();
  }
}
