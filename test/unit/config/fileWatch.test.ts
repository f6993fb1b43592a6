import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchFileChanges, type FileWatch } from '../../../src/config/fileWatch.js';

const folder = () => mkdtempSync(join(tmpdir(), 'feisync-watch-'));

describe('watching the settings file for other programs\' writes', () => {
  const watches: FileWatch[] = [];
  afterEach(() => watches.splice(0).forEach((w) => w.close()));
  function watch(path: string) {
    let changes = 0;
    watches.push(watchFileChanges(path, () => changes++, { debounceMs: 20 }));
    return () => changes;
  }

  it('reports a write made right after the watch starts, and each atomic replace after it (new inode every time)', async () => {
    const dir = folder();
    const path = join(dir, 'config.json');
    writeFileSync(path, '{}');
    const changes = watch(path);
    for (let i = 1; i <= 3; i++) {
      writeFileSync(join(dir, `config.json.tmp-${i}`), JSON.stringify({ i }));
      renameSync(join(dir, `config.json.tmp-${i}`), path);
      await expect.poll(changes, { timeout: 10_000, interval: 20 }).toBe(i);
    }
  });

  it('coalesces the burst of one write into one notice, and ignores other files in the folder', async () => {
    const dir = folder();
    const path = join(dir, 'config.json');
    const changes = watch(path);
    writeFileSync(join(dir, 'other.json'), '{}');
    writeFileSync(path, '{"a":1}');
    writeFileSync(path, '{"a":2}');
    await expect.poll(changes, { timeout: 10_000, interval: 20 }).toBe(1);
    writeFileSync(join(dir, 'other.json'), '{"b":1}');
    await new Promise((r) => setTimeout(r, 200));
    expect(changes()).toBe(1);
  });

  it('says nothing after close', async () => {
    const dir = folder();
    const path = join(dir, 'config.json');
    const changes = watch(path);
    watches.pop()!.close();
    writeFileSync(path, '{}');
    await new Promise((r) => setTimeout(r, 200));
    expect(changes()).toBe(0);
  });
});
