# Helpers shared by the racoon-lite VM tests (sourced after lib.sh).
# The caller sets $A (kameipsec + racoon-lite namespace), $B (peer) and $D
# (a scratch directory).
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SETKEY=$TOP/user/setkey/setkey
RACOON=$TOP/user/racoon-lite/racoon-lite
CHARON=/usr/lib/ipsec/charon
SWANCTL=/usr/sbin/swanctl

# racoon_start NS NAME CONF-FILE: racoon-lite in the foreground, log in
# $D/NAME.log, pid in $D/NAME.pid.
racoon_start() {
	ip netns exec "$1" "$RACOON" -F -f "$3" -l "$D/$2.log" -dd \
		>>"$D/$2.out" 2>&1 &
	echo $! >"$D/$2.pid"
}

racoon_alive() { kill -0 "$(cat "$D/$1.pid")" 2>/dev/null; }

# wait_for SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds.
wait_for() {
	local n=$(($1 * 5))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# bypass_ike NS ME PEER...: "udp 500 none" policies first, since the
# engine does not consult the IKE socket's per-socket bypass yet.
bypass_ike() {
	local ns=$1 me=$2 p
	shift 2
	for p in "$@"; do
		echo "spdadd $me[500] $p[500] udp -P out none;"
		echo "spdadd $p[500] $me[500] udp -P in none;"
	done | ip netns exec "$ns" "$SETKEY" -c
}

# ESP SAs as "SPI ENC-KEY AUTH-KEY" lines (hex, lower case), sorted.
setkey_esp() {
	ip netns exec "$1" "$SETKEY" -D | awk '
	function flush() { if (spi != "") print spi, e, a; spi = "" }
	/^[^ \t]/ { flush() }
	$1 == "esp" { for (i = 2; i <= NF; i++) if ($i ~ /^spi=/) {
		s = $i; sub(/.*\(0x/, "", s); sub(/\).*/, "", s)
		spi = tolower(s) } }
	$1 == "E:" || $1 == "A:" { k = ""; for (i = 3; i <= NF; i++) k = k $i
		if ($1 == "E:") e = tolower(k); else a = tolower(k) }
	END { flush() }' | sort
}

xfrm_esp() {
	ip -n "$1" xfrm state | awk '
	function flush() { if (spi != "") print spi, e, a; spi = "" }
	$1 == "src" { flush() }
	$1 == "proto" && $2 == "esp" { spi = $4; sub(/^0x/, "", spi) }
	$1 == "enc" { e = $3; sub(/^0x/, "", e) }
	$1 == "auth-trunc" || $1 == "auth" { a = $3; sub(/^0x/, "", a) }
	END { flush() }' | sort
}

# The number of SAs in NS's kameipsec SAD with PEER as source or destination.
kame_sas_with() {
	ip netns exec "$1" "$SETKEY" -D | awk -v p="$2" '
	/^[^ \t]/ && ($1 == p || $2 == p) { n++ } END { print n + 0 }'
}
