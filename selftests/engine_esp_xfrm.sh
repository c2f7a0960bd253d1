#!/bin/bash
# ESP interop with Linux's native XFRM: kameipsec in namespace A, XFRM in
# namespace B, joined by a veth pair. SAs and policies in A are installed
# with setkey (PF_KEY), in B with "ip xfrm".
#
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B: XFRM]
#                  fd77::1                          fd77::2
#
# For each algorithm and family (transport mode): ping both ways, a 4 MiB
# TCP transfer each way with its SHA-256 compared, and the counters in
# /proc/net/kame_ipsec{,6}stat and XFRM's state statistics moving.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

A=kea$$ B=keb$$
cleanup_netns $A $B

# configure FAMILY ALG: SAs 0x1001 (A->B) and 0x1002 (B->A), transport.
configure() {
	local a b
	if [ "$1" = 4 ]; then a=10.77.0.1 b=10.77.0.2; else a=fd77::1 b=fd77::2; fi
	xfrm_keys "$2"
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add $a $b esp 0x1001 -m transport $KEYS_SETKEY;
	add $b $a esp 0x1002 -m transport $KEYS_SETKEY;
	spdadd $a $b any -P out ipsec esp/transport//require;
	spdadd $b $a any -P in ipsec esp/transport//require;
	EOC
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $a dst $b proto esp spi 0x1001 mode transport $KEYS_XFRM &&
	ip -n $B xfrm state add src $b dst $a proto esp spi 0x1002 mode transport $KEYS_XFRM &&
	ip -n $B xfrm policy add src $b dst $a dir out tmpl src $b dst $a proto esp mode transport &&
	ip -n $B xfrm policy add src $a dst $b dir in tmpl src $a dst $b proto esp mode transport
}

pair_setup
# The full matrix with ENGINE_FULL=1; by default a subset that keeps
# "make check" short (TCG is slow).
if [ "${ENGINE_FULL:-0}" = 1 ]; then
	CASES="4:aes-cbc-sha256 4:aes-gcm-16 4:aes-ctr-sha1 6:aes-cbc-sha256 6:aes-gcm-16 6:aes-ctr-sha1"
else
	CASES="4:aes-cbc-sha256 4:aes-gcm-16 6:aes-gcm-16"
fi
set -- $CASES
ktap_plan $(($# * 6))
for c in $CASES; do
	fam=${c%%:*} alg=${c#*:}
	if [ $fam = 4 ]; then a=10.77.0.1 b=10.77.0.2 st=kame_ipsecstat P=ping
	else a=fd77::1 b=fd77::2 st=kame_ipsec6stat P="ping -6"; fi
	{
		t="IPv$fam $alg transport"
		if ! configure $fam $alg; then
			for i in 1 2 3 4 5 6; do ktap_fail "$t: configure"; done
			continue
		fi
		out0=$(stat_of $st out_success) in0=$(stat_of $st in_success)
		check "$t: ping kame -> xfrm" ping_q $A $P $b
		check "$t: ping xfrm -> kame" ping_q $B $P $a
		check "$t: 4 MiB TCP kame -> xfrm, sha256 equal" tcp_xfer $A $B $b
		check "$t: 4 MiB TCP xfrm -> kame, sha256 equal" tcp_xfer $B $A $a
		out1=$(stat_of $st out_success) in1=$(stat_of $st in_success)
		ktap_note "$t: out_success +$((out1 - out0)) in_success +$((in1 - in0))"
		check "$t: kame counters moved" test $((out1 - out0)) -gt 100 -a $((in1 - in0)) -gt 100
		check "$t: both XFRM SAs carried packets, no XFRM errors" xfrm_clean
	}
done
ip netns exec $A cat /proc/net/kame_ipsecstat | sed 's/^/# /'
ktap_finish
