#!/bin/bash
# IKEv1 Aggressive Mode with pre-shared keys between racoon-lite (kameipsec)
# and strongSwan's charon (native XFRM, "aggressive = yes"), both roles:
#
#   [A: kameipsec] racoon-lite a0 10.0.0.1 ---- veth ---- b0 10.0.0.2  charon initiates
#                                                           10.0.0.3  charon responds
#
#  1. charon initiates Aggressive Mode from 10.0.0.2; racoon-lite answers
#     ("exchange_mode main, aggressive").
#  2. racoon-lite initiates Aggressive Mode to 10.0.0.3 ("-I", a "remote
#     10.0.0.3" section with "exchange_mode aggressive"); its encrypted
#     message 3 carries HASH_I and INITIAL-CONTACT, which charon parses.
# Then: the four ESP SAs in "setkey -D" equal charon's, pings cross both.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=raa$$ B=rab$$ D=$(mktemp -d /tmp/racoon_ra.XXXXXX)
. ./racoon_lib.sh
for f in "$SETKEY" "$RACOON" "$CHARON" "$SWANCTL"; do
	[ -x "$f" ] || skip_all "no $f"
done

charon_hosts 2 3

bypass_ike $A 10.0.0.1 10.0.0.2 10.0.0.3
a "$SETKEY" -c <<EOF
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
spdadd 10.0.0.1 10.0.0.3 any -P out ipsec esp/transport//require;
spdadd 10.0.0.3 10.0.0.1 any -P in ipsec esp/transport//require;
EOF

# remote_body MODES: a remote body with one AES/SHA-1/MODP-2048 proposal
# (Aggressive Mode sends one DH group; Debian's charon has no 3DES IKE).
remote_body() {
	cat <<-EOF
	{
		exchange_mode $1;
		lifetime time 1 hour;
		proposal_check obey;
		proposal {
			encryption_algorithm aes;
			hash_algorithm sha1;
			authentication_method pre_shared_key;
			dh_group 14;
		}
	}
	EOF
}
{
	echo "path pre_shared_key \"$D/psk.txt\";"
	echo "remote 10.0.0.3"
	remote_body aggressive
	echo "remote anonymous"
	remote_body "main, aggressive"
	sed -n '/^sainfo/,$p' ../user/racoon-lite/examples/interop.conf |
		sed "s/lifetime time 2 min/lifetime time 1 hour/"
} >$D/racoon.conf
printf '10.0.0.2 spamspamspam\n10.0.0.3 eggsandham\n' >$D/psk.txt
chmod 600 $D/psk.txt

# conn NAME LOCAL SECRET-ID
conn() {
	cat <<EOF
	$1 {
		version = 1
		aggressive = yes
		local_addrs = $2
		remote_addrs = 10.0.0.1
		proposals = aes128-sha1-modp2048
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
				esp_proposals = 3des-sha1-modp1024
			}
		}
	}
EOF
}
{
	echo "connections {"
	conn agi 10.0.0.2
	conn agr 10.0.0.3
	echo "}"
	echo "secrets {"
	printf '\tike-2 {\n\t\tid-1 = 10.0.0.2\n\t\tid-2 = 10.0.0.1\n\t\tsecret = spamspamspam\n\t}\n'
	printf '\tike-3 {\n\t\tid-1 = 10.0.0.3\n\t\tid-2 = 10.0.0.1\n\t\tsecret = eggsandham\n\t}\n'
	echo "}"
} >$D/swanctl.conf
# charon refuses Aggressive Mode with PSK as responder unless told
CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes"
charon_start $B && swanctl --load-all --file $D/swanctl.conf >$D/load.out 2>&1

ktap_plan 9

# --- Test that charon's Aggressive Mode initiation is answered --------------
racoon_start $A rl $D/racoon.conf
wait_for 60 grep -qs "started" $D/rl.log
swanctl --initiate --child agi --timeout 60 >$D/agi.out 2>&1
check "charon initiates: swanctl --initiate succeeds" grep -q "initiate completed successfully" $D/agi.out
check "charon initiates: racoon-lite answered in Aggressive Mode" \
	grep -q "responding to Aggressive Mode from 10.0.0.2" $D/rl.log
check "charon initiates: charon says it used Aggressive Mode" grep -qi "initiating Aggressive Mode" $D/agi.out

# --- Test that racoon-lite's Aggressive Mode initiation is answered ----------
kill "$(cat $D/rl.pid)"
sleep 0.5
mv $D/rl.log $D/rl-1.log
racoon_start $A rl $D/racoon.conf -I 10.0.0.3
check "racoon-lite initiates: the IPsec-SA is up" \
	wait_for 60 grep -qs "IPsec-SA established.*10.0.0.3" $D/rl.log
check "racoon-lite initiates: it used Aggressive Mode" \
	grep -q "initiating Aggressive Mode with 10.0.0.3" $D/rl.log
# initial_contact is on: message 3 (encrypted) carries the notification
check "racoon-lite initiates: charon parsed HASH_I and INITIAL-CONTACT in message 3" \
	grep -q "parsed AGGRESSIVE request 0 \[ HASH N(INITIAL_CONTACT) \]" $D/charon.log

# --- Test that both pairs of SAs match charon's and carry traffic -----------
setkey_esp $A >$D/sa.kame
xfrm_esp $B >$D/sa.xfrm
check "four ESP SAs in kameipsec, with charon's SPIs and keys" \
	sh -c "[ \$(wc -l <$D/sa.kame) -eq 4 ] && cmp -s $D/sa.kame $D/sa.xfrm"
check "ping A -> 10.0.0.2 (charon initiated)" a ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
check "ping A -> 10.0.0.3 (racoon-lite initiated)" a ping -c 3 -i 0.2 -W 2 10.0.0.3 >/dev/null

if [ $KTAP_FAIL -gt 0 ]; then
	for f in rl-1.log rl.log rl.out agi.out load.out sa.kame sa.xfrm; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	grep -v "^ *$" $D/charon.log | tail -50 | sed 's/^/# charon: /'
	grep -i "AGGRESSIVE\|INITIAL" $D/charon.log | sed 's/^/# charon (aggressive): /'
	swanctl --list-sas 2>/dev/null | sed 's/^/# list-sas: /'
	a "$SETKEY" -D | sed 's/^/# setkey -D: /'
fi
ktap_finish
