#!/bin/bash
# The kernel problems in a guest's dmesg, one report at a time:
#
#   selftests/vm/splats.sh DMESG [KNOWN]
#
# Prints each report (its first line and the 20 after it) that is not a
# known upstream one (selftests/vm/known-splats: a pattern in the report's
# first 4 lines, and no frame of kameipsec's in it: "[kameipsec]" in a
# trace, or kameipsec among the modules of a WARNING), then "known: LINE" for each
# one let pass. Exits 0 when every report was known (or there were none),
# 1 otherwise.
set -uo pipefail
dmesg=$1
known=${2:-$(dirname "$0")/known-splats}
bad='WARNING:|BUG:|Oops|general protection|KASAN|refcount_t|possible circular locking|possible recursive locking|inconsistent lock state|blocked for more than|new suspected memory leak|UBSAN'
awk -v bad="$bad" -v knownf="$known" '
BEGIN {
	while ((getline l < knownf) > 0)
		if (l !~ /^[ \t]*(#|$)/)
			pat[++npat] = l
}
function flush(   i, head, isknown) {
	if (!n)
		return
	head = r[1] "\n" r[2] "\n" r[3] "\n" r[4]
	isknown = 0
	for (i = 1; i <= npat; i++)
		if (head ~ pat[i])
			isknown = 1
	for (i = 1; i <= n; i++)
		if (r[i] ~ /\[kameipsec\]|Modules linked in:.*kameipsec/)
			isknown = 0
	if (isknown) {
		for (i = 2; i <= 4; i++)
			if (r[i] ~ /[a-z_0-9\/]+\.[ch]:[0-9]+/)
				break
		print "known: " (i <= 4 ? r[i] : r[1])
	} else {
		unknown++
		for (i = 1; i <= n && i <= 21; i++)
			print r[i]
	}
	n = 0
}
$0 ~ bad { flush(); r[++n] = $0; next }
n && n < 60 { r[++n] = $0 }
END { flush(); exit unknown ? 1 : 0 }
' "$dmesg"
