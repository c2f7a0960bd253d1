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
kame_loaded || skip_all "kameipsec not loaded"
A=rsga$$ B=rsgb$$ D=$(mktemp -d /tmp/racoon_ssg.XXXXXX)
. ./racoon_lib.sh
. ./charon_cert_lib.sh
. ./engine_lib.sh
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
racoon_cert_conf "$D/racoon.conf" a.pem a.key "main, aggressive" rsasig sha256 14
racoon_start $A rl "$D/racoon.conf"
swanctl_cert_conf "$D/swanctl.conf" b.pem aes128-sha256-modp2048 a.example "aggressive = yes"
charon_start $B && charon_load
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
check "two ESP SAs in kameipsec, with charon's SPIs and keys" sas_equal
check "ping B -> A over ESP" b ping -c 3 -i 0.2 -W 2 -q 10.0.0.1
check "4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.0.0.2

cert_logs rl.log rl.out charon.out load.out init.out sa.kame sa.xfrm
ktap_finish
