#!/bin/bash
# Drop events are built only in a netns that has a watcher (a socket that
# sent KAME_CMD_WATCH, as ipsecstat -w does, and is still open). Generic
# netlink's "has listeners" test spans every netns: before, one listener in
# X made every other netns build its events (up to the rate limit), which
# then reached nobody, and the rate limit counted the rest as suppressed.
#
# X and Y each drop their own UDP to 127.0.0.2:9 (an outbound "discard"
# policy), counted as out_policy_discard. With ipsecstat -w in X only:
# X's drops reach it; Y's 300 build nothing (Y's suppressed and unheard
# stay 0). With ipsecstat -w in Y too, Y's drops are reported or counted as
# suppressed, all 300. Once that watcher exits, Y builds nothing again.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
X=iwx$$ Y=iwy$$
A=$X
. ./ipsecstat_lib.sh

ist_begin $X $Y
for n in $X $Y; do
	ip netns add $n
	ip -n $n link set lo up
	echo 'spdadd 127.0.0.1 127.0.0.2[9] udp -P out discard;' |
		ip netns exec $n "$SETKEY" -c
done

# drop NS COUNT: COUNT datagrams to 127.0.0.2:9, each refused (EPERM).
drop() {
	ip netns exec $1 $PY -c '
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    try:
        u.sendto(b"x", ("127.0.0.2", 9))
    except OSError:
        pass' "$2"
}
# field NS NAME: suppressed or unheard, from ipsecstat -j.
field() {
	ip netns exec $1 "$IPSECSTAT" -j | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}
discards() {
	ip netns exec $1 awk '$1 == "drop" && $2 == "out_policy_discard" { print $3 }' \
		/proc/net/kame_ipsecstat
}

ip netns exec $X "$IPSECSTAT" -w -j >"$D/x" 2>"$D/x.err" &
PIDS="$PIDS $!"
wait_listener $X
drop $X 5
drop $Y 300
sleep 0.5

ktap_plan 10
check "X's watcher got X's 5 drops, with X's discard policy" \
	test "$(events "$D/x" out_policy_discard '"dst":"127.0.0.2","proto":17,.*"dport":9,.*"policy":"discard"')" -eq 5
check "Y counted its 300 drops" test "$(discards $Y)" = 300
ktap_note "Y without a watcher: suppressed $(field $Y suppressed), unheard $(field $Y unheard)"
check "Y, nobody watching: no drop event built (suppressed 0, unheard 0)" \
	test "$(field $Y suppressed)" = 0 -a "$(field $Y unheard)" = 0

ip netns exec $Y "$IPSECSTAT" -w -j >"$D/y" 2>"$D/y.err" &
YP=$!
PIDS="$PIDS $YP"
wait_listener $Y
drop $Y 300
sleep 1
kill $YP; wait $YP 2>/dev/null
got=$(wc -l <"$D/y") sup=$(field $Y suppressed)
ktap_note "Y with a watcher: $got events, $sup suppressed"
check "Y, watched: every drop reported or counted as suppressed ($got + $sup = 300)" \
	test $((got + sup)) -eq 300 -a "$got" -ge 1
check "Y's events reached Y's watcher only" \
	test "$(wc -l <"$D/x")" -eq 5

sleep 0.2	# the watcher's socket released
drop $Y 300
sleep 0.5
check "Y's watcher gone: 300 more drops counted, still no event built" \
	test "$(discards $Y)" = 900 -a "$(field $Y suppressed)" = "$sup" -a "$(field $Y unheard)" = 0
check "X's watcher saw none of them" test "$(wc -l <"$D/x")" -eq 5
# At most KAME_WATCHERS_MAX (16) watchers a netns: X has one, 15 more fit,
# the 17th is refused and says why; once one exits, there is room again.
MORE=
for i in $(seq 15); do
	ip netns exec $X "$IPSECSTAT" -w >/dev/null 2>"$D/more$i.err" &
	MORE="$MORE $!"
done
PIDS="$PIDS $MORE"
# All 16 in (a fixed pause let a slow one in after the 17th under load).
wait_for 20 eval '[ "$(listeners $X)" -ge 16 ]' || ktap_note "only $(listeners $X) watchers joined"
out=$(timeout $((10 * ${KAME_SLOW:-1})) ip netns exec $X "$IPSECSTAT" -w 2>&1)
rc=$?
alive=0
for p in $MORE; do kill -0 $p 2>/dev/null && alive=$((alive + 1)); done
ktap_note "17th watcher: exit $rc: $out; $alive of 15 more still running"
check "16 watchers in X; the 17th is refused (exit 1, too many drop watchers)" \
	eval '[ $alive -eq 15 ] && [ $rc -eq 1 ] && echo "$out" | grep -q "too many drop watchers in this network namespace (at most 16)"'
for p in $MORE; do kill $p 2>/dev/null; wait $p 2>/dev/null; done
timeout $((20 * ${KAME_SLOW:-1})) ip netns exec $X "$IPSECSTAT" -w -c 1 >"$D/again" 2>&1 &
AP=$!
# X's first watcher and this one (a fixed 1 s was too short under load).
wait_for 10 eval '[ "$(listeners $X)" -eq 2 ]' || ktap_note "$(listeners $X) watchers in X, not 2"
drop $X 1
wait $AP
check "after they exit, a new watcher is accepted and gets its event" \
	grep -q '"out_policy_discard"\|outbound policy says discard' "$D/again"

# The registration needs the same privilege as the group.
out=$(ip netns exec $Y setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$IPSECSTAT" -w 2>&1)
rc=$?
check "an unprivileged watcher is refused (exit 4, permission denied)" \
	eval '[ $rc -eq 4 ] && echo "$out" | grep -q "permission denied"'
ktap_finish
