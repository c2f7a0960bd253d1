#!/bin/bash
# racoon-lite NAT traversal (RFC 3947 / RFC 3948), racoon-lite on both
# sides, the initiator behind an nftables masquerade (racoon_lib.sh
# natt_hosts):
#
#   [A: racoon-lite] a0 192.168.1.2 --- n0 [N: masquerade] n1 10.2.0.1 --- b0 10.2.0.2 [B: racoon-lite]
#
# 1. A ping makes A's kernel send an ACQUIRE; NAT-D finds the NAT, A floats
#    to 4500; both install ESP-in-UDP SAs (NAT-T extensions); pings and
#    4 MiB TCP both ways; N's wire carries UDP 4500 only (no IKE on 500 after
#    the negotiation, no bare ESP, nothing clear), and tshark on a capture
#    of N's n1 decodes ESP inside UDP 4500 with the SAs' SPIs; A's
#    keepalives (every 2 s) reach B's kernel and keep the NAT's mapping
#    alive through 8 s of idleness (the router's UDP timeout set to 5 s).
# 2. The NAT's mapping changes (conntrack flushed, source port 4600): B's
#    kernel sends SADB_X_NAT_T_NEW_MAPPING, B's racoon-lite updates its SAs
#    and IKE to the new port; traffic resumes both ways.
# 3. DPD: A's racoon-lite is killed; B (dpd_delay 2, dpd_retry 1,
#    dpd_maxfail 2) declares it dead and deletes its SAs; once A's daemon
#    is back, a ping negotiates anew through the NAT.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rna$$ B=rnb$$ N=rnn$$ D=$(mktemp -d /tmp/racoon_natt.XXXXXX)
. ./racoon_lib.sh
. ./engine_lib.sh
. ./natt_lib.sh
racoon_needs nft
[ -r /proc/net/kame_ipsecstat ] ||
	skip_all "the engine is not built in"
cleanup_pidfile $D/ra.pid $D/rb.pid
natt_hosts

# Only racoon-lite's per-socket bypass keeps IKE (500 and 4500) out of the
# "any" policies: no udp 500 entries in the SPD.
natt_transport_spd
psk_file $D/a.psk 10.2.0.2 natnatnat
# B knows A by the NAT's address, the only one it sees
psk_file $D/b.psk 10.2.0.1 natnatnat
racoon_natt_conf $D/a.conf $D/a.psk "" "natt_keepalive 2 sec;"
racoon_natt_conf $D/b.conf $D/b.psk "dpd_delay 2; dpd_retry 1; dpd_maxfail 2;"

established() { grep -qs "IPsec-SA established" $D/ra.log && grep -qs "IPsec-SA established" $D/rb.log; }
natt_sas() { [ "$(kame_natt_sas $A)" -eq 2 ] && [ "$(kame_natt_sas $B)" -eq 2 ]; }

ktap_plan 19

racoon_start $B rb $D/b.conf
racoon_start $A ra $D/a.conf
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log"
t0=$(date +%s)
a ping -c 1 -W 1 10.2.0.2 >/dev/null 2>&1	# the ACQUIRE
check "ACQUIRE: both sides establish the IPsec SAs through the NAT" wait_for 40 established
ktap_note "negotiated in about $(($(date +%s) - t0)) s"
check "A logs the NAT in one line" \
	grep -q "NAT detected: we are behind NAT, peer 10.2.0.2, floating to 4500" $D/ra.log
check "B logs the NAT in one line" \
	grep -q "NAT detected: peer 10.2.0.1 behind NAT, ESP in UDP" $D/rb.log
check "setkey -D: 2 ESP-in-UDP SAs on each side" natt_sas
check "ping A -> B" wait_for 10 ping_q $A ping 10.2.0.2
CAP=
command -v dumpcap >/dev/null && command -v tshark >/dev/null && CAP=$D/wire.pcap &&
	{ capture_start $N n1 $CAP || ktap_note "dumpcap did not start"; }
wire_reset
k0=$(natt_stat $B natt_in_keepalive)
check "4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.2.0.2
XFER_BIND=0.0.0.0
check "4 MiB TCP B -> A (to the NAT's address), sha256 equal" tcp_xfer $B $A 10.2.0.1
XFER_BIND=
capture_stop
check "the wire carried UDP 4500 only (no ESP, no IKE on 500, nothing clear)" wire_4500_only
if [ -n "$CAP" ]; then
	check "tshark on the wire: ESP in UDP 4500 with the SAs' SPIs, no bare ESP, nothing clear" \
		wire_tshark_ok $CAP "$(setkey_esp $B | cut -d' ' -f1)"
else
	ktap_skip "tshark on the wire: no dumpcap/tshark"
fi
sleep 2.5
k1=$(natt_stat $B natt_in_keepalive)
ktap_note "B's kernel: natt_in_keepalive +$((k1 - k0)), natt_in_esp $(natt_stat $B natt_in_esp)"
check "A's keepalives reach B's kernel" test "$k1" -gt "$k0"
# Idle, the NAT forgets a UDP mapping after 5 s; A's keepalives (every 2 s)
# keep it: after 8 s of nothing else B still reaches A on the same mapping.
n sysctl -qw net.netfilter.nf_conntrack_udp_timeout=5 \
	net.netfilter.nf_conntrack_udp_timeout_stream=5
m0=$(natt_stat $B natt_new_mapping)
sleep 8
check "keepalives keep the idle mapping: ping B -> A after 8 s idle (NAT timeout 5 s)" \
	ping_q $B ping 10.2.0.1
check "the mapping did not change (no NEW_MAPPING)" test "$(natt_stat $B natt_new_mapping)" = "$m0"

# --- 2. the NAT's mapping changes ---------------------------------------------
nat_set 'oifname "n1" meta l4proto udp masquerade to :4600'
ct_flush $N || ktap_note "conntrack flush failed"
a ping -c 2 -i 0.3 -W 1 10.2.0.2 >/dev/null 2>&1
check "NEW_MAPPING: B's racoon-lite follows the new port" \
	wait_for 10 grep -q "NAT mapping of peer 10.2.0.1 changed: port 4500 -> 4600" $D/rb.log
check "ping A -> B after the change" wait_for 10 ping_q $A ping 10.2.0.2
check "ping B -> A after the change" ping_q $B ping 10.2.0.1
check "B's SAs use port 4600" sh -c "ip netns exec $B $SETKEY -D | grep -q '10.2.0.1\[4600\]'"

# --- 3. dead peer detection ----------------------------------------------------
kill "$(cat $D/ra.pid)"
t0=$(date +%s)
check "DPD: B declares A dead (dpd_delay 2 + 2 x dpd_retry 1)" \
	wait_for 12 grep -q "peer 10.2.0.1 is dead" $D/rb.log
ktap_note "dead after $(($(date +%s) - t0)) s"
check "DPD: B's kernel has no SA with A any more" test "$(kame_sas_with $B 10.2.0.1)" -eq 0
a "$SETKEY" -F
mv $D/ra.log $D/ra-1.log
racoon_start $A ra $D/a.conf
wait_for 30 grep -qs started $D/ra.log
a ping -c 1 -W 1 10.2.0.2 >/dev/null 2>&1
check "A back: a ping negotiates again through the NAT" wait_for 40 ping_q $A ping 10.2.0.2

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra-1.log ra.log rb.log ra.out rb.out; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -40 | sed "s|^|# $f: |"
	done
	for x in $A $B; do
		ip netns exec $x "$SETKEY" -D | sed "s/^/# setkey $x: /"
		ip netns exec $x grep -v ' 0$' /proc/net/kame_ipsecstat | sed "s/^/# kame $x: /"
	done
fi
ktap_finish
