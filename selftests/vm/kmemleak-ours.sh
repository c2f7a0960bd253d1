#!/bin/bash
# kmemleak-ours.sh FILE: print the kmemleak reports in FILE (the contents of
# /sys/kernel/debug/kmemleak) that kameipsec is to blame for, and exit 0 if
# there is one, 1 if none. A report is ours when a frame of its allocation
# backtrace is in kameipsec ("[kameipsec]") or, the scan having run after
# rmmod, in module text that no longer resolves to a symbol (a bare
# 0xffffffffc... address: the only module the suite unloads besides
# kameipsec is af_key, whose reports would name it while it is loaded).
awk '
function flush() { if (rep != "" && mine) { printf "%s", rep; n++ } rep = ""; mine = 0 }
/^unreferenced object/ { flush() }
{ rep = rep $0 "\n" }
/\[kameipsec\]/ || /\] 0xffffffffc[0-9a-f]+$/ { mine = 1 }
END { flush(); exit n ? 0 : 1 }
' "$1"
