#!/bin/bash
# Two racoon-lite, both on kameipsec, with certificates beyond racoon_cert.sh's
# Main Mode RSA: Aggressive Mode, an intermediate CA, ECDSA P-384 and P-521
# (RFC 4754 ECDSA-384/521 with SHA-384/512 as the phase 1 hash and ECP
# groups 20/21), both roles:
#
#   [A: kameipsec, racoon-lite] a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 [B: kameipsec, racoon-lite]
#
# 1. Aggressive Mode, RSA leaves issued by an intermediate CA, each side
#    sending leaf + intermediate from its certificate file and trusting
#    only the root; A's ping makes the ACQUIRE: ping, 4 MiB TCP.
# 2. Aggressive Mode, ECDSA P-384, B initiates: ping, 4 MiB TCP.
# 3. Main Mode, ECDSA P-521, A initiates: ping.
# Each time the two SADs hold the same SPIs and keys.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rga$$ B=rgb$$ D=$(mktemp -d /tmp/racoon_cag.XXXXXX)
. ./racoon_lib.sh
. ./charon_cert_lib.sh
IKE_SOCKET_BYPASS=${IKE_SOCKET_BYPASS:-1}
. ./engine_lib.sh
for f in "$SETKEY" "$RACOON"; do
	[ -x "$f" ] || skip_all "no $f"
done
command -v openssl >/dev/null || skip_all "no openssl"

racoon_hosts
t0=$(date +%s)
cert_pki ia ib ea384 eb384 ea521 eb521

for n in "$A 10.0.0.1 10.0.0.2" "$B 10.0.0.2 10.0.0.1"; do
	set -- $n
	ip netns exec $1 "$SETKEY" -c <<-EOC
	spdadd $2 $3 any -P out ipsec esp/transport//require;
	spdadd $3 $2 any -P in ipsec esp/transport//require;
	EOC
done
sas_match() {
	setkey_esp $A >$D/sa.a
	setkey_esp $B >$D/sa.b
	[ "$(wc -l <$D/sa.a)" -eq 2 ] && cmp -s $D/sa.a $D/sa.b
}

# round NAME FROM-NS TO-ADDR A-CERT-FILE A-KEY B-CERT-FILE B-KEY MODE METHOD
#       HASH GROUP: fresh daemons and SADs, FROM-NS pings TO-ADDR.
round() {
	stop_racoons
	a "$SETKEY" -F
	b "$SETKEY" -F
	mv $D/ra.log $D/ra-prev-$1.log 2>/dev/null
	mv $D/rb.log $D/rb-prev-$1.log 2>/dev/null
	racoon_cert_conf $D/a.conf "$4" "$5" "$8" "$9" "${10}" "${11}"
	racoon_cert_conf $D/b.conf "$6" "$7" "$8" "$9" "${10}" "${11}"
	racoon_start $A ra $D/a.conf
	racoon_start $B rb $D/b.conf
	wait_for 60 sh -c "grep -qs started $D/ra.log && grep -qs started $D/rb.log"
	ip netns exec "$2" ping -c 10 -i 0.5 -w 30 "$3" >$D/ping.out 2>&1
}
ktap_plan 14

round chain $A 10.0.0.2 ia-chain.pem ia.key ib-chain.pem ib.key aggressive \
	rsasig sha256 14
check "chain: A initiates Aggressive Mode" \
	grep -qs "IPsec-SA established" $D/ra.log
check "chain: A verifies B's leaf through the intermediate B sent" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" $D/ra.log
check "chain: B verifies A's leaf through the intermediate A sent" \
	grep -qs "certificate of O = kameipsec, CN = a.example accepted" $D/rb.log
check "chain: the same 2 ESP SAs on both sides" sas_match
check "chain: ping A -> B" ping_q $A ping 10.0.0.2
check "chain: 4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.0.0.2

round p384 $B 10.0.0.1 ea384.pem ea384.key eb384.pem eb384.key aggressive \
	ecdsa_sha384 sha384 20
check "P-384: B initiates Aggressive Mode, A answers" \
	grep -qs "responding to Aggressive Mode from 10.0.0.2" $D/ra.log
check "P-384: A accepts B's ECDSA-384 certificate" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" $D/ra.log
check "P-384: the same 2 ESP SAs on both sides" sas_match
check "P-384: 4 MiB TCP B -> A, sha256 equal" tcp_xfer $B $A 10.0.0.1

round p521 $A 10.0.0.2 ea521.pem ea521.key eb521.pem eb521.key main \
	ecdsa_sha512 sha512 21
check "P-521: Main Mode, the IPsec-SA is up on both sides" sh -c \
	"grep -qs 'IPsec-SA established' $D/ra.log && grep -qs 'IPsec-SA established' $D/rb.log"
check "P-521: B accepts A's ECDSA-521 certificate" \
	grep -qs "certificate of O = kameipsec, CN = a.example accepted" $D/rb.log
check "P-521: the same 2 ESP SAs on both sides" sas_match
check "P-521: ping A -> B" ping_q $A ping 10.0.0.2

ktap_note "test time $(($(date +%s) - t0)) s"
if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra-prev-p384.log rb-prev-p384.log ra-prev-p521.log rb-prev-p521.log ra.log rb.log ra.out rb.out ping.out sa.a sa.b; do
		grep -v DEBUG "$D/$f" 2>/dev/null | tail -25 | sed "s|^|# $f: |"
	done
fi
ktap_finish
