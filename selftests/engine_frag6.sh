#!/bin/bash
# Fragmented ESP from Linux's native XFRM: a 1280-byte link, ESP transport
# mode, IPv6 and IPv4.
#
#   [A: kameipsec] a0 10.77.0.1, fd77::1 ==== MTU 1280 ==== b0 10.77.0.2, fd77::2 [B: XFRM]
#
# XFRM encrypts a 3000-byte echo request whole and IP fragments the ESP
# packet; A must reassemble it before ESP (IPv6 fragments reach the
# LOCAL_IN hook unreassembled: the engine gathers them; IPv4's are
# reassembled by ip_local_deliver first) and its 3000-byte reply leaves
# as fragments of one ESP packet, which XFRM accepts. Then a 4 MiB TCP
# transfer each way (SHA-256 compared) over the small link, a 3000-byte
# UDP datagram from B arrives whole, and B's fragment counters prove the
# ESP packets were fragmented. (TCP: IPv4 A -> B and IPv6 B -> A by default,
# both ways with ENGINE_FULL=1.)
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kfa$$ B=kfb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

cleanup_netns $A $B

setup() {
	netns_add $A $B
	ip -n $A link add a0 mtu 1280 type veth peer name b0 mtu 1280 netns $B
	ip -n $A addr add 10.77.0.1/24 dev a0
	ip -n $B addr add 10.77.0.2/24 dev b0
	ip -n $A addr add fd77::1/64 dev a0 nodad
	ip -n $B addr add fd77::2/64 dev b0 nodad
	for n in $A $B; do ip -n $n link set lo up; done
	ip -n $A link set a0 up
	ip -n $B link set b0 up
	xfrm_keys aes-gcm-16
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add 10.77.0.1 10.77.0.2 esp 0x1101 -m transport $KEYS_SETKEY;
	add 10.77.0.2 10.77.0.1 esp 0x1102 -m transport $KEYS_SETKEY;
	add fd77::1 fd77::2 esp 0x1103 -m transport $KEYS_SETKEY;
	add fd77::2 fd77::1 esp 0x1104 -m transport $KEYS_SETKEY;
	spdadd 10.77.0.1 10.77.0.2 any -P out ipsec esp/transport//require;
	spdadd 10.77.0.2 10.77.0.1 any -P in ipsec esp/transport//require;
	spdadd fd77::1 fd77::2 any -P out ipsec esp/transport//require;
	spdadd fd77::2 fd77::1 any -P in ipsec esp/transport//require;
	EOC
	local a b s1 s2
	for v in "10.77.0.1 10.77.0.2 0x1101 0x1102" "fd77::1 fd77::2 0x1103 0x1104"; do
		set -- $v
		a=$1 b=$2 s1=$3 s2=$4
		# shellcheck disable=SC2086
		ip -n $B xfrm state add src $a dst $b proto esp spi $s1 mode transport $KEYS_XFRM &&
		ip -n $B xfrm state add src $b dst $a proto esp spi $s2 mode transport $KEYS_XFRM &&
		ip -n $B xfrm policy add src $b dst $a dir out tmpl src $b dst $a proto esp mode transport &&
		ip -n $B xfrm policy add src $a dst $b dir in tmpl src $a dst $b proto esp mode transport ||
			return 1
	done
}

# snmp NS FILE KEY: one counter of /proc/net/snmp (IPv4: "Ip: ..." header
# and value lines) or /proc/net/snmp6 ("Key value").
snmp() {
	if [ "$2" = snmp6 ]; then
		ip netns exec $1 awk -v k="$3" '$1 == k { print $2 }' /proc/net/snmp6
	else
		ip netns exec $1 awk -v k="$3" '$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
			$1 == "Ip:" { print $c[k] }' /proc/net/snmp
	fi
}

# udp_noports NS: the datagrams NS's UDP (both families) found no socket for.
udp_noports() {
	echo $(($(snmp_udp $1 NoPorts) + $(ip netns exec $1 awk '$1 == "Udp6NoPorts" { print $2 }' /proc/net/snmp6)))
}
snmp_udp() {
	ip netns exec $1 awk -v k="$2" '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == "Udp:" { print $c[k] }' /proc/net/snmp
}

# udp_big FROM_NS TO_NS TO_ADDR: one 3000-byte datagram arrives whole. The
# receiver waits 10 s (times KAME_SLOW) from its bind; on a failure, whether
# the datagram came when no socket was there (NoPorts) is noted.
udp_big() {
	local rcv np0
	np0=$(udp_noports $2)
	ip netns exec $2 $PY -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 7777)); s.settimeout(int(sys.argv[2]))
d = s.recv(65535)
sys.exit(0 if d == bytes(range(250)) * 12 else 1)
' "$3" $((10 * ${KAME_SLOW:-1})) &
	rcv=$!
	wait_for 30 udp_bound $2 7777 || { kill $rcv; return 1; }
	ip netns exec $1 $PY -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes(range(250)) * 12, (sys.argv[1], 7777))
' "$3"
	wait $rcv && return 0
	ktap_note "$2: datagrams to no socket +$(($(udp_noports $2) - np0))"
	return 1
}

setup || skip_all "setup failed"
ktap_plan $([ "${ENGINE_FULL:-0}" = 1 ] && echo 14 || echo 12)
for fam in 6 4; do
	if [ $fam = 6 ]; then
		a=fd77::1 b=fd77::2 st=kame_ipsec6stat f=snmp6 fk=Ip6FragCreates
	else
		a=10.77.0.1 b=10.77.0.2 st=kame_ipsecstat f=snmp fk=FragCreates
	fi
	frag0=$(snmp $B $f $fk) in0=$(stat_of $st in_success) inval0=$(stat_of $st in_inval)
	check "IPv$fam: ping -s 3000 B -> A (fragmented ESP both ways)" \
		ping_q $B ping -$fam -s 3000 $a
	check "IPv$fam: ping -s 3000 A -> B" ping_q $A ping -$fam -s 3000 $b
	check "IPv$fam: a 3000-byte UDP datagram B -> A arrives whole" udp_big $B $A $a
	frag1=$(snmp $B $f $fk) in1=$(stat_of $st in_success)
	ktap_note "IPv$fam: B's $fk +$((frag1 - frag0)), A's in_success +$((in1 - in0))"
	# 6 echoes + 1 datagram, each at least 3 fragments (1280-byte link)
	check "IPv$fam: B fragmented its ESP packets (>= 21 fragments)" test $((frag1 - frag0)) -ge 21
	# By default one direction per family (TCG is slow); ENGINE_FULL=1: both.
	if [ $fam = 4 ] || [ "${ENGINE_FULL:-0}" = 1 ]; then
		check "IPv$fam: 4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B $b $a
	fi
	if [ $fam = 6 ] || [ "${ENGINE_FULL:-0}" = 1 ]; then
		check "IPv$fam: 4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A $a $b
	fi
	inval1=$(stat_of $st in_inval)
	check "IPv$fam: A decrypted the 7 big packets, no invalid input (in_inval +0)" \
		test $inval1 -eq $inval0 -a $((in1 - in0)) -ge 7
done
ktap_finish
