// Generates (once) the benchmark tree: 100,000 small files in 5,000 folders.
// Reused across runs: pass the same directory (FEISYNC_BENCH_TREE or argv[2]).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOP_FOLDERS = 50;
export const SUB_FOLDERS = 100; // 50 × 100 = 5,000 leaf folders
export const FILES_PER_FOLDER = 20; // 5,000 × 20 = 100,000 files

export function ensureBenchTree(dir) {
  const marker = `${dir}.complete`; // beside the tree, so it is not scanned
  if (existsSync(marker)) return false;
  for (let t = 0; t < TOP_FOLDERS; t++) {
    for (let s = 0; s < SUB_FOLDERS; s++) {
      const folder = join(dir, `top-${t}`, `sub-${s}`);
      mkdirSync(folder, { recursive: true });
      for (let f = 0; f < FILES_PER_FOLDER; f++) {
        writeFileSync(join(folder, `file-${f}.txt`), `${t}/${s}/${f}\n`);
      }
    }
  }
  writeFileSync(marker, '');
  return true;
}
