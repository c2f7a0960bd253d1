#!/bin/bash
# NAT traversal (RFC 3948 ESP in UDP) against Linux XFRM, static keys:
# kameipsec in A (setkey, esp-udp with [4500] ports: the PF_KEY NAT-T
# extensions), XFRM in B ("ip xfrm state ... encap espinudp 4500 4500",
# a UDP socket with UDP_ENCAP_ESPINUDP on 4500 as a key daemon holds), a
# router N between them that counts what crosses it and may NAT:
#
#   [A: kameipsec] a0 10.1.0.2 --- n0 10.1.0.1 [N] n1 10.2.0.1 --- b0 10.2.0.2 [B: XFRM]
#                  fd01::2         fd01::1        fd02::1          fd02::2
#
# 1. IPv4 transport, routed: ping both ways, 4 MiB TCP both ways.
# 2. IPv6 transport, routed: ping both ways (UDP checksum computed).
# 3. IPv4 transport, A behind N's masquerade: ping, 4 MiB TCP both ways
#    (the inner TCP checksums cover A's private address: RFC 3948 3.1.2).
# 4. IPv4 tunnel, A behind the masquerade, networks behind both sides.
#    Each case: N's forward chain saw UDP and no ESP, ICMP or TCP (never
#    clear traffic, never bare ESP); XFRM's SAs used, its xfrm_stat clean.
# 5. B behind the masquerade; the mapping changes (conntrack flushed, the
#    NAT now uses source port 4600): a registered PF_KEY socket in A gets
#    SADB_X_NAT_T_NEW_MAPPING (old 10.1.0.1:4500, new 10.1.0.1:4600),
#    rate-limited; after the SAs follow (what a daemon does), pings pass.
# 6. Bad input on 4500, from B: keepalive (consumed, even with an encap
#    socket listening in A), IKE with the zero marker (A's UDP_ENCAP socket
#    receives it, marker included as from XFRM, through its "in bypass" socket policy while A's SPD
#    requires ESP), truncated ESP in UDP, unknown SPI, bare ESP for a
#    NAT-T SA: each counted by its name in A.
# 7. The key daemon's way in: GETSPI without NAT-T, UPDATE with it.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
. ./engine_lib.sh
. ./natt_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
command -v nft >/dev/null || skip_all "no nft"

A=kna$$ B=knb$$ N=knn$$
cleanup_netns $A $B $N
cleanup_files "/tmp/kn.$$.*"

topology() {
	local n
	for n in $A $B $N; do ip netns add $n; ip -n $n link set lo up; done
	ip -n $A link add a0 type veth peer name n0 netns $N
	ip -n $B link add b0 type veth peer name n1 netns $N
	ip -n $A addr add 10.1.0.2/24 dev a0
	ip -n $A addr add fd01::2/64 dev a0 nodad
	ip -n $N addr add 10.1.0.1/24 dev n0
	ip -n $N addr add fd01::1/64 dev n0 nodad
	ip -n $N addr add 10.2.0.1/24 dev n1
	ip -n $N addr add fd02::1/64 dev n1 nodad
	ip -n $B addr add 10.2.0.2/24 dev b0
	ip -n $B addr add fd02::2/64 dev b0 nodad
	ip -n $A link set a0 up; ip -n $B link set b0 up
	ip -n $N link set n0 up; ip -n $N link set n1 up
	ip -n $A route add default via 10.1.0.1
	ip -n $A -6 route add default via fd01::1
	ip -n $B route add default via 10.2.0.1
	ip -n $B -6 route add default via fd02::1
	ip netns exec $N sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	# The protected networks of the tunnel case.
	ip -n $A addr add 10.11.0.1/32 dev lo
	ip -n $B addr add 10.22.0.1/32 dev lo
	ip -n $A route add 10.22.0.0/24 via 10.1.0.1 src 10.11.0.1
	ip -n $B route add 10.11.0.0/24 via 10.2.0.1 src 10.22.0.1
	wire_counters
}

# The UDP_ENCAP_ESPINUDP sockets on 4500 that XFRM needs in B, IPv4 and
# IPv6, with "bypass" socket policies both ways as a key daemon sets them
# (IP_XFRM_POLICY): XFRM checks its inbound policy on the UDP datagram
# before its encap_rcv decapsulates it.
encap_sockets() {
	ip netns exec $B $PY -c '
import socket, struct, time
def bypass(fam, direction):
    sel = bytes(40) + struct.pack("=HBBB3xiI", fam, 0, 0, 0, 0, 0)
    lft = struct.pack("=8Q", *([2**64 - 1] * 4 + [0] * 4))
    return sel + lft + bytes(32) + struct.pack("=IIBBBB4x", 0, 0, direction, 0, 0, 0)
ss = []
for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    lvl, opt = (socket.IPPROTO_IP, 17) if fam == socket.AF_INET else (socket.IPPROTO_IPV6, 35)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, 4500))
    s.setsockopt(socket.IPPROTO_UDP, 100, 2)   # UDP_ENCAP, ESPINUDP
    for d in (0, 1):                            # XFRM_POLICY_IN, _OUT
        s.setsockopt(lvl, opt, bypass(fam, d))
    ss.append(s)
open("/tmp/kn.'$$'.encap", "w").write("ready\n")
time.sleep(3600)
' &
	PIDS="$PIDS $!"
	local i
	for i in $(seq 100); do [ -s /tmp/kn.$$.encap ] && return 0; sleep 0.1; done
	return 1
}

flush_all() {
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
}

# transport_sas ASELF APEER BSELF BPEER: A's SAs between ASELF and APEER
# (how A sees the two ends) and B's between BSELF and BPEER, SPIs 0x1001
# (A -> B) and 0x1002 (B -> A), ports 4500, transport mode.
transport_sas() {
	local as=$1 ap=$2 bs=$3 bp=$4
	flush_all
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add $as[4500] $ap[4500] esp-udp 0x1001 -m transport $KEYS_SETKEY;
	add $ap[4500] $as[4500] esp-udp 0x1002 -m transport $KEYS_SETKEY;
	spdadd $as $ap any -P out ipsec esp/transport//require;
	spdadd $ap $as any -P in ipsec esp/transport//require;
	EOC
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $bp dst $bs proto esp spi 0x1001 mode transport \
		$KEYS_XFRM encap espinudp 4500 4500 0.0.0.0 &&
	ip -n $B xfrm state add src $bs dst $bp proto esp spi 0x1002 mode transport \
		$KEYS_XFRM encap espinudp 4500 4500 0.0.0.0 &&
	ip -n $B xfrm policy add src $bs dst $bp dir out tmpl src $bs dst $bp proto esp mode transport &&
	ip -n $B xfrm policy add src $bp dst $bs dir in tmpl src $bp dst $bs proto esp mode transport
}

# tunnel_sas: A (10.1.0.2, behind the NAT, seen by B as 10.2.0.1) and B
# (10.2.0.2) join 10.11.0.0/24 and 10.22.0.0/24, SPIs 0x2001 / 0x2002.
tunnel_sas() {
	flush_all
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add 10.1.0.2[4500] 10.2.0.2[4500] esp-udp 0x2001 -m tunnel $KEYS_SETKEY;
	add 10.2.0.2[4500] 10.1.0.2[4500] esp-udp 0x2002 -m tunnel $KEYS_SETKEY;
	spdadd 10.11.0.0/24 10.22.0.0/24 any -P out ipsec esp/tunnel/10.1.0.2-10.2.0.2/require;
	spdadd 10.22.0.0/24 10.11.0.0/24 any -P in ipsec esp/tunnel/10.2.0.2-10.1.0.2/require;
	EOC
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src 10.2.0.1 dst 10.2.0.2 proto esp spi 0x2001 mode tunnel \
		$KEYS_XFRM encap espinudp 4500 4500 0.0.0.0 &&
	ip -n $B xfrm state add src 10.2.0.2 dst 10.2.0.1 proto esp spi 0x2002 mode tunnel \
		$KEYS_XFRM encap espinudp 4500 4500 0.0.0.0 &&
	ip -n $B xfrm policy add src 10.22.0.0/24 dst 10.11.0.0/24 dir out \
		tmpl src 10.2.0.2 dst 10.2.0.1 proto esp mode tunnel &&
	ip -n $B xfrm policy add src 10.11.0.0/24 dst 10.22.0.0/24 dir in \
		tmpl src 10.2.0.1 dst 10.2.0.2 proto esp mode tunnel
}

# The engine's NAT-T counter / drop reason in A.
natt_of() { stat_of ${2:-kame_ipsecstat} "$1"; }

# pfkey_natt CASE: one PF_KEY ADD of an SA with NAT-T extensions in A,
# written raw (setkey refuses these mistakes itself), and what came back:
# the errno, or for "get" the NAT-T extensions GET echoes.
pfkey_natt() {
	ip netns exec $A $PY - "$1" <<-'EOP'
	import os, socket, struct, sys
	case = sys.argv[1]
	s = socket.socket(15, socket.SOCK_RAW, 2)
	s.settimeout(10)
	seq = [0]
	def addr(t, a, port=0):
	    return struct.pack("=HHBBH", 3, t, 255, 32, 0) + \
	        struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + \
	        socket.inet_aton(a) + bytes(8)
	def msg(mtype, satype, exts):
	    seq[0] += 1
	    body = b"".join(exts)
	    return struct.pack("=BBBBHHII", 2, mtype, 0, satype, 2 + len(body) // 8, 0,
	                       seq[0], os.getpid()) + body
	def call(m):
	    s.send(m)
	    while True:
	        r = s.recv(65536)
	        if r[1] == m[1] and struct.unpack_from("=I", r, 8)[0] == seq[0] and \
	           struct.unpack_from("=I", r, 12)[0] == os.getpid():
	            return r
	def exts(r):
	    e, off = {}, 16
	    while off < len(r):
	        elen, etype = struct.unpack_from("=HH", r, off)
	        e[etype] = r[off:off + elen * 8]; off += elen * 8
	    return e
	satype, auth, enc, ntype, sport = 3, 0, 20, 2, 4500      # ESP aes-gcm-16
	if case == "ah":
	    satype, auth, enc = 2, 2, 0                          # AH hmac-md5
	elif case == "port0":
	    sport = 0
	elif case == "nonike":
	    ntype = 1
	sa = struct.pack("=HH", 2, 1) + struct.pack("!I", 0x4711) + struct.pack("=BBBBI", 0, 1, auth, enc, 0)
	key = bytes(range(20)) + bytes(4) if enc else bytes(range(16))
	kext = struct.pack("=HHHH", 1 + len(key) // 8, 9 if enc else 8, 160 if enc else 128, 0) + key
	natt = [struct.pack("=HHB3x", 1, 20, ntype),
	        struct.pack("=HH", 1, 21) + struct.pack("!H", sport) + bytes(2),
	        struct.pack("=HH", 1, 22) + struct.pack("!H", 4501) + bytes(2),
	        addr(23, "192.168.7.7")]
	r = call(msg(3, satype, [sa, addr(5, "10.9.0.1"), addr(6, "10.9.0.2"), kext] + natt))
	if case != "get":
	    print("errno", r[2]); sys.exit(0)
	if r[2]:
	    print("ADD errno", r[2]); sys.exit(1)
	r = call(msg(5, 3, [sa, addr(5, "10.9.0.1"), addr(6, "10.9.0.2")]))
	e = exts(r)
	if r[2]:
	    print("GET errno", r[2]); sys.exit(1)
	print("errno", r[2], "type", e[20][4], "sport", struct.unpack_from("!H", e[21], 4)[0],
	      "dport", struct.unpack_from("!H", e[22], 4)[0], "oa", socket.inet_ntoa(e[23][12:16]))
	r = call(msg(4, 3, [sa, addr(5, "10.9.0.1"), addr(6, "10.9.0.2")]))
	EOP
}
pfkey_natt_is() {
	local got
	got=$(pfkey_natt "$1")
	[ "$got" = "$2" ] && return 0
	ktap_note "$1: got '$got', want '$2'"
	return 1
}

topology
# IP_XFRM_POLICY needs xfrm_user, which the first "ip xfrm" loads.
ip -n $B xfrm policy flush
encap_sockets || skip_all "no UDP_ENCAP socket in B"
xfrm_keys aes-gcm-16
ktap_plan 43

# ---- 0. PF_KEY: the NAT-T extensions checked, stored and echoed
check "PF_KEY: ADD of an AH SA with NAT-T: EINVAL" pfkey_natt_is ah "errno 22"
check "PF_KEY: ADD with NAT-T source port 0: EINVAL" pfkey_natt_is port0 "errno 22"
check "PF_KEY: ADD with the non-IKE marker type: EOPNOTSUPP" pfkey_natt_is nonike "errno 95"
check "PF_KEY: GET echoes NAT-T type, ports and NAT-OA" \
	pfkey_natt_is get "errno 0 type 2 sport 4500 dport 4501 oa 192.168.7.7"

# ---- 1. IPv4 transport, routed
t="IPv4 transport, routed"
nat_set ""
if transport_sas 10.1.0.2 10.2.0.2 10.2.0.2 10.1.0.2; then
	wire_reset
	o0=$(natt_of natt_out_esp) i0=$(natt_of natt_in_esp)
	check "$t: setkey -D prints the SA as esp-udp with its ports" eval \
		'ip netns exec $A "$SETKEY" -D | grep -A1 -F "10.1.0.2[4500] 10.2.0.2[4500]" |
		 grep -q "esp-udp mode=transport spi=4097"'
	check "$t: ping kame -> xfrm" ping_q $A ping 10.2.0.2
	check "$t: ping xfrm -> kame" ping_q $B ping 10.1.0.2
	check "$t: 4 MiB TCP kame -> xfrm, sha256 equal" tcp_xfer $A $B 10.2.0.2
	check "$t: 4 MiB TCP xfrm -> kame, sha256 equal" tcp_xfer $B $A 10.1.0.2
	o1=$(natt_of natt_out_esp) i1=$(natt_of natt_in_esp)
	ktap_note "$t: natt_out_esp +$((o1 - o0)) natt_in_esp +$((i1 - i0))"
	check "$t: natt_out_esp and natt_in_esp moved" test $((o1 - o0)) -gt 100 -a $((i1 - i0)) -gt 100
	check "$t: the wire carried UDP only" wire_udp_only
	check "$t: XFRM SAs used, xfrm_stat clean" xfrm_clean
else
	for i in 1 2 3 4 5 6 7 8; do ktap_fail "$t: configure"; done
fi

# ---- 2. IPv6 transport, routed
t="IPv6 transport, routed"
if transport_sas fd01::2 fd02::2 fd02::2 fd01::2; then
	wire_reset
	check "$t: ping kame -> xfrm" ping_q $A ping -6 fd02::2
	check "$t: ping xfrm -> kame" ping_q $B ping -6 fd01::2
	check "$t: the wire carried UDP only" wire_udp_only
	check "$t: XFRM SAs used, xfrm_stat clean" xfrm_clean
else
	for i in 1 2 3 4; do ktap_fail "$t: configure"; done
fi

# ---- 3. IPv4 transport, A behind the NAT (B sees it as 10.2.0.1)
t="IPv4 transport, kame behind masquerade"
nat_set 'oifname "n1" masquerade'
if transport_sas 10.1.0.2 10.2.0.2 10.2.0.2 10.2.0.1; then
	wire_reset
	check "$t: ping kame -> xfrm" ping_q $A ping 10.2.0.2
	check "$t: ping xfrm -> kame (its NAT address)" ping_q $B ping 10.2.0.1
	check "$t: 4 MiB TCP kame -> xfrm, sha256 equal" tcp_xfer $A $B 10.2.0.2
	XFER_BIND=10.1.0.2
	check "$t: 4 MiB TCP xfrm -> kame, sha256 equal" tcp_xfer $B $A 10.2.0.1
	XFER_BIND=
	check "$t: the wire carried UDP only" wire_udp_only
	check "$t: XFRM SAs used, xfrm_stat clean" xfrm_clean
else
	for i in 1 2 3 4 5 6; do ktap_fail "$t: configure"; done
fi

# ---- 4. IPv4 tunnel, A behind the NAT
t="IPv4 tunnel, kame behind masquerade"
if tunnel_sas; then
	wire_reset
	check "$t: ping net A -> net B" ping_q $A ping -I 10.11.0.1 10.22.0.1
	check "$t: ping net B -> net A" ping_q $B ping -I 10.22.0.1 10.11.0.1
	check "$t: the wire carried UDP only" wire_udp_only
	check "$t: XFRM SAs used, xfrm_stat clean" xfrm_clean
else
	for i in 1 2 3 4; do ktap_fail "$t: configure"; done
fi

# ---- 5. B behind the NAT; its mapping changes: SADB_X_NAT_T_NEW_MAPPING
t="new mapping"
# mapping_listen FILE: a registered PF_KEY socket in A writing one line per
# SADB_X_NAT_T_NEW_MAPPING: "NEW_MAPPING 0x<spi> <src>:<sport> <dst>:<dport>".
mapping_listen() {
	ip netns exec $A $PY - "$1" <<-'EOP' &
	import os, socket, struct, sys
	s = socket.socket(15, socket.SOCK_RAW, 2)
	s.send(struct.pack("=BBBBHHII", 2, 7, 0, 3, 2, 0, 1, os.getpid()))
	out = open(sys.argv[1], "a", buffering=1)
	out.write("READY\n")
	def addr(e):
	    return socket.inet_ntoa(e[12:16])
	while True:
	    m = s.recv(65536)
	    if m[1] != 23:
	        continue
	    ext, off = {}, 16
	    while off < len(m):
	        elen, etype = struct.unpack_from("=HH", m, off)
	        ext[etype] = m[off:off + elen * 8]; off += elen * 8
	    port = lambda e: struct.unpack_from("!H", e, 4)[0]
	    out.write("NEW_MAPPING 0x%x %s:%d %s:%d satype=%d\n" % (
	        struct.unpack_from("!I", ext[1], 4)[0], addr(ext[5]), port(ext[21]),
	        addr(ext[6]), port(ext[22]), m[3]))
	EOP
	PIDS="$PIDS $!"
	local i
	for i in $(seq 100); do grep -q READY "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
mapping_seen() {
	grep -qx "NEW_MAPPING 0x1002 10.1.0.1:4500 10.1.0.1:4600 satype=3" /tmp/kn.$$.map
}
nat_set 'oifname "n0" masquerade'
if transport_sas 10.1.0.2 10.1.0.1 10.2.0.2 10.1.0.2 && mapping_listen /tmp/kn.$$.map; then
	wire_reset
	check "$t: ping xfrm (behind NAT) -> kame" ping_q $B ping 10.1.0.2
	check "$t: no NEW_MAPPING while the mapping holds" \
		eval '! grep -q NEW_MAPPING /tmp/kn.$$.map'
	nat_set 'oifname "n0" meta l4proto udp masquerade to :4600'
	m0=$(natt_of natt_new_mapping) l0=$(natt_of natt_mapping_limited)
	ct_flush $N || ktap_note "conntrack flush failed"
	ip netns exec $B ping -c 6 -i 0.2 -W 1 10.1.0.2 >/dev/null
	sleep 0.5
	sed 's/^/# /' /tmp/kn.$$.map
	m1=$(natt_of natt_new_mapping) l1=$(natt_of natt_mapping_limited)
	ktap_note "$t: natt_new_mapping +$((m1 - m0)), natt_mapping_limited +$((l1 - l0))"
	check "$t: NEW_MAPPING old 10.1.0.1:4500, new 10.1.0.1:4600" mapping_seen
	check "$t: rate-limited (at most 2 messages for 6 packets in 1 s, others counted)" \
		test $((m1 - m0)) -ge 1 -a $((m1 - m0)) -le 2 -a $((l1 - l0)) -ge 1
	# What the key daemon does: the SAs follow the new port.
	ip netns exec $A "$SETKEY" -c <<-EOC
	delete 10.1.0.2 10.1.0.1 esp 0x1001;
	delete 10.1.0.1 10.1.0.2 esp 0x1002;
	add 10.1.0.2[4500] 10.1.0.1[4600] esp-udp 0x1001 -m transport $KEYS_SETKEY;
	add 10.1.0.1[4600] 10.1.0.2[4500] esp-udp 0x1002 -m transport $KEYS_SETKEY;
	EOC
	check "$t: after the SAs follow, ping xfrm -> kame again" ping_q $B ping 10.1.0.2
	check "$t: the wire carried UDP only" wire_udp_only
else
	for i in 1 2 3 4 5 6; do ktap_fail "$t: configure"; done
fi

# ---- 6. Bad input on port 4500 from B, routed
t="bad input"
nat_set ""
ct_flush $N
# ike_listen FILE: a UDP_ENCAP_ESPINUDP socket on A's 4500 (an IKE daemon's),
# writing what it receives, in hex, one datagram a line.
ike_listen() {
	ip netns exec $A $PY - "$1" <<-'EOP' &
	import socket, struct, sys
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("0.0.0.0", 4500))
	s.setsockopt(socket.IPPROTO_UDP, 100, 2)
	# "in bypass" (IP_IPSEC_POLICY), as an IKE daemon sets on its sockets
	s.setsockopt(socket.IPPROTO_IP, 16, struct.pack("=HHHBBII", 2, 18, 4, 1, 0, 0, 0))
	out = open(sys.argv[1], "a", buffering=1)
	out.write("READY\n")
	while True:
	    out.write(s.recv(65536).hex() + "\n")
	EOP
	PIDS="$PIDS $!"
	local i
	for i in $(seq 100); do grep -q READY "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
# send_b HEX [esp]: one datagram from B to A's 4500 (or a bare ESP packet).
send_b() {
	ip netns exec $B $PY -c '
import socket, sys
data = bytes.fromhex(sys.argv[1])
if len(sys.argv) > 2:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
    s.sendto(data, ("10.1.0.2", 0))
else:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(data, ("10.1.0.2", 4500))
' "$@"
	sleep 0.3
}
# delta_after NAME CMD...: how much A's counter or drop reason NAME moved.
counter() {
	case $1 in
	natt_*) natt_of "$1" ;;
	*) drop_of kame_ipsecstat "$1" ;;
	esac
}
moved_by() {
	local name=$1 want=$2 before after
	shift 2
	before=$(counter $name)
	"$@"
	after=$(counter $name)
	[ $((after - before)) -eq "$want" ] && return 0
	ktap_note "$name moved by $((after - before)), want $want"
	return 1
}
# SAs and policies for 10.1.0.2 <-> 10.2.0.2 in A (its IKE socket bypasses
# them, as on port 500); none in B (they would encapsulate the crafted
# packets).
if transport_sas 10.1.0.2 10.2.0.2 10.2.0.2 10.1.0.2 && ip -n $B xfrm policy flush &&
   ike_listen /tmp/kn.$$.ike; then
	check "$t: keepalive 0xff consumed and counted (encap socket listening)" \
		moved_by natt_in_keepalive 1 send_b ff
	check "$t: IKE with the zero marker counted" \
		moved_by natt_in_ike 1 send_b 00000000494b452d48454c4c4f
	check "$t: the IKE socket (UDP_ENCAP, bypass policy) got the IKE message, not the keepalive" \
		eval 'grep -v READY /tmp/kn.$$.ike | tr -d "\n" | grep -qx 00000000494b452d48454c4c4f'
	check "$t: ESP in UDP cut after SPI, sequence and 4 bytes: in_truncated" \
		moved_by in_truncated 1 send_b 000010027fffffff00000000
	check "$t: ESP in UDP of 6 bytes with our SPI: in_truncated" \
		moved_by in_truncated 1 send_b 000010020000
	check "$t: ESP in UDP for an unknown SPI: in_nosa" \
		moved_by in_nosa 1 send_b 0000dead00000001$(printf '%064d' 0)
	check "$t: bare ESP for a NAT-T SA: in_natt_mismatch" \
		moved_by in_natt_mismatch 1 send_b 000010027ffffff0$(printf '%064d' 0) esp
	check "$t: in_inval counts them (KAME's counter)" test "$(stat_of kame_ipsecstat in_inval)" -ge 3
else
	for i in 1 2 3 4 5 6 7 8; do ktap_fail "$t: configure"; done
fi

# ---- 7. A key daemon's path: GETSPI (no NAT-T yet), then UPDATE with it
t="GETSPI then UPDATE with NAT-T"
getspi_update_sas() {
	flush_all
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	getspi 10.1.0.2[4500] 10.2.0.2[4500] esp-udp 0x3001;
	update 10.1.0.2[4500] 10.2.0.2[4500] esp-udp 0x3001 -m transport $KEYS_SETKEY;
	getspi 10.2.0.2[4500] 10.1.0.2[4500] esp-udp 0x3002;
	update 10.2.0.2[4500] 10.1.0.2[4500] esp-udp 0x3002 -m transport $KEYS_SETKEY;
	spdadd 10.1.0.2 10.2.0.2 any -P out ipsec esp/transport//require;
	spdadd 10.2.0.2 10.1.0.2 any -P in ipsec esp/transport//require;
	EOC
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src 10.1.0.2 dst 10.2.0.2 proto esp spi 0x3001 mode transport \
		$KEYS_XFRM encap espinudp 4500 4500 0.0.0.0 &&
	ip -n $B xfrm state add src 10.2.0.2 dst 10.1.0.2 proto esp spi 0x3002 mode transport \
		$KEYS_XFRM encap espinudp 4500 4500 0.0.0.0 &&
	ip -n $B xfrm policy add src 10.2.0.2 dst 10.1.0.2 dir out \
		tmpl src 10.2.0.2 dst 10.1.0.2 proto esp mode transport &&
	ip -n $B xfrm policy add src 10.1.0.2 dst 10.2.0.2 dir in \
		tmpl src 10.1.0.2 dst 10.2.0.2 proto esp mode transport
}
if getspi_update_sas; then
	check "$t: setkey -D shows the updated SA as esp-udp, mature" eval \
		'ip netns exec $A "$SETKEY" -D | grep -A4 -F "10.2.0.2[4500] 10.1.0.2[4500]" |
		 grep -q "esp-udp mode=transport spi=12290" &&
		 ip netns exec $A "$SETKEY" -D | grep -A4 -F "10.2.0.2[4500] 10.1.0.2[4500]" |
		 grep -q "state=mature"'
	check "$t: ping kame -> xfrm" ping_q $A ping 10.2.0.2
	check "$t: ping xfrm -> kame" ping_q $B ping 10.1.0.2
else
	for i in 1 2 3; do ktap_fail "$t: configure"; done
fi
ip netns exec $A cat /proc/net/kame_ipsecstat | grep -v ' 0$' | sed 's/^/# /'
ktap_finish
