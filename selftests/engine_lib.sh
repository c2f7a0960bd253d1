# Helpers shared by the engine's interop tests (sourced after lib.sh).
# Needs $A (kameipsec namespace) and $B (XFRM namespace) set by the caller.
PY=/usr/bin/python3
SETKEY=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/user/setkey/setkey
# On exit (lib.sh's teardown) the capture and the transfers below stop
# and their files (/tmp/kx.PID.*) go.
on_exit capture_stop
on_exit xfer_stop
cleanup_files "/tmp/kx.$$.*"

# pair_setup: A (a0 10.77.0.1, fd77::1) and B (b0 10.77.0.2, fd77::2)
# joined by a veth pair (both deleted on exit).
pair_setup() {
	netns_add $A $B
	ip -n $A link add a0 type veth peer name b0 netns $B
	ip -n $A addr add 10.77.0.1/24 dev a0
	ip -n $B addr add 10.77.0.2/24 dev b0
	ip -n $A addr add fd77::1/64 dev a0 nodad
	ip -n $B addr add fd77::2/64 dev b0 nodad
	for n in $A $B; do ip -n $n link set lo up; done
	ip -n $A link set a0 up
	ip -n $B link set b0 up
}

# gateways_setup: pair_setup, and a protected network behind each side on
# its loopback (10.1.0.1, fd01::1 behind A; 10.2.0.1, fd02::1 behind B),
# routed through the peer with those as source addresses.
gateways_setup() {
	pair_setup
	ip -n $A addr add 10.1.0.1/32 dev lo
	ip -n $B addr add 10.2.0.1/32 dev lo
	ip -n $A addr add fd01::1/128 dev lo
	ip -n $B addr add fd02::1/128 dev lo
	ip -n $A route add 10.2.0.0/24 via 10.77.0.2 src 10.1.0.1
	ip -n $B route add 10.1.0.0/24 via 10.77.0.1 src 10.2.0.1
	ip -n $A -6 route add fd02::/64 via fd77::2 src fd01::1
	ip -n $B -6 route add fd01::/64 via fd77::1 src fd02::1
}

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
		KEYS_XFRM="enc cbc(aes) $EK16 auth-trunc hmac(sha256) $AK32 128" ;;
	aes-gcm-16)
		KEYS_SETKEY="-E aes-gcm-16 $EK20"
		KEYS_XFRM="aead rfc4106(gcm(aes)) $EK20 128" ;;
	aes-ctr-sha1)
		KEYS_SETKEY="-E aes-ctr $EK20 -A hmac-sha1 $AK20"
		KEYS_XFRM="enc rfc3686(ctr(aes)) $EK20 auth-trunc hmac(sha1) $AK20 96" ;;
	esac
}

# ping_q NS PING-COMMAND... ADDR: quietly, 3 echoes all answered (each
# within 2 s times KAME_SLOW).
ping_q() {
	local ns=$1 addr=${!#}
	set -- "${@:2:$#-2}"
	ip netns exec "$ns" "$@" -c 3 -i 0.2 -W $((2 * ${KAME_SLOW:-1})) "$addr" >/dev/null
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

# drop_of FILE REASON: A's count of drops for that named reason.
drop_of() {
	ip netns exec $A awk -v r="$2" '$1 == "drop" && $2 == r { n = $3 } END { print n + 0 }' \
		/proc/net/$1
}

# tcp_xfer FROM_NS TO_NS TO_ADDR [FROM_ADDR]: 4 MiB, SHA-256 compared.
tcp_xfer() {
	head -c 4194304 /dev/urandom >/tmp/kx.$$.data
	tcp_xfer_file "$1" "$2" "$3" /tmp/kx.$$.data ${4:+"$4"}
}

# tcp_xfer_file FROM_NS TO_NS TO_ADDR FILE [FROM_ADDR]: FILE over TCP,
# SHA-256 and length compared at the far end. The server binds TO_ADDR, or
# $XFER_BIND when set (TO_ADDR is then a NAT's address). Its time limits
# (30 s to connect, 60 s without progress) grow KAME_SLOW times (lib.sh).
XFER_BIND=
tcp_xfer_file() {
	local f=$4 port=$((20000 + RANDOM % 10000)) t=$((60 * ${KAME_SLOW:-1}))
	ip netns exec "$2" $PY -c '
import socket, hashlib, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[4] or sys.argv[1], int(sys.argv[2]))); s.listen(1)
s.settimeout(int(sys.argv[5]) / 2)
c, _ = s.accept(); c.settimeout(int(sys.argv[5])); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
open(sys.argv[3], "w").write("%s %d\n" % (h.hexdigest(), n))
' "$3" $port $f.recv "$XFER_BIND" $t &
	local srv=$!
	ip netns exec "$1" $PY -c '
import socket, sys, time
for i in range(100):
    try:
        src = (sys.argv[5], 0) if len(sys.argv) > 5 else None
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])),
                                     timeout=int(sys.argv[4]), source_address=src)
        break
    except ConnectionRefusedError:
        time.sleep(0.2)
s.sendall(open(sys.argv[3], "rb").read()); s.shutdown(socket.SHUT_WR)
s.recv(1)
' "$3" $port $f $t ${5:+"$5"} || { kill $srv 2>/dev/null; return 1; }
	wait $srv || return 1
	local want
	want="$(sha256sum <$f | cut -d' ' -f1) $(stat -c %s $f)"
	[ "$(cat $f.recv)" = "$want" ] || { ktap_note "got $(cat $f.recv), want $want"; return 1; }
}


# ---- Per-algorithm keys, quick transfers, PF_KEY listeners, wire capture
# (engine_algs.sh, engine_lifetime.sh, seed_scenarios.sh).

# alg_keys KIND NAME: for KIND "E" (encryption) or "A" (authentication),
# setkey's option and the matching "ip xfrm" argument, in ALG_SETKEY /
# ALG_XFRM ("" for null authentication: XFRM then has no authenticator).
K8=0x0011223344556677
K16=0x00112233445566778899aabbccddeeff
K20=0x00112233445566778899aabbccddeeff01020304
K24=0x00112233445566778899aabbccddeeff0123456789abcdef
K32=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
K36=${K32}a0a1a2a3
K48=${K32}202122232425262728292a2b2c2d2e2f
K64=${K48}303132333435363738393a3b3c3d3e3f
alg_keys() {
	local k x
	case $1:$2 in
	E:des-cbc) k=$K8 x="enc cbc(des) $K8" ;;
	E:3des-cbc) k=$K24 x="enc cbc(des3_ede) $K24" ;;
	E:blowfish-cbc) k=$K16 x="enc cbc(blowfish) $K16" ;;
	E:cast128-cbc) k=$K16 x="enc cbc(cast5) $K16" ;;
	E:rijndael-cbc) k=$K16 x="enc cbc(aes) $K16" ;;
	E:aes-ctr) k=$K20 x="enc rfc3686(ctr(aes)) $K20" ;;
	E:aes-gcm-16) k=$K20 x="aead rfc4106(gcm(aes)) $K20 128" ;;
	E:aes-gcm-12) k=$K20 x="aead rfc4106(gcm(aes)) $K20 96" ;;
	E:aes-gcm-8) k=$K20 x="aead rfc4106(gcm(aes)) $K20 64" ;;
	E:aes-ccm-16) k=0x${K20:2:38} x="aead rfc4309(ccm(aes)) 0x${K20:2:38} 128" ;;
	E:aes-gmac) k=$K20 x="aead rfc4543(gcm(aes)) $K20 128" ;;
	E:camellia-cbc) k=$K16 x="enc cbc(camellia) $K16" ;;
	E:twofish-cbc) k=$K16 x="enc cbc(twofish) $K16" ;;
	E:serpent-cbc) k=$K16 x="enc cbc(serpent) $K16" ;;
	E:chacha20-poly1305) k=$K36 x="aead rfc7539esp(chacha20,poly1305) $K36 128" ;;
	E:null) ALG_SETKEY="-E null" ALG_XFRM='enc ecb(cipher_null) ""'; return ;;
	A:hmac-md5) k=$K16 x="auth-trunc hmac(md5) $K16 96" ;;
	A:hmac-sha1) k=$K20 x="auth-trunc hmac(sha1) $K20 96" ;;
	A:hmac-sha256) k=$K32 x="auth-trunc hmac(sha256) $K32 128" ;;
	A:hmac-sha256-128) k=$K32 x="auth-trunc hmac(sha256) $K32 128" ;;
	A:hmac-sha384) k=$K48 x="auth-trunc hmac(sha384) $K48 192" ;;
	A:hmac-sha512) k=$K64 x="auth-trunc hmac(sha512) $K64 256" ;;
	A:hmac-ripemd160) k=$K20 x="auth-trunc hmac(rmd160) $K20 96" ;;
	A:aes-xcbc-mac) k=$K16 x="auth-trunc xcbc(aes) $K16 96" ;;
	A:null) ALG_SETKEY="-A null" ALG_XFRM='auth-trunc digest_null "" 0'; return ;;
	*) return 1 ;;
	esac
	ALG_SETKEY="-$1 $2 $k" ALG_XFRM=$x
}

# ktap_xfail DESC REASON: a known bug (outside the test's owner) that
# still fails: reported, not counted as a failure.
KTAP_XFAIL=0
ktap_xfail() {
	KTAP_N=$((KTAP_N + 1)); KTAP_XFAIL=$((KTAP_XFAIL + 1))
	echo "ok $KTAP_N $1 # XFAIL $2" >&$KTAP_FD
}
# check_known REASON DESC CMD...: check, but a failure is an XFAIL when
# REASON is not empty.
check_known() {
	local why=$1 desc=$2
	shift 2
	if "$@"; then ktap_ok "$desc"
	elif [ -n "$why" ]; then ktap_xfail "$desc" "$why"
	else ktap_fail "$desc"; fi
}

# xfer_server NS PORT: a background server in NS (IPv4 and IPv6) that,
# per connection, reads "N\n" and N bytes and answers "<sha256> <bytes>".
# Its pid goes to XFER_PIDS (xfer_stop kills them).
XFER_PIDS=
xfer_server() {
	ip netns exec "$1" $PY -c '
import socket, hashlib, sys
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept(); c.settimeout(30)
    try:
        f = c.makefile("rb"); left = n = int(f.readline()); h = hashlib.sha256()
        while left:
            b = f.read(min(65536, left))
            if not b: break
            h.update(b); left -= len(b)
        c.sendall(("%s %d\n" % (h.hexdigest(), n - left)).encode())
    except Exception:
        pass
    c.close()
' "$2" &
	XFER_PIDS="$XFER_PIDS $!"
	local i
	for i in $(seq 50); do
		ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}
xfer_stop() { local p; for p in $XFER_PIDS; do kill "$p" 2>/dev/null; done; XFER_PIDS=; }

# xfer NS ADDR PORT BYTES [SRC]: BYTES random bytes from NS to the
# xfer_server at ADDR, the SHA-256 the server saw compared (in XFER_TIMEOUT,
# default 20 s times KAME_SLOW).
xfer() {
	local f=/tmp/kx.$$.x$4 got want
	[ -s $f ] || head -c "$4" /dev/urandom >$f
	want="$(sha256sum <$f | cut -d' ' -f1) $4"
	got=$(ip netns exec "$1" timeout ${XFER_TIMEOUT:-$((20 * ${KAME_SLOW:-1}))} bash -c '
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		{ echo "$3"; cat "$4"; } >&3
		read -r l <&3 && echo "$l"' _ "$2" "$3" "$4" "$f" 2>/dev/null)
	[ "$got" = "$want" ] && return 0
	ktap_note "xfer $1 -> $2: got '$got', want '$want'"
	return 1
}

# pfkey_register SATYPE: REGISTER on a fresh PF_KEY socket and print the
# SUPPORTED lists, one "E|A id ivlen minbits maxbits" line per algorithm.
pfkey_register() {
	ip netns exec "${2:-$A}" $PY - "$1" <<-'EOP'
	import os, socket, struct, sys
	s = socket.socket(15, socket.SOCK_RAW, 2)
	s.settimeout(60)
	seq = 7
	s.send(struct.pack("=BBBBHHII", 2, 7, 0, int(sys.argv[1]), 2, 0, seq, os.getpid()))
	while True:
	    m = s.recv(65536)
	    if m[1] == 7 and struct.unpack_from("=I", m, 8)[0] == seq:
	        break
	if m[2]:
	    sys.exit("REGISTER errno %d" % m[2])
	off = 16
	while off < len(m):
	    elen, etype = struct.unpack_from("=HH", m, off)
	    if etype in (14, 15):
	        for a in range(off + 8, off + elen * 8, 8):
	            i, iv, lo, hi = struct.unpack_from("=BBHH", m, a)
	            print("A" if etype == 14 else "E", i, iv, lo, hi)
	    off += elen * 8
	EOP
}

# pfkey_listen NS SATYPE FILE: a registered PF_KEY socket in NS, in the
# background, appending one line per SADB_EXPIRE / SADB_ACQUIRE to FILE:
#   EXPIRE soft|hard 0x<spi> bytes=<current bytes> t=<seconds since start>
# (pid in XFER_PIDS, so xfer_stop ends it too).
pfkey_listen() {
	ip netns exec "$1" $PY - "$2" "$3" <<-'EOP' &
	import os, socket, struct, sys, time
	s = socket.socket(15, socket.SOCK_RAW, 2)
	s.send(struct.pack("=BBBBHHII", 2, 7, 0, int(sys.argv[1]), 2, 0, 1, os.getpid()))
	out = open(sys.argv[2], "a", buffering=1); t0 = time.time()
	out.write("READY\n")
	while True:
	    m = s.recv(65536)
	    if m[1] not in (6, 8) or m[2]:
	        continue
	    ext, off = {}, 16
	    while off < len(m):
	        elen, etype = struct.unpack_from("=HH", m, off)
	        ext[etype] = m[off:off + elen * 8]; off += elen * 8
	    spi = struct.unpack_from("!I", ext[1], 4)[0] if 1 in ext else 0
	    cur = struct.unpack_from("=IQQQ", ext[2], 4)[1] if 2 in ext else 0
	    kind = "hard" if 3 in ext else "soft" if 4 in ext else "-"
	    name = "EXPIRE" if m[1] == 8 else "ACQUIRE"
	    out.write("%s %s 0x%x bytes=%d t=%.1f\n" % (name, kind, spi, cur, time.time() - t0))
	EOP
	XFER_PIDS="$XFER_PIDS $!"
	local i
	for i in $(seq 100); do grep -q READY "$3" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# capture_start NS IFACE FILE [DUMPCAP-OPTION...] / capture_stop: dumpcap
# on the wire. Ready once dumpcap has written FILE's header, which it does
# after opening the interface: a FILE left from an earlier capture would
# look ready at once, so it goes first.
CAP_PID=
capture_start() {
	rm -f "$3"
	ip netns exec "$1" dumpcap -q -i "$2" -w "$3" "${@:4}" >/dev/null 2>&1 &
	CAP_PID=$!
	local i
	for i in $(seq 100); do [ -s "$3" ] && return 0; sleep 0.1; done
	return 1
}
capture_stop() { [ -n "$CAP_PID" ] && kill -INT $CAP_PID 2>/dev/null && wait $CAP_PID 2>/dev/null; CAP_PID=; }

# wire_fields FILE: one "src dst proto espspi ahspi clear time" line per
# IPv4/IPv6 frame: SPIs as tshark prints them ("-" if none), clear = 1 for
# a plain ICMP echo or a TCP segment with data (what must never be seen),
# time in seconds since the epoch.
wire_fields() {
	tshark -r "$1" -n -T fields -E occurrence=f -e ip.src -e ipv6.src \
		-e ip.dst -e ipv6.dst -e ip.proto -e ipv6.nxt -e esp.spi -e ah.spi \
		-e tcp.len -e icmp.type -e icmpv6.type -e frame.time_epoch 2>/dev/null |
	awk -F'\t' '$1 $2 != "" {
		p = $5 $6; c = 0
		if (p == 6 && $9 > 0) c = 1
		if (p == 1 && ($10 == 0 || $10 == 8)) c = 1
		if (p == 58 && ($11 == 128 || $11 == 129)) c = 1
		printf "%s %s %s %s %s %d %s\n", $1 $2, $3 $4, p,
			$7 == "" ? "-" : $7, $8 == "" ? "-" : $8, c, $12 }'
}

# xfer_many NS PORT BYTES ADDR...: from NS, BYTES random bytes to the
# xfer_server at each ADDR in turn (one process for all: cheap under
# TCG); prints "ADDR ok" or "ADDR fail <why>" per address.
xfer_many() {
	local ns=$1 port=$2 bytes=$3
	shift 3
	ip netns exec "$ns" $PY - "$port" "$bytes" "$@" <<-'EOP'
	import hashlib, os, socket, sys
	port, n = int(sys.argv[1]), int(sys.argv[2])
	data = os.urandom(n); want = "%s %d" % (hashlib.sha256(data).hexdigest(), n)
	for a in sys.argv[3:]:
	    try:
	        s = socket.create_connection((a, port), timeout=8)
	        s.sendall(b"%d\n" % n + data)
	        got = s.makefile("rb").readline().decode().strip()
	        s.close()
	        print(a, "ok" if got == want else "fail got '%s'" % got)
	    except Exception as e:
	        print(a, "fail", e)
	    sys.stdout.flush()
	EOP
}
