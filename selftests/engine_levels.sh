#!/bin/bash
# KAME levels without SAs: "use" sends clear, "require" drops and counts
# out_nosa; "discard" drops and counts out_polvio; "none" passes.
#
#   [A: kameipsec, policies] a0 10.55.0.1 ---- veth ---- b0 10.55.0.2 [B]
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kla$$ B=klb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.55.0.1/24 dev a0
ip -n $B addr add 10.55.0.2/24 dev b0
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up

policy() {
	ip netns exec $A "$SETKEY" -FP >/dev/null
	echo "spdadd 10.55.0.1 10.55.0.2 icmp -P out $1;" | ip netns exec $A "$SETKEY" -c
}
# expect_ping OK|FAIL COUNTER DELTA
expect_ping() {
	local c0 c1 rc=0
	c0=$(stat_of kame_ipsecstat "$2")
	ip netns exec $A ping -c 2 -i 0.2 -W 1 10.55.0.2 >/dev/null 2>&1 || rc=1
	c1=$(stat_of kame_ipsecstat "$2")
	ktap_note "ping rc $rc, $2 $c0 -> $c1"
	if [ "$1" = OK ]; then [ $rc -eq 0 ]; else [ $rc -ne 0 ]; fi &&
		[ "$c1" -eq $((c0 + $3)) ]
}

ktap_plan 4
policy "ipsec esp/transport//use"
check "use, no SA: sent clear, answered, out_nosa unchanged" expect_ping OK out_nosa 0
policy "ipsec esp/transport//require"
check "require, no SA: dropped, out_nosa +2" expect_ping FAIL out_nosa 2
policy "discard"
check "discard: dropped, out_polvio +2" expect_ping FAIL out_polvio 2
policy "none"
check "none: clear, answered" expect_ping OK out_polvio 0
ktap_finish
