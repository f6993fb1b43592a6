import { describe, expect, it } from 'vitest';
import { defaultStateDir } from '../../../src/platform/stateDir.js';

describe('defaultStateDir', () => {
  const home = '/home/ann';
  it.each([
    ['linux', {}, '/home/ann/.local/state/feisync'],
    ['linux', { XDG_STATE_HOME: '/xdg/state' }, '/xdg/state/feisync'],
    ['linux', { XDG_STATE_HOME: 'relative/is/invalid' }, '/home/ann/.local/state/feisync'],
    ['darwin', {}, '/home/ann/Library/Application Support/FeiSync'],
    ['win32', { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'C:\\Users\\ann\\AppData\\Local\\FeiSync'],
    ['linux', { FEISYNC_STATE_DIR: '/portable/state', XDG_STATE_HOME: '/xdg' }, '/portable/state'],
  ] as const)('on %s with %j → %s', (platform, env, expected) => {
    expect(defaultStateDir({ platform, env, home })).toBe(expected);
  });
});
