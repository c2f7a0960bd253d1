#!/bin/bash
# The seed's "host-to-host encryption" example, end to end (make demo runs
# this inside the VM). Two hosts on two networks, each its own network
# namespace running kameipsec, with a router between them where we watch
# the wire:
#
#   [ns A] 10.1.1.1 ---- 10.1.1.254 [ns R] 20.1.1.254 ---- 20.1.1.1 [ns B]
#          setkey -c                tshark                 setkey -c
#
# Both hosts load the seed's keys and policies with setkey, A pings B, the
# wire shows only ESP with the seed's SPIs, and setkey -D / the ipsec
# counters show what happened.
set -eu
cd "$(dirname "$0")/.."
SETKEY=${SETKEY:-$PWD/user/setkey/setkey}	# the packaged one: /usr/sbin/setkey
say() { printf '\n### %s\n' "$*"; }
A() { echo "A# $*"; ip netns exec A "$@"; }
B() { echo "B# $*"; ip netns exec B "$@"; }
R() { ip netns exec R "$@"; }
fail() { echo "demo: FAILED: $*"; exit 1; }
cleanup() { for n in A B R; do ip netns del $n 2>/dev/null; done; true; }
trap cleanup EXIT

say "Two hosts on two networks, a router between them"
for n in A B R; do ip netns add $n; ip -n $n link set lo up; done
ip link add eth0 netns A type veth peer name ethA netns R
ip link add eth0 netns B type veth peer name ethB netns R
ip -n R addr add 10.1.1.254/24 dev ethA
ip -n R addr add 20.1.1.254/24 dev ethB
ip -n A addr add 10.1.1.1/24 dev eth0
ip -n B addr add 20.1.1.1/24 dev eth0
for l in "A eth0" "B eth0" "R ethA" "R ethB"; do set -- $l; ip -n $1 link set $2 up; done
ip -n A route add default via 10.1.1.254
ip -n B route add default via 20.1.1.254
R sysctl -qw net.ipv4.ip_forward=1

conf() {	# the seed's configuration; $1 = this host, $2 = the peer
	cat <<EOC
add 10.1.1.1 20.1.1.1 esp 9876 -E 3des-cbc "hogehogehogehogehogehoge";
add 20.1.1.1 10.1.1.1 esp 10000 -E 3des-cbc 0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef;
spdadd $1 $2 any -P out ipsec esp/transport//use;
EOC
}
say "setkey -c on each host (the seed's script)"
conf 10.1.1.1 20.1.1.1 | tee /dev/stderr | A "$SETKEY" -c
conf 20.1.1.1 10.1.1.1 | B "$SETKEY" -c

say "A pings B while the router watches the wire"
R tshark -l -n -i ethB -a duration:120 -f 'ip proto 50 or icmp' \
	-T fields -e ip.src -e ip.dst -e _ws.col.Protocol -e esp.spi -e esp.sequence \
	>/tmp/wire.txt 2>/tmp/tshark.err &
tpid=$!
for _ in $(seq 120); do	# tshark starts slowly under emulation
	grep -q 'Capturing on' /tmp/tshark.err && break
	sleep 0.5
done
A ping -n -c 3 -i 0.3 20.1.1.1
sleep 1
kill -INT "$tpid"
wait "$tpid" || true

say "On the wire (src dst proto spi seq)"
cat /tmp/wire.txt
grep -q '^10.1.1.1.20.1.1.1.ESP.0x00002694' /tmp/wire.txt ||
	fail "no ESP with SPI 9876 from A to B on the wire"
grep -q '^20.1.1.1.10.1.1.1.ESP.0x00002710' /tmp/wire.txt ||
	fail "no ESP with SPI 10000 from B to A on the wire"
if grep -q ICMP /tmp/wire.txt; then
	fail "clear ICMP on the wire"
fi

say "setkey -D on A"
A "$SETKEY" -D
say "setkey -DP on A"
A "$SETKEY" -DP
say "IPsec counters on A (/proc/net/kame_ipsecstat)"
A cat /proc/net/kame_ipsecstat
say "The seed's host-to-host example works: ESP on the wire, replies came back"
