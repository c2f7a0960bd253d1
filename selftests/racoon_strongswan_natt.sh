#!/bin/bash
# racoon-lite and strongSwan's charon through a NAT (IKEv1 Main Mode, PSK,
# NAT detection on: charon's default), tunnel mode, both roles:
#
#   10.11.0.1 [A] 192.168.1.2 --- [N: masquerade] 10.2.0.1 --- 10.2.0.2 [B] 10.22.0.1
#
# 1. racoon-lite in A (the road warrior of the README), charon in B (the
#    gateway): a ping from A's inner address makes the kernel send an
#    ACQUIRE; both detect the NAT (RFC 3947 NAT-D), float to 4500 and agree
#    on UDP-encapsulated tunnel mode (RFC 3947 mode 3): the SAs in "setkey
#    -D" (A, esp-udp) equal charon's in "ip xfrm state" (B, encap
#    espinudp); pings and 4 MiB TCP between the inner addresses; N's wire
#    carries UDP 4500 only.
# 2. The other way round: charon behind the NAT initiates (swanctl
#    --initiate), racoon-lite answers as the gateway: same checks.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rsna$$ B=rsnb$$ N=rsnn$$ D=$(mktemp -d /tmp/racoon_ssn.XXXXXX)
. ./racoon_lib.sh
. ./engine_lib.sh
. ./natt_lib.sh
for f in "$SETKEY" "$RACOON" "$CHARON" "$SWANCTL"; do
	[ -x "$f" ] || skip_all "no $f"
done
command -v nft >/dev/null || skip_all "no nft"
[ -r /proc/net/kame_ipsecstat ] ||
	skip_all "the engine is not built in"
cleanup_pidfile $D/rl.pid $D/charon.pid
# swanctl_conf LOCAL REMOTE LOCAL-TS REMOTE-TS: one IKEv1 PSK tunnel "rw".
swanctl_conf() {
	cat >$D/swanctl.conf <<-EOF
	connections {
		rw {
			version = 1
			local_addrs = $1
			remote_addrs = $2
			proposals = aes128-sha1-modp1024
			local {
				auth = psk
				id = $1
			}
			remote {
				auth = psk
				id = %any
			}
			children {
				rw {
					mode = tunnel
					local_ts = $3
					remote_ts = $4
					esp_proposals = aes128-sha1
				}
			}
		}
	}
	secrets {
		ike-rw {
			secret = natnatnat
		}
	}
	EOF
}
# same_sas NS: NS's kameipsec has the 2 ESP-in-UDP SAs of $D/sa.kame, equal
# to charon's in $D/sa.xfrm.
same_sas() {
	[ "$(kame_natt_sas $1)" -eq 2 ] && [ "$(wc -l <$D/sa.kame)" -eq 2 ] &&
		cmp -s $D/sa.kame $D/sa.xfrm
}
natt_hosts
# the protected networks behind each side
ip -n $A addr add 10.11.0.1/32 dev lo
ip -n $B addr add 10.22.0.1/32 dev lo
ip -n $A route add 10.22.0.0/24 via 192.168.1.1 src 10.11.0.1
ip -n $B route add 10.11.0.0/24 via 10.2.0.1 src 10.22.0.1
b sysctl -qw net.core.xfrm_acq_expires=300

a "$SETKEY" -c <<-EOF
	spdadd 10.11.0.0/24 10.22.0.0/24 any -P out ipsec esp/tunnel/192.168.1.2-10.2.0.2/require;
	spdadd 10.22.0.0/24 10.11.0.0/24 any -P in ipsec esp/tunnel/10.2.0.2-192.168.1.2/require;
	EOF
psk_file $D/a.psk 10.2.0.2 natnatnat
racoon_natt_conf $D/a.conf $D/a.psk
swanctl_conf 10.2.0.2 %any 10.22.0.0/24 10.11.0.0/24
charon_start $B && swanctl --load-all --file $D/swanctl.conf >$D/load.out 2>&1
racoon_start $A rl $D/a.conf
wait_for 60 grep -qs started $D/rl.log

ktap_plan 14
a ping -c 1 -W 1 -I 10.11.0.1 10.22.0.1 >/dev/null 2>&1	# the ACQUIRE
check "racoon-lite establishes the IPsec SAs with charon through the NAT" \
	wait_for 40 grep -qs "IPsec-SA established: ESP/tunnel in UDP" $D/rl.log
check "racoon-lite logs the NAT in one line" \
	grep -q "NAT detected: we are behind NAT, peer 10.2.0.2, floating to 4500" $D/rl.log
check "charon saw the NAT too" grep -qi "remote host is behind NAT" $D/charon.log
setkey_esp $A >$D/sa.kame
xfrm_esp $B >$D/sa.xfrm
check "two ESP-in-UDP SAs in kameipsec, with charon's SPIs and keys" same_sas $A
check "charon's SAs are encap espinudp to the NAT's port" \
	sh -c "[ \$(ip -n $B xfrm state | grep -c 'encap type espinudp sport 4500 dport 4500') -eq 2 ]"
wire_reset
check "ping 10.11.0.1 -> 10.22.0.1" wait_for 10 ping_q $A ping -I 10.11.0.1 10.22.0.1
check "4 MiB TCP A -> B between the inner addresses, sha256 equal" \
	tcp_xfer $A $B 10.22.0.1 10.11.0.1
check "the wire carried UDP 4500 only" wire_4500_only

# --- 2. charon behind the NAT initiates, racoon-lite is the gateway ---------
for x in rl charon; do kill "$(cat $D/$x.pid)" 2>/dev/null; done
wait_for 10 sh -c "! kill -0 $(cat $D/charon.pid) 2>/dev/null"
rm -f $D/charon.vici
mkdir $D/part1 && mv $D/rl.log $D/charon.log $D/sa.kame $D/sa.xfrm $D/part1/
for x in $A $B; do
	ip netns exec $x "$SETKEY" -F
	ip netns exec $x "$SETKEY" -FP
	ip -n $x xfrm state flush
	ip -n $x xfrm policy flush
done
b "$SETKEY" -c <<-EOF
	spdadd 10.22.0.0/24 10.11.0.0/24 any -P out ipsec esp/tunnel/10.2.0.2-10.2.0.1/require;
	spdadd 10.11.0.0/24 10.22.0.0/24 any -P in ipsec esp/tunnel/10.2.0.1-10.2.0.2/require;
	EOF
psk_file $D/b.psk 10.2.0.1 natnatnat
# charon's lifetimes are longer than ours: obey them, as interop.conf does
racoon_natt_conf $D/b.conf $D/b.psk "proposal_check obey;"
racoon_start $B rl $D/b.conf
wait_for 60 grep -qs started $D/rl.log
a sysctl -qw net.core.xfrm_acq_expires=300
swanctl_conf 192.168.1.2 10.2.0.2 10.11.0.0/24 10.22.0.0/24
charon_start $A && swanctl --load-all --file $D/swanctl.conf >$D/load2.out 2>&1
swanctl --initiate --child rw --timeout 30 >$D/initiate.out 2>&1
check "charon behind the NAT: swanctl --initiate succeeds" \
	grep -q "initiate completed successfully" $D/initiate.out
check "racoon-lite (responder) logs the NAT in one line" \
	grep -q "NAT detected: peer 10.2.0.1 behind NAT, ESP in UDP" $D/rl.log
setkey_esp $B >$D/sa.kame
xfrm_esp $A >$D/sa.xfrm
check "two ESP-in-UDP SAs in kameipsec (B), with charon's SPIs and keys" same_sas $B
wire_reset
check "ping 10.11.0.1 -> 10.22.0.1" wait_for 10 ping_q $A ping -I 10.11.0.1 10.22.0.1
check "ping 10.22.0.1 -> 10.11.0.1" ping_q $B ping -I 10.22.0.1 10.11.0.1
check "the wire carried UDP 4500 only" wire_4500_only

if [ $KTAP_FAIL -gt 0 ]; then
	for f in part1/rl.log part1/sa.kame part1/sa.xfrm rl.log rl.out charon.out initiate.out sa.kame sa.xfrm; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -40 | sed "s|^|# $f: |"
	done
	for x in $A $B; do
		ip netns exec $x "$SETKEY" -D | sed "s/^/# setkey -D $x: /"
		ip -n $x xfrm state | sed "s/^/# xfrm $x: /"
		ip netns exec $x grep -v ' 0$' /proc/net/kame_ipsecstat | sed "s/^/# kame $x: /"
	done
	tail -40 $D/part1/charon.log | sed 's/^/# charon 1: /'
	tail -60 $D/charon.log | sed 's/^/# charon 2: /'
fi
ktap_finish
