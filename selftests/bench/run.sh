#!/bin/bash
# make bench: iperf3 TCP between two namespaces, clear, Linux XFRM ESP on
# both ends, kameipsec ESP on both ends, for aes-gcm-16 and
# rijndael-cbc + hmac-sha256; 3 runs each, median Mbit/s and the ratio
# kameipsec / XFRM. Then ping round trip with 10 and 10,000 policies
# loaded. One run in the VM; ratios matter, not absolute figures (TCG).
#
#   [A] a0 10.99.0.1 ---- veth ---- b0 10.99.0.2 [B]
set -u
cd "$(dirname "$0")/.."
. ./lib.sh
A=bna$$ B=bnb$$
. ./engine_lib.sh
SECS=${BENCH_SECS:-4}
cleanup_files "/tmp/bench.$$.*"
netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.99.0.1/24 dev a0
ip -n $B addr add 10.99.0.2/24 dev b0
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up

flush_all() {
	for n in $A $B; do
		ip -n $n xfrm state flush; ip -n $n xfrm policy flush
		ip netns exec $n "$SETKEY" -F >/dev/null 2>&1
		ip netns exec $n "$SETKEY" -FP >/dev/null 2>&1
	done
}

# xfrm_side NS LOCAL REMOTE: XFRM transport ESP, SPIs 0x5001 (A->B), 0x5002.
xfrm_side() {
	local ns=$1 l=$2 r=$3
	# shellcheck disable=SC2086
	ip -n $ns xfrm state add src 10.99.0.1 dst 10.99.0.2 proto esp spi 0x5001 mode transport $KEYS_XFRM
	# shellcheck disable=SC2086
	ip -n $ns xfrm state add src 10.99.0.2 dst 10.99.0.1 proto esp spi 0x5002 mode transport $KEYS_XFRM
	ip -n $ns xfrm policy add src $l dst $r dir out tmpl src $l dst $r proto esp mode transport
	ip -n $ns xfrm policy add src $r dst $l dir in tmpl src $r dst $l proto esp mode transport
}

kame_side() {
	local ns=$1 l=$2 r=$3
	ip netns exec $ns "$SETKEY" -c <<-EOC
	add 10.99.0.1 10.99.0.2 esp 0x5001 -m transport $KEYS_SETKEY;
	add 10.99.0.2 10.99.0.1 esp 0x5002 -m transport $KEYS_SETKEY;
	spdadd $l $r any -P out ipsec esp/transport//require;
	spdadd $r $l any -P in ipsec esp/transport//require;
	EOC
}

# One iperf3 run: Mbit/s received.
iperf_once() {
	ip netns exec $B iperf3 -s -D -1 -p 5201 >/dev/null 2>&1
	sleep 0.3
	ip netns exec $A iperf3 -c 10.99.0.2 -p 5201 -t "$SECS" -J 2>/dev/null |
		$PY -c 'import json,sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))' 2>/dev/null || echo 0
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
run3() { median3 "$(iperf_once)" "$(iperf_once)" "$(iperf_once)"; }

echo "# crypto drivers (highest priority first):"
for alg in 'rfc4106(gcm(aes))' 'gcm(aes)' 'cbc(aes)' 'hmac(sha256)' 'sha256'; do
	drv=$(awk -v a="$alg" '$1 == "name" { n = $3 } $1 == "driver" && n == a { print $3 }' /proc/crypto | head -3 | tr '\n' ' ')
	echo "#   $alg: ${drv:-not loaded yet}"
done

flush_all
clear=$(run3)
echo "clear: $clear Mbit/s"
for alg in aes-gcm-16 aes-cbc-sha256; do
	xfrm_keys $alg
	flush_all
	xfrm_side $A 10.99.0.1 10.99.0.2
	xfrm_side $B 10.99.0.2 10.99.0.1
	x=$(run3)
	flush_all
	kame_side $A 10.99.0.1 10.99.0.2
	kame_side $B 10.99.0.2 10.99.0.1
	k=$(run3)
	ratio=$(awk -v k="$k" -v x="$x" 'BEGIN { printf "%.2f", x ? k / x : 0 }')
	echo "$alg: XFRM $x Mbit/s, kameipsec $k Mbit/s, kameipsec/XFRM $ratio"
done
echo "# drivers in use after the runs:"
grep -E '^(name|driver)' /proc/crypto | paste - - | grep -E 'rfc4106|authenc' | sed 's/^/#   /'

# Policies: round trip with 10 and with 10,000 (non-matching) policies.
rtt() {
	ip netns exec $A ping -c 20 -i 0.05 -q 10.99.0.2 | awk -F/ '/^rtt/ { print $5 }'
}
# load_policies N FIRST: N non-matching policies, numbered from FIRST.
load_policies() {
	local n=$1 i f=/tmp/bench.$$.spd
	: >$f
	for ((i = $2; i < $2 + n; i++)); do
		echo "spdadd 10.$((100 + i / 65536)).$((i / 256 % 256)).$((i % 256)) 10.250.0.1 any -P out none;" >>$f
	done
	ip netns exec $A "$SETKEY" -f $f >/dev/null
}
xfrm_keys aes-gcm-16
flush_all
kame_side $A 10.99.0.1 10.99.0.2
xfrm_side $B 10.99.0.2 10.99.0.1
load_policies 8 0
r10=$(rtt) t10=$(run3)
load_policies 9990 8
n=$(ip netns exec $A "$SETKEY" -DP 2>/dev/null | grep -c 'out')
r10k=$(rtt) t10k=$(run3)
echo "policies: ~10: rtt $r10 ms, $t10 Mbit/s; ~$n: rtt $r10k ms, $t10k Mbit/s;" \
	"throughput ratio $(awk -v a="$t10k" -v b="$t10" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
flush_all
