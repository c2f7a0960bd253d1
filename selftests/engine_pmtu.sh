#!/bin/bash
# Path MTU through kameipsec's ESP tunnel (against Linux's native XFRM).
#
#   H (host) h0 --- a1 [A: kameipsec gw] a0 ==== MTU 1400 ==== b0 [B: XFRM gw]
#   10.1.0.2/24         10.1.0.1/24   10.77.0.1            10.77.0.2
#   fd01::2/64          fd01::1/64    fd77::1              fd77::2
#                                                  net 10.2.0.1, fd02::1 on lo
#
# aes-gcm-16 tunnel: 20/40 (outer) + 8 (ESP) + 8 (IV) + 16 (ICV) + 2 bytes,
# padded to 4: the largest clear packet that fits 1400 is 1346 (IPv4) and
# 1326 (IPv6), XFRM's own figure for the same SA. For A's own traffic and
# for H's (forwarded): a DF ping one byte over gets "Frag needed" / "Packet
# too big" (then, once learned, "message too long") naming that MTU and is
# counted once as out_too_big; a ping of exactly the limit passes; a 4 MiB
# TCP transfer (SHA-256 compared) works from A and from H (by default:
# IPv4 from A, IPv6 from H; ENGINE_FULL=1: both from both).
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kpa$$ B=kpb$$ H=kph$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

cleanup_netns $A $B $H

setup() {
	netns_add $A $B $H
	ip -n $A link add a0 mtu 1400 type veth peer name b0 mtu 1400 netns $B
	ip -n $A link add a1 type veth peer name h0 netns $H
	ip -n $A addr add 10.77.0.1/24 dev a0
	ip -n $B addr add 10.77.0.2/24 dev b0
	ip -n $A addr add fd77::1/64 dev a0 nodad
	ip -n $B addr add fd77::2/64 dev b0 nodad
	ip -n $A addr add 10.1.0.1/24 dev a1
	ip -n $H addr add 10.1.0.2/24 dev h0
	ip -n $A addr add fd01::1/64 dev a1 nodad
	ip -n $H addr add fd01::2/64 dev h0 nodad
	ip -n $B addr add 10.2.0.1/32 dev lo
	ip -n $B addr add fd02::1/128 dev lo
	for n in $A $B $H; do ip -n $n link set lo up; done
	ip -n $A link set a0 up; ip -n $A link set a1 up
	ip -n $B link set b0 up; ip -n $H link set h0 up
	ip netns exec $A sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	ip -n $H route add default via 10.1.0.1
	ip -n $H -6 route add default via fd01::1
	ip -n $A route add 10.2.0.0/24 via 10.77.0.2 src 10.1.0.1
	ip -n $B route add 10.1.0.0/24 via 10.77.0.1 src 10.2.0.1
	ip -n $A -6 route add fd02::/64 via fd77::2 src fd01::1
	ip -n $B -6 route add fd01::/64 via fd77::1 src fd02::1
	xfrm_keys aes-gcm-16
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add 10.77.0.1 10.77.0.2 esp 0x3001 -m tunnel $KEYS_SETKEY;
	add 10.77.0.2 10.77.0.1 esp 0x3002 -m tunnel $KEYS_SETKEY;
	add fd77::1 fd77::2 esp 0x3003 -m tunnel $KEYS_SETKEY;
	add fd77::2 fd77::1 esp 0x3004 -m tunnel $KEYS_SETKEY;
	spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/10.77.0.1-10.77.0.2/require;
	spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/10.77.0.2-10.77.0.1/require;
	spdadd fd01::/64 fd02::/64 any -P out ipsec esp/tunnel/fd77::1-fd77::2/require;
	spdadd fd02::/64 fd01::/64 any -P in ipsec esp/tunnel/fd77::2-fd77::1/require;
	EOC
	local g1 g2 n1 n2 s1 s2
	for v in "10.77.0.1 10.77.0.2 10.1.0.0/24 10.2.0.0/24 0x3001 0x3002" \
		 "fd77::1 fd77::2 fd01::/64 fd02::/64 0x3003 0x3004"; do
		set -- $v
		g1=$1 g2=$2 n1=$3 n2=$4 s1=$5 s2=$6
		# shellcheck disable=SC2086
		ip -n $B xfrm state add src $g1 dst $g2 proto esp spi $s1 mode tunnel $KEYS_XFRM &&
		ip -n $B xfrm state add src $g2 dst $g1 proto esp spi $s2 mode tunnel $KEYS_XFRM &&
		ip -n $B xfrm policy add src $n2 dst $n1 dir out tmpl src $g2 dst $g1 proto esp mode tunnel &&
		ip -n $B xfrm policy add src $n1 dst $n2 dir in tmpl src $g1 dst $g2 proto esp mode tunnel ||
			return 1
	done
}

too_big_count() {
	ip netns exec $A awk '$1 == "drop" && $2 == "out_too_big" { print $3 }' /proc/net/$1 |
		grep . || echo 0
}

# df_over NS FAM STATFILE SIZE MTU SRC DST: a DF ping SIZE bytes over the
# limit is refused with MTU named, and counted exactly once by A.
df_over() {
	local ns=$1 fam=$2 st=$3 size=$4 mtu=$5 src=$6 dst=$7 before after out
	before=$(too_big_count $st)
	out=$(ip netns exec $ns ping -$fam -M do -s $size -c 2 -i 0.3 -W 1 -I $src $dst 2>&1)
	after=$(too_big_count $st)
	echo "$out" | grep -Ei 'frag|too big|too long' | sed 's/^/# /'
	ktap_note "out_too_big $before -> $after"
	echo "$out" | grep -Eqi "(frag needed|too big|too long).*mtu *[=:]? *$mtu\b" &&
		[ "$after" -eq $((before + 1)) ]
}

setup || skip_all "setup failed"
ktap_plan $([ "${ENGINE_FULL:-0}" = 1 ] && echo 12 || echo 10)
for fam in 4 6; do
	if [ $fam = 4 ]; then
		mtu=1346 hdr=28 st=kame_ipsecstat a=10.1.0.1 h=10.1.0.2 b=10.2.0.1
	else
		mtu=1326 hdr=48 st=kame_ipsec6stat a=fd01::1 h=fd01::2 b=fd02::1
	fi
	fit=$((mtu - hdr))
	check "IPv$fam: DF ping from A, $((fit + 1)) bytes: told mtu $mtu, out_too_big +1" \
		df_over $A $fam $st $((fit + 1)) $mtu $a $b
	check "IPv$fam: DF ping from A of exactly $mtu bytes passes" \
		ping_q $A ping -$fam -M do -s $fit -I $a $b
	check "IPv$fam: DF ping from H (forwarded), $((fit + 1)) bytes: told mtu $mtu, out_too_big +1" \
		df_over $H $fam $st $((fit + 1)) $mtu $h $b
	check "IPv$fam: DF ping from H of exactly $mtu bytes passes" \
		ping_q $H ping -$fam -M do -s $fit -I $h $b
	# By default one transfer per family (A's own, forwarded): TCG is slow.
	if [ $fam = 4 ] || [ "${ENGINE_FULL:-0}" = 1 ]; then
		check "IPv$fam: 4 MiB TCP A -> B through the tunnel, sha256 equal" \
			tcp_xfer $A $B $b $a
	fi
	if [ $fam = 6 ] || [ "${ENGINE_FULL:-0}" = 1 ]; then
		check "IPv$fam: 4 MiB TCP H -> B (forwarded), sha256 equal" \
			tcp_xfer $H $B $b $h
	fi
done
for f in kame_ipsecstat kame_ipsec6stat; do
	ip netns exec $A grep -E '^(out_inval|drop out_too_big)' /proc/net/$f | sed "s/^/# $f: /"
done
ktap_finish
