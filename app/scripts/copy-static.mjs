#!/usr/bin/env node
// Copy the settings window's static files (HTML, CSS) next to its compiled
// scripts in dist/app/renderer (or the folder given as the first argument:
// tests build into their own folders). tsc emits only .js; this emits the rest.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const from = join(root, 'app', 'renderer');
const to = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist', 'app', 'renderer');
mkdirSync(to, { recursive: true });
const copied = readdirSync(from).filter((name) => /\.(html|css|svg|png)$/.test(name));
for (const name of copied) cpSync(join(from, name), join(to, name));
console.log(`copy-static: ${copied.join(', ')} → ${to}`);
