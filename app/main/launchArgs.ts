/**
 * Command-line handling for the tray app, as a plain function: shell
 * integrations launch `FeiSync --send <paths…>`; a second launch hands its
 * argv (Chromium switches mixed in, possibly reordered: Chromium puts switches
 * before loose arguments) to the running instance; macOS delivers
 * `feisync://send?path=…` URLs instead.
 */
import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEND_FLAG = '--send';
export const HIDDEN_FLAG = '--hidden';
export const PROTOCOL_SCHEME = 'feisync';

export interface LaunchRequest {
  /** Start in the tray only (launch at login). */
  hidden: boolean;
  /** Absolute paths to send at top priority, in order, without duplicates. */
  send: string[];
  /** Arguments that could not be understood (shown to the user, never guessed at). */
  problems: string[];
}

export interface ParseOptions {
  /** Working directory of the launching process: relative paths resolve against it. */
  cwd: string;
  /**
   * How many leading argv entries are not ours: 1 for a packaged app
   * (the executable), 2 for `electron .` (executable and app path).
   */
  skip: number;
  platform?: NodeJS.Platform;
}

/** Parse a launch (first or second instance). Paths are only taken after `--send`. */
export function parseLaunchArgs(argv: readonly string[], options: ParseOptions): LaunchRequest {
  const path = (options.platform ?? process.platform) === 'win32' ? win32 : posix;
  const result: LaunchRequest = { hidden: false, send: [], problems: [] };
  const positional: string[] = [];
  let sendMode = false;
  let afterDoubleDash = false;

  for (const arg of argv.slice(options.skip)) {
    if (afterDoubleDash || !arg.startsWith('-') || arg === '-') {
      positional.push(arg);
    } else if (arg === '--') {
      afterDoubleDash = true;
    } else if (arg === SEND_FLAG) {
      sendMode = true;
    } else if (arg.startsWith(`${SEND_FLAG}=`)) {
      sendMode = true;
      positional.push(arg.slice(SEND_FLAG.length + 1));
    } else if (arg === HIDDEN_FLAG) {
      result.hidden = true;
    }
    // Any other switch is Chromium's or Electron's (--allow-file-access-from-files,
    // --original-process-start-time=…, --inspect…): not ours, ignored.
  }

  for (const arg of positional) {
    if (isProtocolUrl(arg)) {
      const parsed = parseProtocolUrl(arg);
      result.send.push(...parsed.send.map((p) => path.resolve(options.cwd, p)));
      result.problems.push(...parsed.problems);
    } else if (sendMode) {
      result.send.push(path.resolve(options.cwd, fileUrlToPath(arg, path === win32)));
    } else {
      result.problems.push(`Unexpected argument "${arg}": to upload files, launch FeiSync with ${SEND_FLAG} <paths…>.`);
    }
  }
  result.send = unique(result.send);
  return result;
}

export function isProtocolUrl(value: string): boolean {
  return value.toLowerCase().startsWith(`${PROTOCOL_SCHEME}:`);
}

/**
 * `feisync://send?path=/a&path=/b%20c` (macOS `open-url`, or an argv entry on
 * Windows/Linux). Only the `send` action exists; paths must be absolute.
 */
export function parseProtocolUrl(value: string): { send: string[]; problems: string[] } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { send: [], problems: [`"${value}" is not a valid ${PROTOCOL_SCHEME}:// link.`] };
  }
  const action = (url.host || url.pathname.replace(/^\/+/, '')).toLowerCase();
  if (action !== 'send') {
    return { send: [], problems: [`Unknown ${PROTOCOL_SCHEME}:// action "${action}": only ${PROTOCOL_SCHEME}://send?path=… is supported.`] };
  }
  const paths = url.searchParams.getAll('path');
  const problems: string[] = [];
  if (paths.length === 0) problems.push(`${PROTOCOL_SCHEME}://send link without a path= parameter: nothing to send.`);
  const send = paths.filter((p) => {
    const absolute = posix.isAbsolute(p) || win32.isAbsolute(p);
    if (!absolute) problems.push(`${PROTOCOL_SCHEME}://send path "${p}" is not absolute: links must name full paths.`);
    return absolute;
  });
  return { send, problems };
}

/** Build the link a macOS Quick Action (or a test) opens. */
export function buildProtocolUrl(paths: readonly string[]): string {
  const query = new URLSearchParams(paths.map((p): [string, string] => ['path', p]));
  return `${PROTOCOL_SCHEME}://send?${query.toString()}`;
}

/** File managers launched with %U pass file:// URLs. */
function fileUrlToPath(arg: string, windows: boolean): string {
  if (!arg.toLowerCase().startsWith('file://')) return arg;
  try {
    return fileURLToPath(arg, { windows });
  } catch {
    return arg;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * What the second instance passes to requestSingleInstanceLock: its own argv
 * and working directory, untouched by Chromium's reordering of switches.
 */
export interface InstanceHandoff {
  argv: string[];
  cwd: string;
}

/**
 * The launch request of a second instance: from its handoff data when that is
 * well-formed (Electron ≥ 14), else from the argv Electron reports.
 */
export function secondInstanceLaunch(
  argv: readonly string[],
  workingDirectory: string,
  additionalData: unknown,
  options: Omit<ParseOptions, 'cwd'>,
): LaunchRequest {
  const data = additionalData as Partial<InstanceHandoff> | null | undefined;
  const valid =
    !!data && Array.isArray(data.argv) && data.argv.every((a) => typeof a === 'string') && typeof data.cwd === 'string' && data.cwd.length > 0;
  return valid ? parseLaunchArgs(data.argv!, { ...options, cwd: data.cwd! }) : parseLaunchArgs(argv, { ...options, cwd: workingDirectory });
}
