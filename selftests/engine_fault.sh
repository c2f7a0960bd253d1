#!/bin/bash
# The drop reasons no packet can reach, through the engine's fault
# injection points (/sys/kernel/debug/kameipsec/fail_*, kmod/engine/fault.h):
#   in_crypto      the crypto API fails (not a bad ICV) on ESP input
#   out_crypto     the same on output
#   out_malformed  the output path cannot place the SA in the packet
# Each armed point fails exactly one packet: dropped, counted in /proc
# under its reason, one ipsecstat -w event with the SA; the next packet
# goes through. (Layout: ipsecstat_lib.sh; A also has 10.93.1.1 on lo and
# a tunnel policy 10.93.1.0/24 -> 10.93.2.0/24, SA 0x3001 to B.)
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=efa$$ B=efb$$
. ./ipsecstat_lib.sh
F=/sys/kernel/debug/kameipsec
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -w $F/fail_in_crypto ] || skip_all "no debugfs ($F)"
ist_begin $A $B
on_exit_late disarm
disarm() { local f; for f in $F/fail_*; do echo 0 >"$f"; done; }
ist_setup
ip -n $A addr add 10.93.1.1/32 dev lo
ip -n $A route add 10.93.2.0/24 via 10.90.0.2
ip netns exec $A "$SETKEY" -c <<EOC
add 10.90.0.1 10.90.0.2 esp 0x3001 -m tunnel -E null -A hmac-sha1 0x$AK;
spdadd 10.93.1.0/24 10.93.2.0/24 any -P out ipsec esp/tunnel/10.90.0.1-10.90.0.2/require;
EOC

ip netns exec $A "$IPSECSTAT" -w -j >"$D/json" 2>"$D/json.err" &
PIDS="$PIDS $!"
wait_listener $A
dropc() { ip netns exec $A awk -v k="$1" '$1 == "drop" && $2 == k { print $3 }' /proc/net/kame_ipsecstat; }
pstat() { ip netns exec $A awk -v k="$1" '$1 == k { print $2 }' /proc/net/kame_ipsecstat; }
outok() { pstat out_success; }
tun_ping() { ip netns exec $A ping -c 1 -W 1 -I 10.93.1.1 10.93.2.1 >/dev/null 2>&1; }

i0=$(pstat in_success)
echo 1 >$F/fail_in_crypto
esp valid 0x1001 1		# fails at the crypto point
esp valid 0x1001 2		# passes
left_in=$(cat $F/fail_in_crypto)
i1=$(pstat in_success)
o0=$(outok)
echo 1 >$F/fail_out_crypto
tun_ping			# one ESP packet out: fails
tun_ping			# goes out (B answers nothing: no SA there)
o1=$(outok)
echo 1 >$F/fail_out_malformed
tun_ping
tun_ping
o2=$(outok)
sleep 1
stop_pids
sed 's/^/# event: /' "$D/json"

ktap_plan 8
check "three events, one for each fault" test "$(wc -l <"$D/json")" -eq 3
check "in_crypto: one event for SA 0x1001 from B" \
	test "$(events "$D/json" in_crypto '"dir":"in",.*"src":"10.90.0.2","dst":"10.90.0.1",.*"spi":4097,"sa_proto":50,')" -eq 1
check "in_crypto: counted once in /proc, the point disarmed itself" \
	test "$(dropc in_crypto)" = 1 -a "$left_in" = 0
check "the next ESP packet was accepted (in_success +1)" test $((i1 - i0)) -eq 1
check "out_crypto: one event for SA 0x3001 and the tunnel policy" \
	test "$(events "$D/json" out_crypto '"dir":"out",.*"spi":12289,"sa_proto":50,.*"policy":"ipsec esp/tunnel/10.90.0.1-10.90.0.2/require"')" -eq 1
check "out_crypto: counted once; the second ping went out" \
	test "$(dropc out_crypto)" = 1 -a $((o1 - o0)) -eq 1
check "out_malformed: one event for SA 0x3001" \
	test "$(events "$D/json" out_malformed '"dir":"out",.*"spi":12289,')" -eq 1
check "out_malformed: counted once; the second ping went out" \
	test "$(dropc out_malformed)" = 1 -a $((o2 - o1)) -eq 1
ktap_finish
