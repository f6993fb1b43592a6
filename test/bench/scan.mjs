// Scan benchmark: 100,000 small files in 5,000 folders.
//   npm run build && node test/bench/scan.mjs [tree-dir]
// The tree is generated once and reused (FEISYNC_BENCH_TREE or the argument;
// default: <tmp>/feisync-bench-tree). "Cold" = first scan of a mapping with
// an empty index plus writing every file to the index; "warm" = rescan with
// nothing changed, including loading the index and planning. Both run on a
// warm OS page cache, as does the `find` they are compared with.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../dist/src/index/openIndex.js';
import { planSync } from '../../dist/src/plan/planSync.js';
import { IgnoreMatcher } from '../../dist/src/scan/ignoreRules.js';
import { scanMapping } from '../../dist/src/scan/scanner.js';
import { ensureBenchTree } from './scanTree.mjs';

const tree = process.argv[2] ?? process.env.FEISYNC_BENCH_TREE ?? join(tmpdir(), 'feisync-bench-tree');
const t0 = performance.now();
if (ensureBenchTree(tree)) console.log(`generated ${tree} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const ms = (start) => performance.now() - start;

function timeFind() {
  const start = performance.now();
  const result = spawnSync('find', [tree, '-printf', '%s %T@ %i\n'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`find failed: ${result.status}`);
  return ms(start);
}

/** The floor for Node: the same syscalls as find (readdir + lstat with exact ns/inode), nothing else. */
function timeNodeFloor() {
  const start = performance.now();
  const stack = [tree];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.isDirectory()) stack.push(`${dir}/${d.name}`);
      else lstatSync(`${dir}/${d.name}`, { bigint: true });
    }
  }
  return ms(start);
}

timeFind(); // warm the page cache for everybody
const findMs = Math.min(timeFind(), timeFind(), timeFind());
const floorMs = Math.min(timeNodeFloor(), timeNodeFloor(), timeNodeFloor());

const state = mkdtempSync(join(tmpdir(), 'feisync-bench-state-'));
const index = openIndex(join(state, 'index.db'));
const ignore = await IgnoreMatcher.forMapping(tree);

// Cold: empty index → scan → write every file record.
let start = performance.now();
let cold = await scanMapping(tree, { ignore });
const scanOnlyMs = ms(start);
index.transaction(() => {
  for (const f of cold.files.values()) {
    index.upsertFile({
      mappingId: 'bench', relPath: f.relPath, size: f.size, mtimeNs: f.mtimeNs, ino: f.ino, hash: null,
      remoteToken: `tok-${f.ino}`, remoteParentToken: null, remoteVersion: null, state: 'synced', reason: null,
      failures: 0, lastSyncedAt: 0,
    });
  }
  for (const d of cold.folders.values()) index.upsertFolder({ mappingId: 'bench', relPath: d.relPath, remoteToken: `fld-${d.relPath}` });
});
const coldMs = ms(start);
const counts = { files: cold.files.size, folders: cold.folders.size };
const coldRssMb = process.resourceUsage().maxRSS / 1024;
cold = undefined; // an engine does not keep the previous scan around

// Warm: load the index, rescan (nothing changed: nothing read), plan.
const warmRuns = [];
let planned;
for (let i = 0; i < 3; i++) {
  start = performance.now();
  const files = index.listFiles('bench');
  const known = new Map(files.map((f) => [f.relPath, f]));
  const warm = await scanMapping(tree, { ignore, known });
  planned = undefined;
  planned = planSync({ mappingId: 'bench', scan: warm, index: { files, folders: index.listFolders('bench') }, policy: { deletePolicy: 'keep' } });
  warmRuns.push(ms(start));
}
const warmMs = Math.min(...warmRuns);
index.close();
rmSync(state, { recursive: true, force: true });

const rssMb = process.resourceUsage().maxRSS / 1024;
const row = (label, value, target) => console.log(`${label.padEnd(38)} ${value.padStart(10)}   ${target}`);
console.log(`tree: ${counts.files} files, ${counts.folders} folders; warm plan items: ${planned.items.length}`);
row('find -printf (best of 3)', `${findMs.toFixed(0)} ms`, '');
row('node readdir+lstat floor (best of 3)', `${floorMs.toFixed(0)} ms`, `${(floorMs / findMs).toFixed(2)}× find`);
row('cold scan only', `${scanOnlyMs.toFixed(0)} ms`, `${(scanOnlyMs / findMs).toFixed(2)}× find`);
row('cold scan + index write', `${coldMs.toFixed(0)} ms`, `${(coldMs / findMs).toFixed(2)}× find (target ≤ 2×)`);
row('warm rescan + index load + plan', `${warmMs.toFixed(0)} ms`, `${(warmMs / findMs).toFixed(2)}× find (target ≤ 1.5×) runs: ${warmRuns.map((r) => r.toFixed(0)).join(', ')}`);
row('peak RSS after cold scan + write', `${coldRssMb.toFixed(0)} MB`, '');
row('peak RSS (whole run)', `${rssMb.toFixed(0)} MB`, 'target ≤ 150 MB');
