#!/bin/bash
# Modules named in SEEN (one per line, as /proc/modules names them) that the
# kernel whose module directory is MODDIR has neither built in nor as a
# module: what selftests/vm/debug.config should add.
#
#   selftests/vm/debug-missing.sh SEEN MODDIR
#
# kameipsec itself, af_key (=m on purpose) and the 9p bed's modules are
# not asked for.
set -euo pipefail
seen=$1 moddir=$2
have=$(cat "$moddir/modules.builtin" 2>/dev/null
	find "$moddir" -name '*.ko*' 2>/dev/null) || true
have=$(sed 's#.*/##; s/\.ko.*//; s/-/_/g' <<<"$have" | sort -u)
while read -r m; do
	case $m in kameipsec | af_key | 9p | 9pnet | 9pnet_virtio | overlay | "") continue ;; esac
	grep -qx "${m//-/_}" <<<"$have" || echo "$m"
done <"$seen"
