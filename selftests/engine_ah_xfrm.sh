#!/bin/bash
# AH (alone, and ESP+AH bundles) against Linux's native XFRM, including
# tunnel-mode AH (which the seed lists as broken in KAME).
#
#   net 10.1.0.0/24, fd01::/64             net 10.2.0.0/24, fd02::/64
#   [A: kameipsec] a0 10.66.0.1 ---- veth ---- b0 10.66.0.2 [B: XFRM]
#                     fd66::1                      fd66::2
#
# Each case: ping both ways and a 4 MiB TCP transfer each way (SHA-256
# compared), XFRM's SAs used without errors.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kaa$$ B=kab$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.66.0.1/24 dev a0
ip -n $B addr add 10.66.0.2/24 dev b0
ip -n $A addr add fd66::1/64 dev a0 nodad
ip -n $B addr add fd66::2/64 dev b0 nodad
ip -n $A addr add 10.1.0.1/32 dev lo
ip -n $B addr add 10.2.0.1/32 dev lo
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up
ip -n $A route add 10.2.0.0/24 via 10.66.0.2 src 10.1.0.1
ip -n $B route add 10.1.0.0/24 via 10.66.0.1 src 10.2.0.1

AK=0x000102030405060708090a0b0c0d0e0f10111213
EK=0x00112233445566778899aabbccddeeff01020304
reset() {
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
}
# sa PROTO SPI SRC DST MODE: one SA on both sides (AH hmac-sha1-96,
# ESP aes-gcm-16).
sa() {
	local xk sk
	if [ "$1" = ah ]; then
		sk="-A hmac-sha1 $AK" xk="auth-trunc hmac(sha1) $AK 96"
	else
		sk="-E aes-gcm-16 $EK" xk="aead rfc4106(gcm(aes)) $EK 128"
	fi
	echo "add $3 $4 $1 $2 -m $5 $sk;" | ip netns exec $A "$SETKEY" -c || return 1
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $3 dst $4 proto $1 spi $2 mode $5 $xk
}

# case_transport FAMILY PROTOS: transport mode, PROTOS innermost first
# ("ah" or "esp ah").
case_transport() {
	local a b p kout kin tmpl_ab tmpl_ba spi=0x4000
	if [ "$1" = 4 ]; then a=10.66.0.1 b=10.66.0.2; else a=fd66::1 b=fd66::2; fi
	reset
	for p in $2; do
		spi=$((spi + 16))
		sa $p $spi $a $b transport || return 1
		sa $p $((spi + 1)) $b $a transport || return 1
		kout="$kout $p/transport//require" kin="$kin $p/transport//require"
		tmpl_ab="$tmpl_ab tmpl src $a dst $b proto $p mode transport"
		tmpl_ba="$tmpl_ba tmpl src $b dst $a proto $p mode transport"
	done
	printf 'spdadd %s %s any -P out ipsec%s;\nspdadd %s %s any -P in ipsec%s;\n' \
		$a $b "$kout" $b $a "$kin" | ip netns exec $A "$SETKEY" -c || return 1
	# shellcheck disable=SC2086
	ip -n $B xfrm policy add src $b dst $a dir out $tmpl_ba &&
	ip -n $B xfrm policy add src $a dst $b dir in $tmpl_ab
}

case_ah_tunnel() {
	reset
	sa ah 0x4101 10.66.0.1 10.66.0.2 tunnel && sa ah 0x4102 10.66.0.2 10.66.0.1 tunnel || return 1
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec ah/tunnel/10.66.0.1-10.66.0.2/require;
	spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec ah/tunnel/10.66.0.2-10.66.0.1/require;
	EOC
	ip -n $B xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out \
		tmpl src 10.66.0.2 dst 10.66.0.1 proto ah mode tunnel &&
	ip -n $B xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir in \
		tmpl src 10.66.0.1 dst 10.66.0.2 proto ah mode tunnel
}

run_case() {
	local t=$1 ha=$2 hb=$3 P=$4
	shift 4
	if ! "$@"; then
		for i in 1 2 3 4 5; do ktap_fail "$t: configure"; done
		return
	fi
	check "$t: ping A -> B" ping_q $A $P $hb
	check "$t: ping B -> A" ping_q $B $P $ha
	check "$t: 4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B $hb
	check "$t: 4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A $ha
	check "$t: both XFRM SAs carried packets, no XFRM errors" xfrm_clean
}

if [ "${ENGINE_FULL:-0}" = 1 ]; then
	ktap_plan 20
	run_case "IPv4 AH transport" 10.66.0.1 10.66.0.2 ping case_transport 4 ah
else
	ktap_plan 15
fi
run_case "IPv6 AH transport" fd66::1 fd66::2 "ping -6" case_transport 6 ah
run_case "IPv4 ESP+AH transport" 10.66.0.1 10.66.0.2 ping case_transport 4 "esp ah"
run_case "IPv4 AH tunnel" 10.1.0.1 10.2.0.1 ping case_ah_tunnel
ip netns exec $A cat /proc/net/kame_ipsecstat | grep -v ' 0$' | sed 's/^/# /'
ktap_finish
