#!/bin/bash
# racoon-lite negotiating ESP tunnel mode between gateways, with the
# protected networks' addresses on each gateway's loopback:
#
#   net 10.2.0.0/24 (10.2.0.1)
#   [B: kameipsec, racoon-lite] b0 192.168.0.2
#        |
#   [A: kameipsec, racoon-lite] a0 192.168.0.1, a1 192.168.1.1
#   net 10.1.0.0/24 (10.1.0.1)
#        |
#   [C: XFRM, charon] c0 192.168.1.2
#   net 10.3.0.0/24 (10.3.0.1)
#
# A has "esp/tunnel/A-B/require" policies for 10.1.0.0/24 <-> 10.2.0.0/24
# and for 10.1.0.0/24 <-> 10.3.0.0/24, and "sainfo address 10.1.0.0/24 any
# address 10.2.0.0/24 any" (and one for 10.3.0.0/24). A ping between the
# networks makes A's kernel ACQUIRE; racoon-lite negotiates the tunnel SAs
# with subnet IDs, with racoon-lite on B and with charon on C (tunnel mode
# on XFRM). Each time: the SAs (mode tunnel, SPIs, keys) equal on both
# sides, pings and a 4 MiB TCP transfer each way between the networks.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rta$$ B=rtb$$ C=rtc$$ D=$(mktemp -d /tmp/racoon_rt.XXXXXX)
. ./racoon_lib.sh
. ./engine_lib.sh
IKE_SOCKET_BYPASS=${IKE_SOCKET_BYPASS:-1}
for f in "$SETKEY" "$RACOON" "$CHARON" "$SWANCTL"; do
	[ -x "$f" ] || skip_all "no $f"
done

cleanup_pidfile $D/ra.pid $D/rb.pid $D/charon.pid
cleanup_logdir $D
a() { ip netns exec $A "$@"; }
b() { ip netns exec $B "$@"; }
c() { ip netns exec $C "$@"; }

netns_add $A $B $C
for n in $A $B $C; do ip -n $n link set lo up; done
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A link add a1 type veth peer name c0 netns $C
ip -n $A addr add 192.168.0.1/24 dev a0
ip -n $A addr add 192.168.1.1/24 dev a1
ip -n $B addr add 192.168.0.2/24 dev b0
ip -n $C addr add 192.168.1.2/24 dev c0
ip -n $A addr add 10.1.0.1/32 dev lo
ip -n $B addr add 10.2.0.1/32 dev lo
ip -n $C addr add 10.3.0.1/32 dev lo
ip -n $A link set a0 up
ip -n $A link set a1 up
ip -n $B link set b0 up
ip -n $C link set c0 up
ip -n $A route add 10.2.0.0/24 via 192.168.0.2 src 10.1.0.1
ip -n $A route add 10.3.0.0/24 via 192.168.1.2 src 10.1.0.1
ip -n $B route add 10.1.0.0/24 via 192.168.0.1 src 10.2.0.1
ip -n $C route add 10.1.0.0/24 via 192.168.1.1 src 10.3.0.1

a "$SETKEY" -c <<EOF
spdadd 10.1.0.0/24 10.2.0.0/24 any -P out ipsec esp/tunnel/192.168.0.1-192.168.0.2/require;
spdadd 10.2.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.168.0.2-192.168.0.1/require;
spdadd 10.1.0.0/24 10.3.0.0/24 any -P out ipsec esp/tunnel/192.168.1.1-192.168.1.2/require;
spdadd 10.3.0.0/24 10.1.0.0/24 any -P in ipsec esp/tunnel/192.168.1.2-192.168.1.1/require;
EOF
b "$SETKEY" -c <<EOF
spdadd 10.2.0.0/24 10.1.0.0/24 any -P out ipsec esp/tunnel/192.168.0.2-192.168.0.1/require;
spdadd 10.1.0.0/24 10.2.0.0/24 any -P in ipsec esp/tunnel/192.168.0.1-192.168.0.2/require;
EOF

# sainfo_for LOCAL-NET REMOTE-NET: a sainfo for that pair of networks.
sainfo_for() {
	cat <<-EOF
	sainfo address $1 any address $2 any {
		pfs_group 2;
		lifetime time 1 hour;
		encryption_algorithm 3des, aes;
		authentication_algorithm hmac_sha1;
		compression_algorithm deflate;
	}
	EOF
}
# remote anonymous from the interop example (3DES/MODP-1024 first, then
# AES/MODP-2048, which charon takes), no sainfo anonymous.
{
	echo "path pre_shared_key \"$D/a.psk\";"
	sed -n '/^remote/,/^}/p' ../user/racoon-lite/examples/interop.conf
	sainfo_for 10.1.0.0/24 10.2.0.0/24
	sainfo_for 10.1.0.0/24 10.3.0.0/24
} >$D/a.conf
{
	echo "path pre_shared_key \"$D/b.psk\";"
	sed -n '/^remote/,/^}/p' ../user/racoon-lite/examples/racoon.conf
	sainfo_for 10.2.0.0/24 10.1.0.0/24
} >$D/b.conf
printf '192.168.0.2 spamspamspam\n192.168.1.2 eggsandham\n' >$D/a.psk
printf '192.168.0.1 spamspamspam\n' >$D/b.psk
chmod 600 $D/*.psk
racoon_start $A ra $D/a.conf
racoon_start $B rb $D/b.conf

cat >$D/swanctl.conf <<EOF
connections {
	tun {
		version = 1
		local_addrs = 192.168.1.2
		remote_addrs = 192.168.1.1
		proposals = aes128-sha1-modp2048
		local {
			auth = psk
			id = 192.168.1.2
		}
		remote {
			auth = psk
			id = 192.168.1.1
		}
		children {
			tun {
				mode = tunnel
				local_ts = 10.3.0.0/24
				remote_ts = 10.1.0.0/24
				esp_proposals = 3des-sha1-modp1024
			}
		}
	}
}
secrets {
	ike-tun {
		id-1 = 192.168.1.2
		id-2 = 192.168.1.1
		secret = eggsandham
	}
}
EOF
charon_start $C && swanctl --load-all --file $D/swanctl.conf >$D/load.out 2>&1
# both registered with PF_KEY (slow under TCG) before the ping
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log"

ktap_plan 14

# --- Test that a ping between the networks negotiates tunnel SAs with B -----
a ping -c 1 -W 1 10.2.0.1 >/dev/null 2>&1
established() { grep -qs "IPsec-SA established: ESP/tunnel.*192.168.0.2" $D/ra.log && grep -qs "IPsec-SA established: ESP/tunnel" $D/rb.log; }
check "racoon-lite pair: both log the ESP/tunnel IPsec-SA" wait_for 40 established
tunnel_sas() { ip netns exec $1 "$SETKEY" -D | grep -c "esp mode=tunnel"; }
sas_match() {
	setkey_esp $A >$D/sa.a
	setkey_esp $B >$D/sa.b
	[ "$(wc -l <$D/sa.a)" -eq 2 ] && cmp -s $D/sa.a $D/sa.b &&
		[ "$(tunnel_sas $A)" -eq 2 ] && [ "$(tunnel_sas $B)" -eq 2 ]
}
check "racoon-lite pair: setkey -D shows the same 2 tunnel-mode ESP SAs on both sides" sas_match
check "racoon-lite pair: ping 10.1.0.1 -> 10.2.0.1" ping_q $A ping 10.2.0.1
check "racoon-lite pair: ping 10.2.0.1 -> 10.1.0.1" ping_q $B ping 10.1.0.1
check "racoon-lite pair: 4 MiB TCP 10.1.0.1 -> 10.2.0.1, sha256 equal" tcp_xfer $A $B 10.2.0.1 10.1.0.1
check "racoon-lite pair: 4 MiB TCP 10.2.0.1 -> 10.1.0.1, sha256 equal" tcp_xfer $B $A 10.1.0.1 10.2.0.1

# --- Test that a ping to charon's network negotiates tunnel SAs with it -----
a ping -c 1 -W 1 10.3.0.1 >/dev/null 2>&1
check "charon: racoon-lite logs the ESP/tunnel IPsec-SA" wait_for 40 grep -qs "IPsec-SA established: ESP/tunnel.*192.168.1.2" $D/ra.log
child_installed() { swanctl --list-sas 2>/dev/null | grep -q "INSTALLED, TUNNEL"; }
check "charon: shows the CHILD_SA installed in tunnel mode" child_installed
charon_sas_match() {
	setkey_esp $A | comm -23 - $D/sa.a >$D/sa.kame
	xfrm_esp $C >$D/sa.xfrm
	[ "$(wc -l <$D/sa.kame)" -eq 2 ] && cmp -s $D/sa.kame $D/sa.xfrm &&
		[ "$(tunnel_sas $A)" -eq 4 ]
}
check "charon: two more tunnel-mode ESP SAs in kameipsec, with charon's SPIs and keys" charon_sas_match
check "charon: ping 10.1.0.1 -> 10.3.0.1" ping_q $A ping 10.3.0.1
check "charon: ping 10.3.0.1 -> 10.1.0.1" ping_q $C ping 10.1.0.1
check "charon: 4 MiB TCP 10.1.0.1 -> 10.3.0.1, sha256 equal" tcp_xfer $A $C 10.3.0.1 10.1.0.1
check "charon: 4 MiB TCP 10.3.0.1 -> 10.1.0.1, sha256 equal" tcp_xfer $C $A 10.1.0.1 10.3.0.1
check "racoon-lite is still running on both" sh -c "kill -0 $(cat $D/ra.pid) && kill -0 $(cat $D/rb.pid)"

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rb.log ra.out rb.out load.out sa.a sa.b sa.kame sa.xfrm; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	grep -v "^ *$" $D/charon.log 2>/dev/null | tail -40 | sed 's/^/# charon: /'
	a "$SETKEY" -D | sed 's/^/# setkey -D A: /'
	a "$SETKEY" -DP | sed 's/^/# setkey -DP A: /'
	for n in $A $B; do
		ip netns exec $n cat /proc/net/kame_ipsecstat 2>/dev/null | grep -v ' 0$' | sed "s/^/# kame $n: /"
	done
	ip -n $C xfrm state | sed 's/^/# xfrm C: /'
	ip -n $C xfrm policy | grep -v socket | sed 's/^/# xfrm policy C: /'
	swanctl --list-sas 2>/dev/null | sed 's/^/# list-sas: /'
fi
ktap_finish
