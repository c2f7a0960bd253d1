#!/bin/bash
# kameipsec and Linux's XFRM in one namespace, each with its own address
# range, against a peer that uses XFRM for both:
#
#   [A: kameipsec for 10.80.1.0/24, XFRM for 10.80.2.0/24]
#        a0 10.80.1.1 10.80.2.1 ---- veth ---- b0 10.80.1.2 10.80.2.2
#                                   [B: XFRM for both ranges]
#
# XFRM's ESP in A works with kameipsec loaded, and kameipsec neither counts
# nor drops XFRM's packets (no double processing). When the engine can
# transform (kmod/engine builds esp.o), kameipsec's range works too, with
# XFRM's counters unmoved, and TCP runs on both ranges at the same time.
# Last, 10.80.3.0/24 has policies and SAs in both stacks in A: XFRM (whose
# lookup runs first, at routing) transforms, kameipsec passes, never both.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
SRC=$(cd .. && pwd)
SETKEY=$SRC/user/setkey/setkey
PEER=./sockpolicy_peer
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"

A=cxa$$ B=cxb$$
netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
for r in 1 2 3; do
	ip -n $A addr add 10.80.$r.1/24 dev a0
	ip -n $B addr add 10.80.$r.2/24 dev b0
done
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up

K=0x00112233445566778899aabbccddeeff
H=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
# kameipsec's hmac-sha256 has RFC 4868's 128-bit ICV (net.key.sha256_icv96 = 0).
XALG="enc cbc(aes) $K auth-trunc hmac(sha256) $H 128"

# xfrm_pair NS R SPI_OUT SPI_IN LOCAL REMOTE: transport ESP both ways.
xfrm_pair() {
	local n=$1 so=$2 si=$3 l=$4 r=$5
	# shellcheck disable=SC2086
	ip -n $n xfrm state add src $l dst $r proto esp spi $so mode transport $XALG &&
	ip -n $n xfrm state add src $r dst $l proto esp spi $si mode transport $XALG &&
	ip -n $n xfrm policy add src $l dst $r dir out tmpl src $l dst $r proto esp mode transport &&
	ip -n $n xfrm policy add src $r dst $l dir in tmpl src $r dst $l proto esp mode transport
}

configure() {
	# A: kameipsec for range 1 (PF_KEY), XFRM for range 2.
	ip netns exec $A "$SETKEY" -c <<-EOC >/dev/null || return 1
	add 10.80.1.1 10.80.1.2 esp 0x5001 -m transport -E rijndael-cbc $K -A hmac-sha256 $H;
	add 10.80.1.2 10.80.1.1 esp 0x5002 -m transport -E rijndael-cbc $K -A hmac-sha256 $H;
	spdadd 10.80.1.1 10.80.1.2 any -P out ipsec esp/transport//require;
	spdadd 10.80.1.2 10.80.1.1 any -P in ipsec esp/transport//require;
	EOC
	xfrm_pair $A 0x6001 0x6002 10.80.2.1 10.80.2.2 || return 1
	# B: XFRM for both.
	xfrm_pair $B 0x5002 0x5001 10.80.1.2 10.80.1.1 &&
	xfrm_pair $B 0x6002 0x6001 10.80.2.2 10.80.2.1
}

# A's /proc/net/kame_ipsecstat (nsenter: cheaper than ip netns exec).
kstat() { nsenter --net=/run/netns/$A awk -v k="$1" '$1 == k { print $2 }' /proc/net/kame_ipsecstat; }
# Packets an XFRM state in A has carried.
xpkts() {
	ip -s -n $A xfrm state get src "$1" dst "$2" proto esp spi "$3" |
		awk '/lifetime current:/ { getline; sub(/\(packets\)/, "", $2); print $2 + 0 }'
}
kame_errors() {
	nsenter --net=/run/netns/$A awk '$1 ~ /^(in_polvio|in_nosa|in_inval|in_badspi|in_espauthfail|out_polvio|out_nosa|out_inval)$/ { s += $2 } END { print s + 0 }' /proc/net/kame_ipsecstat
}
pingq() { ip netns exec $A ping -q -c "${2:-3}" -i 0.2 -W 2 "$1" >/dev/null; }
engine_ready() { grep -q 'esp\.o' "$SRC/kmod/engine/Kbuild.objs" 2>/dev/null; }

ktap_plan 12
check "configure: setkey for 10.80.1/24 and ip xfrm for 10.80.2/24 in one netns" configure
check "XFRM's policy list holds only XFRM's own 2 policies" \
	test "$(ip -n $A xfrm policy | grep -c '^src')" -eq 2

ko0=$(kstat out_success) ki0=$(kstat in_success) ke0=$(kame_errors)
x0=$(xpkts 10.80.2.1 10.80.2.2 0x6001) y0=$(xpkts 10.80.2.2 10.80.2.1 0x6002)
check "XFRM range: ping A -> B over XFRM ESP" pingq 10.80.2.2 5
x1=$(xpkts 10.80.2.1 10.80.2.2 0x6001) y1=$(xpkts 10.80.2.2 10.80.2.1 0x6002)
ktap_note "XFRM SAs in A: out +$((x1 - x0)) in +$((y1 - y0)) packets"
check "XFRM range: A's XFRM SAs carried the packets both ways" \
	test $((x1 - x0)) -ge 5 -a $((y1 - y0)) -ge 5
check "XFRM range: kameipsec did not process or drop XFRM's packets" \
	test "$(kstat out_success)" -eq "$ko0" -a "$(kstat in_success)" -eq "$ki0" \
	-a "$(kame_errors)" -eq "$ke0"

if ! engine_ready; then
	for i in 1 2 3 4 5 6 7; do
		ktap_skip "engine cannot transform yet (kmod/engine/Kbuild.objs has no esp.o)"
	done
	ktap_finish
	exit $?
fi

check "kameipsec range: ping A -> B (kameipsec ESP to XFRM)" pingq 10.80.1.2 5
ko1=$(kstat out_success) ki1=$(kstat in_success)
x2=$(xpkts 10.80.2.1 10.80.2.2 0x6001)
ktap_note "kameipsec in A: out_success +$((ko1 - ko0)) in_success +$((ki1 - ki0))"
check "kameipsec range: kameipsec's counters moved both ways" \
	test $((ko1 - ko0)) -ge 5 -a $((ki1 - ki0)) -ge 5
check "kameipsec range: XFRM's SAs in A did not see those packets" test "$x2" -eq "$x1"

# Both at once: 1 MiB TCP echo on each range, concurrently.
P=$((40000 + RANDOM % 10000))
ip netns exec $B $PEER server 10.80.1.2 $P &
s1=$!
ip netns exec $B $PEER server 10.80.2.2 $((P + 1)) &
s2=$!
for i in $(seq 30); do
	[ "$(ip netns exec $B ss -Hltn | grep -c ":$P \|:$((P + 1)) ")" -ge 2 ] && break
	sleep 0.1
done
ip netns exec $A $PEER client 10.80.1.2 $P -n 1048576 & c1=$!
ip netns exec $A $PEER client 10.80.2.2 $((P + 1)) -n 1048576 & c2=$!
wait $c1; r1=$?
wait $c2; r2=$?
wait $s1 $s2 2>/dev/null
check "both ranges at once: 1 MiB TCP echo each (kameipsec $r1, XFRM $r2)" \
	test $r1 -eq 0 -a $r2 -eq 0
check "no kameipsec drop counters moved in the whole test" test "$(kame_errors)" -eq "$ke0"

# Both stacks with policies and SAs for 10.80.3.0/24 in A; B uses XFRM.
both_stacks() {
	ip netns exec $A "$SETKEY" -c <<-EOC >/dev/null || return 1
	add 10.80.3.1 10.80.3.2 esp 0x7101 -m transport -E rijndael-cbc $K -A hmac-sha256 $H;
	add 10.80.3.2 10.80.3.1 esp 0x7102 -m transport -E rijndael-cbc $K -A hmac-sha256 $H;
	spdadd 10.80.3.1 10.80.3.2 any -P out ipsec esp/transport//require;
	spdadd 10.80.3.2 10.80.3.1 any -P in ipsec esp/transport//require;
	EOC
	xfrm_pair $A 0x7001 0x7002 10.80.3.1 10.80.3.2 &&
	xfrm_pair $B 0x7002 0x7001 10.80.3.2 10.80.3.1
}
ko2=$(kstat out_success) ki2=$(kstat in_success)
both_stacks && pingq 10.80.3.2 5
r=$?
x3=$(xpkts 10.80.3.1 10.80.3.2 0x7001) y3=$(xpkts 10.80.3.2 10.80.3.1 0x7002)
ktap_note "same range in both stacks: XFRM out $x3 in $y3 packets, kameipsec out +$(($(kstat out_success) - ko2)) in +$(($(kstat in_success) - ki2))"
check "same range in both stacks: ping works, XFRM's SAs carry it" \
	test $r -eq 0 -a "$x3" -ge 5 -a "$y3" -ge 5
check "same range in both stacks: kameipsec passed XFRM's packets (not transformed twice)" \
	test "$(kstat out_success)" -eq "$ko2" -a "$(kstat in_success)" -eq "$ki2" \
	-a "$(kame_errors)" -eq "$ke0"
ktap_finish
