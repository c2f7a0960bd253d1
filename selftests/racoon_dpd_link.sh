#!/bin/bash
# Dead peer detection (RFC 3706) when the peer LOSES ITS LINK, its daemon
# still running: racoon-lite on both sides, the road warrior A behind an
# nftables masquerade (racoon_lib.sh natt_hosts), ESP in UDP:
#
#   [A: racoon-lite, DPD] 192.168.1.2 -- [N: masquerade] 10.2.0.1 -- 10.2.0.2 [B: racoon-lite]
#
# A asks R-U-THERE every dpd_delay 2 s, dpd_retry 2, dpd_maxfail 2. Once an
# R-U-THERE-ACK came back, B's interface goes down ("ip link set b0 down" in
# B): A must declare B dead and delete its SAs within
# dpd_delay x (dpd_maxfail + 1) = 6 s of the link loss -- the worst case is
# the link going down just after an ACK: the next query at +dpd_delay, then
# dpd_maxfail unanswered queries dpd_retry (= dpd_delay) apart -- plus 2 s
# of slack: racoon-lite's timers count whole seconds (a deadline can fall
# up to 1 s later than the real interval; date +%s here rounds the same
# way), and the test's polling (setkey -D, grep, every 0.2 s) under TCG.
# When B's link is back, pings from A make A's kernel send an ACQUIRE;
# A negotiates anew (INITIAL-CONTACT clears B's stale SAs) and pings pass.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rda$$ B=rdb$$ N=rdn$$ D=$(mktemp -d /tmp/racoon_dpd_link.XXXXXX)
. ./racoon_lib.sh
. ./engine_lib.sh
. ./natt_lib.sh
racoon_needs nft
cleanup_pidfile $D/ra.pid $D/rb.pid
natt_hosts

natt_transport_spd
psk_file $D/a.psk 10.2.0.2 deadpeer
psk_file $D/b.psk 10.2.0.1 deadpeer
DPD_DELAY=2 DPD_MAXFAIL=2
racoon_natt_conf $D/a.conf $D/a.psk \
	"dpd_delay $DPD_DELAY; dpd_retry $DPD_DELAY; dpd_maxfail $DPD_MAXFAIL;"
racoon_natt_conf $D/b.conf $D/b.psk

established() { [ "$(grep -c "IPsec-SA established: ESP/transport in UDP" $D/ra.log)" -ge "$1" ]; }
acks() { grep -c "R-U-THERE-ACK from 10.2.0.2" $D/ra.log; }
acks_above() { [ "$(acks)" -gt "$1" ]; }
gone() { [ "$(kame_sas_with $A 10.2.0.2)" -eq 0 ]; }
# gone_within LIMIT: polls (wall clock, not a count of polls: a setkey
# under TCG is slow) until A's SAs with B are gone, LIMIT s after $t0 at
# most; the time taken (read after the poll that saw it) in $T_GONE.
gone_within() {
	local r
	while :; do
		gone; r=$?
		T_GONE=$(($(date +%s) - t0))
		[ $r -eq 0 ] && { [ $T_GONE -le $1 ]; return; }
		[ $T_GONE -gt $1 ] && return 1
		sleep 0.2
	done
}
dead() { grep -q "peer 10.2.0.2 is dead: $DPD_MAXFAIL R-U-THERE queries unanswered; deleting its SAs" $D/ra.log; }

ktap_plan 8

racoon_start $B rb $D/b.conf
racoon_start $A ra $D/a.conf
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log"
a ping -c 1 -W 1 10.2.0.2 >/dev/null 2>&1	# the ACQUIRE
check "ACQUIRE: A negotiates ESP-in-UDP SAs with B" wait_for 40 established 1
check "ping A -> B" wait_for 10 ping_q $A ping 10.2.0.2
n0=$(acks)
check "B answers A's R-U-THERE while its link is up" wait_for $((3 * DPD_DELAY)) acks_above $n0

# the link goes down just after an ACK: the worst case for detection
n0=$(acks)
wait_for $((3 * DPD_DELAY)) acks_above $n0
ip -n $B link set b0 down
t0=$(date +%s)
limit=$((DPD_DELAY * (DPD_MAXFAIL + 1) + 2))
check "B's link down: A's SAs with B are gone within $limit s (setkey -D)" \
	gone_within $limit
ktap_note "SAs gone after $T_GONE s (limit $limit s)"
check "A's log says B is dead" dead
ktap_note "$(grep -o 'peer 10.2.0.2 is dead.*' $D/ra.log)"
check "racoon-lite on B is still running (a link loss, not a dead daemon)" racoon_alive rb

# Link back: traffic as a user's, a stream of pings. Not one packet: the
# ACQUIRE block of the first negotiation (KAME: one per flow for
# net.key.blockacq_lifetime, 20 s, from its ACQUIRE; the SAs' deletion does
# not end it) may still live, and then only every (blockacq_count + 1)th
# packet asks (engine_acquire.sh).
ip -n $B link set b0 up
acq0=$(grep -c "ACQUIRE seq" $D/ra.log)
renegotiated() { [ "$(grep -c "ACQUIRE seq" $D/ra.log)" -gt $acq0 ] && established 2; }
bac=$(a sysctl -n net.key.blockacq_count 2>/dev/null) || bac=10
t0=$(date +%s)
a ping -c $((bac + 2)) -i 0.2 -W 1 10.2.0.2 >/dev/null 2>&1 &
pings=$!
check "link back: traffic to B makes an ACQUIRE and a new negotiation" \
	wait_for 40 renegotiated
ktap_note "renegotiated $(($(date +%s) - t0)) s after the link came back ($((bac + 2)) pings, blockacq_count $bac)"
wait $pings
check "pings A -> B pass again" wait_for 10 ping_q $A ping 10.2.0.2

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rb.log ra.out rb.out; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -40 | sed "s|^|# $f: |"
	done
	grep 'R-U-THERE' $D/ra.log | tail -10 | sed 's/^/# ra.log dpd: /'
	for x in $A $B; do
		ip netns exec $x "$SETKEY" -D | sed "s/^/# setkey $x: /"
	done
fi
ktap_finish
