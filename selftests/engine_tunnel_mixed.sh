#!/bin/bash
# ESP tunnels whose outer family differs from the inner one, against
# Linux's native XFRM: IPv4 networks through an IPv6 tunnel and IPv6
# networks through an IPv4 tunnel.
#
#   net 10.1.0.0/24, fd01::/64             net 10.2.0.0/24, fd02::/64
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B: XFRM]
#                     fd77::1                      fd77::2
#
# Each mix: ping between the networks both ways and a 4 MiB TCP transfer
# each way, SHA-256 compared; kameipsec's counters moved (a packet counts
# in the family it entered the engine with: out_success in the inner
# family's file, in_success in the outer one's); both XFRM SAs carried packets with no XFRM error; the inbound
# policy check accepted the decapsulated packets (no in_polvio).
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=ktma$$ B=ktmb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

cleanup_netns $A $B


# configure MIX ALG, MIX "4in6" or "6in4": tunnel SAs 0x2101 (A->B), 0x2102.
configure() {
	local ga gb na nb
	if [ "$1" = 4in6 ]; then ga=fd77::1 gb=fd77::2 na=10.1.0.0/24 nb=10.2.0.0/24
	else ga=10.77.0.1 gb=10.77.0.2 na=fd01::/64 nb=fd02::/64; fi
	xfrm_keys "$2"
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add $ga $gb esp 0x2101 -m tunnel $KEYS_SETKEY;
	add $gb $ga esp 0x2102 -m tunnel $KEYS_SETKEY;
	spdadd $na $nb any -P out ipsec esp/tunnel/$ga-$gb/require;
	spdadd $nb $na any -P in ipsec esp/tunnel/$gb-$ga/require;
	EOC
	# XFRM: the state's selector names the inner family.
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $ga dst $gb proto esp spi 0x2101 mode tunnel \
		sel src $na dst $nb $KEYS_XFRM &&
	ip -n $B xfrm state add src $gb dst $ga proto esp spi 0x2102 mode tunnel \
		sel src $nb dst $na $KEYS_XFRM &&
	ip -n $B xfrm policy add src $nb dst $na dir out tmpl src $gb dst $ga proto esp mode tunnel &&
	ip -n $B xfrm policy add src $na dst $nb dir in tmpl src $ga dst $gb proto esp mode tunnel
}

gateways_setup
if [ "${ENGINE_FULL:-0}" = 1 ]; then
	CASES="4in6:aes-gcm-16 4in6:aes-cbc-sha256 6in4:aes-gcm-16 6in4:aes-cbc-sha256"
else
	CASES="4in6:aes-gcm-16 6in4:aes-cbc-sha256"
fi
set -- $CASES
ktap_plan $(($# * 7))
for c in $CASES; do
	mix=${c%%:*} alg=${c#*:}
	if [ $mix = 4in6 ]; then
		ha=10.1.0.1 hb=10.2.0.1 so=kame_ipsecstat si=kame_ipsec6stat
		P=ping t="IPv4-in-IPv6"
	else
		ha=fd01::1 hb=fd02::1 so=kame_ipsec6stat si=kame_ipsecstat
		P="ping -6" t="IPv6-in-IPv4"
	fi
	t="$t $alg tunnel"
	if ! configure $mix $alg; then
		for i in 1 2 3 4 5 6 7; do ktap_fail "$t: configure"; done
		continue
	fi
	out0=$(stat_of $so out_success) in0=$(stat_of $si in_success)
	pv0=$(($(stat_of kame_ipsecstat in_polvio) + $(stat_of kame_ipsec6stat in_polvio)))
	check "$t: ping net A -> net B" ping_q $A $P -I $ha $hb
	check "$t: ping net B -> net A" ping_q $B $P -I $hb $ha
	check "$t: 4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B $hb $ha
	check "$t: 4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A $ha $hb
	out1=$(stat_of $so out_success) in1=$(stat_of $si in_success)
	pv1=$(($(stat_of kame_ipsecstat in_polvio) + $(stat_of kame_ipsec6stat in_polvio)))
	ktap_note "$t: out_success +$((out1 - out0)) in_success +$((in1 - in0)) in_polvio +$((pv1 - pv0))"
	check "$t: kame counters moved" test $((out1 - out0)) -gt 100 -a $((in1 - in0)) -gt 100
	check "$t: no inbound policy violation" test $pv1 -eq $pv0
	check "$t: both XFRM SAs carried packets, no XFRM errors" xfrm_clean
done
ktap_finish
