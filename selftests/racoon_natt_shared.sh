#!/bin/bash
# Two road warriors behind the same NAT address at once, racoon-lite
# everywhere, tunnel mode to networks behind the gateway B:
#
#   10.11.0.1 [A: racoon-lite] 192.168.1.2 --- n0 [N: masquerade] n1 10.2.0.1 --- 10.2.0.2 [B: racoon-lite] 10.22.0.1
#   10.12.0.1 [C: racoon-lite] 192.168.2.2 --- n2 /
#
# Both A and C reach B as 10.2.0.1, with different NAT ports (the NAT
# gives C another one). B tells their ISAKMP SAs apart by cookies and
# ports, C's INITIAL-CONTACT leaves A's SAs alone (RFC 3947 6: by ID), and
# B's "unique" policies (one reqid per client network) pick each one's
# SA: pings both ways for both clients, ESP in UDP only on the wire.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rta$$ B=rtb$$ N=rtn$$ C=rtc$$ D=$(mktemp -d /tmp/racoon_natt2.XXXXXX)
. ./racoon_lib.sh
. ./engine_lib.sh
. ./natt_lib.sh
racoon_needs nft
[ -r /proc/net/kame_ipsecstat ] ||
	skip_all "the engine is not built in"
cleanup_pidfile $D/ra.pid $D/rb.pid $D/rc.pid
cleanup_netns $C
natt_hosts
c() { ip netns exec $C "$@"; }
ip netns add $C
ip -n $C link set lo up
ip -n $C link add c0 type veth peer name n2 netns $N
ip -n $C addr add 192.168.2.2/24 dev c0
ip -n $N addr add 192.168.2.1/24 dev n2
ip -n $C link set c0 up
ip -n $N link set n2 up
ip -n $C route add default via 192.168.2.1
ip -n $A addr add 10.11.0.1/32 dev lo
ip -n $C addr add 10.12.0.1/32 dev lo
ip -n $B addr add 10.22.0.1/32 dev lo
ip -n $A route add 10.22.0.0/24 via 192.168.1.1 src 10.11.0.1
ip -n $C route add 10.22.0.0/24 via 192.168.2.1 src 10.12.0.1
ip -n $B route add 10.11.0.0/24 via 10.2.0.1 src 10.22.0.1
ip -n $B route add 10.12.0.0/24 via 10.2.0.1 src 10.22.0.1

# client NS NAME ME NET: tunnel policies to B and a racoon-lite
client() {
	ip netns exec $1 "$SETKEY" -c <<-EOF
	spdadd $4 10.22.0.0/24 any -P out ipsec esp/tunnel/$3-10.2.0.2/require;
	spdadd 10.22.0.0/24 $4 any -P in ipsec esp/tunnel/10.2.0.2-$3/require;
	EOF
	psk_file $D/$2.psk 10.2.0.2 natnatnat
	racoon_natt_conf $D/$2.conf $D/$2.psk
	racoon_start $1 $2 $D/$2.conf
}
# B: one "unique" pair of policies per client network, both to 10.2.0.1
b "$SETKEY" -c <<-EOF
	spdadd 10.22.0.0/24 10.11.0.0/24 any -P out ipsec esp/tunnel/10.2.0.2-10.2.0.1/unique:11;
	spdadd 10.11.0.0/24 10.22.0.0/24 any -P in ipsec esp/tunnel/10.2.0.1-10.2.0.2/unique:11;
	spdadd 10.22.0.0/24 10.12.0.0/24 any -P out ipsec esp/tunnel/10.2.0.2-10.2.0.1/unique:12;
	spdadd 10.12.0.0/24 10.22.0.0/24 any -P in ipsec esp/tunnel/10.2.0.1-10.2.0.2/unique:12;
	EOF
psk_file $D/rb.psk 10.2.0.1 natnatnat
racoon_natt_conf $D/rb.conf $D/rb.psk
racoon_start $B rb $D/rb.conf
client $A ra 192.168.1.2 10.11.0.0/24
client $C rc 192.168.2.2 10.12.0.0/24
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log && grep -qs started $D/rc.log"

# B's SAD: 4 ESP-in-UDP SAs, 10.2.0.1 in them at two NAT ports
b_sas_ok() {
	local sas ports
	sas=$(kame_natt_sas $B)
	ports=$(b "$SETKEY" -D | sed -n 's/.*10\.2\.0\.1\[\([0-9]*\)\].*/\1/p' | sort -u | wc -l)
	ktap_note "B: $sas ESP-in-UDP SAs, 10.2.0.1 at $ports ports"
	[ "$sas" -eq 4 ] && [ "$ports" -eq 2 ]
}

ktap_plan 8
a ping -c 1 -W 1 -I 10.11.0.1 10.22.0.1 >/dev/null 2>&1
check "A: IPsec SAs with B through the NAT" \
	wait_for 40 grep -qs "IPsec-SA established: ESP/tunnel in UDP" $D/ra.log
c ping -c 1 -W 1 -I 10.12.0.1 10.22.0.1 >/dev/null 2>&1
check "C, behind the same NAT address: IPsec SAs with B" \
	wait_for 40 grep -qs "IPsec-SA established: ESP/tunnel in UDP" $D/rc.log
check "B: 4 ESP-in-UDP SAs, 10.2.0.1 at two NAT ports" b_sas_ok
check "C's INITIAL-CONTACT left A's SAs alone" \
	grep -q "INITIAL-CONTACT from 10.2.0.1 (behind NAT: those of its ID): removed 0 older SAs" $D/rb.log
wire_reset
check "ping 10.11.0.1 (A) -> 10.22.0.1" wait_for 10 ping_q $A ping -I 10.11.0.1 10.22.0.1
check "ping 10.12.0.1 (C) -> 10.22.0.1" wait_for 10 ping_q $C ping -I 10.12.0.1 10.22.0.1
check "ping 10.22.0.1 -> A and -> C (each its own SA)" \
	sh -c "ip netns exec $B ping -c 3 -i 0.2 -W 2 -I 10.22.0.1 10.11.0.1 >/dev/null && ip netns exec $B ping -c 3 -i 0.2 -W 2 -I 10.22.0.1 10.12.0.1 >/dev/null"
check "the wire carried ESP in UDP to B's 4500 only" wire_4500_only

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rc.log rb.log ra.out rb.out rc.out; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	b "$SETKEY" -D | sed 's/^/# setkey B: /'
	b "$SETKEY" -DP | sed 's/^/# setkey -P B: /'
	b grep -v ' 0$' /proc/net/kame_ipsecstat | sed 's/^/# kame B: /'
fi
ktap_finish
