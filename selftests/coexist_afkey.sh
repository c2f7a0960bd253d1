#!/bin/bash
# kameipsec and Linux's af_key around per-socket policies (module_load.sh
# already checks that the two refuse each other's PF_KEY):
#  - with kameipsec in, IP_IPSEC_POLICY is compiled by kameipsec;
#  - unloading kameipsec under sockets that still carry its policies works,
#    and leaves an "ipsec" socket blocked (fail closed) while a "bypass"
#    socket keeps sending;
#  - a kameipsec load refused because af_key is in leaves no key manager
#    behind: af_key compiles IP_IPSEC_POLICY itself;
#  - kameipsec loads again afterwards (left loaded).
. "$(dirname "$0")/lib.sh"
KO=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}/kameipsec.ko
PY=/usr/bin/python3
T=$(mktemp -d)
cleanup_files "$T"

[ "$(id -u)" = 0 ] || skip_all "needs root"
kame_loaded || insmod "$KO" || skip_all "kameipsec does not load"
afkey_loaded && skip_all "af_key is loaded"

# Python helpers: hand-built sadb_x_policy buffers (dir 1 in, 2 out; type
# 0 discard, 1 none, 2 ipsec, 3 entrust, 4 bypass) with one ESP transport
# require request for type ipsec.
POL='
import socket, struct
def pol(d, t):
    r = struct.pack("=HHBBHII", 16, 50, 1, 2, 0, 0, 0) if t == 2 else b""
    return struct.pack("=HHHBBII", (16 + len(r)) // 8, 18, t, d, 0, 0, 0) + r
def sock(t):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, 16, pol(2, t))
    return s
def send(s):
    try:
        s.sendto(b"kame", ("127.0.0.1", 9)); return "sent"
    except OSError as e:
        return "errno %d" % e.errno
'
live() { awk '$1 == "live" { print $2 }' /proc/net/kame_sockpolicy; }

ktap_plan 7

n0=$(awk '$1 == "compiled" { print $2 }' /proc/net/kame_sockpolicy)
$PY -c "$POL
sock(4).close()"
n1=$(awk '$1 == "compiled" { print $2 }' /proc/net/kame_sockpolicy)
check "IP_IPSEC_POLICY is compiled by kameipsec" test "$((n1 - n0))" -eq 1

# Two sockets keep their policies across rmmod.
$PY -c "$POL
import os, sys, time
a, b = sock(2), sock(4)
open(sys.argv[1], \"w\").write(\"ready\")
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
open(sys.argv[3], \"w\").write(send(a) + \"\n\" + send(b) + \"\n\")
" "$T/ready" "$T/go" "$T/result" &
holder=$!
PIDS="$PIDS $holder"
for i in $(seq 50); do [ -e "$T/ready" ] && break; sleep 0.1; done
check "rmmod kameipsec while sockets carry its policies" rmmod kameipsec
touch "$T/go"
wait $holder
PIDS=
ktap_note "ipsec socket: $(sed -n 1p "$T/result"), bypass socket: $(sed -n 2p "$T/result")"
check "after unload an \"ipsec\" socket is blocked (EPERM), not sent clear" \
	test "$(sed -n 1p "$T/result")" = "errno 1"
check "after unload a \"bypass\" socket still sends" \
	test "$(sed -n 2p "$T/result")" = "sent"

# af_key in: a refused kameipsec load unwinds its key manager.
modprobe af_key
if insmod "$KO" 2>/dev/null; then
	ktap_fail "kameipsec refused while af_key is loaded"
	rmmod kameipsec
else
	ktap_ok "kameipsec refused while af_key is loaded"
fi
check "af_key compiles IP_IPSEC_POLICY (no kameipsec key manager left)" \
	bash -c "[ ! -e /proc/net/kame_sockpolicy ] && $PY -c '$POL
sock(4).close(); sock(2).close()'"
rmmod af_key
check "kameipsec loads again once af_key is gone" insmod "$KO"
ktap_finish
