#!/bin/bash
# Where nftables sees kameipsec's packets (Documentation/engine.md, "Hook
# points and priorities"): chains at priority 0 (filter) and at priority
# 2147483647 (after the engine's INT_MAX - 1) on every hook of the
# kameipsec gateway A count ICMP and ESP packets for 3 echoes:
#
#   H h0 10.1.0.2 --- a1 10.1.0.1 [A: kameipsec] a0 10.77.0.1 --- b0 10.77.0.2 [B: XFRM]
#                                                                  10.2.0.1 on lo
#
# transport mode (A <-> B), tunnel mode from A itself (10.1.0.1 -> 10.2.0.1)
# and tunnel mode for H (forwarded). Output: the clear packet passes output
# and postrouting (priority 0) and is taken before the last postrouting
# chain; the ESP packet then passes output and postrouting, as a local
# packet. Input: the ESP packet passes prerouting and input (priority 0) and
# is taken before the last input chain; the decrypted packet then passes
# prerouting and input (or forward), the last chains included.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
command -v nft >/dev/null || skip_all "no nft"
A=kna$$ B=knb$$ H=knh$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

cleanup_netns $A $B $H

setup() {
	netns_add $A $B $H
	ip -n $A link add a0 type veth peer name b0 netns $B
	ip -n $A link add a1 type veth peer name h0 netns $H
	ip -n $A addr add 10.77.0.1/24 dev a0
	ip -n $B addr add 10.77.0.2/24 dev b0
	ip -n $A addr add 10.1.0.1/24 dev a1
	ip -n $H addr add 10.1.0.2/24 dev h0
	ip -n $B addr add 10.2.0.1/32 dev lo
	for n in $A $B $H; do ip -n $n link set lo up; done
	ip -n $A link set a0 up; ip -n $A link set a1 up
	ip -n $B link set b0 up; ip -n $H link set h0 up
	ip netns exec $A sysctl -qw net.ipv4.ip_forward=1
	ip -n $H route add default via 10.1.0.1
	ip -n $A route add 10.2.0.0/24 via 10.77.0.2
	ip -n $B route add 10.1.0.0/24 via 10.77.0.1 src 10.2.0.1
	# A warm ARP cache keeps the counted traffic to the echoes.
	ip netns exec $A ping -c 1 -W 2 10.77.0.2 >/dev/null
	ip netns exec $H ping -c 1 -W 2 10.1.0.1 >/dev/null
	xfrm_keys aes-gcm-16
}

# configure transport|tunnel
configure() {
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
	local mode=$1 pa pb ga=10.77.0.1 gb=10.77.0.2 req1 req2
	if [ $mode = transport ]; then
		pa=10.77.0.1 pb=10.77.0.2 req1=esp/transport//require req2=$req1
	else
		pa=10.1.0.0/24 pb=10.2.0.0/24
		req1=esp/tunnel/$ga-$gb/require req2=esp/tunnel/$gb-$ga/require
	fi
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add $ga $gb esp 0x4001 -m $mode $KEYS_SETKEY;
	add $gb $ga esp 0x4002 -m $mode $KEYS_SETKEY;
	spdadd $pa $pb any -P out ipsec $req1;
	spdadd $pb $pa any -P in ipsec $req2;
	EOC
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $ga dst $gb proto esp spi 0x4001 mode $mode $KEYS_XFRM &&
	ip -n $B xfrm state add src $gb dst $ga proto esp spi 0x4002 mode $mode $KEYS_XFRM &&
	ip -n $B xfrm policy add src $pb dst $pa dir out tmpl src $gb dst $ga proto esp mode $mode &&
	ip -n $B xfrm policy add src $pa dst $pb dir in tmpl src $ga dst $gb proto esp mode $mode
}

HOOKS="prerouting input forward output postrouting"
# A fresh table: per hook, a chain at 0 and one at INT_MAX, each counting
# ICMP and ESP in named counters <hook><0|max>_<icmp|esp>.
nft_load() {
	local h p pn rules="table ip kord {"
	for h in $HOOKS; do
		for p in 0 max; do
			pn=0; [ $p = max ] && pn=2147483647
			rules="$rules
	counter ${h}${p}_icmp { }
	counter ${h}${p}_esp { }
	chain ${h}_$p {
		type filter hook $h priority $pn; policy accept;
		ip protocol icmp counter name ${h}${p}_icmp
		ip protocol esp counter name ${h}${p}_esp
	}"
		done
	done
	ip netns exec $A nft delete table ip kord 2>/dev/null
	echo "$rules
}" | ip netns exec $A nft -f -
}

# counts: "name=packets" for every counter, one line.
counts() {
	ip netns exec $A nft -j list counters table ip kord | $PY -c '
import json, sys
out = []
for o in json.load(sys.stdin)["nftables"]:
    c = o.get("counter")
    if c: out.append("%s=%d" % (c["name"], c["packets"]))
print(" ".join(sorted(out)))'
}

# expect "EXPECTED": every listed counter has its value, the others are 0.
expect() {
	local got want name val bad=0
	want=" $(echo $1) "	# one line, single spaces
	got=$(counts)
	for kv in $got; do
		name=${kv%%=*} val=${kv#*=}
		case "$want" in
		*" $name="*) w=${want#* $name=}; w=${w%% *} ;;
		*) w=0 ;;
		esac
		[ "$val" = "$w" ] || { ktap_note "$name: $val, want $w"; bad=1; }
	done
	[ -n "$got" ] && [ $bad = 0 ]
}

setup || skip_all "setup failed"
ktap_plan 3

# Local traffic: the same picture in transport and tunnel mode.
LOCAL="output0_icmp=3 output0_esp=3 outputmax_icmp=3 outputmax_esp=3
	postrouting0_icmp=3 postrouting0_esp=3 postroutingmax_esp=3
	prerouting0_esp=3 prerouting0_icmp=3 preroutingmax_esp=3 preroutingmax_icmp=3
	input0_esp=3 input0_icmp=3 inputmax_icmp=3"

configure transport && nft_load &&
	ping_q $A ping -I 10.77.0.1 10.77.0.2
check "transport, A -> B: clear then ESP on output, ESP then clear on input" expect "$LOCAL"

configure tunnel && nft_load &&
	ping_q $A ping -I 10.1.0.1 10.2.0.1
check "tunnel, A's own packets: clear then ESP on output, ESP then clear on input" expect "$LOCAL"

# Forwarded (H -> B's network through A's tunnel): requests H -> 10.2.0.1
# clear in prerouting/forward/postrouting 0, ESP from output on; replies
# ESP in prerouting/input 0, then clear in prerouting/forward/postrouting.
nft_load && ping_q $H ping 10.2.0.1
check "tunnel, forwarded for H: same order, clear packets through forward" expect "
	prerouting0_icmp=6 preroutingmax_icmp=6 prerouting0_esp=3 preroutingmax_esp=3
	forward0_icmp=6 forwardmax_icmp=6
	output0_esp=3 outputmax_esp=3
	postrouting0_icmp=6 postroutingmax_icmp=3 postrouting0_esp=3 postroutingmax_esp=3
	input0_esp=3"
ktap_finish
