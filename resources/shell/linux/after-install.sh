#!/bin/bash
# FeiSync .deb post-install (electron-builder deb.afterInstall; ${...} are
# electron-builder's template variables). It does what electron-builder's
# default script does, then registers "Send to Feishu" for every user:
# the launcher (.desktop with %F, for "Open With") and the Dolphin service
# menu. Nautilus scripts and Thunar actions live in each user's home:
# FeiSync's settings install those.
set -u
APP_DIR='/opt/${sanitizedProductName}'
EXEC_LINK='/usr/bin/${executable}'
SHELL_DIR="$APP_DIR/resources/shell/linux"

ln -sf "$APP_DIR/${executable}" "$EXEC_LINK"
# Electron's SUID sandbox helper (as in electron-builder's default script).
chmod 4755 "$APP_DIR/chrome-sandbox" || true

# "$EXEC_LINK" has no character the Exec key needs quoted, so it goes in as is.
sed "s|@FEISYNC_EXEC@|$EXEC_LINK|" "$SHELL_DIR/feisync-send.desktop" > /usr/share/applications/feisync-send.desktop
mkdir -p /usr/share/kio/servicemenus
sed "s|@FEISYNC_EXEC@|$EXEC_LINK|" "$SHELL_DIR/dolphin-feisync-send.desktop" > /usr/share/kio/servicemenus/feisync-send.desktop
chmod 755 /usr/share/kio/servicemenus/feisync-send.desktop

update-mime-database /usr/share/mime || true
update-desktop-database /usr/share/applications || true
