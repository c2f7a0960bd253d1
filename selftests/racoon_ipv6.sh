#!/bin/bash
# racoon-lite with IPv6 endpoints, ESP transport mode:
#
#   [B: kameipsec, racoon-lite] b0 fd00::2
#        |
#   [A: kameipsec, racoon-lite] a0 fd00::1, a1 fd01::1
#        |
#   [C: XFRM, charon] c0 fd01::2
#
#  1. The seed's way over IPv6: "require" policies, no SAs, "ping -6" from
#     A to B; racoon-lite negotiates (A initiator, B responder); "setkey -D"
#     shows the same ESP SAs on both; pings and 4 MiB TCP both ways.
#  2. charon initiates to A (IKEv1 Main Mode, PSK, IPv6 IDs): A's ESP SAs
#     equal charon's; pings and a 4 MiB TCP transfer cross them.
# The IKE sockets rely on racoon-lite's per-socket bypass (IPV6_IPSEC_POLICY).
# charon starts only after part 1: with it running first, one run saw the
# kameipsec pair's TCP segments dropped as in_truncated (pings passed).
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=r6a$$ B=r6b$$ C=r6c$$ D=$(mktemp -d /tmp/racoon_r6.XXXXXX)
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

# link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth with static neighbours (IPv6
# neighbour discovery between the two would itself match the policies).
link() {
	local m1 m2
	ip -n $1 link add $2 type veth peer name $5 netns $4
	ip -n $1 addr add $3/64 dev $2 nodad
	ip -n $4 addr add $6/64 dev $5 nodad
	ip -n $1 link set $2 up
	ip -n $4 link set $5 up
	m1=$(ip -n $1 -br link show $2 | awk '{ print $3 }')
	m2=$(ip -n $4 -br link show $5 | awk '{ print $3 }')
	ip -n $1 neigh replace $6 lladdr "$m2" dev $2 nud permanent
	ip -n $4 neigh replace $3 lladdr "$m1" dev $5 nud permanent
}
netns_add $A $B $C
for n in $A $B $C; do ip -n $n link set lo up; done
link $A a0 fd00::1 $B b0 fd00::2
link $A a1 fd01::1 $C c0 fd01::2

a "$SETKEY" -c <<EOF
spdadd fd00::1 fd00::2 any -P out ipsec esp/transport//require;
spdadd fd00::2 fd00::1 any -P in ipsec esp/transport//require;
spdadd fd01::1 fd01::2 any -P out ipsec esp/transport//require;
spdadd fd01::2 fd01::1 any -P in ipsec esp/transport//require;
EOF
b "$SETKEY" -c <<EOF
spdadd fd00::2 fd00::1 any -P out ipsec esp/transport//require;
spdadd fd00::1 fd00::2 any -P in ipsec esp/transport//require;
EOF

# A: the interop configuration (3DES/MODP-1024 and AES/MODP-2048), with
# IPsec SAs that live an hour; B: the seed's.
sed -e "s|/etc/racoon/psk.txt|$D/a.psk|" -e "s|lifetime time 2 min|lifetime time 1 hour|" \
	../user/racoon-lite/examples/interop.conf >$D/a.conf
printf 'fd00::2 spamspamspam\nfd01::2 eggsandham\n' >$D/a.psk
sed "s|/etc/racoon/psk.txt|$D/b.psk|" ../user/racoon-lite/examples/racoon.conf >$D/b.conf
printf 'fd00::1 spamspamspam\n' >$D/b.psk
chmod 600 $D/*.psk
racoon_start $A ra $D/a.conf
racoon_start $B rb $D/b.conf

# both registered with PF_KEY (slow under TCG) before the ping
wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log"

ktap_plan 12

# --- Test that a ping's ACQUIRE negotiates SAs between two racoon-lites -----
a ping -6 -c 1 -W 1 fd00::2 >/dev/null 2>&1
established() { grep -qs "IPsec-SA established.*fd00::2" $D/ra.log && grep -qs "IPsec-SA established" $D/rb.log; }
check "racoon-lite pair: both log the IPv6 IPsec-SA" wait_for 40 established
sas_match() {
	setkey_esp $A >$D/sa.a
	setkey_esp $B >$D/sa.b
	[ "$(wc -l <$D/sa.a)" -eq 2 ] && cmp -s $D/sa.a $D/sa.b
}
check "racoon-lite pair: setkey -D shows the same 2 ESP SAs on both sides" sas_match
check "racoon-lite pair: ping A -> B" ping_q $A ping -6 fd00::2
check "racoon-lite pair: ping B -> A" ping_q $B ping -6 fd00::1
check "racoon-lite pair: 4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B fd00::2
check "racoon-lite pair: 4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A fd00::1

# --- Test that charon's initiation over IPv6 installs matching SAs ----------
cat >$D/swanctl.conf <<EOF
connections {
	v6 {
		version = 1
		local_addrs = fd01::2
		remote_addrs = fd01::1
		proposals = aes128-sha1-modp2048
		local {
			auth = psk
			id = fd01::2
		}
		remote {
			auth = psk
			id = fd01::1
		}
		children {
			v6 {
				mode = transport
				esp_proposals = 3des-sha1-modp1024
			}
		}
	}
}
secrets {
	ike-v6 {
		id-1 = fd01::2
		id-2 = fd01::1
		secret = eggsandham
	}
}
EOF
charon_start $C && swanctl --load-all --file $D/swanctl.conf >$D/load.out 2>&1
swanctl --initiate --child v6 --timeout 60 >$D/init.out 2>&1
check "charon: swanctl --initiate succeeds" grep -q "initiate completed successfully" $D/init.out
charon_sas_match() {
	setkey_esp $A | comm -23 - $D/sa.a >$D/sa.kame
	xfrm_esp $C >$D/sa.xfrm
	[ "$(wc -l <$D/sa.kame)" -eq 2 ] && cmp -s $D/sa.kame $D/sa.xfrm
}
check "charon: two more ESP SAs in kameipsec, with charon's SPIs and keys" charon_sas_match
check "charon: ping C -> A" ping_q $C ping -6 fd01::1
check "charon: ping A -> C" ping_q $A ping -6 fd01::2
check "charon: 4 MiB TCP C -> A, sha256 equal" tcp_xfer $C $A fd01::1
check "racoon-lite is still running on both" sh -c "kill -0 $(cat $D/ra.pid) && kill -0 $(cat $D/rb.pid)"

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rb.log ra.out rb.out init.out load.out sa.a sa.b sa.kame sa.xfrm; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	grep -v "^ *$" $D/charon.log 2>/dev/null | tail -30 | sed 's/^/# charon: /'
	a "$SETKEY" -D | sed 's/^/# setkey -D A: /'
	a "$SETKEY" -DP | sed 's/^/# setkey -DP A: /'
	a cat /proc/net/kame_ipsec6stat 2>/dev/null | grep -v ' 0$' | sed 's/^/# kame6 A: /'
	b cat /proc/net/kame_ipsec6stat 2>/dev/null | grep -v ' 0$' | sed 's/^/# kame6 B: /'
	ip -n $C xfrm state | sed 's/^/# xfrm C: /'
fi
ktap_finish
