#!/bin/bash
# Long storms (issue 12), meant for the debug kernel (make check-debug runs
# selftests/vm/run.sh -- selftests/storms.sh); too long for make check.
# STORM_SCALE (default 1) scales every count: 1 is the issue's numbers.
#
# 1. PF_KEY: 1,000,000 mutated messages from 4 processes in 2 namespaces
#    (storm_pfkey.c): no writer hung, every namespace empty after a flush,
#    every SA and policy object freed once the namespaces are gone.
# 2. Packets: 1,000,000 malformed ESP/AH/IPComp and UDP-encapsulated ESP
#    packets (storm_pkt.c, 2 generators) over a veth pair into a namespace
#    with real SAs of each kind:
#
#      [A: storm_pkt] a0 10.77.0.1 fd77::1 ---- veth ---- b0 10.77.0.2 fd77::2 [B: SAs]
#
#    An nftables counter at the input hook (priority filter, before
#    kameipsec's LAST - 1) counts the ESP/AH/IPComp packets per family; the
#    engine must account for each exactly once: the sum of its final in_*
#    counters (in_success and every drop; in_*authsucc are steps, not
#    outcomes) equals the nftables count, per family. UDP on port 4500 is
#    for no crash only (NAT-T is issue 13).
# 3. Per-socket policies: 10,000 sockets opened, given policies, used and
#    closed by 4 processes at once (storm_sockpol.c): every send as its
#    policy says, every policy freed.
# At the end, with every namespace gone, the module's SA and policy object
# counts (/proc/net/kame_pfkey of the initial netns) are 0.
#
# STORM_PARTS (default "pfkey packets sockpol") runs only those: on the
# debug kernel the full scale takes longer than one sitting (about 150
# PF_KEY messages and 130 packets a second under TCG), so it goes part by
# part there; the final object count runs whatever was chosen.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=sta$$ B=stb$$ C=stc$$
. ./engine_lib.sh
for p in storm_pfkey storm_pkt storm_sockpol "$SETKEY"; do
	[ -x "$p" ] || skip_all "$p not built"
done
command -v nft >/dev/null || skip_all "no nft"

SCALE=${STORM_SCALE:-1}
SEED=${STORM_SEED:-$(date +%s)}
scaled() { awk -v n="$1" -v s="$SCALE" -v min="$2" 'BEGIN { v = int(n * s); print v < min ? min : v }'; }
N_PFKEY=$(scaled 1000000 4)
N_PKT=$(scaled 1000000 2)
N_SOCK=$(scaled 10000 4)
PARTS=" ${STORM_PARTS:-pfkey packets sockpol} "
part() { [[ $PARTS == *" $1 "* ]]; }
plan=1
for p in $PARTS; do
	case $p in
	pfkey) plan=$((plan + 5)) ;;
	packets) plan=$((plan + 6)) ;;
	sockpol) plan=$((plan + 4)) ;;
	*) echo "storms.sh: STORM_PARTS: unknown part $p (pfkey packets sockpol)" >&2; exit 1 ;;
	esac
done

cleanup_netns $A $B $C
# The keys of the packet storm's SAs and of the socket storm's: defined
# here, not in a part (STORM_PARTS=sockpol once ran with no keys).
AK=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
EK=0x00112233445566778899aabbccddeeff
elapsed() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", t1 - t0 }'; }

# run_checks CMD...: a storm program's "CHECK 0|1 text" lines as ktap
# results, its other output as notes.
run_checks() {
	local out line
	out=$("$@" 2>&1)
	while IFS= read -r line; do
		case $line in
		"CHECK 1 "*) ktap_ok "${line#CHECK 1 }" ;;
		"CHECK 0 "*) ktap_fail "${line#CHECK 0 }" ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <<<"$out"
}
RESULTS=$(mktemp)
cleanup_files "$RESULTS" "$RESULTS.*"

ktap_plan $plan
sizes=
part pfkey && sizes+=", $N_PFKEY PF_KEY messages"
part packets && sizes+=", $N_PKT packets"
part sockpol && sizes+=", $N_SOCK sockets"
ktap_note "STORM_SCALE=$SCALE STORM_SEED=$SEED STORM_PARTS='${PARTS:1:-1}': ${sizes:2}"

# --- 1. PF_KEY -------------------------------------------------------------
if part pfkey; then
	t0=$(date +%s.%N)
	run_checks ./storm_pfkey "$N_PFKEY" 4 2 "$SEED"
	ktap_note "pfkey storm: $(elapsed "$t0") s"
fi

# --- 2. Packets ------------------------------------------------------------
if part packets; then
	pair_setup
	# storm_pkt builds hmac-sha256 with a 96-bit ICV: Linux af_key's, kept by the knob.
	ip netns exec $B sysctl -qw net.key.sha256_icv96=1
	for pair in "10.77.0.1 10.77.0.2" "fd77::1 fd77::2"; do
		set -- $pair
		cat <<-EOC
	add $1 $2 esp 0x1001 -m transport -r 32 -E null -A hmac-sha256 $AK;
	add $1 $2 esp 0x1002 -m transport -r 32 -E rijndael-cbc $EK;
	add $1 $2 ah 0x2001 -m transport -r 32 -A hmac-sha256 $AK;
	add $1 $2 ipcomp 0x3001 -m transport -C deflate;
	EOC
	done | ip netns exec $B "$SETKEY" -c
	ip netns exec $B nft -f - <<-'EONFT'
	table inet storm {
		counter ipsec4 { }
		counter ipsec6 { }
		chain in {
			type filter hook input priority filter; policy accept;
			ip protocol { 50, 51, 108 } counter name "ipsec4"
			ip6 nexthdr { 50, 51, 108 } counter name "ipsec6"
		}
	}
	EONFT
	MAC_B=$(ip -n $B -br link show b0 | awk '{ print $3 }')
	# Frames the receiving CPUs' backlogs dropped (global, 2nd column, hex).
	backlog_drops() {
		local s=0 a b r
		while read -r a b r; do s=$((s + 16#$b)); done </proc/net/softnet_stat
		echo $s
	}
	bl0=$(backlog_drops)
	half=$((N_PKT / 2))
	t0=$(date +%s.%N)
	ip netns exec $A ./storm_pkt a0 "$MAC_B" $half $((SEED + 1)) >"$RESULTS.1" 2>&1 &
	g1=$!
	ip netns exec $A ./storm_pkt a0 "$MAC_B" $((N_PKT - half)) $((SEED + 2)) >"$RESULTS.2" 2>&1
	rc2=$?
	wait $g1
	rc1=$?
	secs=$(elapsed "$t0")
	sleep 1		# the last packets, and any async crypto, settle
	gen() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) s += $(i + 1) } END { print s + 0 }' "$RESULTS.1" "$RESULTS.2"; }
	bl=$(($(backlog_drops) - bl0))
	sent4=$(gen sent4) sent6=$(gen sent6) udp=$(gen udp) failed=$(gen failed)
	ktap_note "packet storm: $sent4 IPv4 + $sent6 IPv6 ESP/AH/IPComp, $udp UDP 4500, $failed refused by the sender, $bl dropped by a full backlog, in $secs s ($(awk -v n=$N_PKT -v s=$secs 'BEGIN { printf "%.0f", n / s }')/s)"
	gen_ok() {
		[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ $((sent4 + sent6 + udp)) -gt 0 ] &&
			[ $((sent4 + sent6 + udp + failed)) -eq $N_PKT ]
	}
	check "packet storm: the generators sent their $N_PKT packets" gen_ok
	rm -f "$RESULTS.1" "$RESULTS.2"

	nft_count() { ip netns exec $B nft list counter inet storm "$1" | awk '$1 == "packets" { print $2 }'; }
	# The final outcomes: every in_* counter but the in_*authsucc steps.
	FINAL="in_success in_polvio in_nosa in_inval in_nomem in_badspi in_ahreplay in_espreplay in_ahauthfail in_espauthfail"
	engine_sum() {
		ip netns exec $B awk -v keys="$FINAL" '
			BEGIN { n = split(keys, k, " "); for (i = 1; i <= n; i++) want[k[i]] = 1 }
			NF == 2 && ($1 in want) { s += $2 } END { print s + 0 }' /proc/net/"$1"
	}
	for fam in 4 6; do
		if [ $fam = 4 ]; then f=kame_ipsecstat; want=$sent4; else f=kame_ipsec6stat; want=$sent6; fi
		seen=$(nft_count ipsec$fam)
		counted=$(engine_sum $f)
		ktap_note "IPv$fam: sent $want, nftables saw $seen, the engine counted $counted:" \
			$(ip netns exec $B awk '/^in_/ && $2 > 0 { printf "%s %s, ", $1, $2 }' /proc/net/$f)
		ip netns exec $B awk '$1 == "drop" { print "#   " $2, $3 }' /proc/net/$f
		check "packet storm: IPv$fam: every ESP/AH/IPComp packet the input hook saw counted once by the engine ($seen)" \
			[ "$seen" = "$counted" ]
		check "packet storm: IPv$fam: every packet sent reached the input hook (or a full backlog, counted)" \
			[ "$seen" -le "$want" -a $((want - seen)) -le "$bl" ]
	done
	# The SAs did their work: some packets passed each kind of check, others failed it.
	st() { ip netns exec $B awk -v k="$1" '$1 == k { s += $2 } $1 == "drop" && $2 == k { s += $3 } END { print s + 0 }' /proc/net/kame_ipsecstat /proc/net/kame_ipsec6stat; }
	all_paths() {
		local k
		for k in in_success in_espauthfail in_ahauthfail in_espreplay \
			in_ahreplay in_bad_padding ipcomp_input in_comp_bad in_nosa; do
			[ "$(st $k)" -gt 0 ] || { ktap_note "$k: none"; return 1; }
		done
	}
	check "packet storm: ICV, replay, padding and decompression each passed and failed" all_paths
	ip netns del $A
	ip netns del $B
fi

# --- 3. Per-socket policies --------------------------------------------------
if part sockpol; then
	ip netns add $C
	ip -n $C link set lo up
	cat <<-EOC | ip netns exec $C "$SETKEY" -c
	add 127.0.0.1 127.0.0.1 esp 0x5001 -m transport -E rijndael-cbc $EK -A hmac-sha256 $AK;
	add ::1 ::1 esp 0x5002 -m transport -E rijndael-cbc $EK -A hmac-sha256 $AK;
	EOC
	t0=$(date +%s.%N)
	run_checks ip netns exec $C ./storm_sockpol "$N_SOCK" 4 "$SEED"
	ktap_note "sockpolicy storm: $(elapsed "$t0") s"
	ip netns del $C
fi

# --- Everything freed ---------------------------------------------------------
for i in $(seq 600); do
	sa=$(awk '$1 == "sa_objects" { print $2 }' /proc/1/net/kame_pfkey)
	pol=$(awk '$1 == "policy_objects" { print $2 }' /proc/1/net/kame_pfkey)
	[ "$sa" = 0 ] && [ "$pol" = 0 ] && break
	sleep 0.1
done
ktap_note "with every storm namespace gone: sa_objects $sa policy_objects $pol"
check "every SA and policy object of the storms freed" [ "$sa$pol" = 00 ]
ktap_finish
