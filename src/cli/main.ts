/** Entry of the `feisync` binary (bin/feisync.js imports the compiled file). */
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
// Idle keep-alive sockets or watchers must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
