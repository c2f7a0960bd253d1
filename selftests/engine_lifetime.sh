#!/bin/bash
# SA lifetimes end to end: byte limits (setkey -bs/-bh) and time limits
# (-ls/-lh) on kameipsec SAs, traffic against Linux's native XFRM.
#
#   [A: kameipsec] a0 10.79.0.1 ---- veth ---- b0 10.79.0.2 [B: XFRM]
#                     fd79::1                      fd79::2
#
# A registered PF_KEY socket in A (satype ESP) logs every SADB_EXPIRE and
# SADB_ACQUIRE. Bytes: traffic crosses below the soft limit with no
# message; past it, a soft EXPIRE and the SA dying but still carrying;
# past the hard limit, a hard EXPIRE, the SA gone, traffic stopped and the
# drops counted. Time: soft then hard EXPIRE at their seconds, SA gone.
# (KAME has byte and time lifetimes only; packet counts are not settable
# from setkey.)
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kla$$ B=klb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
PORT=5079
LOG=/tmp/kx.$$.pfkey
SOFT=150000 HARD=300000


netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.79.0.1/24 dev a0
ip -n $B addr add 10.79.0.2/24 dev b0
ip -n $A addr add fd79::1/64 dev a0 nodad
ip -n $B addr add fd79::2/64 dev b0 nodad
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up

alg_keys E aes-gcm-16
# SAs: 0x3001 A->B with byte limits, 0x3002 B->A without; IPv6:
# 0x3003 A->B with -ls 5 -lh 10 (seconds), 0x3004 B->A without.
ip netns exec $A "$SETKEY" -c <<EOC >/dev/null || echo "# setkey failed"
add 10.79.0.1 10.79.0.2 esp 0x3001 -m transport -bs $SOFT -bh $HARD $ALG_SETKEY;
add 10.79.0.2 10.79.0.1 esp 0x3002 -m transport $ALG_SETKEY;
spdadd 10.79.0.1 10.79.0.2 any -P out ipsec esp/transport//require;
spdadd 10.79.0.2 10.79.0.1 any -P in ipsec esp/transport//require;
EOC
# shellcheck disable=SC2086
{
	ip -n $B xfrm state add src 10.79.0.1 dst 10.79.0.2 proto esp spi 0x3001 mode transport $ALG_XFRM
	ip -n $B xfrm state add src 10.79.0.2 dst 10.79.0.1 proto esp spi 0x3002 mode transport $ALG_XFRM
	ip -n $B xfrm state add src fd79::1 dst fd79::2 proto esp spi 0x3003 mode transport $ALG_XFRM
	ip -n $B xfrm state add src fd79::2 dst fd79::1 proto esp spi 0x3004 mode transport $ALG_XFRM
	ip -n $B xfrm policy add src 10.79.0.2 dst 10.79.0.1 dir out tmpl src 10.79.0.2 dst 10.79.0.1 proto esp mode transport
	ip -n $B xfrm policy add src 10.79.0.1 dst 10.79.0.2 dir in tmpl src 10.79.0.1 dst 10.79.0.2 proto esp mode transport
	ip -n $B xfrm policy add src fd79::2 dst fd79::1 proto tcp dir out tmpl src fd79::2 dst fd79::1 proto esp mode transport
	ip -n $B xfrm policy add src fd79::1 dst fd79::2 proto tcp dir in tmpl src fd79::1 dst fd79::2 proto esp mode transport
} || echo "# ip xfrm failed"

ktap_plan 17
check "a registered PF_KEY listener is up" pfkey_listen $A 3 $LOG
xfer_server $B $PORT || ktap_note "server did not start"

expires() { grep "^EXPIRE $1 $2 " $LOG; }
sa_state() { ip netns exec $A "$SETKEY" -D | awk -v s="spi=$(($1))(" '
	index($0, s) { f = 1 } f && /state=/ { sub(/.*state=/, ""); print $1; exit }'; }

# --- bytes ---
check "64 KiB A -> B under the soft limit" xfer $A 10.79.0.2 $PORT 65536
sleep 1
check "no EXPIRE below the soft limit" test -z "$(expires soft 0x3001)$(expires hard 0x3001)"
check "SA 0x3001 mature" test "$(sa_state 0x3001)" = mature
check "128 KiB more A -> B crosses the soft limit, still carried" xfer $A 10.79.0.2 $PORT 131072
sleep 1
soft=$(expires soft 0x3001)
ktap_note "soft: ${soft:-none}"
check "soft SADB_EXPIRE for 0x3001, current bytes >= $SOFT" \
	test -n "$soft" -a "$(echo "$soft" | sed -n '1s/.*bytes=\([0-9]*\).*/\1/p')" -ge $SOFT
check "SA 0x3001 dying after the soft limit" test "$(sa_state 0x3001)" = dying
check "no hard EXPIRE yet" test -z "$(expires hard 0x3001)"
drops0=$(drop_of kame_ipsecstat out_sa_state) nosa0=$(stat_of kame_ipsecstat out_nosa)
XFER_TIMEOUT=10 xfer $A 10.79.0.2 $PORT 262144 2>/dev/null
check "256 KiB more A -> B does not get through (hard limit)" test $? -ne 0
sleep 1
hard=$(expires hard 0x3001)
ktap_note "hard: ${hard:-none}"
check "hard SADB_EXPIRE for 0x3001 after the soft one" \
	test -n "$hard" -a "$(grep -n "^EXPIRE soft 0x3001 " $LOG | head -1 | cut -d: -f1)" \
		-lt "$(grep -n "^EXPIRE hard 0x3001 " $LOG | head -1 | cut -d: -f1)"
check "SA 0x3001 gone after the hard limit" test -z "$(sa_state 0x3001)"
not() { ! "$@"; }
check "ping A -> B now dropped" not ping_q $A ping 10.79.0.2
drops1=$(drop_of kame_ipsecstat out_sa_state) nosa1=$(stat_of kame_ipsecstat out_nosa)
ktap_note "drop out_sa_state ${drops0:-0} -> ${drops1:-0}, out_nosa ${nosa0:-0} -> ${nosa1:-0}"
check "the drops are counted (out_sa_state, then out_nosa)" \
	test "${drops1:-0}" -gt "${drops0:-0}" -a "${nosa1:-0}" -gt "${nosa0:-0}"
check "SADB_ACQUIRE for the missing SA once it is gone" grep -q "^ACQUIRE" $LOG

# --- time ---
T0=$SECONDS
ip netns exec $A "$SETKEY" -c <<EOC >/dev/null || echo "# setkey failed"
add fd79::1 fd79::2 esp 0x3003 -m transport -ls 5 -lh 10 $ALG_SETKEY;
add fd79::2 fd79::1 esp 0x3004 -m transport $ALG_SETKEY;
spdadd fd79::1 fd79::2 tcp -P out ipsec esp/transport//require;
spdadd fd79::2 fd79::1 tcp -P in ipsec esp/transport//require;
EOC
check "IPv6 32 KiB A -> B on the timed SA" xfer $A fd79::2 $PORT 32768
for i in $(seq 50); do [ -n "$(expires hard 0x3003)" ] && break; sleep 0.5; done
ktap_note "after $((SECONDS - T0)) s: $(grep 0x3003 $LOG | tr '\n' ';')"
check "soft then hard SADB_EXPIRE for 0x3003 (-ls 5 -lh 10)" \
	test -n "$(expires soft 0x3003)" -a -n "$(expires hard 0x3003)"
check "SA 0x3003 gone after its hard time" test -z "$(sa_state 0x3003)"
sed 's/^/# pfkey: /' $LOG
ktap_finish
