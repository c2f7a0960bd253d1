#!/bin/bash
# racoon-lite (kameipsec) against strongSwan's charon (XFRM) with
# certificates in IKEv1 Aggressive Mode (charon's aggressive = yes, auth =
# pubkey): charon initiates, racoon-lite (exchange_mode main, aggressive)
# answers with its CERT and SIG in message 2 and checks charon's in message
# 3; the SADs hold the same SPIs and keys, pings and a 4 MiB TCP transfer
# cross them.
#
#   [A: kameipsec, racoon-lite, a.pem] a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 [B: XFRM, charon, b.pem]
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || { echo "1..0 # SKIP kameipsec not loaded"; exit $KSFT_SKIP; }
A=rsga$$ B=rsgb$$ D=$(mktemp -d /tmp/racoon_ssg.XXXXXX)
. ./racoon_lib.sh
. ./engine_lib.sh
for f in "$SETKEY" "$RACOON" "$CHARON" "$SWANCTL"; do
	[ -x "$f" ] || { echo "1..0 # SKIP no $f"; exit $KSFT_SKIP; }
done
command -v openssl >/dev/null || { echo "1..0 # SKIP no openssl"; exit $KSFT_SKIP; }

charon_hosts 2
sh ../user/racoon-lite/tests/mkcerts.sh "$D/certs" a b
# swanctl loads private keys from the rsa/ folder beside swanctl.conf
# (secrets {} only holds passphrases); charon's plugins (racoon_lib.sh)
# read PKCS #1, not openssl's PKCS #8
mkdir -p "$D/rsa"
openssl rsa -in "$D/certs/b.key" -traditional -out "$D/rsa/b.key" 2>/dev/null

# --- A: policies, racoon-lite with a.pem -------------------------------------
bypass_ike $A 10.0.0.1 10.0.0.2
a "$SETKEY" -c <<EOC
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
EOC
cat >"$D/racoon.conf" <<EOC
path certificate "$D/certs";
remote anonymous {
	exchange_mode main, aggressive;
	proposal_check obey;
	initial_contact off;
	my_identifier asn1dn;
	certificate_type x509 "a.pem" "a.key";
	ca_type x509 "ca.pem";
	proposal {
		encryption_algorithm aes;
		hash_algorithm sha256;
		authentication_method rsasig;
		dh_group 14;
	}
}
sainfo anonymous {
	encryption_algorithm aes;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}
EOC
racoon_start $A rl "$D/racoon.conf"

# --- B: charon with b.pem ----------------------------------------------------
cat >"$D/swanctl.conf" <<EOC
connections {
	cert {
		version = 1
		aggressive = yes
		local_addrs = 10.0.0.2
		remote_addrs = 10.0.0.1
		proposals = aes128-sha256-modp2048
		local {
			auth = pubkey
			certs = $D/certs/b.pem
			id = "O=kameipsec, CN=b.example"
		}
		remote {
			auth = pubkey
			id = "O=kameipsec, CN=a.example"
			cacerts = $D/certs/ca.pem
		}
		children {
			cert {
				mode = transport
				esp_proposals = aes128-sha256
			}
		}
	}
}
EOC
charon_start $B && swanctl --load-all --file "$D/swanctl.conf" >"$D/load.out" 2>&1
ktap_note "$(grep -c . "$D/load.out") lines from swanctl --load-all"
wait_for 60 grep -qs started "$D/rl.log"
ktap_plan 6

# --- charon initiates in Aggressive Mode ------------------------------------
swanctl --initiate --child cert --timeout 30 >"$D/init.out" 2>&1
check "charon: swanctl --initiate (Aggressive Mode) succeeds" \
	grep -q "initiate completed successfully" "$D/init.out"
check "racoon-lite answered in Aggressive Mode" \
	grep -qs "responding to Aggressive Mode from 10.0.0.2" "$D/rl.log"
check "racoon-lite accepts charon's certificate" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" "$D/rl.log"
setkey_esp $A >"$D/sa.kame"
xfrm_esp $B >"$D/sa.xfrm"
check "two ESP SAs in kameipsec, with charon's SPIs and keys" \
	sh -c "[ \$(wc -l <$D/sa.kame) -eq 2 ] && cmp -s $D/sa.kame $D/sa.xfrm"
check "ping B -> A over ESP" b ping -c 3 -i 0.2 -W 2 -q 10.0.0.1
check "4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.0.0.2

if [ $KTAP_FAIL -gt 0 ]; then
	for f in rl.log rl.out charon.out load.out init.out sa.kame sa.xfrm; do
		grep -v DEBUG "$D/$f" 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	tail -60 "$D/charon.log" | sed 's/^/# charon: /'
fi
ktap_finish
