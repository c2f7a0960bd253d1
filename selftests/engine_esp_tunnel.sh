#!/bin/bash
# ESP tunnel mode against Linux's native XFRM: two gateways, each with a
# protected network on its loopback (the hosts behind them).
#
#   net 10.1.0.0/24, fd01::/64             net 10.2.0.0/24, fd02::/64
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B: XFRM]
#                     fd77::1                      fd77::2
#
# For IPv4-in-IPv4 and IPv6-in-IPv6: ping between the networks both ways
# and a 4 MiB TCP transfer each way, SHA-256 compared; the decapsulated
# packets must pass kameipsec's inbound policy check (tunnel endpoints).
# Then: a packet from the protected network that arrives clear is dropped
# and counted as in_polvio (the "in" policy requires the tunnel).
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kta$$ B=ktb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

cleanup_netns $A $B


# configure FAMILY ALG: tunnel SAs 0x2001 (A->B), 0x2002 (B->A).
configure() {
	local ga gb na nb
	if [ "$1" = 4 ]; then ga=10.77.0.1 gb=10.77.0.2 na=10.1.0.0/24 nb=10.2.0.0/24
	else ga=fd77::1 gb=fd77::2 na=fd01::/64 nb=fd02::/64; fi
	xfrm_keys "$2"
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add $ga $gb esp 0x2001 -m tunnel $KEYS_SETKEY;
	add $gb $ga esp 0x2002 -m tunnel $KEYS_SETKEY;
	spdadd $na $nb any -P out ipsec esp/tunnel/$ga-$gb/require;
	spdadd $nb $na any -P in ipsec esp/tunnel/$gb-$ga/require;
	EOC
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $ga dst $gb proto esp spi 0x2001 mode tunnel $KEYS_XFRM &&
	ip -n $B xfrm state add src $gb dst $ga proto esp spi 0x2002 mode tunnel $KEYS_XFRM &&
	ip -n $B xfrm policy add src $nb dst $na dir out tmpl src $gb dst $ga proto esp mode tunnel &&
	ip -n $B xfrm policy add src $na dst $nb dir in tmpl src $ga dst $gb proto esp mode tunnel
}

# clear_probe: B sends one clear UDP packet from its protected network to
# A's (no XFRM policy for it), which A must drop as in_polvio.
clear_probe() {
	local before after
	ip -n $B xfrm policy flush
	before=$(stat_of kame_ipsecstat in_polvio)
	ip netns exec $B $PY -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.2.0.1", 0)); s.sendto(b"clear", ("10.1.0.1", 9))'
	sleep 0.5
	after=$(stat_of kame_ipsecstat in_polvio)
	ktap_note "in_polvio $before -> $after"
	[ "$after" -eq $((before + 1)) ] &&
		ip netns exec $A cat /proc/net/kame_ipsecstat | grep -q '^drop in_policy_clear 1 '
	# (no process substitution: the VM has no /dev/fd)
}

gateways_setup
if [ "${ENGINE_FULL:-0}" = 1 ]; then
	CASES="4:aes-gcm-16 4:aes-cbc-sha256 6:aes-gcm-16 6:aes-cbc-sha256"
else
	CASES="4:aes-gcm-16 6:aes-cbc-sha256"
fi
set -- $CASES
ktap_plan $(($# * 6 + 1))
for c in $CASES; do
	fam=${c%%:*} alg=${c#*:}
	if [ $fam = 4 ]; then ha=10.1.0.1 hb=10.2.0.1 st=kame_ipsecstat P=ping
	else ha=fd01::1 hb=fd02::1 st=kame_ipsec6stat P="ping -6"; fi
	{
		t="IPv$fam-in-IPv$fam $alg tunnel"
		if ! configure $fam $alg; then
			for i in 1 2 3 4 5 6; do ktap_fail "$t: configure"; done
			continue
		fi
		out0=$(stat_of $st out_success) in0=$(stat_of $st in_success)
		check "$t: ping net A -> net B" ping_q $A $P -I $ha $hb
		check "$t: ping net B -> net A" ping_q $B $P -I $hb $ha
		check "$t: 4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B $hb $ha
		check "$t: 4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A $ha $hb
		out1=$(stat_of $st out_success) in1=$(stat_of $st in_success)
		ktap_note "$t: out_success +$((out1 - out0)) in_success +$((in1 - in0))"
		check "$t: kame counters moved" test $((out1 - out0)) -gt 100 -a $((in1 - in0)) -gt 100
		check "$t: both XFRM SAs carried packets, no XFRM errors" xfrm_clean
	}
done
configure 4 aes-gcm-16
check "clear packet from the protected network: dropped, in_polvio +1" clear_probe
ktap_finish
