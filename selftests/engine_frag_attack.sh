#!/bin/bash
# Hostile fragments and re-injection chains against the inbound path, sent
# with scapy from B (the attacker, who holds keys of SAs into A):
#
#  1. A chain of 200 IPComp (tunnel) datagrams, each decompressing into the
#     last fragment of the next one whose first fragment was sent ahead, in
#     clear: once a kernel stack overflow (each layer re-injected inside
#     the previous one). Then the same chain with the first fragments sent
#     through the SA, as deep as the SA cap: dropped and counted in_too_deep.
#  2. A datagram whose first fragment comes in clear and whose last comes
#     through ESP (IPv4 tunnel, IPv6 transport) must not pass a "require"
#     policy; one whose fragments all come through ESP is delivered.
#
#   [A: kameipsec] a0 10.77.0.1 fd77::1 ---- b0 10.77.0.2 fd77::2 [B: scapy]
#   (10.1.0.1 on A's lo; 10.2.0.1 on B's lo)
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kfa$$ B=kfb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
$PY -c 'import scapy.layers.ipsec, cryptography' 2>/dev/null ||
	skip_all "python3-scapy with cryptography needed"

D=$(mktemp -d)
cleanup_netns $A $B
cleanup_files "$D"
gateways_setup
# The chains are up to 12 KiB: sent whole by a raw socket.
ip -n $A link set a0 mtu 65000
ip -n $B link set b0 mtu 65000
EK=00112233445566778899aabbccddeeff
AK=000102030405060708090a0b0c0d0e0f10111213
ip netns exec $A "$SETKEY" -c <<EOC
add 10.77.0.2 10.77.0.1 ipcomp 0x5001 -m tunnel -C deflate;
add fd77::2 fd77::1 ipcomp 0x5002 -m tunnel -C deflate;
add 10.77.0.2 10.77.0.1 esp 0x4001 -m tunnel -E rijndael-cbc 0x$EK -A hmac-sha1 0x$AK;
add fd77::2 fd77::1 esp 0x4002 -m transport -E rijndael-cbc 0x$EK -A hmac-sha1 0x$AK;
spdadd 10.2.0.1 10.1.0.1 udp -P in ipsec esp/tunnel/10.77.0.2-10.77.0.1/require;
spdadd fd77::2 fd77::1 udp -P in ipsec esp/transport//require;
EOC

# Every packet is built once (scapy starts slowly under TCG) into $D.
ip netns exec $B $PY - "$D" $EK $AK <<'EOPY' || exit 1
import sys, zlib
from scapy.all import IP, IPv6, UDP, ICMP, Raw, raw, IPv6ExtHdrFragment
from scapy.layers.ipsec import SecurityAssociation, ESP
out, ek, ak = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
A4, B4 = "10.77.0.1", "10.77.0.2"

def save(name, pkt):
    open("%s/%s" % (out, name), "wb").write(bytes(pkt))

def deflate(b):
    # The kernel's deflate: raw, 2 KiB window.
    c = zlib.compressobj(9, zlib.DEFLATED, -11)
    return c.compress(b) + c.flush()

def ipcomp(inner, src=B4):
    # Tunnel-mode IPComp to A, CPI 0x5001, next header IPv4. The SA is
    # found by (destination, CPI): any source will do.
    return raw(IP(src=src, dst=A4, proto=108) /
               Raw(bytes([4, 0, 0x50, 0x01]) + deflate(raw(inner))))

def frag_pair(dgram, fid):
    # Datagram -> (first fragment: 8 payload bytes, last fragment: the rest).
    ip = IP(dgram)
    pl = raw(ip.payload)
    f1 = IP(src=ip.src, dst=ip.dst, proto=ip.proto, id=fid, flags="MF",
            frag=0) / Raw(pl[:8])
    f2 = IP(src=ip.src, dst=ip.dst, proto=ip.proto, id=fid, frag=1) / Raw(pl[8:])
    return raw(f1), raw(f2)

def chain(n, idbase):
    # d[k] is IPComp whose inner packet is the last fragment of d[k + 1];
    # first[k] is the first fragment of d[k + 2]. The innermost: a UDP
    # datagram to A port 9995 that must never arrive. Each layer has its
    # own source, so no reassembly queue sees more than ipfrag_max_dist
    # fragments of its source pass by while it waits.
    src = lambda k: "10.200.%d.2" % k if k > 1 else B4
    d = ipcomp(IP(src=B4, dst=A4) / UDP(sport=1, dport=9995) / Raw(b"CHAIN"),
               src(n))
    first = []
    for k in range(n - 1, 0, -1):
        f1, f2 = frag_pair(d, idbase + k)
        first.insert(0, f1)
        d = ipcomp(f2, src(k))
    return d, first

# 1a: 200 layers, first fragments in clear.
d1, first = chain(200, 1000)
save("chain-clear-d1", d1)
for k, f in enumerate(first):
    save("chain-clear-f%03d" % k, f)

# 1a over IPv6: fragments reach LOCAL_IN unreassembled, and every one but
# the last must be 1,280 bytes or more; the compressed data of each layer
# starts with empty stored deflate blocks, so its first fragment is all
# padding and only a few bytes of each layer grow the next.
A6 = "fd77::1"
PAD = b"\x00\x00\x00\xff\xff" * 246
def ipcomp6(inner, src):
    return raw(IPv6(src=src, dst=A6, nh=108) /
               Raw(bytes([41, 0, 0x50, 0x02]) + PAD + deflate(raw(inner))))
def chain6(n, idbase):
    src = lambda k: "fd77::2" if k == 1 else "fd99::%x" % k
    d = ipcomp6(IPv6(src="fd77::2", dst=A6) / UDP(sport=1, dport=9994) /
                Raw(b"CHAIN6"), src(n))
    first = []
    for k in range(n - 1, 0, -1):
        ip = IPv6(d)
        pl = raw(ip.payload)
        mk = lambda off, m, b: raw(IPv6(src=ip.src, dst=A6) /
                                   IPv6ExtHdrFragment(nh=108, id=idbase + k,
                                                      offset=off // 8, m=m) / Raw(b))
        first.insert(0, mk(0, 1, pl[:1232]))
        d = ipcomp6(mk(1232, 0, pl[1232:]), src(k))
    return d, first
d1, first = chain6(200, 5000)
save("chain6-clear-d1", d1)
for k, f in enumerate(first):
    save("chain6-clear-f%03d" % k, f)
# 1b: the first fragment of layer k + 1 nested in k IPComp layers, as the
# SA chain that reaches it, for the first six layers (the SA cap).
d1, first = chain(200, 3000)
save("chain-sa-d1", d1)
for k in range(6):
    p = first[k]
    for _ in range(k + 1):
        p = ipcomp(p)
    save("chain-sa-f%03d" % k, p)

# 2: a UDP datagram of 1,400 bytes in two fragments.
esp4 = SecurityAssociation(ESP, spi=0x4001, crypt_algo="AES-CBC", crypt_key=ek,
                           auth_algo="HMAC-SHA1-96", auth_key=ak,
                           tunnel_header=IP(src=B4, dst=A4))
esp6 = SecurityAssociation(ESP, spi=0x4002, crypt_algo="AES-CBC", crypt_key=ek,
                           auth_algo="HMAC-SHA1-96", auth_key=ak)
seq = {4: 0, 6: 0}

def udp(ip, port, tag):
    # The UDP datagram with its checksum over the pseudo-header.
    return raw((ip / UDP(sport=4000, dport=port) /
                Raw(tag + b"x" * (1400 - len(tag)))).payload)

def v4frags(port, fid, tag):
    u = udp(IP(src="10.2.0.1", dst="10.1.0.1"), port, tag)
    mk = lambda off, mf, b: IP(src="10.2.0.1", dst="10.1.0.1", proto=17, id=fid,
                               frag=off // 8, flags="MF" if mf else 0) / Raw(b)
    return mk(0, True, u[:1000]), mk(1000, False, u[1000:])

def v6frags(port, fid, tag):
    u = udp(IPv6(src="fd77::2", dst="fd77::1"), port, tag)
    mk = lambda off, m, b: (IPv6(src="fd77::2", dst="fd77::1") /
                            IPv6ExtHdrFragment(nh=17, id=fid, offset=off // 8, m=m) / Raw(b))
    return mk(0, 1, u[:1296]), mk(1296, 0, u[1296:])

def esp(v, pkt):
    seq[v] += 1
    sa = esp4 if v == 4 else esp6
    return sa.encrypt(pkt, seq_num=seq[v])

f1, f2 = v4frags(9999, 77, b"ATTACK4")
save("v4-attack-1", f1); save("v4-attack-2", esp(4, f2))
f1, f2 = v4frags(9997, 78, b"GOOD4")
save("v4-good-1", esp(4, f1)); save("v4-good-2", esp(4, f2))
f1, f2 = v6frags(9998, 0x77, b"ATTACK6")
save("v6-attack-1", f1); save("v6-attack-2", esp(6, f2))
f1, f2 = v6frags(9996, 0x78, b"GOOD6")
save("v6-good-1", esp(6, f1)); save("v6-good-2", esp(6, f2))
EOPY

# send FILE...: each file as one raw packet from B, in order.
send() {
	ip netns exec $B $PY -c '
import socket, sys, time
s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    if b[0] >> 4 == 6:
        s6.sendto(b, ("fd77::1", 0))
    else:
        s4.sendto(b, ("10.77.0.1", 0))
    time.sleep(0.02)
' "$@"
}

# What A's sockets receive, one line per datagram, in $D/got.
ip netns exec $A $PY -c '
import select, socket, sys
socks = []
for fam, addr, port in [(socket.AF_INET, "10.77.0.1", 9995), (socket.AF_INET6, "fd77::1", 9994), (socket.AF_INET, "10.1.0.1", 9999),
                        (socket.AF_INET, "10.1.0.1", 9997), (socket.AF_INET6, "fd77::1", 9998),
                        (socket.AF_INET6, "fd77::1", 9996)]:
    s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((addr, port)); socks.append(s)
open(sys.argv[1] + ".ready", "w").close()
while True:
    for s in select.select(socks, [], [])[0]:
        b = s.recv(65535)
        with open(sys.argv[1], "a") as f:
            f.write("%d %s\n" % (s.getsockname()[1], b[:8].decode(errors="replace")))
' "$D/got" &
PIDS="$PIDS $!"
for _ in $(seq 100); do [ -e "$D/got.ready" ] && break; sleep 0.1; done
touch "$D/got"

got() { grep -q "^$1 " "$D/got"; }
drops() { drop_of kame_ipsecstat "$1"; }
alive() { ping_q $B ping 10.77.0.1; }

ktap_plan 12

# 1a. The kernel lives through 200 layers; nothing of the chain arrives.
send "$D"/chain-clear-f* "$D"/chain-clear-d1
sleep 1
check "200-layer IPComp chain with clear first fragments: A still answers" alive
check "200-layer chain: the innermost datagram is not delivered" eval '! got 9995'
send "$D"/chain6-clear-f* "$D"/chain6-clear-d1
sleep 1
check "IPv6 200-layer IPComp chain with clear first fragments: A still answers" alive
check "IPv6 200-layer chain: the innermost datagram is not delivered" eval '! got 9994'

# 1b. Through the SA, the chain stops at the SA cap, counted.
send "$D"/chain-sa-f*
deep0=$(drops in_too_deep)
send "$D"/chain-sa-d1
sleep 1
deep1=$(drops in_too_deep)
ktap_note "in_too_deep $deep0 -> $deep1"
check "chain through the SA: dropped at the SA cap, in_too_deep +1" \
	test "$((deep1 - deep0))" -eq 1
check "chain through the SA: the innermost datagram is not delivered" eval '! got 9995'

# 2. Mixed clear/ESP fragments never make a datagram past "require".
send "$D"/v4-attack-1 "$D"/v4-attack-2 "$D"/v6-attack-1 "$D"/v6-attack-2
ok4=$(stat_of kame_ipsecstat in_success) ok6=$(stat_of kame_ipsec6stat in_success)
send "$D"/v4-good-1 "$D"/v4-good-2 "$D"/v6-good-1 "$D"/v6-good-2
sleep 1
ok4=$(($(stat_of kame_ipsecstat in_success) - ok4))
ok6=$(($(stat_of kame_ipsec6stat in_success) - ok6))
ktap_note "A received: $(tr '\n' ';' <"$D/got")"
check "IPv4 tunnel: clear first fragment + ESP last fragment not delivered" eval '! got 9999'
check "IPv6 transport: clear first fragment + ESP last fragment not delivered" eval '! got 9998'
check "IPv4 tunnel: a datagram fragmented inside ESP is delivered" got 9997
check "IPv6 transport: a datagram fragmented inside ESP is delivered" got 9996
# Each ESP packet counted once: the one held for reassembly too.
ktap_note "in_success for the two ESP packets of each datagram: IPv4 +$ok4, IPv6 +$ok6"
check "fragments inside ESP: in_success +2 per datagram of two ESP packets" \
	test "$ok4$ok6" = 22
check "A still answers" alive
for f in kame_ipsecstat kame_ipsec6stat; do
	ip netns exec $A awk -v f=$f '$1 == "drop" && $3 > 0 { print "# " f ": " $0 }' /proc/net/$f
done
ktap_finish
