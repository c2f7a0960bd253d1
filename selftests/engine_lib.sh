# Helpers shared by the engine's interop tests (sourced after lib.sh).
# Needs $A (kameipsec namespace) and $B (XFRM namespace) set by the caller.
PY=/usr/bin/python3
SETKEY=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/user/setkey/setkey

# xfrm_keys NAME: setkey algorithm options and the matching "ip xfrm"
# algorithm arguments, in KEYS_SETKEY / KEYS_XFRM.
EK16=0x00112233445566778899aabbccddeeff
EK20=0x00112233445566778899aabbccddeeff01020304
AK32=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
AK20=0x000102030405060708090a0b0c0d0e0f10111213
xfrm_keys() {
	case $1 in
	aes-cbc-sha256)
		KEYS_SETKEY="-E rijndael-cbc $EK16 -A hmac-sha256 $AK32"
		KEYS_XFRM="enc cbc(aes) $EK16 auth-trunc hmac(sha256) $AK32 96" ;;
	aes-gcm-16)
		KEYS_SETKEY="-E aes-gcm-16 $EK20"
		KEYS_XFRM="aead rfc4106(gcm(aes)) $EK20 128" ;;
	aes-ctr-sha1)
		KEYS_SETKEY="-E aes-ctr $EK20 -A hmac-sha1 $AK20"
		KEYS_XFRM="enc rfc3686(ctr(aes)) $EK20 auth-trunc hmac(sha1) $AK20 96" ;;
	esac
}

# ping_q NS PING-COMMAND... ADDR: quietly, 3 echoes all answered.
ping_q() {
	local ns=$1 addr=${!#}
	set -- "${@:2:$#-2}"
	ip netns exec "$ns" "$@" -c 3 -i 0.2 -W 2 "$addr" >/dev/null
}

# Both SAs in B counted packets, and B's /proc/net/xfrm_stat is all zero.
xfrm_clean() {
	local used errs
	used=$(ip -n $B -s xfrm state | grep -o '[0-9]*(packets)' | grep -vc '^0(')
	errs=$(ip netns exec $B awk '{ s += $2 } END { print s + 0 }' /proc/net/xfrm_stat)
	[ "$used" -ge 2 ] && [ "$errs" -eq 0 ] && return 0
	ktap_note "XFRM SAs used: $used, xfrm_stat errors: $errs"
	ip netns exec $B grep -v ' 0$' /proc/net/xfrm_stat | sed 's/^/# /'
	return 1
}

stat_of() { ip netns exec $A awk -v k="$2" '$1 == k { print $2 }' /proc/net/$1; }

# tcp_xfer FROM_NS TO_NS TO_ADDR [FROM_ADDR]: 4 MiB, SHA-256 compared.
tcp_xfer() {
	local f=/tmp/kx.$$.data port=$((20000 + RANDOM % 10000))
	head -c 4194304 /dev/urandom >$f
	ip netns exec "$2" $PY -c '
import socket, hashlib, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(30)
c, _ = s.accept(); c.settimeout(60); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
open(sys.argv[3], "w").write("%s %d\n" % (h.hexdigest(), n))
' "$3" $port $f.recv &
	local srv=$!
	ip netns exec "$1" $PY -c '
import socket, sys, time
for i in range(100):
    try:
        src = (sys.argv[4], 0) if len(sys.argv) > 4 else None
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60,
                                     source_address=src)
        break
    except ConnectionRefusedError:
        time.sleep(0.2)
s.sendall(open(sys.argv[3], "rb").read()); s.shutdown(socket.SHUT_WR)
s.recv(1)
' "$3" $port $f ${4:+"$4"} || { kill $srv 2>/dev/null; return 1; }
	wait $srv || return 1
	local want
	want="$(sha256sum <$f | cut -d' ' -f1) 4194304"
	[ "$(cat $f.recv)" = "$want" ] || { ktap_note "got $(cat $f.recv), want $want"; return 1; }
}

