#!/bin/bash
# FeiSync: "Send to Feishu" in the Files (Nautilus) Scripts menu.
# Installed and removed from FeiSync's settings (About page).
# Nautilus runs a script in the folder being viewed, with the selected names
# as arguments: make each one absolute so it survives the hand-off to the
# running FeiSync, whatever its working directory.
app=(@FEISYNC_SH_ARGV@)
paths=()
for f in "$@"; do
  case "$f" in
    /*) paths+=("$f") ;;
    *) paths+=("$PWD/$f") ;;
  esac
done
exec "${app[@]}" --send "${paths[@]}"
