#!/bin/bash
# The NetBSD IPsec FAQ's IKE example, racoon-lite on both sides, both on
# kameipsec (user/racoon-lite/examples/racoon.conf, one psk.txt each):
#
#   [A: kameipsec, racoon-lite] a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 [B: kameipsec, racoon-lite]
#
# policies with "require" and no SAs on both sides. Two ways to start:
#  1. "racoon-lite -I 10.0.0.2" on A (an explicit trigger);
#  2. the seed's way: "ping 10.0.0.2" on A, whose first packet makes the
#     kernel send SADB_ACQUIRE.
# Each time: "setkey -D" shows the same two ESP SAs (SPIs, keys) on both
# sides, and pings and a 4 MiB TCP transfer each way cross them.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rra$$ B=rrb$$ D=$(mktemp -d /tmp/racoon_rr.XXXXXX)
. ./racoon_lib.sh
# The IKE sockets are protected by racoon-lite's own per-socket bypass only
# (no "udp 500 none" SPD entries); the strongSwan tests cover that fallback.
IKE_SOCKET_BYPASS=${IKE_SOCKET_BYPASS:-1}
. ./engine_lib.sh
for f in "$SETKEY" "$RACOON"; do
	[ -x "$f" ] || skip_all "no $f"
done

racoon_hosts

# setup NS ME PEER: the seed's policies (after the IKE bypass) and files.
setup() {
	bypass_ike $1 $2 $3
	ip netns exec $1 "$SETKEY" -c <<-EOF
	spdadd $2 $3 any -P out ipsec esp/transport//require;
	spdadd $3 $2 any -P in ipsec esp/transport//require;
	EOF
	sed "s|/etc/racoon/psk.txt|$D/$1.psk|" \
		../user/racoon-lite/examples/racoon.conf >$D/$1.conf
	printf '%s spamspamspam\n' $3 >$D/$1.psk
	chmod 600 $D/$1.psk
}
setup $A 10.0.0.1 10.0.0.2
setup $B 10.0.0.2 10.0.0.1

# Both sides' ESP SAs equal, two of them.
sas_match() {
	setkey_esp $A >$D/sa.a
	setkey_esp $B >$D/sa.b
	[ "$(wc -l <$D/sa.a)" -eq 2 ] && cmp -s $D/sa.a $D/sa.b
}
established() { grep -qs "IPsec-SA established" $D/ra.log && grep -qs "IPsec-SA established" $D/rb.log; }

# traffic_checks HOW: the four checks on the negotiated SAs.
traffic_checks() {
	check "$1: setkey -D shows the same 2 ESP SAs on both sides" sas_match
	check "$1: ping A -> B" ping_q $A ping 10.0.0.2
	check "$1: 4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.0.0.2
	check "$1: 4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A 10.0.0.1
}

ktap_plan 11

# --- Test that "-I" negotiates the SAs ---------------------------------------
racoon_start $B rb $D/$B.conf
racoon_start $A ra $D/$A.conf -I 10.0.0.2
check "-I: both sides log the IPsec-SA" wait_for 40 established
traffic_checks "-I"

# --- Test that a ping's ACQUIRE negotiates the SAs (the seed's way) ----------
stop_racoons
a "$SETKEY" -F
b "$SETKEY" -F
mv $D/ra.log $D/ra-I.log
mv $D/rb.log $D/rb-I.log
racoon_start $B rb $D/$B.conf
racoon_start $A ra $D/$A.conf
# both daemons registered with PF_KEY (slow under TCG) before the ping
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log"
a ping -c 10 -i 0.5 -w 20 10.0.0.2 >$D/ping.out 2>&1 &
ping_pid=$!
if [ ! -r /proc/net/kame_ipsecstat ]; then
	kill $ping_pid 2>/dev/null
	for t in "SADB_ACQUIRE" "replies after negotiation" "setkey -D" "ping" "TCP A -> B" "TCP B -> A"; do
		ktap_skip "ACQUIRE: $t: the engine is not built in (no /proc/net/kame_ipsecstat)"
	done
else
	check "ACQUIRE: the first packet makes the kernel send SADB_ACQUIRE" \
		wait_for 5 grep -qs "ACQUIRE seq" $D/ra.log
	wait $ping_pid
	# -i 0.5: the first answered icmp_seq says how long negotiation took
	first=$(sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' $D/ping.out | head -1)
	ktap_note "first reply to icmp_seq ${first:-none}: about $(((${first:-41} - 1) / 2)) s after the first ping"
	check "ACQUIRE: ping replies after negotiation" grep -q "bytes from 10.0.0.2" $D/ping.out
	traffic_checks "ACQUIRE"
fi

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra-I.log rb-I.log ra.log rb.log ra.out rb.out sa.a sa.b ping.out; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	a cat /proc/net/kame_ipsecstat 2>/dev/null | grep -v ' 0$' | sed 's/^/# kame A: /'
fi
ktap_finish
