#!/bin/bash
# The engine's counters: /proc/net/kame_ipsecstat and kame_ipsec6stat exist
# in every netns, list every KAME ipsecstat counter and start at zero in a
# new netns.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"

NS=kst$$
cleanup_netns $NS
ip netns add $NS

names="in_success in_polvio in_nosa in_inval in_nomem in_badspi in_ahreplay
in_espreplay in_ahauthsucc in_ahauthfail in_espauthsucc in_espauthfail
out_success out_polvio out_nosa out_inval out_nomem out_noroute"

ktap_plan 3
for f in kame_ipsecstat kame_ipsec6stat; do
	out=$(ip netns exec $NS cat /proc/net/$f)
	missing=
	for n in $names; do
		echo "$out" | grep -qx "$n 0" || missing="$missing $n"
	done
	if [ -z "$missing" ]; then
		ktap_ok "$f lists all 18 counters at 0 in a new netns"
	else
		ktap_note "missing or non-zero:$missing"
		ktap_fail "$f lists all 18 counters at 0 in a new netns"
	fi
done
check "init netns has kame_ipsecstat" test -r /proc/net/kame_ipsecstat
ktap_finish
