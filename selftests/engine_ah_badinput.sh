#!/bin/bash
# Bad AH input, crafted with scapy in namespace B and sent to kameipsec in
# namespace A (IPv4 and IPv6): a changed immutable field, a replay, an
# unknown SPI and a truncated header are each dropped and counted once under
# the KAME counter and the named drop reason; changed mutable fields (TTL,
# TOS, a record-route option / hop limit, traffic class, flow label) do not
# break the ICV, and IPv6 extension headers in front of AH are covered.
#
#   [A: kameipsec] a0 10.89.0.1 fd89::1 ---- veth ---- b0 10.89.0.2 fd89::2 [B: scapy]
#
# SAs B -> A: 0x4001 (IPv4) and 0x4002 (IPv6), hmac-sha1 (96-bit ICV).
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kaa$$ B=kab$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
$PY -c 'import scapy.layers.ipsec, cryptography' 2>/dev/null ||
	skip_all "python3-scapy with cryptography needed"

netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.89.0.1/24 dev a0
ip -n $B addr add 10.89.0.2/24 dev b0
ip -n $A addr add fd89::1/64 dev a0 nodad
ip -n $B addr add fd89::2/64 dev b0 nodad
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up
AK=000102030405060708090a0b0c0d0e0f10111213
ip netns exec $A "$SETKEY" -c <<EOC
add 10.89.0.2 10.89.0.1 ah 0x4001 -m transport -r 4 -A hmac-sha1 0x$AK;
add fd89::2 fd89::1 ah 0x4002 -m transport -r 4 -A hmac-sha1 0x$AK;
EOC
# B needs A's link-layer address before scapy sends (no NDP races).
ip netns exec $B ping -c 1 -W 2 10.89.0.1 >/dev/null
ip netns exec $B ping -c 1 -W 2 fd89::1 >/dev/null

# Every packet is built once by scapy (slow to start under TCG) into
# $D/vF-CASE-SEQ, and sent later by a raw socket, one at a time.
D=$(mktemp -d)
cleanup_files "$D"
ip netns exec $B $PY - "$D" $AK <<'EOPY'
import sys
from scapy.all import IP, IPv6, IPv6ExtHdrDestOpt, PadN, UDP, Raw, raw
from scapy.layers.inet import IPOption_RR, IPOption_Router_Alert
from scapy.layers.ipsec import SecurityAssociation, AH
out, key = sys.argv[1], bytes.fromhex(sys.argv[2])

def build(v6, case, seq):
    sa = SecurityAssociation(AH, spi=0x4002 if v6 else 0x4001,
                             auth_algo="HMAC-SHA1-96", auth_key=key)
    udp = UDP(sport=4000, dport=9) / Raw(b"x" * 32)
    if v6 and case in ("destopt", "immutable_hdr"):
        # A destination options header before AH: PadN is immutable.
        pkt = IPv6(src="fd89::2", dst="fd89::1") / \
            IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) / udp
    elif v6:
        pkt = IPv6(src="fd89::2", dst="fd89::1") / udp
    elif case == "options":
        # Record route (mutable, zeroed) and router alert (immutable).
        pkt = IP(src="10.89.0.2", dst="10.89.0.1", id=7,
                 options=[IPOption_RR(routers=["0.0.0.0", "0.0.0.0"]),
                          IPOption_Router_Alert()]) / udp
    else:
        pkt = IP(src="10.89.0.2", dst="10.89.0.1", id=7) / udp
    p = sa.encrypt(pkt, seq_num=seq)
    if case == "badspi":
        p[AH].spi = 0x9999
    elif case == "mutable":        # TTL/TOS, hop limit/traffic class/flow label
        if v6:
            p[IPv6].hlim = 17; p[IPv6].tc = 0x28; p[IPv6].fl = 0x12345
        else:
            p[IP].ttl = 17; p[IP].tos = 0x28
    elif case == "immutable_hdr" and not v6:
        p[IP].id = 8
    elif case == "options":        # a router recorded itself on the way
        p[IP].options[0].routers = ["192.0.2.1", "0.0.0.0"]
        p[IP].options[0].pointer = 8
    if not v6:
        del p[IP].chksum
    b = bytearray(raw(p))
    hl = 40 if v6 else 20
    if case == "immutable":        # the payload is covered: flip one byte
        b[-1] ^= 0x01
    elif case == "immutable_hdr" and v6:
        b[hl + 4] ^= 0x01          # the PadN option's first data byte
    elif case == "trunc":          # AH header cut after the SPI
        b = b[:hl + 8]
        if v6:
            b[4:6] = (8).to_bytes(2, "big")
        else:
            q = IP(bytes(b)); q.len = hl + 8; del q.chksum; b = bytearray(raw(q))
    return bytes(b)

cases = [("valid", 1), ("badspi", 2), ("immutable", 2), ("immutable_hdr", 3),
         ("mutable", 4), ("trunc", 5), ("destopt", 6), ("options", 7)]
for v6 in (False, True):
    for case, seq in cases:
        with open("%s/v%d-%s-%d" % (out, 6 if v6 else 4, case, seq), "wb") as f:
            f.write(build(v6, case, seq))
EOPY

# craft FAMILY CASE SEQ: send that packet from B to A.
craft() {
	ip netns exec $B $PY -c '
import socket, sys
v6 = sys.argv[1] == "6"
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW,
                  socket.IPPROTO_RAW)
s.sendto(open(sys.argv[2], "rb").read(), ("fd89::1" if v6 else "10.89.0.1", 0))
' "$1" "$D/v$1-$2-$3"
}

# expect FAMILY CASE SEQ COUNTER [DROP_REASON]: the counter (and reason) +1.
expect() {
	local f=kame_ipsecstat c0 c1 d0 d1 ok=0
	[ "$1" = 6 ] && f=kame_ipsec6stat
	c0=$(stat_of $f "$4")
	d0=$(drop_count $f "${5:-none}")
	craft "$1" "$2" "$3" || return 1
	sleep 0.3
	c1=$(stat_of $f "$4")
	d1=$(drop_count $f "${5:-none}")
	ktap_note "v$1 $2 seq $3: $4 $c0 -> $c1${5:+, drop $5 $d0 -> $d1}"
	[ "$c1" -eq $((c0 + 1)) ] || ok=1
	[ -z "$5" ] || [ "$d1" -eq $((d0 + 1)) ] || ok=1
	return $ok
}
drop_count() {
	ip netns exec $A awk -v r="$2" '$1 == "drop" && $2 == r { n = $3 } END { print n + 0 }' \
		/proc/net/$1
}

ktap_plan 16
for v in 4 6; do
	check "v$v valid packet (seq 1): in_ahauthsucc +1" expect $v valid 1 in_ahauthsucc
	check "v$v replayed packet (seq 1): in_ahreplay +1" expect $v valid 1 in_ahreplay in_ah_replay
	check "v$v unknown SPI: in_nosa +1" expect $v badspi 2 in_nosa in_nosa
	check "v$v changed payload byte (seq 2): in_ahauthfail +1" \
		expect $v immutable 2 in_ahauthfail in_ah_icv
	check "v$v changed immutable header field (seq 3): in_ahauthfail +1" \
		expect $v immutable_hdr 3 in_ahauthfail in_ah_icv
	check "v$v changed mutable fields (seq 4): accepted, in_ahauthsucc +1" \
		expect $v mutable 4 in_ahauthsucc
	check "v$v truncated AH header: in_inval +1" expect $v trunc 5 in_inval in_truncated
done
check "v6 AH behind a destination options header (seq 6): in_ahauthsucc +1" \
	expect 6 destopt 6 in_ahauthsucc
check "v4 options, record route filled in on the way (seq 7): in_ahauthsucc +1" \
	expect 4 options 7 in_ahauthsucc
ktap_finish
