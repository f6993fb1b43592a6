; FeiSync NSIS additions (electron-builder nsis.include).
; Puts "FeiSync" in the Explorer "Send to" menu: Explorer appends the selected
; files, each quoted, after the shortcut's arguments, so FeiSync starts as
;   FeiSync.exe --send "C:\path one\a.txt" "C:\b.txt"
; and a running FeiSync receives them through its single-instance hand-off.
; The same shortcut can be added or removed later from FeiSync's settings.

!macro customInstall
  CreateShortCut "$APPDATA\Microsoft\Windows\SendTo\FeiSync.lnk" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" "--send" "$INSTDIR\${APP_EXECUTABLE_FILENAME}" 0 SW_SHOWNORMAL "" "Send to Feishu"
!macroend

!macro customUnInstall
  Delete "$APPDATA\Microsoft\Windows\SendTo\FeiSync.lnk"
!macroend
