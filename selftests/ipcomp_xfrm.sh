#!/bin/bash
# IPComp (deflate) interop with Linux's native XFRM: kameipsec in namespace
# A, XFRM in namespace B, joined by a veth pair. SAs and policies in A are
# installed with setkey (PF_KEY), in B with "ip xfrm".
#
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B: XFRM]
#                  fd77::1                          fd77::2
#
# Each case (family, mode, IPComp alone or under ESP): ping both ways (small
# packets: sent uncompressed by both sides), a 4 MiB compressible and a
# 4 MiB random TCP transfer (SHA-256 compared), and the counters in
# /proc/net/kame_ipsec{,6}stat: compressed packets for the text, packets
# left uncompressed for the random data and the pings; in tunnel mode the
# pings from XFRM arrive as plain IP-in-IP (ipcomp_in_uncompr). Then:
# setkey -D lists the ipcomp SA; a deflate bomb and garbage are counted
# drops; one kameipsec <-> kameipsec case (IPComp + ESP, transport). By
# default two XFRM cases (IPv4 transport IPComp alone, IPv6 tunnel IPComp +
# ESP); ENGINE_FULL=1: all eight (or IPCOMP_CASES="fam:mode:comp|esp ...").
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

A=kca$$ B=kcb$$
cleanup_netns $A $B
cleanup_files "/tmp/kc.$$.*"

setup() {
	pair_setup
	# Static neighbours: IPv6 neighbour discovery between the two
	# addresses would itself match the "any" policies.
	local ma mb
	ma=$(ip -n $A -br link show a0 | awk '{ print $3 }')
	mb=$(ip -n $B -br link show b0 | awk '{ print $3 }')
	ip -n $A neigh replace 10.77.0.2 lladdr "$mb" dev a0 nud permanent
	ip -n $A neigh replace fd77::2 lladdr "$mb" dev a0 nud permanent
	ip -n $B neigh replace 10.77.0.1 lladdr "$ma" dev b0 nud permanent
	ip -n $B neigh replace fd77::1 lladdr "$ma" dev b0 nud permanent
}

# The two payloads: text that deflates well, and random bytes.
mkdata() {
	$PY -c '
import sys
out = open(sys.argv[1], "wb"); n = 0; i = 0
while n < 4194304:
    line = b"%08d kameipsec IPComp test line: the quick brown fox jumps over the lazy dog\n" % i
    out.write(line); n += len(line); i += 1
' /tmp/kc.$$.text
	head -c 4194304 /tmp/kc.$$.text >/tmp/kc.$$.t && mv /tmp/kc.$$.t /tmp/kc.$$.text
	head -c 4194304 /dev/urandom >/tmp/kc.$$.random
}

# xfer FROM_NS TO_NS TO_ADDR FILE: 4 MiB over TCP, SHA-256 compared.
xfer() { tcp_xfer_file "$@"; }

cstat() { ip netns exec ${3:-$A} awk -v k="$2" '$1 == k { print $2 }' /proc/net/$1; }

# delta NAME: how much counter NAME moved since snap.
declare -A SNAP
snap() { local k; for k in $CNT; do SNAP[$k]=$(cstat $st $k); done; }
delta() { echo $(($(cstat $st $1) - ${SNAP[$1]})); }
CNT="ipcomp_output ipcomp_input ipcomp_uncompr ipcomp_threshold ipcomp_in_uncompr
out_success in_success"
# at_least NAME N: counter NAME moved by N or more since snap.
at_least() {
	local d
	d=$(delta $1)
	[ "$d" -ge "$2" ] && return 0
	ktap_note "$1 moved by $d, want >= $2"
	return 1
}

flush_all() {
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
}

# configure FAMILY MODE STACK: IPComp CPI 0x4001 (A->B) and 0x4002 (B->A),
# under ESP 0x1001 / 0x1002 (aes-gcm-16, transport) when STACK is esp.
# Tunnel mode: host-to-host tunnel between the two addresses.
configure() {
	local fam=$1 mode=$2 stack=$3 a b preq_a preq_b xt_a xt_b
	if [ $fam = 4 ]; then a=10.77.0.1 b=10.77.0.2; else a=fd77::1 b=fd77::2; fi
	flush_all
	xfrm_keys aes-gcm-16
	local tun_ab="" tun_ba=""
	[ $mode = tunnel ] && tun_ab="$a-$b" tun_ba="$b-$a"
	preq_a="ipcomp/$mode/$tun_ab/use" preq_b="ipcomp/$mode/$tun_ba/use"
	# XFRM refuses an optional tunnel-mode template on output.
	xt_a="tmpl src $b dst $a proto comp mode $mode"
	[ $mode = transport ] && xt_a="$xt_a level use"
	xt_b="tmpl src $a dst $b proto comp mode $mode level use"
	if [ $stack = esp ]; then
		preq_a="$preq_a esp/transport//require"
		preq_b="$preq_b esp/transport//require"
		xt_a="$xt_a tmpl src $b dst $a proto esp mode transport"
		xt_b="$xt_b tmpl src $a dst $b proto esp mode transport"
	fi
	{
		echo "add $a $b ipcomp 0x4001 -m $mode -C deflate;"
		echo "add $b $a ipcomp 0x4002 -m $mode -C deflate;"
		if [ $stack = esp ]; then
			echo "add $a $b esp 0x1001 -m transport $KEYS_SETKEY;"
			echo "add $b $a esp 0x1002 -m transport $KEYS_SETKEY;"
		fi
		echo "spdadd $a $b any -P out ipsec $preq_a;"
		echo "spdadd $b $a any -P in ipsec $preq_b;"
	} | ip netns exec $A "$SETKEY" -c || return 1
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $a dst $b proto comp spi 0x4001 mode $mode comp deflate &&
	ip -n $B xfrm state add src $b dst $a proto comp spi 0x4002 mode $mode comp deflate || return 1
	if [ $stack = esp ]; then
		# shellcheck disable=SC2086
		ip -n $B xfrm state add src $a dst $b proto esp spi 0x1001 mode transport $KEYS_XFRM &&
		ip -n $B xfrm state add src $b dst $a proto esp spi 0x1002 mode transport $KEYS_XFRM ||
			return 1
	fi
	# shellcheck disable=SC2086
	ip -n $B xfrm policy add src $b dst $a dir out $xt_a &&
	ip -n $B xfrm policy add src $a dst $b dir in $xt_b
}

# No XFRM errors, and B's inbound IPComp state decompressed something.
xfrm_ok() {
	local errs
	errs=$(ip netns exec $B awk '{ s += $2 } END { print s + 0 }' /proc/net/xfrm_stat)
	[ "$errs" -eq 0 ] && return 0
	ip netns exec $B grep -v ' 0$' /proc/net/xfrm_stat | sed 's/^/# /'
	return 1
}

setup
mkdata
if [ "${ENGINE_FULL:-0}" = 1 ]; then
	CASES="4:transport:comp 6:transport:comp 4:tunnel:comp 6:tunnel:comp
4:transport:esp 6:transport:esp 4:tunnel:esp 6:tunnel:esp"
else
	CASES=${IPCOMP_CASES:-4:transport:comp 6:tunnel:esp}
fi
set -- $CASES
ktap_plan $(($# * 8 + 5))
for c in $CASES; do
	IFS=: read -r fam mode stack <<<"$c"
	if [ $fam = 4 ]; then a=10.77.0.1 b=10.77.0.2 st=kame_ipsecstat P=ping
	else a=fd77::1 b=fd77::2 st=kame_ipsec6stat P="ping -6"; fi
	t="IPv$fam $mode ipcomp"
	[ $stack = esp ] && t="$t+esp"
	if ! configure $fam $mode $stack; then
		for i in 1 2 3 4 5 6 7 8; do ktap_fail "$t: configure"; done
		continue
	fi
	ktap_note "$t: configured at ${SECONDS}s"
	snap
	# 16 data bytes: under the threshold even with a tunnel's inner header.
	check "$t: ping kame -> xfrm" ping_q $A $P -s 16 $b
	check "$t: ping xfrm -> kame" ping_q $B $P -s 16 $a
	if [ $mode = tunnel ]; then
		check "$t: small packets sent plain, XFRM's plain IP-in-IP accepted" \
			eval 'at_least ipcomp_threshold 6 && at_least ipcomp_in_uncompr 6'
	else
		check "$t: small packets sent plain" at_least ipcomp_threshold 6
	fi
	ktap_note "$t: pings done at ${SECONDS}s"
	snap
	check "$t: 4 MiB text kame -> xfrm, sha256 equal" xfer $A $B $b /tmp/kc.$$.text
	check "$t: 4 MiB text xfrm -> kame, sha256 equal" xfer $B $A $a /tmp/kc.$$.text
	ktap_note "$t: text done at ${SECONDS}s"
	ktap_note "$t text: ipcomp_output +$(delta ipcomp_output) ipcomp_input +$(delta ipcomp_input) uncompr +$(delta ipcomp_uncompr)"
	check "$t: text compressed both ways" \
		eval 'at_least ipcomp_output 100 && at_least ipcomp_input 100'
	snap
	check "$t: 4 MiB random kame -> xfrm, sha256 equal" xfer $A $B $b /tmp/kc.$$.random
	ktap_note "$t random: ipcomp_uncompr +$(delta ipcomp_uncompr) ipcomp_output +$(delta ipcomp_output)"
	check "$t: random sent uncompressed, no XFRM errors" \
		eval 'at_least ipcomp_uncompr 1000 && xfrm_ok'
	ktap_note "$t: done at ${SECONDS}s"
done
ip netns exec $A cat /proc/net/kame_ipsecstat | sed 's/^/# /'

# setkey -D shows the IPComp SAs of the last case.
check "setkey -D lists the ipcomp SA with deflate" eval \
	'ip netns exec $A "$SETKEY" -D | grep -A3 "ipcomp mode=" | grep -q "C: deflate"'

# A deflate bomb and garbage for A's IPComp SA (0x4002), sent raw from B
# with B's policies gone: each a counted drop, nothing else happens.
configure 4 transport comp >/dev/null
ip -n $B xfrm policy flush
raw_comp() {
	ip netns exec $B $PY -c '
import socket, sys, zlib
kind = sys.argv[1]
if kind == "bomb":
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = c.compress(b"\0" * (1 << 20)) + c.flush()
else:
    body = bytes(range(7, 247))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 108)
s.sendto(bytes([6, 0, 0x40, 0x02]) + body, ("10.77.0.1", 0))
' "$1"
}
dropc() { ip netns exec $A awk -v k="$1" '$1 == "drop" && $2 == k { print $3 }' /proc/net/kame_ipsecstat; }
raw_comp bomb; raw_comp bomb; raw_comp garbage
sleep 0.5
check "a deflate bomb (1 MiB of zeros) is dropped as in_comp_too_big" test "$(dropc in_comp_too_big)" = 2
check "garbage is dropped as in_comp_bad" test "$(dropc in_comp_bad)" = 1

# kameipsec <-> kameipsec: the same IPComp + ESP bundle in B, set by setkey.
kame_pair() {
	local a=10.77.0.1 b=10.77.0.2
	flush_all
	xfrm_keys aes-gcm-16
	local sas="add $a $b ipcomp 0x4001 -m transport -C deflate;
add $b $a ipcomp 0x4002 -m transport -C deflate;
add $a $b esp 0x1001 -m transport $KEYS_SETKEY;
add $b $a esp 0x1002 -m transport $KEYS_SETKEY;"
	printf '%s\nspdadd %s %s any -P out ipsec ipcomp/transport//use esp/transport//require;\nspdadd %s %s any -P in ipsec ipcomp/transport//use esp/transport//require;\n' \
		"$sas" $a $b $b $a | ip netns exec $A "$SETKEY" -c || return 1
	printf '%s\nspdadd %s %s any -P out ipsec ipcomp/transport//use esp/transport//require;\nspdadd %s %s any -P in ipsec ipcomp/transport//use esp/transport//require;\n' \
		"$sas" $b $a $a $b | ip netns exec $B "$SETKEY" -c
}
if kame_pair; then
	st=kame_ipsecstat
	snap
	ib0=$(cstat kame_ipsecstat ipcomp_input $B)
	check "kame <-> kame ipcomp+esp: ping, 4 MiB text" eval \
		'ping_q $A ping 10.77.0.2 && xfer $A $B 10.77.0.2 /tmp/kc.$$.text'
	ib1=$(cstat kame_ipsecstat ipcomp_input $B)
	ktap_note "kame <-> kame: A ipcomp_output +$(delta ipcomp_output), B ipcomp_input +$((ib1 - ib0))"
	check "kame <-> kame ipcomp+esp: A compressed, B decompressed" \
		eval 'at_least ipcomp_output 100 && [ $((ib1 - ib0)) -ge 100 ]'
else
	ktap_fail "kame <-> kame ipcomp+esp: configure"
	ktap_fail "kame <-> kame ipcomp+esp: A compressed, B decompressed"
fi
ip netns exec $B "$SETKEY" -F >/dev/null 2>&1
ip netns exec $B "$SETKEY" -FP >/dev/null 2>&1
ktap_finish
