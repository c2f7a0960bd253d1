#!/bin/bash
# The systemd units, installed as the Debian package installs them (but
# under a scratch PREFIX: verify checks that each ExecStart= binary and
# each man page exists), pass systemd-analyze verify, and the racoon-lite
# unit keeps its sandbox (issue #17).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$TOP/selftests/lib.sh"

units="kameipsec-setkey.service racoon-lite.service"
ktap_plan 5
if ! command -v systemd-analyze >/dev/null; then
	for i in 1 2 3 4 5; do ktap_skip "systemd-analyze is not installed"; done
	ktap_finish
	exit
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
unset MAKEFLAGS MAKELEVEL
u=$root/lib/systemd/system
make -s -C "$TOP/user" install PREFIX="$root/usr" UNITDIR="$u" \
	IPSEC_CONF=/etc/ipsec-tools.conf >/dev/null
for f in $units; do
	out=$(MANPATH=$root/usr/share/man systemd-analyze verify "$u/$f" 2>&1)
	check "$f: systemd-analyze verify is clean" [ -z "$out" ]
	[ -z "$out" ] || sed 's/^/# /' <<<"$out"
done
check "kameipsec-setkey.service loads /etc/ipsec-tools.conf" \
	grep -qx "ExecStart=$root/usr/sbin/setkey -f /etc/ipsec-tools.conf" \
	"$u/kameipsec-setkey.service"
check "racoon-lite.service starts after kameipsec-setkey.service" \
	grep -q '^After=kameipsec-setkey.service' "$u/racoon-lite.service"
# what systemd would grant: only the two capabilities racoon-lite uses
check "racoon-lite.service: CAP_NET_ADMIN CAP_NET_BIND_SERVICE only" \
	grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE' \
	"$u/racoon-lite.service"
sec=$(MANPATH=$root/usr/share/man systemd-analyze security --offline=true \
	"$u/racoon-lite.service" 2>/dev/null | tail -n 1)
ktap_note "racoon-lite.service: ${sec:-systemd-analyze security gave nothing}"
ktap_finish
