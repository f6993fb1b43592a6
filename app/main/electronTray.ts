/** The tray icon and its menu: MenuModel (trayMenu.ts) → Electron Tray/Menu. Electron edge, not unit-tested. */
import { join } from 'node:path';
import { Menu, nativeImage, nativeTheme, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { trayIconFile, type MenuAction, type MenuItemModel, type MenuModel, type TrayIconKind } from './trayMenu.js';

export function toElectronMenu(items: MenuItemModel[], run: (action: MenuAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => run(item.action) };
      case 'submenu':
        return { label: item.label, submenu: toElectronMenu(item.items, run) };
    }
  });
}

export class TrayController {
  private readonly tray: Tray;
  private readonly images = new Map<string, NativeImage>();
  private last: MenuModel | null = null;

  constructor(
    private readonly iconsDir: string,
    private readonly run: (action: MenuAction) => void,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.tray = new Tray(this.image('idle', 0));
    nativeTheme.on('updated', () => this.last && this.update(this.last));
    if (platform === 'win32') this.tray.on('click', () => this.tray.popUpContextMenu());
  }

  update(model: MenuModel): void {
    this.last = model;
    this.tray.setImage(this.image(model.icon, model.badge));
    this.tray.setToolTip(model.tooltip);
    if (this.platform === 'darwin') this.tray.setTitle(model.badge > 0 ? String(model.badge) : '');
    this.tray.setContextMenu(Menu.buildFromTemplate(toElectronMenu(model.items, this.run)));
  }

  destroy(): void {
    this.tray.destroy();
  }

  private image(kind: TrayIconKind, badge: number): NativeImage {
    // Linux panels are mostly dark; elsewhere follow the system theme.
    const dark = this.platform === 'linux' ? true : nativeTheme.shouldUseDarkColors;
    const path = join(this.iconsDir, trayIconFile(kind, badge, this.platform, dark));
    let image = this.images.get(path);
    if (!image) {
      image = nativeImage.createFromPath(path);
      if (this.platform === 'darwin') image.setTemplateImage(true);
      this.images.set(path, image);
    }
    return image;
  }
}
