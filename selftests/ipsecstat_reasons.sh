#!/bin/bash
# ipsecstat -w, the drop reasons ipsecstat_drops.sh leaves out: each one
# provoked here reaches the "drops" listener of its netns exactly once, with
# the SPI/CPI or the policy (and the policy's requests, tunnel endpoints
# included) it concerns, and is counted in /proc:
#   out_too_big        DF ping over the path MTU into an ESP tunnel
#   in_sa_state        ESP for an SA past its hard byte limit (-bh)
#   (and in_nosa       ESP for a larval SA (getspi): not in the SAD's input
#                      lookup until it is updated, as KAME's key_allocsa)
#   in_comp_too_big    a deflate bomb for IPComp CPI 0x4002
#   in_comp_bad        garbage for that CPI
#   in_policy_discard  clear UDP matching an inbound "discard" policy
#   out_policy_discard UDP sent by A matching an outbound "discard" policy
#   in_bad_nexthdr     ESP carrying next header 59 in a transport SA
#   in_bad_inner       a tunnel SA carrying 8 bytes of an IPv4 header
#   in_frag            a tunnel SA carrying an empty IPv4 fragment
# (Layout: ipsecstat_lib.sh; A also has 10.93.1.1 on lo and a tunnel policy
# 10.93.1.0/24 -> 10.93.2.0/24 through 10.90.0.1-10.90.0.2, SA 0x3001.)
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=ira$$ B=irb$$
. ./ipsecstat_lib.sh

ist_begin $A $B
ist_setup
ip -n $A addr add 10.93.1.1/32 dev lo
ip -n $A route add 10.93.2.0/24 via 10.90.0.2
ip netns exec $A "$SETKEY" -c <<EOC || skip_all "setkey refused the setup"
getspi 10.90.0.2 10.90.0.1 esp 0x1005;
add 10.90.0.2 10.90.0.1 esp 0x1006 -m transport -bh 100 -E null -A hmac-sha1 0x$AK;
add 10.90.0.2 10.90.0.1 esp 0x1002 -m tunnel -E null -A hmac-sha1 0x$AK;
add 10.90.0.2 10.90.0.1 ipcomp 0x4002 -C deflate;
add 10.90.0.1 10.90.0.2 esp 0x3001 -m tunnel -E null -A hmac-sha1 0x$AK;
spdadd 10.90.0.2[7003] 10.90.0.1 udp -P in discard;
spdadd 10.90.0.1 10.90.0.2[7004] udp -P out discard;
spdadd 10.93.1.0/24 10.93.2.0/24 any -P out ipsec esp/tunnel/10.90.0.1-10.90.0.2/require;
EOC

# raw_comp bomb|garbage: an IPComp packet for CPI 0x4002 from B to A.
raw_comp() {
	ip netns exec $B $PY -c '
import socket, sys, zlib
if sys.argv[1] == "bomb":
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = c.compress(b"\0" * (1 << 20)) + c.flush()
else:
    body = bytes(range(7, 247))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 108)
s.sendto(bytes([17, 0, 0x40, 0x02]) + body, ("10.90.0.1", 0))
' "$1"
}

ip netns exec $A "$IPSECSTAT" -w -j >"$D/json" 2>"$D/json.err" &
PIDS="$PIDS $!"
ip netns exec $A "$IPSECSTAT" -w >"$D/text" 2>"$D/text.err" &
PIDS="$PIDS $!"
wait_listener $A

# 1472 bytes of ICMP data: a 1500-byte packet, plus the tunnel's 20-byte
# IP header, ESP and ICV: over a0's 1500. The first is dropped and the
# sender told; the second is refused locally (EMSGSIZE), no second drop.
ip netns exec $A ping -M do -s 1472 -c 2 -i 0.3 -W 1 -I 10.93.1.1 10.93.2.1 >"$D/ping" 2>&1
esp valid 0x1005 1			# larval SA
esp valid 0x1006 1 2			# 88 bytes, then 176 > 100: past hard
raw_comp bomb
raw_comp garbage
ip netns exec $B $PY -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("10.90.0.2", 7003))
u.sendto(b"discard me", ("10.90.0.1", 9))'
ip netns exec $A bash -c 'echo x >/dev/udp/10.90.0.2/7004' 2>/dev/null
esp nonext 0x1001 1
esp badinner 0x1002 1
esp frag 0x1002 2
sleep 1
stop_pids
sed 's/^/# ping: /' "$D/ping"
sed 's/^/# event: /' "$D/json"
sed 's/^/# text: /' "$D/text"
ip netns exec $A "$IPSECSTAT" -p -j >"$D/pol"
sed 's/^/# policy: /' "$D/pol"
PIN=$(grep '"dir":"in"' "$D/pol" | grep '"sport":7003,' | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
POUT=$(grep '"dir":"out"' "$D/pol" | grep '"dport":7004,' | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
PTUN=$(grep '"dst":"10.93.2.0/24"' "$D/pol" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
ktap_note "policies: in discard $PIN, out discard $POUT, tunnel $PTUN"
dropc() { ip netns exec $A awk -v k="$1" '$1 == "drop" && $2 == k { print $3 }' /proc/net/kame_ipsecstat; }

ktap_plan 16
check "10 drops, 10 events: nothing else was reported" \
	test "$(wc -l <"$D/json")" -eq 10
check "too big: one out_too_big event for SA 0x3001 and the tunnel policy, endpoints as setkey writes them" \
	test -n "$PTUN" -a "$(events "$D/json" out_too_big "\"dir\":\"out\",.*\"src\":\"10.93.1.1\",\"dst\":\"10.93.2.1\",\"proto\":1,\"spi\":12289,\"sa_proto\":50,\"algs\":\"null/hmac-sha1\",\"mode\":\"tunnel\",\"policy_id\":$PTUN,\"policy\":\"ipsec esp/tunnel/10.90.0.1-10.90.0.2/require\"")" -eq 1
check "too big: the sender was told the MTU" \
	grep -Eqi 'frag needed|too long|too big' "$D/ping"
check "ipsecstat -p -j shows the tunnel policy with its endpoints" \
	grep -q "^{\"id\":$PTUN,.*\"policy\":\"ipsec esp/tunnel/10.90.0.1-10.90.0.2/require\",\"requests\":\[{\"sa_proto\":\"esp\",\"mode\":\"tunnel\",\"level\":2,\"reqid\":0,\"tun_src\":\"10.90.0.1\",\"tun_dst\":\"10.90.0.2\"}\]}" "$D/pol"
ktap_note "larval: $(ip netns exec $A "$SETKEY" -D | grep -A1 'spi=4101(' | tr '\n\t' '  ')"
check "larval SA (getspi): not used for input, one in_nosa event for SPI 0x1005" \
	test "$(events "$D/json" in_nosa '"spi":4101,"sa_proto":50,')" -eq 1
check "SA past its hard byte limit: one in_sa_state event for SPI 0x1006, with its algorithms" \
	test "$(events "$D/json" in_sa_state '"spi":4102,"sa_proto":50,"algs":"null/hmac-sha1","mode":"transport"')" -eq 1
check "deflate bomb: one in_comp_too_big event for CPI 0x4002" \
	test "$(events "$D/json" in_comp_too_big '"src":"10.90.0.2","dst":"10.90.0.1","proto":108,"spi":16386,"sa_proto":108,.*"ifname":"a0"')" -eq 1
check "garbage: one in_comp_bad event for CPI 0x4002" \
	test "$(events "$D/json" in_comp_bad '"proto":108,"spi":16386,"sa_proto":108,')" -eq 1
check "inbound discard: one in_policy_discard event with that policy" \
	test -n "$PIN" -a "$(events "$D/json" in_policy_discard "\"proto\":17,\"sport\":7003,\"dport\":9,\"policy_id\":$PIN,\"policy\":\"discard\",")" -eq 1
check "outbound discard: one out_policy_discard event with that policy" \
	test -n "$POUT" -a "$(events "$D/json" out_policy_discard "\"dir\":\"out\",.*\"dport\":7004,\"policy_id\":$POUT,\"policy\":\"discard\",")" -eq 1
check "next header 59: one in_bad_nexthdr event for SPI 0x1001" \
	test "$(events "$D/json" in_bad_nexthdr '"spi":4097,"sa_proto":50,')" -eq 1
check "8 bytes of an inner header: one in_bad_inner event for SPI 0x1002" \
	test "$(events "$D/json" in_bad_inner '"spi":4098,"sa_proto":50,.*"mode":"tunnel"')" -eq 1
check "an empty fragment inside: one in_frag event for SPI 0x1002" \
	test "$(events "$D/json" in_frag '"spi":4098,"sa_proto":50,')" -eq 1
check "the words: too big, with the tunnel written as setkey does" \
	grep -q "^out esp 10.93.1.1 → 10.93.2.1 spi 0x3001 on a0: too big .* — .*\\[policy $PTUN: ipsec esp/tunnel/10.90.0.1-10.90.0.2/require\\] {out_too_big}\$" "$D/text"
# ipsecstat -s's filters: by SPI, by source then destination, by protocol.
sel() { ip netns exec $A "$IPSECSTAT" -s -j "$@" | sed -n 's/.*"spi":\([0-9]*\),.*/\1/p' | tr '\n' ' '; }
ktap_note "-S 0x1002: $(sel -S 0x1002); -a 10.90.0.1 -a 10.90.0.2: $(sel -a 10.90.0.1 -a 10.90.0.2); -P ipcomp: $(sel -P ipcomp)"
check "ipsecstat -s -S / -a -a / -P list only the SAs asked for" \
	test "$(sel -S 0x1002)" = "4098 " -a "$(sel -a 10.90.0.1 -a 10.90.0.2)" = "12289 " -a \
	"$(sel -P ipcomp)" = "16386 "
n=0
for r in out_too_big in_sa_state in_comp_too_big in_comp_bad in_policy_discard \
	 out_policy_discard in_bad_nexthdr in_bad_inner in_frag; do
	want=1
	got=$(dropc $r)
	[ "${got:-0}" -eq $want ] && n=$((n + 1)) || ktap_note "/proc: $r ${got:-0}, want $want"
done
check "/proc counts each of them as often as the events say" test $n -eq 9
ktap_finish
