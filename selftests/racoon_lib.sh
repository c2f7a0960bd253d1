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

# make_pki DIR NAME...: mkcerts.sh's CA, CRL and (at least) the named
# leaves in DIR: a copy of the one `make pki` made on the host (all the
# leaves), else made here by openssl, which takes a minute under TCG.
make_pki() {
	local dir=$1 pki=../build/pki t0
	shift
	t0=$(date +%s)
	if [ -f $pki/.complete ]; then
		mkdir -p "$dir" && cp -a $pki/. "$dir"/ && rm -f "$dir/.complete"
		ktap_note "PKI: a copy of build/pki (made on the host by make pki)"
	else
		sh ../user/racoon-lite/tests/mkcerts.sh "$dir" "$@"
		ktap_note "PKI made by openssl in $(($(date +%s) - t0)) s"
	fi
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

# ESP SAs (in UDP too) as "SPI ENC-KEY AUTH-KEY" lines (hex, lower case), sorted.
setkey_esp() {
	ip netns exec "$1" "$SETKEY" -D | awk '
	function flush() { if (spi != "") print spi, e, a; spi = "" }
	/^[^ \t]/ { flush() }
	$1 == "esp" || $1 == "esp-udp" { for (i = 2; i <= NF; i++) if ($i ~ /^spi=/) {
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

# The number of SAs in NS's kameipsec SAD with PEER as source or destination
# (its address; ESP-in-UDP SAs show a [port] after it).
kame_sas_with() {
	ip netns exec "$1" "$SETKEY" -D | awk -v p="$2" '
	/^[^ \t]/ { s = $1; d = $2; sub(/\[.*/, "", s); sub(/\[.*/, "", d)
		# NAT-T SAs print "address[port]"
		if (s == p || d == p) n++ } END { print n + 0 }'
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
# by a veth, with a(), b() to run commands in them. On exit (lib.sh's
# teardown) racoon-lite ($D/rl.pid) and charon are stopped and both
# namespaces removed.
a() { ip netns exec $A "$@"; }
b() { ip netns exec $B "$@"; }
# pair_hosts B-ADDR-SUFFIXES...: $A (a0, 10.0.0.1) and $B (b0, 10.0.0.N
# for each N) joined by a veth, all links up; both deleted on exit.
pair_hosts() {
	local i
	netns_add $A $B
	ip -n $A link add a0 type veth peer name b0 netns $B
	ip -n $A addr add 10.0.0.1/24 dev a0
	for i in "$@"; do ip -n $B addr add 10.0.0.$i/24 dev b0; done
	for i in $A $B; do ip -n $i link set lo up; done
	ip -n $A link set a0 up
	ip -n $B link set b0 up
}
charon_hosts() {
	cleanup_pidfile $D/rl.pid $D/charon.pid
	cleanup_logdir $D
	pair_hosts "$@"
	# Larval SPIs live 30 s by default; charon's DH under a slow VM can
	# outlast that, and its SA would then be torn down on the larval
	# state's expiry.
	b sysctl -qw net.core.xfrm_acq_expires=300
}

# racoon_needs [CMD...]: skip the test without setkey, racoon-lite or
# any CMD (a path or a command name).
racoon_needs() {
	local f
	for f in "$SETKEY" "$RACOON" "$@"; do
		[ -x "$f" ] || command -v "$f" >/dev/null ||
			skip_all "no $f"
	done
}

# racoon_hosts: hosts $A (a0, 10.0.0.1) and $B (b0, 10.0.0.2), each with
# its racoon-lite ($D/ra.pid, $D/rb.pid), joined by a veth. stop_racoons
# stops both; on exit they are stopped and both namespaces removed.
stop_racoons() {
	local n
	for n in ra rb; do
		[ -f $D/$n.pid ] && kill "$(cat $D/$n.pid)" 2>/dev/null
		rm -f $D/$n.pid
	done
	sleep 0.3
}
racoon_hosts() {
	cleanup_pidfile $D/ra.pid $D/rb.pid
	cleanup_files "/tmp/kx.$$.*"
	cleanup_logdir $D
	pair_hosts 2
}

# --- NAT traversal: a host behind a home router ------------------------------
# natt_hosts: $A (a0 192.168.1.2, kameipsec + racoon-lite, the road warrior)
# behind the router $N (n0 192.168.1.1, n1 10.2.0.1: nftables masquerade,
# wire counters, natt_lib.sh) and $B (b0 10.2.0.2, the gateway), which has
# no route to 192.168.1.0/24: it only ever sees the NAT's address. a(),
# b(), n() run commands in them; on exit they are removed (the caller
# names its daemons' pid files with cleanup_pidfile).
n() { ip netns exec $N "$@"; }
natt_hosts() {
	local i
	cleanup_netns $A $B $N
	cleanup_files "/tmp/kx.$$.*"
	cleanup_logdir $D
	for i in $A $B $N; do ip netns add $i; ip -n $i link set lo up; done
	ip -n $A link add a0 type veth peer name n0 netns $N
	ip -n $B link add b0 type veth peer name n1 netns $N
	ip -n $A addr add 192.168.1.2/24 dev a0
	ip -n $N addr add 192.168.1.1/24 dev n0
	ip -n $N addr add 10.2.0.1/24 dev n1
	ip -n $B addr add 10.2.0.2/24 dev b0
	ip -n $A link set a0 up; ip -n $B link set b0 up
	ip -n $N link set n0 up; ip -n $N link set n1 up
	ip -n $A route add default via 192.168.1.1
	n sysctl -qw net.ipv4.ip_forward=1
	wire_counters
	nat_set 'oifname "n1" masquerade'
}
# natt_transport_spd: transport-mode ESP between A and B, as each sees the
# other (A the gateway's address, B only the NAT's); only racoon-lite's
# per-socket bypass keeps IKE (500 and 4500) out of these "any" policies.
natt_transport_spd() {
	a "$SETKEY" -c <<-EOF
		spdadd 192.168.1.2 10.2.0.2 any -P out ipsec esp/transport//require;
		spdadd 10.2.0.2 192.168.1.2 any -P in ipsec esp/transport//require;
		EOF
	b "$SETKEY" -c <<-EOF
		spdadd 10.2.0.2 10.2.0.1 any -P out ipsec esp/transport//require;
		spdadd 10.2.0.1 10.2.0.2 any -P in ipsec esp/transport//require;
		EOF
}

# natt_both_hosts: both peers behind NATs. $A behind $N as in natt_hosts
# (N's n1 10.2.0.1 is A's public address); $B (b0 192.168.2.2) behind a
# second home router $M (m0 192.168.2.1, m1 10.2.0.2: masquerade, and UDP
# 500 and 4500 forwarded to B, as a gateway behind a router has it). N and M
# are joined by n1 -- m1, "the internet": neither knows the 192.168.x
# networks. m() runs commands in M.
m() { ip netns exec $M "$@"; }
natt_both_hosts() {
	natt_hosts
	ip -n $B link del b0	# natt_hosts' direct link to N
	ip netns add $M
	ip -n $M link set lo up
	cleanup_netns $M
	ip -n $N link add n1 type veth peer name m1 netns $M
	ip -n $N addr add 10.2.0.1/24 dev n1
	ip -n $M addr add 10.2.0.2/24 dev m1
	ip -n $B link add b0 type veth peer name m0 netns $M
	ip -n $M addr add 192.168.2.1/24 dev m0
	ip -n $B addr add 192.168.2.2/24 dev b0
	ip -n $N link set n1 up; ip -n $M link set m1 up
	ip -n $M link set m0 up; ip -n $B link set b0 up
	ip -n $B route add default via 192.168.2.1
	m sysctl -qw net.ipv4.ip_forward=1
	m nft -f - <<-'EON'
	table ip nat {
		chain pre {
			type nat hook prerouting priority -100;
			iifname "m1" udp dport { 500, 4500 } dnat to 192.168.2.2
		}
		chain post {
			type nat hook postrouting priority 100;
			oifname "m1" masquerade
		}
	}
	EON
}

# racoon_natt_conf FILE PSK-FILE [REMOTE-STATEMENTS [TIMER-STATEMENTS]]:
# a racoon.conf with nat_traversal on, AES/SHA-1 both phases, anonymous
# remote and sainfo.
racoon_natt_conf() {
	cat >$1 <<-EOF
	path pre_shared_key "$2";
	timer { ${4:-} }
	remote anonymous {
		exchange_mode main;
		nat_traversal on;
		lifetime time 1 hour;
		${3:-}
		proposal {
			encryption_algorithm aes;
			hash_algorithm sha1;
			authentication_method pre_shared_key;
			dh_group 2;
		}
	}
	sainfo anonymous {
		lifetime time 1 hour;
		encryption_algorithm aes;
		authentication_algorithm hmac_sha1;
	}
	EOF
}

# psk_file FILE PEER KEY: a psk.txt of one line, mode 600.
psk_file() { printf '%s %s\n' "$2" "$3" >$1; chmod 600 $1; }

# kame_natt_sas NS: the number of ESP-in-UDP SAs in NS's kameipsec SAD.
kame_natt_sas() { ip netns exec "$1" "$SETKEY" -D | grep -c 'esp-udp'; }
# natt_stat NS COUNTER: a NAT-T counter of NS's /proc/net/kame_ipsecstat.
natt_stat() {
	ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/kame_ipsecstat
}
