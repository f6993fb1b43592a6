#!/bin/bash
# FeiSync .deb post-remove (electron-builder deb.afterRemove): undo after-install.sh.
rm -f '/usr/bin/${executable}'
rm -f /usr/share/applications/feisync-send.desktop
rm -f /usr/share/kio/servicemenus/feisync-send.desktop
update-desktop-database /usr/share/applications || true
