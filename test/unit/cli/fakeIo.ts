/** In-process io for runCli: stdout and stderr collected as text, env exactly as given (never the test runner's LANG). */
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../../src/cli/context.js';

export type TextSink = Writable & { text: string };

export function textSink(): TextSink {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as TextSink;
  stream.text = '';
  return stream;
}

export function fakeIo(env: Record<string, string> = {}): CliIo & { stdout: TextSink; stderr: TextSink } {
  return { stdout: textSink(), stderr: textSink(), stdin: Readable.from([]), env, keychain: null };
}
