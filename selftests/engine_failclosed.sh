#!/bin/bash
# What the output path does when IPsec is asked for but cannot be applied:
#
#  - an "ipsec" policy with no request (SADB_X_SPDSETIDX) fails closed, in
#    and out (KAME's ipsec_checkpolicy), counted {in,out}_policy_noreq;
#  - "require" with no SA yet (keys being negotiated): the packet is dropped
#    and counted out_nosa, but the sender is not told (KAME's ip_output, and
#    XFRM, hide it), so busybox ping keeps sending and a UDP sendto()
#    succeeds; other drops (discard) still give the sender EPERM.
#
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B]
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kfc$$ B=kfd$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
BUSYBOX=$(command -v busybox) || skip_all "no busybox"

cleanup_netns $A $B
pair_setup

# setidx DIR SRC DST: SADB_X_SPDSETIDX, an "ipsec" policy with no request
# (setkey has no command for it); prints the reply's errno.
setidx() {
	ip netns exec $A $PY -c '
import os, socket, struct, sys
d, src, dst = {"in": 1, "out": 2}[sys.argv[1]], sys.argv[2], sys.argv[3]
def addr(ext, ip):
    sin = struct.pack("=H", socket.AF_INET) + b"\0\0" + socket.inet_aton(ip) + b"\0" * 8
    return struct.pack("=HHBBH", 3, ext, 255, 32, 0) + sin
body = struct.pack("=HHHBBII", 2, 18, 2, d, 0, 0, 0) + addr(5, src) + addr(6, dst)
s = socket.socket(15, socket.SOCK_RAW, 2)
s.send(struct.pack("=BBBBHHII", 2, 20, 0, 0, 2 + len(body) // 8, 0, 1, os.getpid()) + body)
while True:
    r = s.recv(65536)
    if r[1] == 20 and struct.unpack_from("=I", r, 12)[0] == os.getpid():
        print(r[2]); break
' "$@"
}
counter() { stat_of kame_ipsecstat "$1"; }
drops() { drop_of kame_ipsecstat "$1"; }

# udp_send COUNT: A sends COUNT datagrams to B; prints "sent N" or the errno.
udp_send() {
	ip netns exec $A $PY -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
n = 0
try:
    for i in range(int(sys.argv[1])):
        s.sendto(b"kame", ("10.77.0.2", 9)); n += 1
    print("sent", n)
except OSError as e:
    print("errno", e.errno)
' "$1"
}

ktap_plan 7

# --- require, no SA: silent for the sender, counted ---
ip netns exec $A "$SETKEY" -c <<EOF
spdadd 10.77.0.1 10.77.0.2 icmp -P out ipsec esp/transport//require;
spdadd 10.77.0.1 10.77.0.2 udp -P out ipsec esp/transport//require;
EOF
n0=$(counter out_nosa)
ip netns exec $A "$BUSYBOX" ping -c 3 -i 0.2 -W 1 10.77.0.2 >/dev/null 2>"$A.err"
n1=$(counter out_nosa)
ktap_note "busybox ping: $(tr '\n' ' ' <"$A.err"), out_nosa $n0 -> $n1"
check "require, no SA: busybox ping sends all 3 echoes (out_nosa +3)" \
	test "$((n1 - n0))" -eq 3
check "require, no SA: busybox ping sees no sendto error" \
	eval "! grep -q 'not permitted' $A.err"
rm -f "$A.err"
r=$(udp_send 3)
ktap_note "UDP: $r"
check "require, no SA: UDP sendto() succeeds 3 times (counted, not sent)" \
	test "$r" = "sent 3"
ip netns exec $A "$SETKEY" -FP

# --- discard still says so ---
ip netns exec $A "$SETKEY" -c <<EOF
spdadd 10.77.0.1 10.77.0.2 udp -P out discard;
EOF
r=$(udp_send 1)
check "discard: the sender gets EPERM ($r)" test "$r" = "errno 1"
ip netns exec $A "$SETKEY" -FP

# --- "ipsec" with no request fails closed ---
# noreq DIR SRC DST PINGER TARGET: SPDSETIDX for SRC -> DST in direction
# DIR; PINGER's pings to TARGET must fail, counted DIR_policy_noreq.
noreq() {
	local r d0 d1 ok
	r=$(setidx "$1" "$2" "$3")
	d0=$(drops "$1_policy_noreq")
	ping_q "$4" ping "$5"
	ok=$?
	d1=$(drops "$1_policy_noreq")
	ktap_note "setidx $1: errno ${r:-none}; $1_policy_noreq $d0 -> $d1"
	ip netns exec $A "$SETKEY" -FP
	[ "$r" = 0 ] && [ "$ok" -ne 0 ] && [ "$((d1 - d0))" -ge 3 ]
}
check "outbound: SPDSETIDX accepted, not sent clear, out_policy_noreq counted" \
	noreq out 10.77.0.1 10.77.0.2 $A 10.77.0.2
check "inbound: SPDSETIDX accepted, clear packets refused, in_policy_noreq counted" \
	noreq in 10.77.0.2 10.77.0.1 $B 10.77.0.1
check "with the policies gone, A and B talk again" ping_q $A ping 10.77.0.2
ktap_finish
