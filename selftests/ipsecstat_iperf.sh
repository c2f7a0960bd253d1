#!/bin/bash
# Per-SA byte and packet counters against what iperf3 moved, exactly.
#
#   [A: kameipsec] a0 ---- veth ---- b0 [B: kameipsec]
#   10.91.0.1, fd91::1                  10.91.0.2, fd91::2
#
# Both ends ESP transport, rijndael-cbc (IV 16, block 16) + hmac-sha256
# (ICV 16), for UDP to/from port 5201 only: iperf3's UDP stream is
# protected, its TCP control connection is not. An iperf3 -u client in A
# sends N datagrams of L bytes (-k N -l L), plus its UDP "connect"
# datagrams of 4 bytes, which B's server answers with 4-byte datagrams.
#
# kameipsec charges an SA with the packet as it meets it, IP header
# included: an outbound SA the clear packet, an inbound SA the ESP packet
# as received. With H = 20 (IPv4) or 40 (IPv6):
#   clear(L) = H + 8 + L
#   esp(L)   = H + 8 (SPI, seq) + 16 (IV) + roundup(8 + L + 2, 16) + 16 (ICV)
# So for the A->B SA, with h connect datagrams (packets - N):
#   A (out):  N * clear(L) + h * clear(4) bytes
#   B (in):   N * esp(L)   + h * esp(4)   bytes, the same packet count
# and for B->A the r answers: r * clear(4) in B, r * esp(4) in A. Each is
# checked to the byte, in ipsecstat -s -j and in setkey -D's "current"
# lifetime; iperf3's own counts (sender and receiver) give N.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=iia$$ B=iib$$
SRC=${SRC:-$(cd .. && pwd)}
SETKEY=$SRC/user/setkey/setkey
IPSECSTAT=$SRC/user/ipsecstat/ipsecstat
PY=/usr/bin/python3
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
[ -x "$IPSECSTAT" ] || skip_all "no user/ipsecstat/ipsecstat"
command -v iperf3 >/dev/null || skip_all "no iperf3"
EK=0x00112233445566778899aabbccddeeff
AK=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
N=${IPSECSTAT_IPERF_N:-800}

D=$(mktemp -d)
cleanup_files "$D"

netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.91.0.1/24 dev a0
ip -n $B addr add 10.91.0.2/24 dev b0
ip -n $A addr add fd91::1/64 dev a0 nodad
ip -n $B addr add fd91::2/64 dev b0 nodad
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up
# keyed NS DIR-A-B DIR-B-A SRC DST SPI-AB SPI-BA
keyed() {
	ip netns exec $1 "$SETKEY" -c <<-EOC
	add $4 $5 esp $6 -m transport -E rijndael-cbc $EK -A hmac-sha256 $AK;
	add $5 $4 esp $7 -m transport -E rijndael-cbc $EK -A hmac-sha256 $AK;
	spdadd $4 $5[5201] udp -P $2 ipsec esp/transport//require;
	spdadd $5[5201] $4 udp -P $3 ipsec esp/transport//require;
	EOC
}
# A's out is B's in; the policies name A -> B:5201 and B:5201 -> A.
keyed $A out in 10.91.0.1 10.91.0.2 0x2001 0x2002 &&
keyed $B in out 10.91.0.1 10.91.0.2 0x2001 0x2002 &&
keyed $A out in fd91::1 fd91::2 0x2003 0x2004 &&
keyed $B in out fd91::1 fd91::2 0x2003 0x2004 ||
	skip_all "setkey refused the setup"

ip netns exec $B iperf3 -s -p 5201 -J >"$D/server.json" 2>&1 &
PIDS="$PIDS $!"
for i in $(seq 50); do
	ip netns exec $B ss -ltn | grep -q ':5201 ' && break
	sleep 0.1
done

# sa_figures NS: "spi bytes packets" per SA from ipsecstat -s -j, then
# "spi bytes" per SA from setkey -D, one line each, prefixed ist/setkey.
sa_figures() {
	ip netns exec $1 "$IPSECSTAT" -s -j >"$D/ist.$1"
	ip netns exec $1 "$SETKEY" -D >"$D/setkey.$1"
	$PY - "$D/ist.$1" "$D/setkey.$1" <<-'EOPY'
	import json, re, sys
	for line in open(sys.argv[1]):
	    s = json.loads(line)
	    print("ist", s["spi"], s["bytes"], s["packets"])
	spi = None
	for line in open(sys.argv[2]):
	    m = re.search(r"spi=(\d+)\(", line)
	    if m:
	        spi = int(m.group(1))
	    m = re.search(r"current: (\d+)\(bytes\)", line)
	    if m and spi is not None:
	        print("setkey", spi, m.group(1))
	EOPY
}
# fig NS KIND SPI FIELD: one figure (FIELD 3 bytes, 4 packets).
fig() { awk -v k="$2" -v s=$(($3)) -v f="$4" '$1 == k && $2 == s { print $f }' "$D/fig.$1"; }
roundup16() { echo $((($1 + 15) / 16 * 16)); }

ktap_plan 11
for fam in 4 6; do
	if [ $fam = 4 ]; then
		H=20 L=1000 b=10.91.0.2 ab=0x2001 ba=0x2002
	else
		H=40 L=1200 b=fd91::2 ab=0x2003 ba=0x2004
	fi
	t0=$SECONDS
	ip netns exec $A iperf3 -$fam -c $b -p 5201 -u -l $L -b 4M -k $N -J \
		>"$D/client$fam.json" 2>&1
	ktap_note "IPv$fam: iperf3 ran $((SECONDS - t0)) s"
	# (the VM has no /dev/fd: a file, not < <(...))
	$PY -c '
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print(e["sum_sent"]["packets"], e["sum_received"]["packets"], e["sum_received"]["lost_packets"])
' "$D/client$fam.json" >"$D/counts$fam" 2>&1 || sed 's/^/# iperf3: /' "$D/client$fam.json"
	read -r sent rcvd lost <"$D/counts$fam"
	for v in sent rcvd lost; do
		case ${!v} in ''|*[!0-9]*) printf -v $v 0 ;; esac
	done
	ktap_note "IPv$fam: iperf3 sent $sent datagrams of $L bytes, the server counted $rcvd, lost $lost"
	sleep 0.5	# the server's last answers
	sa_figures $A >"$D/fig.A"
	sa_figures $B >"$D/fig.B"
	sed "s/^/# A: /" "$D/fig.A"; sed "s/^/# B: /" "$D/fig.B"
	clear_L=$((H + 8 + L)) clear_4=$((H + 8 + 4))
	esp_L=$((H + 8 + 16 + $(roundup16 $((8 + L + 2))) + 16))
	esp_4=$((H + 8 + 16 + $(roundup16 $((8 + 4 + 2))) + 16))
	pa=$(fig A ist $ab 4) h=$(( ${pa:-0} - ${sent:-0} ))
	r=$(fig B ist $ba 4)
	ktap_note "IPv$fam: per datagram: clear $clear_L, ESP $esp_L; connect datagrams $h, answers $r (clear $clear_4, ESP $esp_4)"
	want_ao=$((sent * clear_L + h * clear_4)) want_bi=$((sent * esp_L + h * esp_4))
	ktap_note "IPv$fam: A->B: A out $(fig A ist $ab 3) bytes (want $want_ao), B in $(fig B ist $ab 3) bytes (want $want_bi)"
	# The server stops counting when the client's end-of-test arrives on
	# the control connection, ahead of the last datagrams still in the
	# (async) crypto: it counted 797-799 of 800 with none lost. B's SA,
	# checked next to the byte, is what shows every datagram arrived.
	check "IPv$fam: iperf3 sent all $N datagrams, the server saw no gap" \
		test "${sent:-0}" -eq $N -a "${rcvd:-0}" -gt 0 -a "${lost:-1}" -eq 0
	check "IPv$fam: A->B SA in A (out): $N x $clear_L + $h x $clear_4 bytes, $N + $h packets" \
		test "$h" -ge 1 -a "$h" -le 4 -a "$(fig A ist $ab 3)" = "$want_ao"
	check "IPv$fam: A->B SA in B (in): the same packets, $N x $esp_L + $h x $esp_4 bytes" \
		test "$(fig B ist $ab 4)" = "$pa" -a "$(fig B ist $ab 3)" = "$want_bi"
	check "IPv$fam: B->A SA: $r answers of $clear_4 bytes out of B, $esp_4 into A" \
		test "${r:-0}" -ge 1 -a "$(fig A ist $ba 4)" = "$r" -a \
		"$(fig B ist $ba 3)" = $((r * clear_4)) -a "$(fig A ist $ba 3)" = $((r * esp_4))
	ok=1
	for ns in A B; do
		for s in $ab $ba; do
			[ "$(fig $ns ist $s 3)" = "$(fig $ns setkey $s 3)" ] ||
				{ ok=0; ktap_note "$ns SA $s: ipsecstat $(fig $ns ist $s 3), setkey $(fig $ns setkey $s 3)"; }
		done
	done
	check "IPv$fam: setkey -D's current bytes equal ipsecstat -s for all four SAs" test $ok = 1
done
ip netns exec $A "$IPSECSTAT" | grep -E 'inbound packets processed|outbound packets processed' | sed 's/^/# A: /'
stop_pids
nodrops() {
	ip netns exec $1 cat /proc/net/kame_ipsecstat /proc/net/kame_ipsec6stat |
		awk '$1 == "drop" { s += $3 } END { exit s != 0 }'
}
check "no drop counted in A or B" eval 'nodrops $A && nodrops $B'
ktap_finish
