#!/bin/bash
# dist/modprobe.d/kameipsec.conf against the stock kernel's modules (the
# VM's, unpacked by make vm-kernel): PF_KEY's alias names kameipsec, and
# "modprobe af_key" runs the rule that loads kameipsec instead (issue #17).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$TOP/selftests/lib.sh"

conf=$TOP/dist/modprobe.d/kameipsec.conf
ktap_plan 4
kroot=$(ls -d "$TOP"/build/kernel/*/root 2>/dev/null | head -n 1)
if [ -z "$kroot" ] || [ ! -e "$kroot/.complete" ]; then
	for i in 1 2 3 4; do ktap_skip "no stock kernel (make vm-kernel)"; done
	ktap_finish
	exit
fi
kver=$(ls "$kroot/lib/modules")
mp() { modprobe -C "$conf" -d "$kroot" -S "$kver" "$@"; }

check "the stock kernel has af_key as a module" \
	grep -q 'kernel/net/key/af_key.ko:' "$kroot/lib/modules/$kver/modules.dep"
cfg=$(mp --showconfig)
check "net-pf-15 (PF_KEY) is kameipsec's alias" \
	grep -qx 'alias net_pf_15 kameipsec' <<<"$cfg"
check "af_key is blacklisted (no autoload through its own alias)" \
	grep -qx 'blacklist af_key' <<<"$cfg"
out=$(mp -n -v af_key 2>&1)
check "modprobe -n -v af_key: loads kameipsec, not af_key.ko" \
	eval 'grep -qx "install /sbin/modprobe --ignore-install kameipsec *" <<<"$out" &&
	      ! grep -q "af_key.ko" <<<"$out"'
ktap_finish
