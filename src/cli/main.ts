/** Entry of the `feisync` binary (bin/feisync.js imports the compiled file). */
import { runCli } from './program.js';

// `feisync log | head`: the reader went away; that is the end of the output, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
// Idle keep-alive sockets or watchers must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
