#!/bin/bash
# racoon-lite's failure cases over kameipsec, with racoon-lite peers:
#
#   [B] b0 10.0.0.2 (good peer), 10.0.0.9 (sends garbage)
#        |
#   [A: kameipsec, racoon-lite] a0 10.0.0.1, a1 10.0.1.1
#        |
#   [C] c0 10.0.1.2 (answers phase 1, then stops: SIGSTOP)
#          10.0.1.3 (nothing answers IKE there)
#
# All with "require" policies and no SAs; pings make the kernel ACQUIRE.
#  1. Garbage on UDP 500: logged as dropped, racoon-lite keeps running.
#  2. 10.0.1.3 never answers: Main Mode is retransmitted, then given up
#     ("phase 1 ... did not answer our retransmissions"); no SA.
#  3. C's daemon stops after phase 1 and 2 are up; A's SAs with C are
#     deleted and a new ping asks for new ones: Quick Mode is retransmitted
#     and given up ("phase 2 ... did not answer"); the larval SA is gone.
#  4. Meanwhile, and after, B is served: SAs with B on both sides, pings.
#  5. C resumes (a ping gets SAs over the old ISAKMP SA), then "reboots":
#     its daemon is killed, its SAs flushed, and the new daemon initiates
#     ("-I") with INITIAL-CONTACT; A deletes every older SA with C, so
#     "setkey -D" on A and C shows the same 2 new SAs.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rfa$$ B=rfb$$ C=rfc$$ D=$(mktemp -d /tmp/racoon_rf.XXXXXX)
. ./racoon_lib.sh
IKE_SOCKET_BYPASS=${IKE_SOCKET_BYPASS:-1}
for f in "$SETKEY" "$RACOON"; do
	[ -x "$f" ] || skip_all "no $f"
done

cleanup_pidfile $D/ra.pid $D/rb.pid $D/rc.pid
cleanup_logdir $D
a() { ip netns exec $A "$@"; }
b() { ip netns exec $B "$@"; }
c() { ip netns exec $C "$@"; }

netns_add $A $B $C
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A link add a1 type veth peer name c0 netns $C
ip -n $A addr add 10.0.0.1/24 dev a0
ip -n $A addr add 10.0.1.1/24 dev a1
ip -n $B addr add 10.0.0.2/24 dev b0
ip -n $B addr add 10.0.0.9/24 dev b0
ip -n $C addr add 10.0.1.2/24 dev c0
ip -n $C addr add 10.0.1.3/24 dev c0
for n in $A $B $C; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $A link set a1 up
ip -n $B link set b0 up
ip -n $C link set c0 up

# policies NS ME:PEER...: the seed's "require" policies for each pair.
policies() {
	local ns=$1 me p
	shift
	for p in "$@"; do
		me=${p%:*} p=${p#*:}
		echo "spdadd $me $p any -P out ipsec esp/transport//require;"
		echo "spdadd $p $me any -P in ipsec esp/transport//require;"
	done | ip netns exec $ns "$SETKEY" -c
}
policies $A 10.0.0.1:10.0.0.2 10.0.1.1:10.0.1.2 10.0.1.1:10.0.1.3
# KAME blocks repeated ACQUIREs for a flow for blockacq_lifetime (20 s)
# unless blockacq_count packets ask; the second ping to C comes sooner.
ip netns exec $A sysctl -qw net.key.blockacq_lifetime=1
policies $B 10.0.0.2:10.0.0.1
policies $C 10.0.1.2:10.0.1.1

# A gives up quickly: 2 retransmissions, 2 s apart.
{
	echo "path pre_shared_key \"$D/a.psk\";"
	echo "timer { counter 2; interval 2 sec; phase1 20 sec; phase2 20 sec; }"
	sed -n '/^remote/,$p' ../user/racoon-lite/examples/racoon.conf
} >$D/a.conf
printf '10.0.0.2 spamspamspam\n10.0.1.2 eggs\n10.0.1.3 ham\n' >$D/a.psk
sed "s|/etc/racoon/psk.txt|$D/b.psk|" ../user/racoon-lite/examples/racoon.conf >$D/b.conf
printf '10.0.0.1 spamspamspam\n' >$D/b.psk
# C answers on 10.0.1.2 only: IKE to 10.0.1.3 goes unanswered.
{
	echo "listen { isakmp 10.0.1.2 [500]; }"
	sed "s|/etc/racoon/psk.txt|$D/c.psk|" ../user/racoon-lite/examples/racoon.conf
} >$D/c.conf
printf '10.0.1.1 eggs\n' >$D/c.psk
chmod 600 $D/*.psk

racoon_start $A ra $D/a.conf
racoon_start $B rb $D/b.conf
racoon_start $C rc $D/c.conf
# all three registered with PF_KEY (slow under TCG) before any ping
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log && grep -qs started $D/rc.log"

ktap_plan 18

# --- Test that garbage on UDP 500 is logged and dropped ----------------------
b python3 - <<'EOF'
import os, random, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.9", 5000))
def hdr(etype, length, np=1, flags=0, rck=b"\0" * 8, msgid=0):
    return os.urandom(8) + rck + bytes([np, 0x10, etype, flags]) + \
        struct.pack(">II", msgid, length)
pkts = [b"x", os.urandom(27),
        os.urandom(16) + b"\x01\x20\x02\x00" + struct.pack(">II", 0, 28),
        hdr(2, 500),                                    # length > datagram
        b"\0" * 8 + os.urandom(8) + b"\x01\x10\x02\x00" + struct.pack(">II", 0, 28),
        hdr(2, 40) + b"\0\0\0\xc8" + os.urandom(8),     # SA payload overruns
        hdr(32, 60, 8, 1, os.urandom(8), 1234) + os.urandom(32),  # QM, no SA
        hdr(4, 60) + os.urandom(32),                    # aggressive mode
        hdr(5, 60, 8, 1, os.urandom(8), 99) + os.urandom(32),
        os.urandom(60000)]
for i in range(300):                    # random headers, random bodies
    n = random.randint(28, 400)
    pkts.append(hdr(random.choice([2, 4, 5, 32, 77]), n,
                    random.randint(0, 14), random.randint(0, 7),
                    random.choice([b"\0" * 8, os.urandom(8)]),
                    random.choice([0, random.getrandbits(32)])) +
                os.urandom(n - 28))
for p in pkts:
    s.sendto(p, ("10.0.0.1", 500))
EOF
check "garbage on UDP 500 is logged as dropped" \
	wait_for 20 grep -q "dropped packet from 10.0.0.9: not ISAKMP major version 1" $D/ra.log
ktap_note "$(grep -c 'dropped packet from 10.0.0.9' $D/ra.log) 'dropped packet' lines for 310 datagrams"
check "racoon-lite survives garbage" racoon_alive ra
check "no SA from the garbage" test "$(kame_sas_with $A 10.0.0.9)" = 0

# --- Test that A and C negotiate before C stops -----------------------------
a ping -c 1 -W 1 10.0.1.2 >/dev/null 2>&1
check "SAs with C (10.0.1.2) after a ping" wait_for 20 grep -qs "IPsec-SA established.*10.0.1.2" $D/ra.log
check "ping A -> C over them" a ping -c 2 -i 0.3 -W 2 10.0.1.2 >/dev/null
kill -STOP "$(cat $D/rc.pid)"
a "$SETKEY" -c <<EOF
deleteall 10.0.1.1 10.0.1.2 esp;
deleteall 10.0.1.2 10.0.1.1 esp;
EOF

# --- Test that silent peers are retransmitted to, then given up -------------
# A ping each: to 10.0.1.3 (Main Mode unanswered), to C (Quick Mode
# unanswered, phase 1 is still up) and to B (the good peer, meanwhile).
# C gets three echoes a second apart, as a user's ping would send: one
# suppressed ACQUIRE (seen once in CI, cause not found) is asked again.
for p in 10.0.1.3 10.0.1.2 10.0.0.2; do
	c=1
	[ $p = 10.0.1.2 ] && c=3
	a ping -c $c -i 1 -W 1 $p >/dev/null 2>&1 &
	pings="$pings $!"
done
wait $pings
p1_gone() { grep -q "phase 1 with 10.0.1.3 failed: the peer did not answer our retransmissions" $D/ra.log; }
p2_gone() { grep -q "phase 2 with 10.0.1.2 failed: the peer did not answer our retransmissions" $D/ra.log; }
check "Main Mode to a silent peer: given up with a clear log line" wait_for 20 p1_gone
check "Quick Mode to a stopped peer: given up with a clear log line" wait_for 20 p2_gone
ktap_note "retransmissions: $(grep -c 'retransmitting to 10.0.1.3' $D/ra.log) to 10.0.1.3, $(grep -c 'retransmitting to 10.0.1.2' $D/ra.log) to 10.0.1.2"
check "both were retransmitted to (twice each, per 'timer')" sh -c "[ \$(grep -c 'retransmitting to 10.0.1.3' $D/ra.log) -ge 2 ] && [ \$(grep -c 'retransmitting to 10.0.1.2' $D/ra.log) -ge 2 ]"
sleep 0.5
check "no SA (not even larval) with either silent peer" \
	test "$(kame_sas_with $A 10.0.1.3)$(kame_sas_with $A 10.0.1.2)" = 00

# --- Test that B was served all along ----------------------------------------
sas_match() {
	setkey_esp $A | grep -v "^$" >$D/sa.all
	ip netns exec $A "$SETKEY" -D >$D/setkey.a
	setkey_esp $B >$D/sa.b
	[ "$(wc -l <$D/sa.b)" -eq 2 ] && cmp -s $D/sa.all $D/sa.b
}
check "B: SAs established on both sides" wait_for 10 sh -c "grep -q 'IPsec-SA established' $D/rb.log"
check "B: setkey -D shows the same 2 ESP SAs on A and B (and none else on A)" sas_match
check "B: ping A -> B" a ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
check "B: ping B -> A" b ping -c 3 -i 0.2 -W 2 10.0.0.1 >/dev/null

# --- Test that INITIAL-CONTACT from a restarted peer clears its old SAs -----
kill -CONT "$(cat $D/rc.pid)"
a ping -c 1 -W 1 10.0.1.2 >/dev/null 2>&1
second() { [ "$(grep -c 'IPsec-SA established.*10.0.1.2' $D/ra.log)" -ge 2 ]; }
check "C resumed: new SAs over the old ISAKMP SA" wait_for 20 second
setkey_esp $A >$D/sa.old
kill "$(cat $D/rc.pid)"
c "$SETKEY" -F
mv $D/rc.log $D/rc-1.log
racoon_start $C rc $D/c.conf -I 10.0.1.1
initial_contact() { grep -q "INITIAL-CONTACT from 10.0.1.2: removed [1-9]" $D/ra.log; }
check "C restarted: A logs its INITIAL-CONTACT and removes the older SAs" wait_for 30 initial_contact
c_sas_match() {
	grep -qs "IPsec-SA established" $D/rc.log || return 1
	setkey_esp $A | comm -23 - $D/sa.b >$D/sa.ac
	setkey_esp $C >$D/sa.c
	# (files, not <(...): the VM has no /dev/fd)
	cut -d' ' -f1 $D/sa.c >$D/spi.new
	comm -23 $D/sa.old $D/sa.b >$D/sa.old-c
	[ "$(wc -l <$D/sa.c)" -eq 2 ] && cmp -s $D/sa.ac $D/sa.c &&
		[ -s $D/sa.old-c ] && ! grep -q -f $D/spi.new $D/sa.old-c
}
check "C restarted: A and C have the same 2 new SAs, none of the old ones" wait_for 20 c_sas_match
check "C restarted: ping A -> C" a ping -c 3 -i 0.2 -W 2 10.0.1.2 >/dev/null
check "racoon-lite is still running" racoon_alive ra

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rb.log rc-1.log rc.log ra.out sa.all sa.b sa.old sa.ac sa.c; do
		grep -v DEBUG $D/$f 2>/dev/null | grep -v "dropped packet from 10.0.0.9" |
			tail -40 | sed "s|^|# $f: |"
	done
	a "$SETKEY" -D | sed 's/^/# setkey -D A: /'
	a "$SETKEY" -DP | sed 's/^/# setkey -DP A: /'
	a cat /proc/net/kame_ipsecstat 2>/dev/null | grep -v ' 0$' | sed 's/^/# kame A: /'
	a ip addr | sed 's/^/# ip addr A: /'
fi
ktap_finish
