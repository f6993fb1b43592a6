import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyFileOps } from '../../../app/main/shell/fileOps.js';
import { planShellInstall, planShellRemove, type Templates } from '../../../app/main/shell/shellIntegration.js';
import {
  desktopFileFromTemplate,
  macQuickActionScript,
  macWorkflow,
  mergeThunarActions,
  nautilusScript,
  removeThunarAction,
  SHELL_TEMPLATES,
  thunarAction,
  windowsSendToCommand,
} from '../../../app/main/shell/shellTemplates.js';
import { desktopKey, expandExec } from './desktopExec.js';

const resources = join(import.meta.dirname, '..', '..', '..', 'resources', 'shell');
const templates = Object.fromEntries(
  Object.entries(SHELL_TEMPLATES).map(([name, rel]) => [name, readFileSync(join(resources, rel), 'utf8')]),
) as Templates;

/** File names a user can really have. */
const NASTY = [
  'plain.txt',
  'with space.txt',
  `it's "quoted".txt`,
  '$HOME and `cmd` and $(rm -rf x).txt',
  'back\\slash.txt',
  '100% done; a|b & c > d < e * ? # ~.txt',
  '飞书 文档 ✓ émoji 🎉.md',
  'line\nbreak.txt',
  '-starts-with-dash.txt',
];

let work: string;
let fakeApp: string;
let argvDump: string;

beforeAll(() => {
  // The "app" lives in a folder whose name itself needs quoting.
  work = mkdtempSync(join(tmpdir(), 'feisync shell "it\'s" $x '));
  fakeApp = join(work, 'Fei Sync $app (1)');
  argvDump = join(work, 'argv.json');
  writeFileSync(fakeApp, `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(argvDump)}, JSON.stringify(process.argv.slice(2)));\n`);
  chmodSync(fakeApp, 0o755);
});

const dumped = (): string[] => JSON.parse(readFileSync(argvDump, 'utf8'));

describe('Linux .desktop launchers (Exec per the Desktop Entry spec)', () => {
  it('the Open-With launcher passes every selected file intact after --send', () => {
    const text = desktopFileFromTemplate(templates.linuxLauncher, [fakeApp]);
    const files = NASTY.map((n) => `/home/ada/${n}`);
    expect(expandExec(desktopKey(text, 'Desktop Entry', 'Exec'), files)).toEqual([fakeApp, '--send', ...files]);
    expect(desktopKey(text, 'Desktop Entry', 'MimeType')).toContain('inode/directory');
  });

  it('the Dolphin service menu does the same, for a dev launch (electron + app path) too', () => {
    const argv = ['/usr/lib/electron/electron', '/home/dev/Fei Sync/app'];
    const text = desktopFileFromTemplate(templates.dolphinServiceMenu, argv);
    expect(desktopKey(text, 'Desktop Entry', 'X-KDE-ServiceTypes')).toBe('KonqPopupMenu/Plugin');
    expect(expandExec(desktopKey(text, 'Desktop Action sendToFeishu', 'Exec'), ['/a b/c'])).toEqual([...argv, '--send', '/a b/c']);
  });

  it('a backslash and a percent sign in the app path survive both escaping layers', () => {
    const text = desktopFileFromTemplate(templates.linuxLauncher, ['/opt/odd\\dir/100%/feisync']);
    expect(expandExec(desktopKey(text, 'Desktop Entry', 'Exec'), [])).toEqual(['/opt/odd\\dir/100%/feisync', '--send']);
  });
});

describe('Nautilus script (run for real with bash)', () => {
  it('hands absolute paths, including relative selections resolved against the viewed folder', () => {
    const script = join(work, 'nautilus.sh');
    writeFileSync(script, nautilusScript(templates.nautilusScript, [fakeApp]), { mode: 0o755 });
    const viewed = join(work, 'Viewed Folder');
    execFileSync('mkdir', ['-p', viewed]);
    execFileSync('bash', [script, ...NASTY, '/abs/elsewhere.txt'], { cwd: viewed });
    expect(dumped()).toEqual(['--send', ...NASTY.map((n) => `${viewed}/${n}`), '/abs/elsewhere.txt']);
  });

  it('copes with a thousand files at once', () => {
    const script = join(work, 'nautilus-many.sh');
    writeFileSync(script, nautilusScript(templates.nautilusScript, [fakeApp]), { mode: 0o755 });
    const many = Array.from({ length: 1000 }, (_, i) => `/data/照片 ${i}.jpg`);
    execFileSync('bash', [script, ...many]);
    expect(dumped()).toEqual(['--send', ...many]);
  });
});

describe('Thunar custom action', () => {
  /** Thunar: %F → each path g_shell_quote'd, %% → %, then g_shell_parse_argv (POSIX quoting: bash reads it the same). */
  function runThunar(actionXml: string, files: string[]) {
    const command = /<command>([\s\S]*?)<\/command>/.exec(actionXml)![1]!
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    const quoted = files.map((f) => `'${f.replace(/'/g, `'\\''`)}'`).join(' ');
    const expanded = command.replace(/%([%F])/g, (_, c: string) => (c === '%' ? '%' : quoted));
    execFileSync('bash', ['-c', `exec ${expanded}`]);
    return dumped();
  }

  it('passes the selection intact', () => {
    const files = NASTY.map((n) => `/home/ada/${n}`);
    expect(runThunar(thunarAction(templates.thunarAction, [fakeApp]), files)).toEqual(['--send', ...files]);
  });

  it('is merged into an existing uca.xml without touching other actions, and removed again', () => {
    const theirs = '<?xml version="1.0" encoding="UTF-8"?>\n<actions>\n<action>\n\t<name>Open Terminal Here</name>\n\t<unique-id>1-1</unique-id>\n\t<command>exo-open --launch TerminalEmulator</command>\n</action>\n</actions>\n';
    const ours = thunarAction(templates.thunarAction, ['/opt/FeiSync/feisync-app']);
    const merged = mergeThunarActions(theirs, ours);
    expect(merged).toContain('<unique-id>1-1</unique-id>');
    expect(merged.match(/feisync-send-to-feishu/g)).toHaveLength(1);
    expect(mergeThunarActions(merged, ours)).toBe(merged); // idempotent
    expect(removeThunarAction(merged)).toContain('Open Terminal Here');
    expect(removeThunarAction(merged)).not.toContain('feisync');
    expect(mergeThunarActions(null, ours)).toMatch(/^<\?xml[\s\S]*<actions>\n<action>[\s\S]*<\/actions>\n$/);
  });
});

describe('macOS Quick Action', () => {
  it('its shell script hands the Finder selection intact (run with bash as Automator does)', () => {
    const script = join(work, 'quick-action.sh');
    writeFileSync(script, macQuickActionScript([fakeApp]).replace(' >/dev/null 2>&1 &', ''));
    const files = NASTY.map((n) => `/Users/ada/${n}`);
    execFileSync('bash', [script, ...files]);
    expect(dumped()).toEqual(['--send', ...files]);
  });

  it('the workflow embeds that script XML-escaped, runs it with arguments, for Finder files', () => {
    const app = `/Applications/Fei & "Sync".app/Contents/MacOS/FeiSync`;
    const wflow = macWorkflow(templates.macWorkflow, [app]);
    const embedded = /<key>COMMAND_STRING<\/key>\s*<string>([\s\S]*?)<\/string>/.exec(wflow)![1]!;
    const unescaped = embedded.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    expect(unescaped).toBe(macQuickActionScript([app]));
    expect(wflow).toMatch(/<key>inputMethod<\/key>\s*<integer>1<\/integer>/);
    expect(wflow).not.toMatch(/@[A-Z_]+@/);
    expect(templates.macInfoPlist).toContain('<string>public.item</string>');
  });
});

describe('Windows Send To shortcut', () => {
  it('builds a PowerShell -EncodedCommand whose script keeps quotes and unicode in the paths', () => {
    const lnk = "C:\\Users\\O'Brien\\AppData\\Roaming\\Microsoft\\Windows\\SendTo\\FeiSync.lnk";
    const exe = 'C:\\Program Files\\飞书同步\\FeiSync.exe';
    const { file, args } = windowsSendToCommand(lnk, exe);
    expect(file).toBe('powershell.exe');
    expect(args.slice(0, -1)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const script = Buffer.from(args.at(-1)!, 'base64').toString('utf16le');
    expect(script).toContain("$shell.CreateShortcut('C:\\Users\\O''Brien\\AppData\\Roaming\\Microsoft\\Windows\\SendTo\\FeiSync.lnk')");
    expect(script).toContain("$link.TargetPath = 'C:\\Program Files\\飞书同步\\FeiSync.exe'");
    expect(script).toContain("$link.Arguments = '--send'");
  });

  it('the NSIS include creates and deletes the same shortcut', () => {
    const nsh = readFileSync(join(resources, 'windows', 'installer.nsh'), 'utf8');
    expect(nsh).toMatch(/!macro customInstall[\s\S]*CreateShortCut "\$APPDATA\\Microsoft\\Windows\\SendTo\\FeiSync.lnk" "\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}" "--send"/);
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*Delete "\$APPDATA\\Microsoft\\Windows\\SendTo\\FeiSync.lnk"/);
  });
});

describe('installing and removing for the current user', () => {
  it('Linux: writes every integration (scripts executable) and removes them again, leaving other Thunar actions', async () => {
    const home = mkdtempSync(join(tmpdir(), 'feisync-home-'));
    const thunar = join(home, '.config', 'Thunar', 'uca.xml');
    await fsp.mkdir(join(home, '.config', 'Thunar'), { recursive: true });
    await fsp.writeFile(thunar, '<?xml version="1.0" encoding="UTF-8"?>\n<actions>\n<action><unique-id>x</unique-id></action>\n</actions>\n');
    const dirs = { platform: 'linux' as const, home };
    const noExec = async () => expect.unreachable('no programs run on Linux');
    await applyFileOps(planShellInstall(dirs, templates, ['/opt/FeiSync/feisync-app']), fsp, noExec);

    const nautilus = join(home, '.local/share/nautilus/scripts/Send to Feishu');
    expect((await fsp.stat(nautilus)).mode & 0o777).toBe(0o755);
    expect((await fsp.stat(join(home, '.local/share/kio/servicemenus/feisync-send.desktop'))).mode & 0o111).not.toBe(0);
    expect(await fsp.readFile(join(home, '.local/share/applications/feisync-send.desktop'), 'utf8')).toContain('Exec=/opt/FeiSync/feisync-app --send %F');
    expect(await fsp.readFile(thunar, 'utf8')).toContain('feisync-send-to-feishu');

    await applyFileOps(planShellRemove(dirs), fsp, noExec);
    await expect(fsp.stat(nautilus)).rejects.toThrow(/ENOENT/);
    const left = await fsp.readFile(thunar, 'utf8');
    expect(left).toContain('<unique-id>x</unique-id>');
    expect(left).not.toContain('feisync');
  });

  it('Windows: runs the shortcut command, and removal deletes the .lnk in the SendTo folder', () => {
    const dirs = { platform: 'win32' as const, home: 'C:\\Users\\Ada', appData: 'C:\\Users\\Ada\\AppData\\Roaming' };
    const [install] = planShellInstall(dirs, templates, ['C:\\Program Files\\FeiSync\\FeiSync.exe']);
    expect(install).toMatchObject({ kind: 'exec', file: 'powershell.exe' });
    expect(planShellRemove(dirs)).toEqual([{ kind: 'remove', path: 'C:\\Users\\Ada\\AppData\\Roaming\\Microsoft\\Windows\\SendTo\\FeiSync.lnk' }]);
  });

  it('macOS: writes the workflow bundle into ~/Library/Services and removes the whole bundle', () => {
    const dirs = { platform: 'darwin' as const, home: '/Users/ada' };
    const ops = planShellInstall(dirs, templates, ['/Applications/FeiSync.app/Contents/MacOS/FeiSync']);
    expect(ops.map((o) => o.kind === 'write' && o.path)).toEqual([
      '/Users/ada/Library/Services/Send to Feishu.workflow/Contents/Info.plist',
      '/Users/ada/Library/Services/Send to Feishu.workflow/Contents/document.wflow',
    ]);
    expect(planShellRemove(dirs)).toEqual([{ kind: 'remove', path: '/Users/ada/Library/Services/Send to Feishu.workflow', recursive: true }]);
  });
});
