#!/bin/bash
# racoon-lite with certificates (authentication_method rsasig), both sides
# on kameipsec, with a CA, host certificates and a CRL made by openssl
# (user/racoon-lite/tests/mkcerts.sh; on the host by make pki):
#
#   [A: kameipsec, racoon-lite, a.pem] a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 [B: b.pem]
#
# The seed's policies, no SAs: A's ping makes the kernel send SADB_ACQUIRE,
# the daemons run Main Mode with CERT/SIG payloads and Quick Mode, and the
# ping and a 4 MiB TCP transfer pass. Then B proves itself with a bad
# certificate, one at a time: expired, revoked (in the CA's CRL, a hash.r0
# file), from an unknown CA, and with an ID that is not in its certificate.
# Each time A refuses with its one log line and neither side holds an SA.
# Last, a 4096-bit certificate over a 1280-byte path that loses IP
# fragments: ike_frag on carries it in IKE fragments.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rca$$ B=rcb$$ D=$(mktemp -d /tmp/racoon_cert.XXXXXX)
. ./racoon_lib.sh
IKE_SOCKET_BYPASS=${IKE_SOCKET_BYPASS:-1}
. ./engine_lib.sh
for f in "$SETKEY" "$RACOON"; do
	[ -x "$f" ] || skip_all "no $f"
done
command -v openssl >/dev/null || skip_all "no openssl"

racoon_hosts
t0=$(date +%s)
make_pki $D/certs a b expired revoked rogue a4096

# policies NS ME PEER: the seed's, esp/transport require.
policies() {
	ip netns exec $1 "$SETKEY" -c <<-EOC
	spdadd $2 $3 any -P out ipsec esp/transport//require;
	spdadd $3 $2 any -P in ipsec esp/transport//require;
	EOC
}
# conf FILE CERT [MORE-REMOTE-STATEMENTS]: racoon.conf with certificates.
conf() {
	cat >$1 <<-EOC
	path certificate "$D/certs";
	remote anonymous {
		exchange_mode main;
		my_identifier asn1dn;
		certificate_type x509 "$2.pem" "$2.key";
		ca_type x509 "ca.pem";
		${3:-}
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
}
policies $A 10.0.0.1 10.0.0.2
policies $B 10.0.0.2 10.0.0.1
conf $D/a.conf a
conf $D/b.conf b

sas_match() {
	setkey_esp $A >$D/sa.a
	setkey_esp $B >$D/sa.b
	[ "$(wc -l <$D/sa.a)" -eq 2 ] && cmp -s $D/sa.a $D/sa.b
}
no_sas() {
	[ "$(kame_sas_with $A 10.0.0.2)" -eq 0 ] && [ "$(kame_sas_with $B 10.0.0.1)" -eq 0 ]
}
started() { grep -qs started $D/ra.log && grep -qs started $D/rb.log; }

ktap_plan 18

# --- ACQUIRE -> Main Mode with certificates -> Quick Mode -> pings -----------
racoon_start $B rb $D/b.conf
racoon_start $A ra $D/a.conf
wait_for 60 started
a ping -c 10 -i 0.5 -w 30 10.0.0.2 >$D/ping.out 2>&1
check "ACQUIRE: the first packet makes the kernel send SADB_ACQUIRE" \
	grep -qs "ACQUIRE seq" $D/ra.log
check "A accepts B's certificate" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" $D/ra.log
check "B accepts A's certificate" \
	grep -qs "certificate of O = kameipsec, CN = a.example accepted" $D/rb.log
check "ping replies after negotiation" grep -q "bytes from 10.0.0.2" $D/ping.out
check "setkey -D shows the same 2 ESP SAs on both sides" sas_match
check "ping A -> B over the SAs" ping_q $A ping 10.0.0.2
check "4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.0.0.2

# --- refusals: B proves itself with CERT [statements]; A must say WHY --------
# refused NAME CERT WHY [STATEMENTS]
refused() {
	stop_racoons
	a "$SETKEY" -F
	b "$SETKEY" -F
	mv $D/ra.log $D/ra-$1.prev 2>/dev/null
	mv $D/rb.log $D/rb-$1.prev 2>/dev/null
	conf $D/b.conf "$2" "${4:-}"
	racoon_start $B rb $D/b.conf
	wait_for 30 grep -qs started $D/rb.log
	racoon_start $A ra $D/a.conf -I 10.0.0.2
	check "$1: A refuses: ...$3" wait_for 40 grep -qsF "$3" $D/ra.log
	sleep 1
	check "$1: no SA on either side" no_sas
	cp $D/ra.log $D/ra-$1.log
}
refused expired expired \
	"phase 1 with 10.0.0.2 failed: certificate refused: certificate has expired (O = kameipsec, CN = b.example)"
refused revoked revoked \
	"phase 1 with 10.0.0.2 failed: certificate refused: certificate revoked (O = kameipsec, CN = b.example)"
refused unknown-CA rogue \
	"phase 1 with 10.0.0.2 failed: certificate refused: unable to get local issuer certificate (O = kameipsec, CN = b.example)"
refused ID-mismatch b \
	"phase 1 with 10.0.0.2 failed: certificate refused: the peer's ID (fqdn \"c.example\") is not in its certificate (O = kameipsec, CN = b.example)" \
	'my_identifier fqdn "c.example";'

# --- IKE fragmentation: a 4096-bit certificate over a 1280-byte path -------
# that loses IP fragments (dropped before reassembly on both sides)
stop_racoons
a "$SETKEY" -F
b "$SETKEY" -F
mv $D/ra.log $D/ra-last.prev
mv $D/rb.log $D/rb-last.prev
for n in $A $B; do
	ip netns exec $n nft -f - <<-EON
	table ip nofrag {
		chain pre {
			type filter hook prerouting priority -450; policy accept;
			ip frag-off & 0x3fff != 0 counter drop
		}
	}
	EON
done
ip -n $A link set a0 mtu 1280
ip -n $B link set b0 mtu 1280
conf $D/a.conf a4096 "ike_frag on;"
conf $D/b.conf b "ike_frag on;"
racoon_start $B rb $D/b.conf
wait_for 30 grep -qs started $D/rb.log
racoon_start $A ra $D/a.conf -I 10.0.0.2
check "ike_frag: both sides log the IPsec-SA" wait_for 40 sh -c \
	"grep -qs 'IPsec-SA established' $D/ra.log && grep -qs 'IPsec-SA established' $D/rb.log"
check "ike_frag: A's 4096-bit certificate went out as IKE fragments" \
	grep -qs "IKE fragments" $D/ra.log
check "ike_frag: ping A -> B over the SAs" ping_q $A ping 10.0.0.2

ktap_note "test time $(($(date +%s) - t0)) s"
if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rb.log ra.out rb.out sa.a sa.b ping.out; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -25 | sed "s|^|# $f: |"
	done
fi
ktap_finish
