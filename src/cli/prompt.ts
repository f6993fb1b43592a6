/** Asking for missing values on a terminal (never when stdin is not a TTY: scripts get an error instead). */
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';

export function ask(stdin: Readable, stderr: Writable, question: string, options: { hidden?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    let muted = false;
    // Prompts go to stderr so stdout stays clean for --json; a hidden answer is not echoed.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (!muted) stderr.write(chunk);
        callback();
      },
    });
    const rl = createInterface({ input: stdin, output: sink, terminal: (stdin as { isTTY?: boolean }).isTTY === true });
    rl.question(question, (answer) => {
      if (options.hidden) stderr.write('\n');
      rl.close();
      resolve(answer.trim());
    });
    muted = options.hidden === true;
  });
}

/** All of stdin (for --app-secret-stdin), trimmed. */
export async function readAllStdin(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').trim();
}
