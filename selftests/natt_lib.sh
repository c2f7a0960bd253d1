# The NAT router of the NAT traversal tests (natt_xfrm.sh, racoon_natt.sh,
# racoon_strongswan_natt.sh), sourced after lib.sh and engine_lib.sh. The
# caller sets $N, the router's namespace.

# wire_counters: counters in N's forward chain, every forwarded packet by
# kind: UDP (and of it: port 4500, port 500, other ports), bare ESP, clear
# traffic.
wire_counters() {
	ip netns exec $N nft -f - <<-'EON'
	table inet wire {
		counter wudp {}
		counter w4500 {}
		counter w500 {}
		counter wother {}
		counter wesp {}
		counter wclear {}
		chain forward_count {
			type filter hook forward priority 0;
			meta l4proto udp counter name wudp
			udp sport 4500 counter name w4500
			udp sport != 4500 udp dport 4500 counter name w4500
			udp sport 500 counter name w500
			udp sport != 500 udp dport 500 counter name w500
			udp sport != 4500 udp dport != 4500 counter name wother
			meta l4proto esp counter name wesp
			meta l4proto { icmp, ipv6-icmp, tcp } counter name wclear
		}
	}
	EON
}

# nat_set RULE: N's source NAT ("" for none), e.g. 'oifname "n1" masquerade'.
# A new rule replaces the old one in one transaction: the chain, and with it
# the NAT hooks, stay. Deleting the table first unhooked NAT from every
# existing mapping until the new table came (seconds on the debug kernel):
# replies went to N untranslated, and racoon_natt's DPD (2 s) declared the
# peer dead before the mapping could change.
nat_set() {
	if [ -z "$1" ]; then
		ip netns exec $N nft delete table ip nat 2>/dev/null
		return 0
	fi
	ip netns exec $N nft -f - <<-EON
	table ip nat {
		chain post {
			type nat hook postrouting priority 100;
		}
	}
	flush chain ip nat post
	add rule ip nat post $1
	EON
}

wire_reset() { ip netns exec $N nft reset counters table inet wire >/dev/null; }
wire_of() {
	ip netns exec $N nft list counter inet wire "$1" |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
# The wire carried UDP only: no bare ESP, nothing clear.
wire_udp_only() {
	local u e c
	u=$(wire_of wudp) e=$(wire_of wesp) c=$(wire_of wclear)
	ktap_note "wire: udp $u, esp $e, clear (icmp/tcp) $c"
	[ "$u" -gt 0 ] && [ "$e" -eq 0 ] && [ "$c" -eq 0 ]
}
# The wire carried UDP port 4500 only: what wire_udp_only says, and no UDP
# between other ports (no IKE on 500 either). Counters that must stay at 0
# are compared, not totals: traffic (keepalives, DPD) may go on meanwhile.
wire_4500_only() {
	local n5 n45 no
	n45=$(wire_of w4500) n5=$(wire_of w500) no=$(wire_of wother)
	ktap_note "wire: udp 4500 $n45, udp 500 $n5, udp other $no"
	wire_udp_only && [ "$n45" -gt 0 ] && [ "$n5" -eq 0 ] && [ "$no" -eq 0 ]
}

# ct_flush NS: flush the conntrack table (ctnetlink IPCTNL_MSG_CT_DELETE).
ct_flush() {
	ip netns exec "$1" $PY -c '
import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.send(struct.pack("=IHHII", 20, (1 << 8) | 2, 1 | 4, 1, 0) + struct.pack("=BBH", 2, 0, 0))
r = s.recv(4096)
raise SystemExit(struct.unpack_from("=i", r, 16)[0] != 0)
'
}

# wire_tshark FILE: tshark's reading of a capture between the peers, one
# line about its IPv4 frames, "espudp N bare_esp N clear N keepalive N ike N
# other N frag N spis S,...":
# ESP in UDP (to or from port 4500, decoded as ESP: bookworm's tshark 4.0
# dissects port 4500 as RFC 3948 "udpencap" without a decode-as),
# bare ESP (IP protocol 50), clear traffic (any TCP or ICMP, or an inner
# address 10.11/10.22.x in an IP header), NAT keepalives, IKE (ISAKMP on
# 500 or behind the zero marker on 4500), other frames, fragments but the
# last (tshark dissects the reassembled datagram there: capture whole
# frames), and the SPIs seen.
wire_tshark() {
	tshark -r "$1" -n -T fields -E occurrence=f -e ip.proto -e udp.srcport \
		-e udp.dstport -e esp.spi -e isakmp.ispi -e _ws.col.Protocol \
		-e tcp.srcport -e icmp.type -e ip.src -e ip.dst -e ip.flags.mf 2>/dev/null |
	awk -F'\t' '
	$1 == "" { next }	# not IPv4: ARP, IPv6 neighbour discovery
	$9 ~ /^10\.(11|22)\./ || $10 ~ /^10\.(11|22)\./ || $7 != "" || $8 != "" { clear++; next }
	$1 == 50 { bare++; next }
	$11 == 1 { frag++; next }	# judged in its last fragment (reassembled)
	$1 == 17 && ($2 == 4500 || $3 == 4500) && $4 != "" { eu++; spi[$4] = 1; next }
	$6 == "UDPENCAP" { ka++; next }
	$5 != "" { ike++; next }
	{ other++ }
	END {
		s = ""; for (k in spi) s = s (s == "" ? "" : ",") k
		printf "espudp %d bare_esp %d clear %d keepalive %d ike %d other %d frag %d spis %s\n",
			eu, bare, clear, ka, ike, other, frag, s == "" ? "-" : s }'
}
# wire_tshark_ok FILE SAD-SPIS: the capture held ESP in UDP only (beside
# keepalives), no bare ESP, nothing clear, and each SPI on the wire is one
# of SAD-SPIS (hex without 0x, e.g. setkey_esp's first column).
wire_tshark_ok() {
	local r sad= s
	for s in $2; do sad="$sad $((16#$s))"; done
	r=$(wire_tshark "$1")
	ktap_note "tshark: $r"
	set -- $r
	[ "$2" -gt 0 ] && [ "$4" -eq 0 ] && [ "$6" -eq 0 ] && [ "${12}" -eq 0 ] || return 1
	for s in $(echo "${16}" | tr , ' '); do
		case "$sad " in *" $((s)) "*) ;;
		*) ktap_note "SPI $s on the wire is none of the SAD's"; return 1 ;; esac
	done
}
