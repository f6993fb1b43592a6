// CLI responsiveness: wall time of the real `feisync` binary for light and
// heavy commands (median of N runs), and `sync --once` of an unchanged tree
// (the "nothing to do" cost a cron job pays every time).
//
//   npm run build && node test/bench/cli-startup.mjs
//
// Env: CLI_BENCH_RUNS (default 7).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.CLI_BENCH_RUNS ?? 7);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'feisync.js');
const home = mkdtempSync(join(tmpdir(), 'feisync-bench-cli-'));
const env = { PATH: process.env.PATH, HOME: home, FEISYNC_CONFIG: join(home, 'config.json'), FEISYNC_STATE_DIR: join(home, 'state'), NO_COLOR: '1' };

function time(args, extraEnv = {}) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (r.status !== 0) throw new Error(`feisync ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples[samples.length - 1] };
}

function report(name, t) {
  console.log(`${name.padEnd(34)} median ${t.median.toFixed(0).padStart(5)} ms   (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)}, ${RUNS} runs)`);
}

report('feisync --version', time(['--version']));
report('feisync map list', time(['map', 'list']));
report('feisync config get limits.qps', time(['config', 'get', 'limits.qps']));
report('feisync status (no daemon)', time(['status']));

// A tree of 200 small files, synced once, then the unchanged re-run timed. The sandbox runs as its
// own `feisync sandbox` process: spawnSync blocks this event loop, so an in-process one could not answer.
const { spawn } = await import('node:child_process');
const sandbox = spawn(process.execPath, [BIN, 'sandbox', '--limits', 'off'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await new Promise((resolve) => sandbox.stdout.once('data', (d) => resolve(JSON.parse(String(d).split('\n')[0]))));
const data = join(home, 'data');
for (let i = 0; i < 200; i++) {
  mkdirSync(join(data, `d${i % 10}`), { recursive: true });
  writeFileSync(join(data, `d${i % 10}`, `f${i}.txt`), `file ${i}\n`.repeat(20));
}
const syncArgs = ['sync', '--once', '--local', data, '--folder', ready.rootFolderToken, '--base-url', ready.baseUrl, '--app-id', ready.appId, '--app-secret', ready.appSecret];
const first = spawnSync(process.execPath, [BIN, ...syncArgs, '--json'], { env, encoding: 'utf8' });
const summary = JSON.parse(first.stdout);
console.log(`first sync of 200 files: ${summary.uploaded.length} uploaded`);
report('sync --once, 200 unchanged files', time(syncArgs));
sandbox.kill('SIGTERM');
await new Promise((r) => sandbox.once('exit', r));
