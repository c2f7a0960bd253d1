#!/bin/bash
# Fragments against a port-specific policy on a gateway. G forwards X <-> S
# and requires ESP for TCP to S port 22 (a "fwd ... tcp[22] ... require"
# policy). X sends SYNs to S port 22 in clear, whole and fragmented (the
# TCP header in the first fragment): G must drop the first fragment as it
# drops a whole SYN (KAME reads the ports of first fragments; RFC 7112
# wants them there), counted in_policy_clear. Later fragments carry no
# ports and match only port-less policies (RFC 4301 7.1): G forwards them,
# and S, with no first fragment, never sees a SYN. S counts the SYNs it
# receives with nftables; a SYN to port 80 is the control.
#
#   [X] x0 10.30.0.2 fd30::2 -- g0 10.30.0.1 fd30::1 [G: kameipsec]
#       g1 10.40.0.1 fd40::1 -- s0 10.40.0.2 fd40::2 [S]
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
X=kpx$$ G=kpg$$ S=kps$$
A=$G
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
$PY -c 'import scapy' 2>/dev/null || skip_all "python3-scapy needed"
command -v nft >/dev/null || skip_all "nft needed"

D=$(mktemp -d)
cleanup_netns $X $G $S
cleanup_files "$D"
for n in $X $G $S; do ip netns add $n; ip -n $n link set lo up; done
ip -n $X link add x0 type veth peer name g0 netns $G
ip -n $G link add g1 type veth peer name s0 netns $S
ip -n $X addr add 10.30.0.2/24 dev x0; ip -n $X addr add fd30::2/64 dev x0 nodad
ip -n $G addr add 10.30.0.1/24 dev g0; ip -n $G addr add fd30::1/64 dev g0 nodad
ip -n $G addr add 10.40.0.1/24 dev g1; ip -n $G addr add fd40::1/64 dev g1 nodad
ip -n $S addr add 10.40.0.2/24 dev s0; ip -n $S addr add fd40::2/64 dev s0 nodad
ip -n $X link set x0 up; ip -n $G link set g0 up; ip -n $G link set g1 up; ip -n $S link set s0 up
ip -n $X route add 10.40.0.0/24 via 10.30.0.1; ip -n $X -6 route add fd40::/64 via fd30::1
ip -n $S route add default via 10.40.0.1; ip -n $S -6 route add default via fd40::1
ip netns exec $G sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip netns exec $G "$SETKEY" -c <<EOF
spdadd 10.30.0.0/24 10.40.0.2[22] tcp -P fwd ipsec esp/tunnel/10.30.0.2-10.30.0.1/require;
spdadd fd30::/64 fd40::2[22] tcp -P fwd ipsec esp/tunnel/fd30::2-fd30::1/require;
EOF
# S counts what reaches its input hook (IPv4 reassembled, IPv6 by fragment).
ip netns exec $S nft -f - <<'EOF'
table inet syn {
	counter s4_22 { }
	counter s4_80 { }
	counter s6_22 { }
	counter s6_80 { }
	chain input {
		type filter hook input priority 0;
		meta nfproto ipv4 tcp dport 22 counter name s4_22
		meta nfproto ipv4 tcp dport 80 counter name s4_80
		meta nfproto ipv6 tcp dport 22 counter name s6_22
		meta nfproto ipv6 tcp dport 80 counter name s6_80
	}
}
EOF
syns() { ip netns exec $S nft list counter inet syn "$1" | awk '$1 == "packets" { print $2 }'; }

# SYNs built once by scapy into $D: whole and in two fragments (16 bytes of
# TCP header in the first, the rest of the header and 1,200 bytes of data
# in the second; IPv6: 1,280-byte first fragment).
ip netns exec $X $PY - "$D" <<'EOPY' || exit 1
import sys
from scapy.all import IP, IPv6, TCP, Raw, raw, IPv6ExtHdrFragment
out = sys.argv[1]
def save(name, b):
    open("%s/%s" % (out, name), "wb").write(bytes(b))
for port in (22, 80):
    ip = IP(src="10.30.0.2", dst="10.40.0.2", id=port)
    seg = raw((ip / TCP(sport=40000 + port, dport=port, flags="S") / Raw(b"s" * 1200)).payload)
    save("v4-%d-whole" % port, ip / TCP(sport=40000 + port, dport=port, flags="S"))
    save("v4-%d-f1" % port, IP(src=ip.src, dst=ip.dst, id=port, proto=6, flags="MF") / Raw(seg[:16]))
    save("v4-%d-f2" % port, IP(src=ip.src, dst=ip.dst, id=port, proto=6, frag=2) / Raw(seg[16:]))
    ip6 = IPv6(src="fd30::2", dst="fd40::2")
    seg = raw((ip6 / TCP(sport=40000 + port, dport=port, flags="S") / Raw(b"s" * 1400)).payload)
    save("v6-%d-whole" % port, ip6 / TCP(sport=40000 + port, dport=port, flags="S"))
    save("v6-%d-f1" % port, ip6 / IPv6ExtHdrFragment(nh=6, id=port, m=1) / Raw(seg[:1232]))
    save("v6-%d-f2" % port, ip6 / IPv6ExtHdrFragment(nh=6, id=port, offset=154) / Raw(seg[1232:]))
EOPY

send() {
	ip netns exec $X $PY -c '
import socket, sys, time
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    v6 = b[0] >> 4 == 6
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(b, ("fd40::2" if v6 else "10.40.0.2", 0))
    time.sleep(0.05)
' "$@"
}

ktap_plan 9
for v in 4 6; do
	file=kame_ipsecstat
	[ $v = 6 ] && file=kame_ipsec6stat
	send "$D/v$v-80-whole" "$D/v$v-80-f1" "$D/v$v-80-f2"
	send "$D/v$v-22-whole"
	c0=$(drop_of $file in_policy_clear)
	send "$D/v$v-22-f1" "$D/v$v-22-f2"
	sleep 0.5
	c1=$(drop_of $file in_policy_clear)
	ktap_note "IPv$v: S saw port 80: $(syns s${v}_80), port 22: $(syns s${v}_22); G in_policy_clear $c0 -> $c1"
	check "IPv$v: SYNs to port 80 (no policy) cross G, whole and fragmented" \
		test "$(syns s${v}_80)" -ge 2
	check "IPv$v: no SYN to port 22 reaches S in clear, whole or fragmented" \
		test "$(syns s${v}_22)" -eq 0
	check "IPv$v: G drops the first fragment by its ports (in_policy_clear +1)" \
		test "$((c1 - c0))" -eq 1
done
# A later fragment alone: no ports, matched by port-less policies only.
c0=$(drop_of kame_ipsec6stat in_policy_clear)
send "$D/v6-22-f2"
sleep 0.3
c1=$(drop_of kame_ipsec6stat in_policy_clear)
check "IPv6: a later fragment alone is not dropped by G (no port policy matches it)" \
	test "$c1" -eq "$c0"
check "IPv6: S still has no SYN to port 22" test "$(syns s6_22)" -eq 0
check "the gateway forwards after all this" ping_q $X ping 10.40.0.2
ktap_finish
