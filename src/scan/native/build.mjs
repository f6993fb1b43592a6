// Builds the native scan lister (readdirStat.c) with node-gyp, at install time
// (`npm ci` runs `prepare`). It is N-API only, so one build serves Node and
// Electron alike. A failed build does not fail the install: scans then use
// the JS lister (same results, slower); the test suite says so on POSIX.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.platform === 'win32') {
  console.log('feisync: the native scan lister is POSIX only; Windows scans use the JS lister');
  process.exit(0);
}
const here = dirname(fileURLToPath(import.meta.url));
// npm puts its own node-gyp on PATH for scripts; `npx` finds it otherwise.
const run = (cmd, args) => spawnSync(cmd, args, { cwd: here, stdio: 'inherit', shell: false });
let result = run('node-gyp', ['rebuild', '--silent']);
if (result.error) result = run('npx', ['--no-install', 'node-gyp', 'rebuild', '--silent']);
if (result.status !== 0) {
  console.warn('feisync: the native scan lister did not build (see above); scans will use the slower JS lister');
}
