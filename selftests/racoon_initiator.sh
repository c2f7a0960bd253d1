#!/bin/bash
# racoon-lite as the initiator (started with "-I 10.0.0.2", as the engine
# sends no ACQUIRE yet), charon (native XFRM) as the responder:
#
#   [A: kameipsec] racoon-lite a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 charon [B: XFRM]
#
# Checks: charon shows the CHILD_SA installed, both ESP SAs have the same
# SPIs and keys on both sides, pings cross them both ways.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=ria$$ B=rib$$ D=$(mktemp -d /tmp/racoon_ri.XXXXXX)
. ./racoon_lib.sh
for f in "$SETKEY" "$RACOON" "$CHARON" "$SWANCTL"; do
	[ -x "$f" ] || skip_all "no $f"
done

charon_hosts 2

bypass_ike $A 10.0.0.1 10.0.0.2
a "$SETKEY" -c <<EOF
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
EOF
sed "s|/etc/racoon/psk.txt|$D/psk.txt|" ../user/racoon-lite/examples/interop.conf >$D/racoon.conf
echo '10.0.0.2 spamspamspam' >$D/psk.txt
chmod 600 $D/psk.txt

cat >$D/swanctl.conf <<EOF
connections {
	rk {
		version = 1
		local_addrs = 10.0.0.2
		remote_addrs = 10.0.0.1
		proposals = aes128-sha1-modp2048
		local {
			auth = psk
			id = 10.0.0.2
		}
		remote {
			auth = psk
			id = 10.0.0.1
		}
		children {
			rk {
				mode = transport
				esp_proposals = 3des-sha1-modp1024
			}
		}
	}
}
secrets {
	ike-rk {
		id-1 = 10.0.0.2
		id-2 = 10.0.0.1
		secret = spamspamspam
	}
}
EOF
charon_start $B && swanctl --load-all --file $D/swanctl.conf >$D/load.out 2>&1
racoon_start $A rl $D/racoon.conf -I 10.0.0.2

ktap_plan 5

# --- Test that racoon-lite's initiation installs matching SAs ----------------
check "racoon-lite logs the IPsec-SA" wait_for 40 grep -qs "IPsec-SA established" $D/rl.log
child_installed() { swanctl --list-sas 2>/dev/null | grep -q INSTALLED; }
check "charon shows the CHILD_SA installed" child_installed
setkey_esp $A >$D/sa.kame
xfrm_esp $B >$D/sa.xfrm
check "two ESP SAs in kameipsec, with charon's SPIs and keys" \
	sh -c "[ \$(wc -l <$D/sa.kame) -eq 2 ] && cmp -s $D/sa.kame $D/sa.xfrm"

# --- Test that traffic crosses them ------------------------------------------
check "ping A -> B over ESP" a ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
check "ping B -> A over ESP" b ping -c 3 -i 0.2 -W 2 10.0.0.1 >/dev/null

if [ $KTAP_FAIL -gt 0 ]; then
	for f in rl.log load.out sa.kame sa.xfrm; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	grep -v "^ *$" $D/charon.log | tail -40 | sed 's/^/# charon: /'
	ip -n $B -s xfrm state | sed 's/^/# xfrm: /'
	ip -n $B xfrm policy | grep -v socket | sed 's/^/# xfrm policy: /'
	a "$SETKEY" -D | sed 's/^/# setkey -D: /'
	a "$SETKEY" -DP | sed 's/^/# setkey -DP: /'
	a cat /proc/net/kame_ipsecstat | grep -v ' 0$' | sed 's/^/# kame: /'
fi
ktap_finish
