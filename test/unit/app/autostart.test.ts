import { describe, expect, it } from 'vitest';
import { autostartEntry, autostartPath, planAutostart } from '../../../app/main/autostart.js';
import { appLaunchArgv } from '../../../app/main/launchCommand.js';
import { desktopKey, expandExec } from './desktopExec.js';

describe('Linux autostart entry (XDG autostart)', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartPath({ home: '/home/ada' })).toBe('/home/ada/.config/autostart/feisync.desktop');
    expect(autostartPath({ home: '/home/ada', xdgConfigHome: '/cfg' })).toBe('/cfg/autostart/feisync.desktop');
  });

  it('launches FeiSync hidden in the tray, with the app path quoted per the spec', () => {
    const text = autostartEntry(['/home/ada/Apps/FeiSync 0.1.0.AppImage']);
    expect(desktopKey(text, 'Desktop Entry', 'Type')).toBe('Application');
    expect(expandExec(desktopKey(text, 'Desktop Entry', 'Exec'), [])).toEqual(['/home/ada/Apps/FeiSync 0.1.0.AppImage', '--hidden']);
    expect(desktopKey(text, 'Desktop Entry', 'X-GNOME-Autostart-enabled')).toBe('true');
  });

  it('enabling writes the entry, disabling removes it', () => {
    expect(planAutostart(true, { home: '/h' }, ['/opt/FeiSync/feisync-app'])).toEqual([
      { kind: 'write', path: '/h/.config/autostart/feisync.desktop', content: autostartEntry(['/opt/FeiSync/feisync-app']) },
    ]);
    expect(planAutostart(false, { home: '/h' }, ['/x'])).toEqual([{ kind: 'remove', path: '/h/.config/autostart/feisync.desktop' }]);
  });
});

describe('appLaunchArgv', () => {
  it('an AppImage relaunches the AppImage file, not the temporary mount', () => {
    expect(appLaunchArgv({ execPath: '/tmp/.mount_FeiSyABC/feisync-app', appImage: '/home/ada/FeiSync.AppImage', defaultApp: false, appPath: '/x' })).toEqual(['/home/ada/FeiSync.AppImage']);
  });
  it('`electron .` in development needs the app path too', () => {
    expect(appLaunchArgv({ execPath: '/e/electron', defaultApp: true, appPath: '/src/feisync' })).toEqual(['/e/electron', '/src/feisync']);
    expect(appLaunchArgv({ execPath: '/opt/FeiSync/feisync-app', defaultApp: false, appPath: '/opt/FeiSync/resources/app.asar' })).toEqual(['/opt/FeiSync/feisync-app']);
  });
});
