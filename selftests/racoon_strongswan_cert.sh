#!/bin/bash
# racoon-lite (kameipsec, PF_KEY) against strongSwan's charon (IKEv1 Main
# Mode, auth = pubkey: RSA signatures, native XFRM), with a CA and host
# certificates made by openssl (mkcerts.sh; on the host by make pki):
#
#   [A: kameipsec, racoon-lite, a.pem] a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 [B: XFRM, charon, b.pem]
#
# ESP is aes128-sha256: hmac_sha256 installed by racoon-lite with the
# plain SADB id must have the 128-bit ICV charon gives XFRM. First charon
# initiates (swanctl --initiate): both SADs hold the same SPIs and keys,
# pings cross both ways. Then charon's IKE SA is terminated and A's ping
# makes the ACQUIRE: racoon-lite initiates, charon answers, pings cross.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rsca$$ B=rscb$$ D=$(mktemp -d /tmp/racoon_ssc.XXXXXX)
. ./racoon_lib.sh
. ./charon_cert_lib.sh
charon_cert_needs

charon_hosts 2
cert_pki a b
charon_key b

# --- A: policies, racoon-lite with a.pem; B: charon with b.pem ---------------
bypass_ike $A 10.0.0.1 10.0.0.2
a "$SETKEY" -c <<EOC
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
EOC
racoon_cert_conf "$D/racoon.conf" a.pem a.key "main" rsasig sha256 14
racoon_start $A rl "$D/racoon.conf"
swanctl_cert_conf "$D/swanctl.conf" b.pem aes128-sha256-modp2048 a.example
charon_start $B && charon_load
wait_for 60 grep -qs started "$D/rl.log"
ktap_plan 9

# --- charon initiates --------------------------------------------------------
swanctl --initiate --child cert --timeout 30 >"$D/init.out" 2>&1
check "charon: swanctl --initiate succeeds" grep -q "initiate completed successfully" "$D/init.out"
check "racoon-lite accepts charon's certificate" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" "$D/rl.log"
check "two ESP SAs in kameipsec, with charon's SPIs and keys" sas_equal
check "ping B -> A over ESP (hmac-sha256, 128-bit ICV on both sides)" \
	b ping -c 3 -i 0.2 -W 2 -q 10.0.0.1
check "ping A -> B over ESP" a ping -c 3 -i 0.2 -W 2 -q 10.0.0.2

# --- racoon-lite initiates ---------------------------------------------------
swanctl --terminate --ike cert --timeout 10 >"$D/term.out" 2>&1
kill "$(cat "$D/rl.pid")" 2>/dev/null
sleep 0.3
a "$SETKEY" -F
mv "$D/rl.log" "$D/rl-1.log"
racoon_start $A rl "$D/racoon.conf"
wait_for 60 grep -qs started "$D/rl.log"
a ping -c 10 -i 0.5 -w 30 10.0.0.2 >"$D/ping.out" 2>&1
check "racoon-lite initiates on ACQUIRE and charon answers" \
	grep -qs "IPsec-SA established" "$D/rl.log"
check "ping replies after negotiation" grep -q "bytes from 10.0.0.2" "$D/ping.out"
check "the same two ESP SAs on both sides" sas_equal
check "ping B -> A over the new SAs" b ping -c 3 -i 0.2 -W 2 -q 10.0.0.1

cert_logs rl-1.log rl.log rl.out charon.out load.out init.out term.out sa.kame sa.xfrm ping.out
ktap_finish
