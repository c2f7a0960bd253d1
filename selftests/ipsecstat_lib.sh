# Helpers for the ipsecstat tests (sourced after lib.sh). Needs $A (the
# kameipsec namespace, 10.90.0.1) and $B (the sender, 10.90.0.2).
#
#   [A: kameipsec] a0 10.90.0.1 ---- veth ---- b0 10.90.0.2 [B: crafts packets]
#
# In A: ESP SA 0x1001 from B (null encryption, hmac-sha1 with $AK, replay
# window 32), a policy requiring ESP for UDP from B's port 7001, one
# requiring ESP for UDP to B's port 7000 that no SA serves, and one
# requiring AH for UDP from B's port 7002.
SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SETKEY=$SRC/user/setkey/setkey
IPSECSTAT=$SRC/user/ipsecstat/ipsecstat
PY=/usr/bin/python3
AK=000102030405060708090a0b0c0d0e0f10111213

# ist_begin NETNS...: skip without setkey or ipsecstat; then a scratch
# directory $D. On exit (lib.sh's teardown) $PIDS are killed, the
# namespaces named here deleted and $D removed.
ist_begin() {
	[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
	[ -x "$IPSECSTAT" ] || skip_all "no user/ipsecstat/ipsecstat"
	D=$(mktemp -d)
	cleanup_netns "$@"
	cleanup_files "$D"
}

ist_setup() {
	netns_add $A $B
	ip -n $A link add a0 type veth peer name b0 netns $B
	ip -n $A addr add 10.90.0.1/24 dev a0
	ip -n $B addr add 10.90.0.2/24 dev b0
	for n in $A $B; do ip -n $n link set lo up; done
	ip -n $A link set a0 up
	ip -n $B link set b0 up
	ip netns exec $A "$SETKEY" -c <<EOC
add 10.90.0.2 10.90.0.1 esp 0x1001 -m transport -r 32 -E null -A hmac-sha1 0x$AK;
spdadd 10.90.0.2[7001] 10.90.0.1 udp -P in ipsec esp/transport//require;
spdadd 10.90.0.1 10.90.0.2[7000] udp -P out ipsec esp/transport//require;
spdadd 10.90.0.2[7002] 10.90.0.1 udp -P in ipsec ah/transport//require;
EOC
}

# esp CASE SPI SEQ [COUNT]: from B to A, ESP (null + hmac-sha1-96) around
# UDP 10.90.0.2:$ESP_SPORT (4000) -> 10.90.0.1:9. CASE: valid, icv (last ICV byte
# flipped), pad (padding bytes wrong, ICV right), clear (plain UDP from
# port 7001, no ESP), nonext (next header 59: no packet inside), badinner
# (next header 4, IP-in-IP, but only 8 bytes of an IPv4 header inside),
# frag (IP-in-IP: an empty IPv4 fragment, MF set at offset 8, which
# ip_defrag refuses).
# COUNT copies, SEQ counting up (default 1).
esp() {
	ip netns exec $B env ESP_SPORT=${ESP_SPORT:-4000} $PY - "$AK" "$@" <<'EOPY'
import hmac, hashlib, os, socket, struct, sys
key = bytes.fromhex(sys.argv[1])
case, spi, seq = sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4])
count = int(sys.argv[5]) if len(sys.argv) > 5 else 1
dst = ("10.90.0.1", 0)
if case == "clear":
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("10.90.0.2", 7001))
    for i in range(count):
        u.sendto(b"clear", ("10.90.0.1", 9))
    sys.exit(0)
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ESP)
data = b"ipsecstat" * 4
udp = struct.pack("!HHHH", int(os.environ["ESP_SPORT"]), 9, 8 + len(data), 0) + data
nh = 17
if case == "nonext":
    nh = 59
elif case == "badinner":
    udp, nh = bytes([0x45, 0, 0, 80, 0, 0, 0, 0]), 4
elif case == "frag":
    h = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20, 0x1234, 0x2001,
                              64, 17, 0, socket.inet_aton("10.90.0.2"),
                              socket.inet_aton("10.90.0.1")))
    c = sum(struct.unpack("!10H", h))
    c = (c & 0xffff) + (c >> 16)
    c = (c & 0xffff) + (c >> 16)
    h[10:12] = struct.pack("!H", ~c & 0xffff)
    udp, nh = bytes(h), 4
padlen = (4 - (len(udp) + 2) % 4) % 4
pad = bytes(range(1, padlen + 1)) if case != "pad" else bytes([9] * (padlen or 4))
if case == "pad" and not padlen:
    padlen = 4
for i in range(count):
    body = struct.pack("!II", spi, seq + i) + udp + pad + bytes([padlen, nh])
    icv = bytearray(hmac.new(key, body, hashlib.sha1).digest()[:12])
    if case == "icv":
        icv[-1] ^= 1
    s.sendto(body + bytes(icv), dst)
EOPY
}

# events FILE REASON [FIELD-PATTERN]: JSON events of that reason (and
# matching the pattern) in FILE.
events() {
	grep "\"reason\":\"$2\"" "$1" | grep -c -- "${3:-.}"
}

# policy_id DIR SPORT-OR-DPORT: A's policy of that direction and port, from
# ipsecstat -p -j.
policy_id() {
	ip netns exec $A "$IPSECSTAT" -p -j |
		grep "\"dir\":\"$1\"" | grep "\"$2\":$3," |
		sed -n 's/^{"id":\([0-9]*\),.*/\1/p'
}

# stat_of FILE NAME: A's counter NAME in /proc/net/FILE.
stat_of() { ip netns exec $A awk -v k="$2" '$1 == k { print $2 }' /proc/net/$1; }

# A's /proc counters with the age of the last drop left out (ipsecstat -r's
# format).
proc_noage() {
	ip netns exec $A cat /proc/net/$1 | sed 's/ age_ms [0-9]*$//'
}

# listeners NS: how many generic netlink sockets in NS have joined a group
# (ipsecstat -w joins after its KAME_CMD_WATCH is accepted).
listeners() {
	ip netns exec "$1" awk '$2 == 16 && $4 != "00000000" { n++ } END { print n + 0 }' \
		/proc/net/netlink
}

has_listener() { [ "$(listeners "$1")" -ge 1 ]; }

# Wait until a listener has joined the drops group in its netns: it shows
# in /proc/net/netlink (generic netlink, a non-zero group mask). The mask
# there covers groups 1..32 only: past 2 s (times KAME_SLOW) without it, go
# on after 1 s more.
wait_listener() {
	wait_for 2 has_listener "$1" && return 0
	ktap_note "no group member seen in /proc/net/netlink (group id > 32?)"
	sleep 1
}
