/**
 * Which local paths FeiSync never syncs, in gitignore syntax (the `ignore`
 * package): global defaults, then the mapping's `.feisyncignore` at its root,
 * then the mapping's extra patterns from settings — later rules win, so a
 * `!pattern` in the file or settings can re-include a default. The scanner and
 * the watcher use the same matcher, so both agree on every path.
 */
import ignore, { type Ignore } from 'ignore';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ScanError } from './scanError.js';

/** The per-mapping rules file, at the mapping root. */
export const IGNORE_FILE_NAME = '.feisyncignore';

/** OS litter, editor and office lock/temp files, partial downloads, FeiSync's own state. */
export const DEFAULT_IGNORE_PATTERNS: readonly string[] = [
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
  '~$*',
  '*.tmp',
  '*.swp',
  '.~lock.*#',
  '*.crdownload',
  '*.part',
  '.feisync*',
  '*.db-wal',
  '*.db-shm',
  '*.db-journal',
];

export interface IgnoreSources {
  /** Text of the mapping's .feisyncignore, if it has one. */
  fileText?: string;
  /** Extra patterns from the mapping's settings. */
  extra?: readonly string[];
  /** Replace the defaults (tests); normally left out. */
  defaults?: readonly string[];
}

export class IgnoreMatcher {
  private readonly rules: Ignore;
  /** True when no rule contains a '/' other than a trailing one: then only a name decides. */
  private readonly nameOnly: boolean;
  /** The rules in order, one per line: two matchers with the same rules decide alike. */
  readonly rulesText: string;

  constructor(
    /** Absolute mapping root; only used to match absolute paths. */
    readonly root: string,
    sources: IgnoreSources = {},
  ) {
    const patterns = [
      ...(sources.defaults ?? DEFAULT_IGNORE_PATTERNS),
      ...(sources.fileText ?? '').split(/\r?\n/),
      ...(sources.extra ?? []),
    ];
    this.rules = ignore().add(patterns);
    this.nameOnly = patterns.every(isNamePattern);
    this.rulesText = patterns.join('\n');
  }

  /**
   * Reads `<root>/.feisyncignore` (absent is fine) and builds the matcher.
   * `stateDir`: FeiSync's state folder; when it lies inside the root it is
   * ignored too, so FeiSync never uploads its own index.
   */
  static async forMapping(
    root: string,
    options: { extra?: readonly string[]; stateDir?: string; readText?: (path: string) => Promise<string> } = {},
  ): Promise<IgnoreMatcher> {
    const read = options.readText ?? ((path: string) => readFile(path, 'utf8'));
    let fileText = '';
    try {
      fileText = await read(join(root, IGNORE_FILE_NAME));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ScanError('E_SCAN_IGNORE_FILE_UNREADABLE', root, { cause: error });
      }
    }
    const extra = [...(options.extra ?? [])];
    if (options.stateDir) {
      const rel = toRelPath(root, options.stateDir);
      if (rel) extra.push(`/${escapePattern(rel)}/`);
    }
    return new IgnoreMatcher(root, { fileText, extra });
  }

  /** `relPath`: relative to the root, '/'-separated; `isFolder` decides patterns ending in '/'. */
  ignores(relPath: string, isFolder: boolean): boolean {
    if (relPath === '') return false;
    return this.rules.ignores(isFolder ? `${relPath}/` : relPath);
  }

  /**
   * For a walker that never descends into an ignored folder: the parents of
   * `relPath` are known not to be ignored. Then a rule without a '/' (gitignore:
   * "matches at any level") depends on the name alone, and testing the name
   * lets the matcher's cache serve the many repeated names of a real tree —
   * measured 160 ms → a few ms on 100,000 paths. Same answer as `ignores`.
   * `name`: relPath's last segment, when the caller has it (no slice then).
   */
  ignoresEntry(relPath: string, isFolder: boolean, name?: string): boolean {
    if (!this.nameOnly) return this.ignores(relPath, isFolder);
    return this.ignores(name ?? relPath.slice(relPath.lastIndexOf('/') + 1), isFolder);
  }

  /**
   * For the watcher: an absolute path (or one relative to the root). Paths
   * outside the root are not ours and are not ignored. When `isFolder` is
   * unknown, the path is tested as a file (patterns ending in '/' then match
   * only its parents).
   */
  ignoresPath(path: string, isFolder = false): boolean {
    const rel = isAbsolute(path) ? toRelPath(this.root, path) : path.split(sep).join('/');
    return rel !== undefined && this.ignores(rel.normalize('NFC'), isFolder);
  }
}

/** `path` relative to `root`, '/'-separated; undefined when outside it or equal to it. */
function toRelPath(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** gitignore: a pattern with a separator at the beginning or middle is anchored to the root. */
function isNamePattern(line: string): boolean {
  const pattern = line.trim();
  if (pattern === '' || pattern.startsWith('#')) return true;
  const body = pattern.replace(/^!/, '').replace(/\/$/, '');
  return !body.includes('/');
}

function escapePattern(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
}
