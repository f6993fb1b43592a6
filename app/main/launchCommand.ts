/** The argv that starts this FeiSync again (autostart entries, shell integrations). */
export interface LaunchContext {
  /** process.execPath */
  execPath: string;
  /** $APPIMAGE: the AppImage file (execPath points inside its temporary mount). */
  appImage?: string;
  /** process.defaultApp: true when run as `electron <appPath>` in development. */
  defaultApp: boolean;
  /** app.getAppPath() */
  appPath: string;
}

export function appLaunchArgv(ctx: LaunchContext): string[] {
  if (ctx.appImage) return [ctx.appImage];
  return ctx.defaultApp ? [ctx.execPath, ctx.appPath] : [ctx.execPath];
}
