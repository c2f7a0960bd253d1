#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The NetBSD IPsec FAQ's IKE example between two network namespaces:
#
#   [ns rla] 10.0.0.1 --veth-- 10.0.0.2 [ns rlb]
#
# policies with "require", no SAs; racoon-lite on both sides; a ping from
# A to B gets replies once the keys are negotiated; setkey -D shows them.
# Needs root, the kameipsec module, setkey and racoon-lite in PATH (or
# SETKEY=, RACOON=). Not run by "make check": it needs the real kernel.
# SETKEY_BYPASS=1 adds "udp 500 none" policies first, for kernels that
# refuse racoon-lite's per-socket bypass. INITIATE=1 starts A's daemon
# with "-I 10.0.0.2", for kernels that send no ACQUIRE.
set -eu

SETKEY=${SETKEY:-setkey}
RACOON=${RACOON:-racoon-lite}
dir=$(mktemp -d)
here=$(cd "$(dirname "$0")" && pwd)

cleanup() {
	for ns in rla rlb; do
		[ -f "$dir/$ns.pid" ] && kill "$(cat "$dir/$ns.pid")" 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	echo "logs kept in $dir"
}
trap cleanup EXIT

ip netns add rla
ip netns add rlb
ip link add veth-rla netns rla type veth peer name veth-rlb netns rlb
ip -n rla addr add 10.0.0.1/24 dev veth-rla
ip -n rlb addr add 10.0.0.2/24 dev veth-rlb
ip -n rla link set veth-rla up
ip -n rlb link set veth-rlb up
ip -n rla link set lo up
ip -n rlb link set lo up

setup() {	# ns me peer
	{
		echo "flush;"
		echo "spdflush;"
		if [ "${SETKEY_BYPASS:-0}" = 1 ]; then
			echo "spdadd $2[500] $3[500] udp -P out none;"
			echo "spdadd $3[500] $2[500] udp -P in none;"
		fi
		echo "spdadd $2 $3 any -P out ipsec esp/transport//require;"
		echo "spdadd $3 $2 any -P in ipsec esp/transport//require;"
	} | ip netns exec "$1" "$SETKEY" -c
	sed "s|/etc/racoon/psk.txt|$dir/$1.psk|" "$here/racoon.conf" \
		> "$dir/$1.conf"
	printf '%s spamspamspam\n' "$3" > "$dir/$1.psk"
	chmod 600 "$dir/$1.psk"
	init=
	[ "${INITIATE:-0}" = 1 ] && [ "$1" = rla ] && init="-I $3"
	# shellcheck disable=SC2086
	ip netns exec "$1" "$RACOON" -F -f "$dir/$1.conf" -l "$dir/$1.log" \
		-dd $init &
	echo $! > "$dir/$1.pid"
}

setup rlb 10.0.0.2 10.0.0.1
setup rla 10.0.0.1 10.0.0.2
sleep 1

# The first echo requests trigger ACQUIRE and are dropped; replies follow.
if ip netns exec rla ping -n -c 10 -i 0.5 -w 15 10.0.0.2 | tee "$dir/ping" |
	grep -q 'bytes from 10.0.0.2'; then
	echo "ok: replies after negotiation"
else
	echo "FAIL: no replies"; cat "$dir/rla.log" "$dir/rlb.log"; exit 1
fi
for ns in rla rlb; do
	echo "== $ns: setkey -D"
	ip netns exec "$ns" "$SETKEY" -D
done
grep -h "established" "$dir/rla.log" "$dir/rlb.log"
