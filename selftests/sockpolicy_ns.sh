#!/bin/bash
# Per-socket policies between two namespaces joined by a veth pair:
#
#   [A] a0 10.79.0.1 fd79::1 ---- veth ---- b0 10.79.0.2 fd79::2 [B]
#
# Without any SPD entry, TCP between sockets with bypass, entrust or none
# policies works (XFRM lets the traffic through: the policy kameipsec gives
# it has no templates), and a socket with an outbound discard policy cannot
# connect (EPERM). Once the engine applies socket policies (it calls
# kame_sock_policy()), also: bypass beats an SPD entry requiring ESP, and
# "ipsec esp/transport//require" on a pair of sockets with no SPD entry
# protects that connection only.
cd "$(dirname "$0")"
. ./lib.sh
[ -r /proc/net/kame_sockpolicy ] || skip_all "kameipsec not loaded"
SRC=$(cd .. && pwd)
SETKEY=$SRC/user/setkey/setkey
PEER=./sockpolicy_peer
[ -x $PEER ] || skip_all "$PEER not built"

A=spa$$ B=spb$$
netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.79.0.1/24 dev a0
ip -n $B addr add 10.79.0.2/24 dev b0
ip -n $A addr add fd79::1/64 dev a0 nodad
ip -n $B addr add fd79::2/64 dev b0 nodad
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up

PORT=$((30000 + RANDOM % 10000))

# echo_case WANT "SERVER POLICIES" "CLIENT POLICIES" ADDR: the client's exit
# status must be WANT (0 ok, 2 EPERM, "fail" any failure). Policies are
# ;-separated strings. TMO: the peers' poll timeout in ms.
TMO=8000
echo_case() {
	local want=$1 spol=$2 cpol=$3 addr=$4 sargs=() cargs=() p rc
	PORT=$((PORT + 1))
	IFS=';' read -ra p <<<"$spol"
	for x in "${p[@]}"; do [ -n "$x" ] && sargs+=(-p "$x"); done
	IFS=';' read -ra p <<<"$cpol"
	for x in "${p[@]}"; do [ -n "$x" ] && cargs+=(-p "$x"); done
	SOCKPOLICY_TIMEOUT_MS=$TMO ip netns exec $B $PEER server "$addr" $PORT "${sargs[@]}" &
	local srv=$! i
	for i in $(seq 30); do
		ip netns exec $B ss -Hltn "sport = :$PORT" | grep -q . && break
		sleep 0.1
	done
	SOCKPOLICY_TIMEOUT_MS=$TMO ip netns exec $A $PEER client "$addr" $PORT "${cargs[@]}"
	rc=$?
	[ $rc -eq 0 ] && wait $srv || { kill $srv 2>/dev/null; wait $srv 2>/dev/null; }
	if [ "$want" = fail ]; then
		[ $rc -ne 0 ] && return 0
	elif [ $rc -eq "$want" ]; then
		return 0
	fi
	ktap_note "client exit $rc, want $want"
	return 1
}

stat_of() { ip netns exec "$1" awk -v k="$3" '$1 == k { print $2 }' /proc/net/"$2"; }

ktap_plan 16
for fam in 4 6; do
	if [ $fam = 4 ]; then b=10.79.0.2; else b=fd79::2; fi
	check "IPv$fam: bypass both ways, no SPD: TCP echo works" \
		echo_case 0 "in bypass;out bypass" "in bypass;out bypass" $b
	check "IPv$fam: entrust both ways, no SPD: TCP echo works" \
		echo_case 0 "in entrust;out entrust" "in entrust;out entrust" $b
	check "IPv$fam: none on the client, no SPD: TCP echo works" \
		echo_case 0 "" "in none;out none" $b
	check "IPv$fam: out discard on the client: connect fails with EPERM" \
		echo_case 2 "" "out discard" $b
done

# An SPD entry in A requires ESP to B, and no SA exists: plain sockets fail,
# a bypass socket passes.
ip netns exec $A $SETKEY -c <<-EOC >/dev/null
spdadd 10.79.0.1 10.79.0.2 tcp -P out ipsec esp/transport//require;
EOC
TMO=2000
check "SPD requires ESP without an SA: a plain socket cannot connect" \
	echo_case fail "" "" 10.79.0.2
TMO=8000
check "SPD requires ESP without an SA: a bypass socket connects" \
	echo_case 0 "" "out bypass;in bypass" 10.79.0.2
ip netns exec $A $SETKEY -FP >/dev/null

# Socket policies require ESP, no SPD entry at all: SAs both ways.
K=0x00112233445566778899aabbccddeeff
H=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
for n in $A $B; do
	ip netns exec $n $SETKEY -c <<-EOC >/dev/null
	add 10.79.0.1 10.79.0.2 esp 0x4001 -m transport -E rijndael-cbc $K -A hmac-sha256 $H;
	add 10.79.0.2 10.79.0.1 esp 0x4002 -m transport -E rijndael-cbc $K -A hmac-sha256 $H;
	EOC
done
esp="ipsec esp/transport//require"
o0=$(stat_of $A kame_ipsecstat out_success); i0=$(stat_of $A kame_ipsecstat in_success)
check "ESP required by socket policies only: TCP echo works" \
	echo_case 0 "in $esp;out $esp" "in $esp;out $esp" 10.79.0.2
o1=$(stat_of $A kame_ipsecstat out_success); i1=$(stat_of $A kame_ipsecstat in_success)
ktap_note "out_success +$((o1 - o0)) in_success +$((i1 - i0))"
check "... and its packets went through ESP both ways" \
	test $((o1 - o0)) -ge 20 -a $((i1 - i0)) -ge 20
echo_case 0 "" "" 10.79.0.2 >/dev/null
o2=$(stat_of $A kame_ipsecstat out_success)
check "a connection without socket policy between the same hosts stays clear" \
	test "$o2" -eq "$o1"

# Inbound: the engine's policy check must find the receiving socket.
TMO=2000
check "in ipsec esp require on the server socket: a clear client is refused" \
	echo_case fail "in $esp" "" 10.79.0.2
ip netns exec $B $SETKEY -c <<-EOC >/dev/null
spdadd 10.79.0.1 10.79.0.2 tcp -P in ipsec esp/transport//require;
EOC
check "SPD in B requires ESP inbound: a plain server socket gets nothing" \
	echo_case fail "" "" 10.79.0.2
TMO=8000
check "SPD in B requires ESP inbound: an in-bypass server socket accepts clear" \
	echo_case 0 "in bypass;out bypass" "" 10.79.0.2
ktap_finish
