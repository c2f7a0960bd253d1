#!/bin/bash
# The ICV length of setkey's plain hmac-sha256 (SADB_X_AALG_SHA2_256HMAC),
# against Linux XFRM as the peer, and the knob that changes it:
#
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B: XFRM]
#
# - default (net.key.sha256_icv96 = 0): RFC 4868's 128 bits, as FreeBSD,
#   NetBSD and IKE have it: ping passes against "auth-trunc hmac(sha256) 128"
#   and fails against XFRM's 96 (so the lengths really differ);
# - net.key.sha256_icv96 = 1: Linux af_key's 96 bits for SAs added from
#   then on; an SA added before keeps its 128;
# - the knob is per netns: a new netns starts at 0;
# - hmac-sha384 / hmac-sha512 keep RFC 4868's 192 / 256 either way.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
[ -r /proc/net/kame_ipsecstat ] ||
	skip_all "the engine is not built in"

A=ksa$$ B=ksb$$ C=ksc$$
cleanup_netns $A $B $C
a() { ip netns exec $A "$@"; }
knob() { a sysctl -n net.key.sha256_icv96; }

EK=0x00112233445566778899aabbccddeeff
K32=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
K48=${K32}000102030405060708090a0b0c0d0e0f
K64=${K32}${K32#0x}

# sas ALG KEY XFRM-NAME TRUNC-BITS: ESP 0x1001/0x1002 with aes-cbc and ALG
# in A (setkey) and the same keys in B with "auth-trunc XFRM-NAME KEY BITS".
sas() {
	a "$SETKEY" -F
	ip -n $B xfrm state flush
	a "$SETKEY" -c <<-EOC || return 1
	add 10.77.0.1 10.77.0.2 esp 0x1001 -m transport -E rijndael-cbc $EK -A $1 $2;
	add 10.77.0.2 10.77.0.1 esp 0x1002 -m transport -E rijndael-cbc $EK -A $1 $2;
	EOC
	xfrm_b "$3" "$2" "$4"
}
# xfrm_b XFRM-NAME KEY BITS: B's two SAs only.
xfrm_b() {
	ip -n $B xfrm state flush
	ip -n $B xfrm state add src 10.77.0.1 dst 10.77.0.2 proto esp spi 0x1001 \
		mode transport enc 'cbc(aes)' $EK auth-trunc "$1" "$2" "$3" &&
	ip -n $B xfrm state add src 10.77.0.2 dst 10.77.0.1 proto esp spi 0x1002 \
		mode transport enc 'cbc(aes)' $EK auth-trunc "$1" "$2" "$3"
}
no_ping() { ! a ping -c 2 -i 0.3 -W 1 -q 10.77.0.2 >/dev/null 2>&1; }

pair_setup
a "$SETKEY" -c <<-EOC
spdadd 10.77.0.1 10.77.0.2 any -P out ipsec esp/transport//require;
spdadd 10.77.0.2 10.77.0.1 any -P in ipsec esp/transport//require;
EOC
ip -n $B xfrm policy add src 10.77.0.2 dst 10.77.0.1 dir out tmpl src 10.77.0.2 dst 10.77.0.1 proto esp mode transport
ip -n $B xfrm policy add src 10.77.0.1 dst 10.77.0.2 dir in tmpl src 10.77.0.1 dst 10.77.0.2 proto esp mode transport

ktap_plan 10

check "net.key.sha256_icv96 is 0 by default" test "$(knob)" = 0
sas hmac-sha256 $K32 'hmac(sha256)' 128
check "default: hmac-sha256 <-> XFRM hmac(sha256) 128: ping" ping_q $A ping 10.77.0.2
xfrm_b 'hmac(sha256)' $K32 96
check "default: hmac-sha256 <-> XFRM hmac(sha256) 96: no ping (the ICVs differ)" no_ping

a sysctl -qw net.key.sha256_icv96=1
xfrm_b 'hmac(sha256)' $K32 128
check "knob set after ADD: the SA keeps its 128-bit ICV (ping vs XFRM 128)" \
	ping_q $A ping 10.77.0.2
sas hmac-sha256 $K32 'hmac(sha256)' 96
check "sha256_icv96 = 1: hmac-sha256 <-> XFRM hmac(sha256) 96: ping" ping_q $A ping 10.77.0.2
sas hmac-sha256-128 $K32 'hmac(sha256)' 128
check "sha256_icv96 = 1: hmac-sha256-128 stays 128 (ping vs XFRM 128)" ping_q $A ping 10.77.0.2
sas hmac-sha384 $K48 'hmac(sha384)' 192
check "sha256_icv96 = 1: hmac-sha384 stays 192 (ping vs XFRM 192)" ping_q $A ping 10.77.0.2

ip netns add $C
check "the knob is per netns: a new netns reads 0" \
	test "$(ip netns exec $C sysctl -n net.key.sha256_icv96)" = 0
a sysctl -qw net.key.sha256_icv96=0
sas hmac-sha512 $K64 'hmac(sha512)' 256
check "default: hmac-sha512 <-> XFRM hmac(sha512) 256: ping" ping_q $A ping 10.77.0.2
sas hmac-sha256 $K32 'hmac(sha256)' 128
check "back to 0: hmac-sha256 <-> XFRM 128 again: ping" ping_q $A ping 10.77.0.2

ktap_finish
