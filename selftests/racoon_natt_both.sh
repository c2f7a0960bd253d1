#!/bin/bash
# racoon-lite NAT traversal with BOTH peers behind NATs (racoon_lib.sh
# natt_both_hosts), tunnel mode between the networks behind them:
#
#   10.11.0.1 [A] 192.168.1.2 -- [N: masquerade] 10.2.0.1 -- 10.2.0.2 [M: masquerade,    ] 192.168.2.1 -- 192.168.2.2 [B] 10.22.0.1
#                                                                   [ udp 500/4500 -> B ]
#
# A knows B by M's address, B knows A by N's: neither sees the other's real
# address. A ping from 10.11.0.1 makes A's kernel send an ACQUIRE; NAT-D
# shows each side that both are behind NATs; both float to 4500 and install
# ESP-in-UDP tunnel SAs; pings and 4 MiB TCP both ways between the inner
# addresses; both send keepalives (each is behind a NAT). The wire between
# the routers (n1 -- m1) carries UDP 4500 only: nft counters on N, and
# tshark on a capture of n1 decodes ESP inside UDP 4500 with the SAs' SPIs,
# never bare ESP, never the inner traffic in clear.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rba$$ B=rbb$$ N=rbn$$ M=rbm$$ D=$(mktemp -d /tmp/racoon_natt_both.XXXXXX)
. ./racoon_lib.sh
. ./engine_lib.sh
. ./natt_lib.sh
racoon_needs nft dumpcap tshark
[ -r /proc/net/kame_ipsecstat ] ||
	skip_all "the engine is not built in"
cleanup_pidfile $D/ra.pid $D/rb.pid
natt_both_hosts
ip -n $A addr add 10.11.0.1/32 dev lo
ip -n $B addr add 10.22.0.1/32 dev lo
ip -n $A route add 10.22.0.0/24 via 192.168.1.1 src 10.11.0.1
ip -n $B route add 10.11.0.0/24 via 192.168.2.1 src 10.22.0.1

# Each side's tunnel goes from its own address to the other's public one.
a "$SETKEY" -c <<-EOF
	spdadd 10.11.0.0/24 10.22.0.0/24 any -P out ipsec esp/tunnel/192.168.1.2-10.2.0.2/require;
	spdadd 10.22.0.0/24 10.11.0.0/24 any -P in ipsec esp/tunnel/10.2.0.2-192.168.1.2/require;
	EOF
b "$SETKEY" -c <<-EOF
	spdadd 10.22.0.0/24 10.11.0.0/24 any -P out ipsec esp/tunnel/192.168.2.2-10.2.0.1/require;
	spdadd 10.11.0.0/24 10.22.0.0/24 any -P in ipsec esp/tunnel/10.2.0.1-192.168.2.2/require;
	EOF
psk_file $D/a.psk 10.2.0.2 bothnatted
psk_file $D/b.psk 10.2.0.1 bothnatted
racoon_natt_conf $D/a.conf $D/a.psk "" "natt_keepalive 2 sec;"
racoon_natt_conf $D/b.conf $D/b.psk "" "natt_keepalive 2 sec;"

established() {
	grep -qs "IPsec-SA established: ESP/tunnel in UDP" $D/ra.log &&
		grep -qs "IPsec-SA established: ESP/tunnel in UDP" $D/rb.log
}
natt_sas() {
	local na nb
	na=$(kame_natt_sas $A) nb=$(kame_natt_sas $B)
	ktap_note "ESP-in-UDP SAs: A $na, B $nb"
	[ "$na" -eq 2 ] && [ "$nb" -eq 2 ] &&
		a "$SETKEY" -D | grep -q '^10\.2\.0\.2\[4500\] 192\.168\.1\.2\[4500\]' &&
		b "$SETKEY" -D | grep -q '^10\.2\.0\.1\[4500\] 192\.168\.2\.2\[4500\]'
}

ktap_plan 12

racoon_start $B rb $D/b.conf
racoon_start $A ra $D/a.conf
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log"
t0=$(date +%s)
a ping -c 1 -W 1 -I 10.11.0.1 10.22.0.1 >/dev/null 2>&1	# the ACQUIRE
check "ACQUIRE: both sides establish ESP/tunnel-in-UDP SAs through both NATs" \
	wait_for 40 established
ktap_note "negotiated in about $(($(date +%s) - t0)) s"
check "A logs both NATs in one line" \
	grep -q "NAT detected: peer 10.2.0.2 and we are behind NAT, floating to 4500" $D/ra.log
check "B logs both NATs in one line" \
	grep -q "NAT detected: peer 10.2.0.1 and we are behind NAT, ESP in UDP" $D/rb.log
check "setkey -D: 2 esp-udp SAs on each side, with the peer's public address" natt_sas

capture_start $N n1 $D/wire.pcap || ktap_note "dumpcap did not start"
wire_reset
ka0=$(natt_stat $A natt_in_keepalive) kb0=$(natt_stat $B natt_in_keepalive)
check "ping 10.11.0.1 (A) -> 10.22.0.1 (B)" wait_for 10 ping_q $A ping -I 10.11.0.1 10.22.0.1
check "ping 10.22.0.1 (B) -> 10.11.0.1 (A)" ping_q $B ping -I 10.22.0.1 10.11.0.1
check "4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.22.0.1 10.11.0.1
check "4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A 10.11.0.1 10.22.0.1
# keepalives every 2 s from both sides: wait for one more after the transfers
sleep 2.5
capture_stop
check "N's forward chain: UDP 4500 only (no ESP, no IKE on 500, nothing clear)" wire_4500_only
check "tshark between the routers: ESP in UDP 4500 with the SAs' SPIs, no bare ESP, nothing clear" \
	wire_tshark_ok $D/wire.pcap "$(setkey_esp $A | cut -d' ' -f1)"
ka1=$(natt_stat $A natt_in_keepalive) kb1=$(natt_stat $B natt_in_keepalive)
ktap_note "natt_in_keepalive: A +$((ka1 - ka0)), B +$((kb1 - kb0));" \
	"natt_in_esp: A $(natt_stat $A natt_in_esp), B $(natt_stat $B natt_in_esp)"
check "A's keepalives reach B's kernel" test "$kb1" -gt "$kb0"
check "B's keepalives reach A's kernel" test "$ka1" -gt "$ka0"

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rb.log ra.out rb.out; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -40 | sed "s|^|# $f: |"
	done
	for x in $A $B; do
		ip netns exec $x "$SETKEY" -D | sed "s/^/# setkey $x: /"
		ip netns exec $x grep -v ' 0$' /proc/net/kame_ipsecstat | sed "s/^/# kame $x: /"
	done
	m nft list ruleset | sed 's/^/# nft M: /'
	m conntrack -L 2>/dev/null | sed 's/^/# ct M: /'
fi
ktap_finish
