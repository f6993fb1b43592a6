import { describe, expect, it } from 'vitest';
import { browserOpener } from '../../../src/cli/openBrowser.js';

describe('browserOpener', () => {
  const desktop = { platform: 'linux' as const, env: { DISPLAY: ':0', PATH: '/usr/bin' }, isTTY: true, onPath: () => true };
  it('opens only on an interactive desktop terminal with an opener', () => {
    expect(browserOpener(desktop)).toEqual({ command: 'xdg-open', args: [] });
    expect(browserOpener({ ...desktop, isTTY: false })).toBeNull();
    expect(browserOpener({ ...desktop, env: { PATH: '/usr/bin' } })).toBeNull(); // no display (SSH, NAS)
    expect(browserOpener({ ...desktop, onPath: () => false })).toBeNull();
    expect(browserOpener({ ...desktop, env: { ...desktop.env, FEISYNC_NO_BROWSER: '1' } })).toBeNull();
    expect(browserOpener({ ...desktop, env: { ...desktop.env, CI: 'true' } })).toBeNull();
    expect(browserOpener({ ...desktop, platform: 'darwin', env: {} })?.command).toBe('open');
    expect(browserOpener({ ...desktop, platform: 'win32', env: {} })?.command).toBe('rundll32');
  });
});
