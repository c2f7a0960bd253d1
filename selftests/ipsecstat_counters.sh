#!/bin/bash
# ipsecstat's counters are /proc/net/kame_ipsec{,6}stat's, per netns; -z
# zeroes them; an unprivileged user reads the counters but is refused the
# drop stream, the SA and policy tables and -z, with a clear message, and
# reads /proc without SPIs or policy ids. (Layout: ipsecstat_lib.sh.)
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=ica$$ B=icb$$ C=icc$$
. ./ipsecstat_lib.sh

ist_begin $A $B $C
ist_setup
ip netns add $C

# A listener in C sees nothing of A's drops.
ip netns exec $C "$IPSECSTAT" -w -j >"$D/c" 2>&1 &
PIDS="$PIDS $!"
wait_listener $C
esp valid 0x1001 1 5			# 5 accepted
esp icv 0x1001 6
esp valid 0x2002 1 3			# 3 unknown SPI
esp clear 0 0
sleep 0.5

# nobody: ipsecstat run as uid 65534 with no capabilities, in netns NS
nobody() {
	local ns=$1
	shift
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}

ktap_plan 15
# (the VM has no /dev/fd: files, not <(...))
proc_noage kame_ipsecstat >"$D/p4"
ip netns exec $A "$IPSECSTAT" -r >"$D/r4"
proc_noage kame_ipsec6stat >"$D/p6"
ip netns exec $A "$IPSECSTAT" -6 -r >"$D/r6"
check "ipsecstat -r is /proc/net/kame_ipsecstat, counter for counter" \
	diff -u "$D/p4" "$D/r4"
check "ipsecstat -6 -r is /proc/net/kame_ipsec6stat" \
	diff -u "$D/p6" "$D/r6"
out=$(ip netns exec $A "$IPSECSTAT")
echo "$out" | sed 's/^/# /'
check "KAME's lines: 5 accepted, 3 with no SA, 1 failed authentication" \
	eval 'echo "$out" | grep -qx "	5 inbound packets processed successfully" &&
	      echo "$out" | grep -qx "	3 inbound packets with no SA available" &&
	      echo "$out" | grep -qx "	1 inbound ESP packet failed on authentication" &&
	      echo "$out" | grep -qx "	1 inbound packet violated process security policy"'
check "KAME's histogram line: 5 packets with null encryption" \
	eval 'echo "$out" | grep -qx "		null: 5"'
check "another netns counts nothing of it" \
	eval '[ -z "$(ip netns exec $C "$IPSECSTAT" -r | grep -v " 0$")" ]'
check "and its drop listener saw nothing" test ! -s "$D/c"

u=$(nobody $A "$IPSECSTAT" -r 2>&1)
check "unprivileged: the counters, without SPIs or policies" \
	eval 'echo "$u" | grep -qx "drop in_nosa 3 spi - policy -" &&
	      echo "$u" | grep -qx "in_nosa 3"'
check "unprivileged: /proc hides the SPI and policy of the last drops" \
	eval 'nobody $A cat /proc/net/kame_ipsecstat | grep -q "^drop in_nosa 3 spi - policy - age_ms [0-9]*$" &&
	      ! nobody $A cat /proc/net/kame_ipsecstat | grep -q "spi 0x"'
w=$(nobody $A timeout $((10 * ${KAME_SLOW:-1})) "$IPSECSTAT" -w 2>&1); rc=$?
ktap_note "nobody -w: rc $rc: $w"
check "unprivileged: -w refused, exit 4, says why" \
	eval '[ $rc -eq 4 ] && echo "$w" | grep -q "permission denied (needs CAP_NET_ADMIN"'
s=$(nobody $A "$IPSECSTAT" -s 2>&1); rc=$?
check "unprivileged: -s refused, exit 4" \
	eval '[ $rc -eq 4 ] && echo "$s" | grep -q "permission denied"'
z=$(nobody $A "$IPSECSTAT" -z 2>&1); rc=$?
check "unprivileged: -z refused, exit 4, counters kept" \
	eval '[ $rc -eq 4 ] && [ "$(stat_of kame_ipsecstat in_nosa)" = 3 ]'
check "strict: a request with an unknown attribute is refused" \
	ip netns exec $A $PY - <<'EOPY'
import socket, struct, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
def req(msgtype, cmd, attrs, reserved=0):
    body = struct.pack("BBH", cmd, 1, reserved) + attrs
    s.send(struct.pack("=IHHII", 16 + len(body), msgtype, 1, 1, 0) + body)
    return s.recv(65536)
def attr(t, v):
    a = struct.pack("HH", 4 + len(v), t) + v
    return a + b"\0" * (-len(a) % 4)
# CTRL_CMD_GETFAMILY (3) with CTRL_ATTR_FAMILY_NAME (2)
r = req(16, 3, attr(2, b"kameipsec\0"))
off = 20
fam = None
while off < len(r):
    l, t = struct.unpack_from("HH", r, off)
    if t == 1:
        fam = struct.unpack_from("H", r, off + 4)[0]
    off += (l + 3) & ~3
ok = req(fam, 1, attr(2, b"\x02"))		# GET_STATS, family AF_INET
bad = req(fam, 1, attr(30, struct.pack("Q", 1)))	# KAME_A_ICV_FAIL: a reply's
bad2 = req(fam, 1, b"", reserved=1)		# reserved header field set
errs = [struct.unpack_from("i", m, 16)[0] for m in (bad, bad2)]
print("# ok type %d, errors %s" % (struct.unpack_from("H", ok, 4)[0], errs))
sys.exit(0 if struct.unpack_from("H", ok, 4)[0] == fam and errs == [-22, -22] else 1)
EOPY
check "-z zeroes them" \
	eval 'ip netns exec $A "$IPSECSTAT" -z && [ "$(stat_of kame_ipsecstat in_nosa)" = 0 ] &&
	      [ "$(stat_of kame_ipsecstat in_success)" = 0 ]'
# The packets go after the first report is out and well before the second
# (a fixed head start lost the race under load: both reports equal).
iv=$((5 * ${KAME_SLOW:-1}))
ip netns exec $A timeout $((3 * iv + 10)) "$IPSECSTAT" -j -i $iv -c 2 >"$D/j" &
jpid=$!
wait_for 10 test -s "$D/j" || ktap_note "no first report within 10 s"
esp valid 0x2002 1 2
wait $jpid
j=$(cat "$D/j")
ktap_note "$j"
check "-i: the second report is the change, 2 more with no SA" \
	eval 'echo "$j" | sed -n 2p | grep -q "\"in_nosa\":2,"'
ip netns exec $A "$IPSECSTAT" -s | sed 's/^/# /'
check "-s: the table lists SA 0x1001" \
	eval 'ip netns exec $A "$IPSECSTAT" -s -o bytes | grep -q "^esp    0x1001 "'
ktap_finish
