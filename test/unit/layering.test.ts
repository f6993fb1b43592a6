import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specs.push((m[1] ?? m[2])!);
  }
  return specs;
}

describe('layering (style.md: lower layers never import upper ones)', () => {
  const core = tsFiles(join(root, 'src'));

  it('finds the core sources', () => {
    expect(core.length).toBeGreaterThan(10);
  });

  it('the core in src/ never imports electron, electron-store or app/', () => {
    const offenders = core.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec === 'electron' || spec.startsWith('electron/') || spec === 'electron-store' || /(^|\/)app\//.test(spec))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the protocol client does not import the layers above it', () => {
    const feishu = core.filter((f) => relative(root, f).startsWith(join('src', 'feishu')));
    const offenders = feishu.flatMap((file) =>
      importsOf(file)
        .filter((spec) => /\.\.\/(index|scan|plan|sync|cli|sandbox|ipc)\//.test(spec))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
