#!/bin/bash
# The seed's (NetBSD IPsec FAQ) configuration examples end to end, with
# kameipsec on every IPsec node and the seed's own setkey scripts
# (selftests/setkey/cases/*.conf, addresses as in the seed); the peer
# loads the mirror image (the same script with "-P in" and "-P out"
# swapped). Every node hangs off one bridge in namespace W, where dumpcap
# watches the wire for the whole run; tshark reads it at the end.
#
#  1. host-to-host authentication (AH, IPv6 fec0::1 <-> fec0::2)
#  2. host-to-host encryption (ESP, 10.1.1.1 <-> 20.1.1.1)
#  3. host-to-host encryption+authentication (ESP then AH)
#  4. IPsec VPN: hA 10.0.1.5 - gA 10.0.1.1|10.0.0.1 =W= 10.0.0.2|10.0.2.1 gB - hB 10.0.2.5
#  5. leaf-node tunnel: L 10.0.1.5 =W= G 10.0.0.1|10.0.3.1 - S 10.0.3.3
#  6. POP with AH: A 10.0.0.1 (port 110) =W= B 10.0.0.2, the seed's policy
#     order (A's own POP traffic clear, B's under AH), then the same four
#     policies reordered: A's own POP connection fails, as the seed says.
# Each: ping both ways and a TCP transfer each way with SHA-256 compared;
# on the wire only AH/ESP with the scenario's SPIs between the IPsec
# nodes, and (tunnels) never the inner addresses.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=unused B=unused
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
CASES=setkey/cases
P=s$$
W=${P}w
PORT=5080
BYTES=${XFER_BYTES:-262144}
PCAP=/tmp/kx.$$.pcap
NSS=

cleanup_netns $W

# node NAME: a namespace with forwarding on.
node() {
	ip netns add $P$1 || return 1
	NSS="$NSS $P$1"
	cleanup_netns $P$1
	ip -n $P$1 link set lo up
	ip netns exec $P$1 sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}
# wire NAME ADDR/LEN...: NAME's eth0 on the bridge in W.
wire() {
	local n=$1 a
	shift
	ip -n $W link add w$n type veth peer name eth0 netns $P$n
	ip -n $W link set w$n master br0 up
	for a in "$@"; do
		case $a in *:*) ip -n $P$n addr add $a dev eth0 nodad ;;
		*) ip -n $P$n addr add $a dev eth0 ;; esac
	done
	ip -n $P$n link set eth0 up
}
# link A B ADDR_A ADDR_B: a point-to-point veth between nodes A and B.
link() {
	ip -n $P$1 link add to$2 type veth peer name to$1 netns $P$2
	ip -n $P$1 addr add $3 dev to$2
	ip -n $P$2 addr add $4 dev to$1
	ip -n $P$1 link set to$2 up
	ip -n $P$2 link set to$1 up
}
drop_nodes() { local n; xfer_stop; for n in $NSS; do ip netns del $n; done; NSS=; }

mirror() { sed 's/-P out/-P @@/g; s/-P in/-P out/g; s/-P @@/-P in/g' "$@"; }
load() { ip netns exec $P$1 "$SETKEY" -f "$2" >/tmp/kx.$$.err 2>&1 ||
	{ ktap_note "setkey -f $2 on $1: $(tr '\n' ' ' </tmp/kx.$$.err)"; return 1; }; }
load_mirror() { mirror "$2" >/tmp/kx.$$.mirror && load $1 /tmp/kx.$$.mirror; }

# traffic T FROM TO FROM_ADDR TO_ADDR [PING_ARGS]: the four checks.
traffic() {
	local t=$1 x=$P$2 y=$P$3
	check "$t: ping $2 -> $3" ping_q $x ping ${6:-} $5
	check "$t: ping $3 -> $2" ping_q $y ping ${6:-} $4
	check "$t: $BYTES bytes TCP $2 -> $3, sha256 equal" xfer $x $5 $PORT $BYTES
	check "$t: $BYTES bytes TCP $3 -> $2, sha256 equal" xfer $y $4 $PORT $BYTES
}
servers() { local n; for n in "$@"; do xfer_server $P$n $PORT || ktap_note "no server in $n"; done; }

# Scenario times, for reading the capture: "NAME start end".
mark_start() { MARK_T0=$(date +%s.%N); }
mark_end() { echo "$1 $MARK_T0 $(date +%s.%N)" >>/tmp/kx.$$.marks; }

ip netns add $W
ip -n $W link set lo up
ip -n $W link add br0 type bridge
ip -n $W link set br0 up
ip netns exec $W sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ktap_plan 40
capture_start $W br0 $PCAP || ktap_note "dumpcap did not start"

# --- 1-3: host to host, N1 and N2 on the wire with host routes ---
node 1 && node 2
wire 1 10.1.1.1/32 fec0::1/128
wire 2 20.1.1.1/32 fec0::2/128
ip -n ${P}1 route add 20.1.1.1/32 dev eth0
ip -n ${P}2 route add 10.1.1.1/32 dev eth0
ip -n ${P}1 -6 route add fec0::2/128 dev eth0
ip -n ${P}2 -6 route add fec0::1/128 dev eth0
servers 1 2
for c in host2host_ah host2host_esp host2host_esp_ah; do
	mark_start
	if load 1 $CASES/$c.conf && load_mirror 2 $CASES/$c.conf; then
		if [ $c = host2host_ah ]; then
			traffic "$c (seed)" 1 2 fec0::1 fec0::2 -6
		else
			traffic "$c (seed)" 1 2 10.1.1.1 20.1.1.1
		fi
	else
		for i in 1 2 3 4; do ktap_fail "$c (seed): setkey -f"; done
	fi
	mark_end $c
done
drop_nodes

# --- 4: VPN ---
mark_start
node hA && node gA && node gB && node hB
wire gA 10.0.0.1/24
wire gB 10.0.0.2/24
link hA gA 10.0.1.5/24 10.0.1.1/24
link hB gB 10.0.2.5/24 10.0.2.1/24
ip -n ${P}hA route add default via 10.0.1.1
ip -n ${P}hB route add default via 10.0.2.1
ip -n ${P}gA route add 10.0.2.0/24 via 10.0.0.2
ip -n ${P}gB route add 10.0.1.0/24 via 10.0.0.1
servers hA hB
if load gA $CASES/vpn.conf && load_mirror gB $CASES/vpn.conf; then
	traffic "vpn (seed)" hA hB 10.0.1.5 10.0.2.5
else
	for i in 1 2 3 4; do ktap_fail "vpn (seed): setkey -f"; done
fi
mark_end vpn
drop_nodes

# --- 5: leaf-node tunnel ---
mark_start
node L && node G && node S
wire L 10.0.1.5/32
wire G 10.0.0.1/32
ip -n ${P}L route add 10.0.0.1/32 dev eth0
ip -n ${P}L route add default via 10.0.0.1 dev eth0 onlink
ip -n ${P}G route add 10.0.1.5/32 dev eth0
link S G 10.0.3.3/24 10.0.3.1/24
ip -n ${P}S route add default via 10.0.3.1
servers L S
if load L $CASES/leaf_tunnel.conf && load_mirror G $CASES/leaf_tunnel.conf; then
	traffic "leaf-node tunnel (seed)" L S 10.0.1.5 10.0.3.3
	check "leaf-node tunnel (seed): the gateway itself reached through the tunnel" \
		ping_q ${P}L ping 10.0.0.1
else
	for i in 1 2 3 4 5; do ktap_fail "leaf-node tunnel (seed): setkey -f"; done
fi
mark_end leaf
drop_nodes

# --- 6: POP with AH, then reordered ---
node A && node B
wire A 10.0.0.1/24
wire B 10.0.0.2/24
xfer_server ${P}A 110 || ktap_note "no POP server"
AK=0x000102030405060708090a0b0c0d0e0f10111213
pop_sas() {
	printf 'flush;\nadd 10.0.0.1 10.0.0.2 ah 0x1100 -A hmac-sha1 %s;\nadd 10.0.0.2 10.0.0.1 ah 0x1101 -A hmac-sha1 %s;\n' $AK $AK >/tmp/kx.$$.sas
	load A /tmp/kx.$$.sas && load B /tmp/kx.$$.sas
}
cat >/tmp/kx.$$.popB <<EOF
spdflush;
spdadd 10.0.0.2 10.0.0.1[110] tcp -P out ipsec ah/transport//require;
spdadd 10.0.0.1[110] 10.0.0.2 tcp -P in ipsec ah/transport//require;
EOF
mark_start
if pop_sas && load A $CASES/pop_ah.conf && load B /tmp/kx.$$.popB; then
	check "pop_ah (seed order): B -> A:110 $BYTES bytes under AH, sha256 equal" \
		xfer ${P}B 10.0.0.1 110 $BYTES
	check "pop_ah (seed order): A's own POP connection (policy none)" \
		xfer ${P}A 10.0.0.1 110 4096
else
	for i in 1 2; do ktap_fail "pop_ah (seed): setkey -f"; done
fi
mark_end pop
polvio0=$(ip netns exec ${P}A awk '$1 == "in_polvio" { print $2 }' /proc/net/kame_ipsecstat)
# The same four policies, the AH rules first.
{
	echo "spdflush;"
	grep -o 'spdadd[^;]*;' $CASES/pop_ah.conf | sed -n '3p;4p;1p;2p' | awk 'NR <= 2' 
} >/dev/null
{
	echo "spdflush;"
	grep -o 'spdadd[^;]*;' $CASES/pop_ah.conf >/tmp/kx.$$.pol
	sed -n '3p;4p' /tmp/kx.$$.pol
	sed -n '1p;2p' /tmp/kx.$$.pol
} >/tmp/kx.$$.reorder
sed 's/^/# reordered: /' /tmp/kx.$$.reorder
if load A /tmp/kx.$$.reorder; then
	check "pop_ah (reordered): B -> A:110 still under AH" xfer ${P}B 10.0.0.1 110 4096
	XFER_TIMEOUT=8 xfer ${P}A 10.0.0.1 110 4096 2>/dev/null >/dev/null
	check "pop_ah (reordered): A's own POP connection now fails, as the seed says" test $? -ne 0
	polvio1=$(ip netns exec ${P}A awk '$1 == "in_polvio" { print $2 }' /proc/net/kame_ipsecstat)
	ktap_note "A in_polvio ${polvio0:-0} -> ${polvio1:-0}"
	check "pop_ah (reordered): the clear local packets dropped by policy (in_polvio)" \
		test "${polvio1:-0}" -gt "${polvio0:-0}"
else
	for i in 1 2 3; do ktap_fail "pop_ah (reordered): setkey -f"; done
fi
drop_nodes
capture_stop

# --- the wire ---
wire_fields $PCAP >/tmp/kx.$$.wire
ktap_note "$(wc -l </tmp/kx.$$.wire) IP frames on the wire"
# frames NAME: the frames captured during scenario NAME.
frames() {
	local s e
	awk -v n=$1 '$1 == n { print $2, $3 }' /tmp/kx.$$.marks >/tmp/kx.$$.se
	read -r s e </tmp/kx.$$.se
	awk -v s="$s" -v e="$e" '$7 >= s + 0 && $7 <= e + 0' /tmp/kx.$$.wire
}
hex() { printf '0x%08x' $1; }
# seen NAME COLUMN SPI SRC DST: at least 3 frames of that SA.
seen() {
	local n
	n=$(frames $1 | awk -v c=$2 -v x=$(hex $3) -v s=$4 -v d=$5 '$c == x && $1 == s && $2 == d' | wc -l)
	[ "$n" -ge 3 ] || { ktap_note "$1: SPI $3 $4 -> $5: $n frames"; return 1; }
}
# only NAME PROTO X Y: every frame between X and Y has protocol PROTO
# (50 or 51), and there are some. IPv6 fragments (44) of such packets are
# counted apart (tshark reassembles: the first one carries the SPI).
only() {
	local all bad frag
	all=$(frames $1 | awk -v x=$3 -v y=$4 '($1 == x && $2 == y) || ($1 == y && $2 == x)')
	bad=$(echo "$all" | awk -v p=$2 'NF && $3 != p && !($3 == 44 && $6 == 0)' | wc -l)
	frag=$(echo "$all" | awk 'NF && $3 == 44' | wc -l)
	[ "$frag" -eq 0 ] || ktap_note "$1: $frag IPv6 fragments of protected packets"
	[ -n "$all" ] && [ "$bad" -eq 0 ] && return 0
	ktap_note "$1: $bad of $(echo "$all" | grep -c .) frames not protocol $2"
	echo "$all" | awk -v p=$2 'NF && $3 != p' | head -3 | sed 's/^/# /'
	return 1
}
# never NAME ADDR...: no frame with these (inner) addresses outside.
never() {
	local name=$1 a n=0
	shift
	frames $name >/tmp/kx.$$.f
	for a in "$@"; do
		n=$((n + $(awk -v a=$a '$1 ~ a || $2 ~ a' /tmp/kx.$$.f | wc -l)))
	done
	[ $n -eq 0 ] || { ktap_note "$name: $n frames with $* outside"; return 1; }
}
check "wire, host2host_ah: AH SPIs 1500 and 1600" \
	eval 'seen host2host_ah 5 1500 fec0::1 fec0::2 && seen host2host_ah 5 1600 fec0::2 fec0::1'
check "wire, host2host_ah: only AH between fec0::1 and fec0::2" only host2host_ah 51 fec0::1 fec0::2
check "wire, host2host_esp: ESP SPIs 9876 and 10000" \
	eval 'seen host2host_esp 4 9876 10.1.1.1 20.1.1.1 && seen host2host_esp 4 10000 20.1.1.1 10.1.1.1'
check "wire, host2host_esp: only ESP between the hosts" only host2host_esp 50 10.1.1.1 20.1.1.1
check "wire, host2host_esp_ah: AH SPIs 9877 and 10001 outside" \
	eval 'seen host2host_esp_ah 5 9877 10.1.1.1 20.1.1.1 && seen host2host_esp_ah 5 10001 20.1.1.1 10.1.1.1'
check "wire, host2host_esp_ah: only AH between the hosts" only host2host_esp_ah 51 10.1.1.1 20.1.1.1
check "wire, vpn: ESP SPIs 9876 and 10000 between the gateways" \
	eval 'seen vpn 4 9876 10.0.0.1 10.0.0.2 && seen vpn 4 10000 10.0.0.2 10.0.0.1'
check "wire, vpn: only ESP between the gateways" only vpn 50 10.0.0.1 10.0.0.2
check "wire, vpn: the hosts' addresses never on the wire" never vpn '^10\.0\.1\.' '^10\.0\.2\.'
check "wire, leaf: ESP SPIs 300 and 301 between host and gateway" \
	eval 'seen leaf 4 300 10.0.1.5 10.0.0.1 && seen leaf 4 301 10.0.0.1 10.0.1.5'
check "wire, leaf: only ESP between the leaf host and the gateway" only leaf 50 10.0.1.5 10.0.0.1
check "wire, leaf: the server's address never on the wire" never leaf '^10\.0\.3\.'
check "wire, pop_ah: AH SPIs 0x1100 and 0x1101 between A and B" \
	eval 'seen pop 5 0x1100 10.0.0.1 10.0.0.2 && seen pop 5 0x1101 10.0.0.2 10.0.0.1'
check "wire, pop_ah: only AH between A and B" only pop 51 10.0.0.1 10.0.0.2
ktap_finish
