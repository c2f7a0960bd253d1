# Helpers shared by the racoon-lite VM tests (sourced after lib.sh).
# The caller sets $A (kameipsec + racoon-lite namespace), $B (peer) and $D
# (a scratch directory).
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SETKEY=$TOP/user/setkey/setkey
RACOON=$TOP/user/racoon-lite/racoon-lite
CHARON=/usr/lib/ipsec/charon
SWANCTL=/usr/sbin/swanctl

# racoon_start NS NAME CONF-FILE [OPTION...]: racoon-lite in the
# foreground, log in $D/NAME.log, pid in $D/NAME.pid.
racoon_start() {
	local ns=$1 name=$2 conf=$3
	shift 3
	ip netns exec "$ns" "$RACOON" -F -f "$conf" -l "$D/$name.log" -dd "$@" \
		>>"$D/$name.out" 2>&1 &
	echo $! >"$D/$name.pid"
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

# bypass_ike NS ME PEER...: "udp 500 none" policies first — the fallback
# racoon-lite(8) advises. With IKE_SOCKET_BYPASS=1 nothing is added and
# racoon-lite's per-socket bypass on its IKE socket must do the job.
bypass_ike() {
	local ns=$1 me=$2 p
	[ "${IKE_SOCKET_BYPASS:-0}" = 1 ] && return 0
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

# charon_start NS: charon with its own configuration ($D/strongswan.conf)
# and vici socket; "swanctl ARGS" then talks to it. $CHARON_EXTRA: more
# lines for the charon section; $CHARON_PLUGINS: the plugins to load instead
# of the default list (charon_cert_lib.sh adds openssl for ECDSA).
charon_start() {
	cat >$D/strongswan.conf <<-EOF
	charon {
		${CHARON_EXTRA:-}
		# not bypass-lan: its pass policies for 10.0.0.0/24 would win over
		# the CHILD_SA's
		load = ${CHARON_PLUGINS:-random drbg nonce aes sha1 sha2 md5 hmac gmp kdf x509 pubkey pkcs1 pem kernel-netlink socket-default vici}
		install_routes = no
		port = 500
		retransmit_tries = 2
		retransmit_timeout = 1
		filelog {
			ss {
				path = $D/charon.log
				# unbuffered: the tests grep it while charon runs
				flush_line = yes
				default = 1
				ike = 2
				knl = 2
			}
		}
		plugins {
			vici {
				socket = unix://$D/charon.vici
			}
		}
	}
	EOF
	CHARON_NS=$1
	# A private /run, so that charon's pid file is its own.
	ip netns exec $1 unshare -m sh -c "mount -t tmpfs none /run &&
		STRONGSWAN_CONF=$D/strongswan.conf exec $CHARON" >$D/charon.out 2>&1 &
	echo $! >$D/charon.pid
	wait_for 20 test -S $D/charon.vici
}
swanctl() { ip netns exec $CHARON_NS "$SWANCTL" "$@" --uri unix://$D/charon.vici; }

# charon_hosts B-ADDR-SUFFIXES...: hosts $A (a0, 10.0.0.1: kameipsec and
# racoon-lite) and $B (b0, 10.0.0.N for each N given: charon on XFRM) joined
# by a veth, with a(), b() to run commands in them. On exit racoon-lite and
# charon are stopped and both namespaces removed.
charon_cleanup() {
	[ -f $D/rl.pid ] && kill "$(cat $D/rl.pid)" 2>/dev/null
	[ -f $D/charon.pid ] && kill "$(cat $D/charon.pid)" 2>/dev/null
	sleep 0.3
	ip netns del $A 2>/dev/null
	ip netns del $B 2>/dev/null
	[ "${KEEP_LOGS:-0}" = 1 ] && echo "# logs in $D" || rm -rf $D
}
a() { ip netns exec $A "$@"; }
b() { ip netns exec $B "$@"; }
charon_hosts() {
	local i
	trap charon_cleanup EXIT
	ip netns add $A && ip netns add $B
	ip -n $A link add a0 type veth peer name b0 netns $B
	ip -n $A addr add 10.0.0.1/24 dev a0
	for i in "$@"; do ip -n $B addr add 10.0.0.$i/24 dev b0; done
	for i in $A $B; do ip -n $i link set lo up; done
	ip -n $A link set a0 up
	ip -n $B link set b0 up
	# Larval SPIs live 30 s by default; charon's DH under a slow VM can
	# outlast that, and its SA would then be torn down on the larval
	# state's expiry.
	b sysctl -qw net.core.xfrm_acq_expires=300
}
