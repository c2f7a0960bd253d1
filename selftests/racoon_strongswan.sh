#!/bin/bash
# racoon-lite (responder, SAs in kameipsec through PF_KEY) against
# strongSwan's charon (initiator, IKEv1 Main Mode PSK, native XFRM):
#
#   [A: kameipsec]                                 [B: XFRM]
#   racoon-lite  a0 10.0.0.1 ---- veth ---- b0 10.0.0.2  charon  (good peer)
#                                              10.0.0.3          (wrong PSK)
#                                              10.0.0.4          (IKE proposals
#                                                                 racoon-lite lacks)
#                                              10.0.0.5          (ESP proposals
#                                                                 racoon-lite lacks)
#
# Garbage on UDP 500 and the three bad peers first: a log line each, no
# SA, racoon-lite keeps running; then the good peer: the ESP SAs in
# "setkey -D" (A) equal charon's in "ip xfrm state" (B), and pings cross.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rsa$$ B=rsb$$ D=$(mktemp -d /tmp/racoon_ss.XXXXXX)
. ./racoon_lib.sh
for f in "$SETKEY" "$RACOON" "$CHARON" "$SWANCTL"; do
	[ -x "$f" ] || skip_all "no $f"
done

charon_hosts 2 3 4 5

# --- A: policies, racoon-lite ------------------------------------------------
bypass_ike $A 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5
a "$SETKEY" -c <<EOF
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
EOF
sed "s|/etc/racoon/psk.txt|$D/psk.txt|" ../user/racoon-lite/examples/interop.conf >$D/racoon.conf
printf '10.0.0.2 spamspamspam\n10.0.0.3 rightkey\n10.0.0.4 spamspamspam\n10.0.0.5 spamspamspam\n' >$D/psk.txt
chmod 600 $D/psk.txt
racoon_start $A rl $D/racoon.conf

# --- B: charon with its own configuration directory --------------------------
# conn NAME LOCAL IKE-PROPOSALS ESP-PROPOSALS. Debian's charon without the
# openssl plugin has no 3DES for IKE (the kernel does ESP's), so IKE is AES.
conn() {
	cat <<EOF
	$1 {
		version = 1
		local_addrs = $2
		remote_addrs = 10.0.0.1
		proposals = $3
		local {
			auth = psk
			id = $2
		}
		remote {
			auth = psk
			id = 10.0.0.1
		}
		children {
			$1 {
				mode = transport
				esp_proposals = $4
			}
		}
	}
EOF
}
{
	echo "connections {"
	conn good 10.0.0.2 aes128-sha1-modp2048 3des-sha1-modp1024
	conn badpsk 10.0.0.3 aes128-sha1-modp2048 3des-sha1-modp1024
	conn badike 10.0.0.4 aes256-sha512-modp4096 3des-sha1-modp1024
	conn badesp 10.0.0.5 aes128-sha1-modp2048 aes256-sha512-modp1024
	echo "}"
	echo "secrets {"
	for i in 2 3 4 5; do
		k=spamspamspam
		[ $i = 3 ] && k=wrongkey
		printf '\tike-%s {\n\t\tid-1 = 10.0.0.%s\n\t\tid-2 = 10.0.0.1\n' $i $i
		printf '\t\tsecret = %s\n\t}\n' $k
	done
	echo "}"
} >$D/swanctl.conf
charon_start $B && swanctl --load-all --file $D/swanctl.conf >$D/load.out 2>&1
ktap_note "$(grep -c . $D/load.out) lines from swanctl --load-all"

# racoon-lite registered with PF_KEY and listening (slow under TCG)
wait_for 60 grep -qs started $D/rl.log
ktap_plan 12

# --- Test that garbage on UDP 500 is logged and dropped ----------------------
# (from 10.0.0.3: A's "require" policy would drop plain UDP from 10.0.0.2)
b python3 -c '
import socket, os
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.3", 5000))
for p in (b"x", os.urandom(27), os.urandom(28) + b"\x10\x02" + os.urandom(200),
          b"\0" * 8 + os.urandom(8) + b"\x01\x10\x02\x00" + b"\0" * 4 + b"\0\0\xff\xff"):
    s.sendto(p, ("10.0.0.1", 500))
'
check "garbage on UDP 500 is logged as dropped" wait_for 20 grep -q "dropped packet from 10.0.0.3" $D/rl.log
check "racoon-lite survives garbage" racoon_alive rl

# --- Test that a wrong PSK, and proposals it lacks, fail cleanly -------------
for c in badpsk badike badesp; do
	swanctl --initiate --child $c --timeout 15 >$D/$c.out 2>&1
done
check "wrong PSK is logged" grep -q "phase 1 with 10.0.0.3.*pre-shared key" $D/rl.log
check "IKE proposal mismatch is logged" grep -q "phase 1 with 10.0.0.4: no acceptable proposal" $D/rl.log
check "ESP proposal mismatch is logged" grep -q "phase 2 with 10.0.0.5: no acceptable proposal" $D/rl.log
check "no SA for the bad peers" test "$(kame_sas_with $A 10.0.0.3)$(kame_sas_with $A 10.0.0.4)$(kame_sas_with $A 10.0.0.5)" = 000
check "racoon-lite survives the bad peers" racoon_alive rl

# --- Test that strongSwan's initiation installs matching SAs -----------------
swanctl --initiate --child good --timeout 20 >$D/good.out 2>&1
check "swanctl --initiate succeeds" grep -q "initiate completed successfully" $D/good.out
setkey_esp $A >$D/sa.kame
xfrm_esp $B >$D/sa.xfrm
ktap_note "kameipsec: $(tr '\n' ' ' <$D/sa.kame | cut -c1-60)..."
check "two ESP SAs in kameipsec, with strongSwan's SPIs and keys" \
	sh -c "[ \$(wc -l <$D/sa.kame) -eq 2 ] && cmp -s $D/sa.kame $D/sa.xfrm"
check "racoon-lite logged the IPsec-SA" grep -q "IPsec-SA established" $D/rl.log

# --- Test that traffic crosses the negotiated SAs ----------------------------
if [ ! -r /proc/net/kame_ipsecstat ]; then
	ktap_skip "ping B -> A: the engine is not built in (no /proc/net/kame_ipsecstat)"
	ktap_skip "ping A -> B: the engine is not built in"
else
	check "ping B -> A over ESP" b ping -c 3 -i 0.2 -W 2 10.0.0.1 >/dev/null
	check "ping A -> B over ESP" a ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
fi

if [ $KTAP_FAIL -gt 0 ]; then
	for f in rl.log rl.out charon.out load.out good.out sa.kame sa.xfrm; do
		sed "s|^|# $f: |" $D/$f 2>/dev/null | tail -40
	done
	a "$SETKEY" -D | sed 's/^/# setkey -D: /'
	ip -n $B xfrm state | sed 's/^/# xfrm: /'
	ip -n $B xfrm policy | sed 's/^/# xfrm policy: /'
	swanctl --list-sas 2>/dev/null | sed 's/^/# list-sas: /'
	a cat /proc/net/kame_ipsecstat 2>/dev/null | grep -v ' 0$' | sed 's/^/# kame: /'
	tail -60 $D/charon.log | sed 's/^/# charon: /'
fi
ktap_finish
