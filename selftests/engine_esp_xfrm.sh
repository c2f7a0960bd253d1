#!/bin/bash
# ESP interop with Linux's native XFRM: kameipsec in namespace A, XFRM in
# namespace B, joined by a veth pair. SAs and policies in A are installed
# with setkey (PF_KEY), in B with "ip xfrm".
#
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B: XFRM]
#                  fd77::1                          fd77::2
#
# For each algorithm and family (transport mode): ping both ways, a 4 MiB
# TCP transfer each way with its SHA-256 compared, and the counters in
# /proc/net/kame_ipsec{,6}stat and XFRM's state statistics moving.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || { echo "1..0 # SKIP kameipsec not loaded"; exit $KSFT_SKIP; }
SETKEY=$(cd .. && pwd)/user/setkey/setkey
[ -x "$SETKEY" ] || { echo "1..0 # SKIP no user/setkey/setkey"; exit $KSFT_SKIP; }
PY=/usr/bin/python3

A=kea$$ B=keb$$
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; rm -f /tmp/kx.$$.*; }
trap cleanup EXIT

setup() {
	ip netns add $A && ip netns add $B
	ip -n $A link add a0 type veth peer name b0 netns $B
	ip -n $A addr add 10.77.0.1/24 dev a0
	ip -n $B addr add 10.77.0.2/24 dev b0
	ip -n $A addr add fd77::1/64 dev a0 nodad
	ip -n $B addr add fd77::2/64 dev b0 nodad
	for n in $A $B; do ip -n $n link set lo up; done
	ip -n $A link set a0 up
	ip -n $B link set b0 up
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
		KEYS_XFRM="enc cbc(aes) $EK16 auth-trunc hmac(sha256) $AK32 96" ;;
	aes-gcm-16)
		KEYS_SETKEY="-E aes-gcm-16 $EK20"
		KEYS_XFRM="aead rfc4106(gcm(aes)) $EK20 128" ;;
	aes-ctr-sha1)
		KEYS_SETKEY="-E aes-ctr $EK20 -A hmac-sha1 $AK20"
		KEYS_XFRM="enc rfc3686(ctr(aes)) $EK20 auth-trunc hmac(sha1) $AK20 96" ;;
	esac
}

# configure FAMILY ALG: SAs 0x1001 (A->B) and 0x1002 (B->A), transport.
configure() {
	local a b
	if [ "$1" = 4 ]; then a=10.77.0.1 b=10.77.0.2; else a=fd77::1 b=fd77::2; fi
	xfrm_keys "$2"
	ip netns exec $A "$SETKEY" -F >/dev/null
	ip netns exec $A "$SETKEY" -FP >/dev/null
	ip -n $B xfrm state flush
	ip -n $B xfrm policy flush
	ip netns exec $A "$SETKEY" -c <<-EOC || return 1
	add $a $b esp 0x1001 -m transport $KEYS_SETKEY;
	add $b $a esp 0x1002 -m transport $KEYS_SETKEY;
	spdadd $a $b any -P out ipsec esp/transport//require;
	spdadd $b $a any -P in ipsec esp/transport//require;
	EOC
	# shellcheck disable=SC2086
	ip -n $B xfrm state add src $a dst $b proto esp spi 0x1001 mode transport $KEYS_XFRM &&
	ip -n $B xfrm state add src $b dst $a proto esp spi 0x1002 mode transport $KEYS_XFRM &&
	ip -n $B xfrm policy add src $b dst $a dir out tmpl src $b dst $a proto esp mode transport &&
	ip -n $B xfrm policy add src $a dst $b dir in tmpl src $a dst $b proto esp mode transport
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

# tcp_xfer FROM_NS TO_NS TO_ADDR: 4 MiB, SHA-256 compared.
tcp_xfer() {
	local f=/tmp/kx.$$.data port=$((20000 + RANDOM % 10000))
	head -c 4194304 /dev/urandom >$f
	ip netns exec "$2" $PY -c '
import socket, hashlib, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(60)
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
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
        break
    except ConnectionRefusedError:
        time.sleep(0.2)
s.sendall(open(sys.argv[3], "rb").read()); s.shutdown(socket.SHUT_WR)
s.recv(1)
' "$3" $port $f || { kill $srv 2>/dev/null; return 1; }
	wait $srv || return 1
	local want
	want="$(sha256sum <$f | cut -d' ' -f1) 4194304"
	[ "$(cat $f.recv)" = "$want" ] || { ktap_note "got $(cat $f.recv), want $want"; return 1; }
}

setup
ALGS="aes-cbc-sha256 aes-gcm-16 aes-ctr-sha1"
ktap_plan $((2 * 3 * 6))
for fam in 4 6; do
	if [ $fam = 4 ]; then a=10.77.0.1 b=10.77.0.2 st=kame_ipsecstat P=ping
	else a=fd77::1 b=fd77::2 st=kame_ipsec6stat P="ping -6"; fi
	for alg in $ALGS; do
		t="IPv$fam $alg transport"
		if ! configure $fam $alg; then
			for i in 1 2 3 4 5 6; do ktap_fail "$t: configure"; done
			continue
		fi
		out0=$(stat_of $st out_success) in0=$(stat_of $st in_success)
		check "$t: ping kame -> xfrm" ping_q $A $P $b
		check "$t: ping xfrm -> kame" ping_q $B $P $a
		check "$t: 4 MiB TCP kame -> xfrm, sha256 equal" tcp_xfer $A $B $b
		check "$t: 4 MiB TCP xfrm -> kame, sha256 equal" tcp_xfer $B $A $a
		out1=$(stat_of $st out_success) in1=$(stat_of $st in_success)
		ktap_note "$t: out_success +$((out1 - out0)) in_success +$((in1 - in0))"
		check "$t: kame counters moved" test $((out1 - out0)) -gt 100 -a $((in1 - in0)) -gt 100
		check "$t: both XFRM SAs carried packets, no XFRM errors" xfrm_clean
	done
done
ip netns exec $A cat /proc/net/kame_ipsecstat | sed 's/^/# /'
ktap_finish
