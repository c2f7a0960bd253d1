#!/bin/bash
# racoon-lite (kameipsec) against strongSwan's charon (XFRM) with ECDSA
# certificates (RFC 4754): P-384 (authentication method 10, SHA-384 as the
# phase 1 hash, ECP group 20) in IKEv1 Aggressive Mode, then P-521 (method
# 11, SHA-512, group 21) in Main Mode:
#
#   [A: kameipsec, racoon-lite, ea384.pem] a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 [B: XFRM, charon, eb384.pem]
#
# First racoon-lite initiates on ACQUIRE (exchange_mode aggressive) and
# charon answers; then charon initiates (swanctl --initiate) and racoon-lite
# answers. Last, P-521 in Main Mode, charon initiating. Each time both
# SADs hold the same SPIs and keys and pings cross; a 4 MiB TCP transfer
# crosses the first SAs. charon needs its openssl
# plugin (libstrongswan-standard-plugins) for ECDSA and ECP groups.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rsea$$ B=rseb$$ D=$(mktemp -d /tmp/racoon_sse.XXXXXX)
. ./racoon_lib.sh
. ./charon_cert_lib.sh
. ./engine_lib.sh
charon_cert_needs
charon_has_openssl || skip_all "charon has no openssl plugin"

charon_hosts 2
cert_pki ea384 eb384 ea521 eb521
charon_key eb384

bypass_ike $A 10.0.0.1 10.0.0.2
a "$SETKEY" -c <<EOC
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
EOC
racoon_cert_conf "$D/racoon.conf" ea384.pem ea384.key aggressive \
	ecdsa_sha384 sha384 20
racoon_start $A rl "$D/racoon.conf"
swanctl_cert_conf "$D/swanctl.conf" eb384.pem aes128-sha384-ecp384 a.example \
	"aggressive = yes"
charon_start $B && charon_load
wait_for 60 grep -qs started "$D/rl.log"
ktap_plan 14

# --- racoon-lite initiates Aggressive Mode on ACQUIRE -----------------------
a ping -c 10 -i 0.5 -w 30 10.0.0.2 >"$D/ping.out" 2>&1
check "racoon-lite initiates Aggressive Mode and the IPsec-SA is up" \
	grep -qs "IPsec-SA established" "$D/rl.log"
check "racoon-lite accepts charon's ECDSA-384 certificate" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" "$D/rl.log"
check "charon verified racoon-lite's ECDSA signature" \
	grep -qs "authentication of 'O=kameipsec, CN=a.example' with ECDSA_WITH_NULL successful" \
	"$D/charon.log"
check "the same two ESP SAs on both sides" sas_equal
check "ping B -> A over ESP" b ping -c 3 -i 0.2 -W 2 -q 10.0.0.1
check "4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.0.0.2

# --- charon initiates Aggressive Mode ----------------------------------------
swanctl --terminate --ike cert --timeout 10 >"$D/term.out" 2>&1
kill "$(cat "$D/rl.pid")" 2>/dev/null
sleep 0.3
a "$SETKEY" -F
mv "$D/rl.log" "$D/rl-1.log"
racoon_start $A rl "$D/racoon.conf"
wait_for 60 grep -qs started "$D/rl.log"
swanctl --initiate --child cert --timeout 30 >"$D/init.out" 2>&1
check "charon: swanctl --initiate (Aggressive Mode, ECDSA-384) succeeds" \
	grep -q "initiate completed successfully" "$D/init.out"
check "racoon-lite answered in Aggressive Mode" \
	grep -qs "responding to Aggressive Mode from 10.0.0.2" "$D/rl.log"
check "the same two ESP SAs on both sides" sas_equal
check "ping A -> B over ESP" a ping -c 3 -i 0.2 -W 2 -q 10.0.0.2

# --- P-521 in Main Mode, charon initiates -----------------------------------
# A new charon: eb384 and eb521 have the same subject, and a charon that
# still holds eb384's key and certificate may pick them for b.example.
swanctl --terminate --ike cert --timeout 10 >"$D/term.out" 2>&1
charon_restart $B
kill "$(cat "$D/rl.pid")" 2>/dev/null
sleep 0.3
a "$SETKEY" -F
mv "$D/rl.log" "$D/rl-2.log"
racoon_cert_conf "$D/racoon.conf" ea521.pem ea521.key main ecdsa_sha512 \
	sha512 21
racoon_start $A rl "$D/racoon.conf"
rm -f "$D/ecdsa/eb384.key"
charon_key eb521
swanctl_cert_conf "$D/swanctl.conf" eb521.pem aes128-sha512-ecp521 a.example
charon_start $B && charon_load
wait_for 60 grep -qs started "$D/rl.log"
swanctl --initiate --child cert --timeout 30 >"$D/init.out" 2>&1
check "P-521: charon's swanctl --initiate (Main Mode, ECDSA-521) succeeds" \
	grep -q "initiate completed successfully" "$D/init.out"
check "P-521: racoon-lite accepts charon's ECDSA-521 certificate" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" "$D/rl.log"
check "P-521: the same two ESP SAs on both sides" sas_equal
check "P-521: ping A -> B over ESP" a ping -c 3 -i 0.2 -W 2 -q 10.0.0.2

cert_logs rl-1.log rl-2.log rl.log rl.out charon.out load.out init.out term.out sa.kame sa.xfrm ping.out
ktap_finish
