#!/bin/bash
# racoon-lite (kameipsec) against strongSwan's charon (XFRM) with host
# certificates issued by intermediate CAs, over a 1280-byte path that
# loses IP fragments, in IKEv1 Main Mode:
#
#   [A: racoon-lite, ia-chain.pem] a0 10.0.0.1 --- veth, MTU 1280 --- b0 10.0.0.2 [B: charon, ib.pem]
#
# Both trust only the root (ca.pem). racoon-lite sends its certificate and
# the intermediate from its certificate file (ia-chain.pem: leaf then
# intermediate); charon sends its own and the intermediate it holds in
# x509ca/. Messages 5 and 6 with two certificates are larger than the path:
# both sides split them in racoon's IKE fragments (racoon-lite ike_frag on,
# charon fragmentation = yes, the same vendor-ID scheme). charon initiates,
# then racoon-lite initiates on ACQUIRE; SADs equal and pings each time.
# RACOON_CHAIN=i4096: racoon-lite's is a 4096-bit RSA chain (4096-bit leaf
# and intermediate, ~3.3 KB in message 5); not the default because openssl
# needs ~45 s more to make the two keys under TCG.
RACOON_CHAIN=${RACOON_CHAIN:-ia}
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rsia$$ B=rsib$$ D=$(mktemp -d /tmp/racoon_ssi.XXXXXX)
. ./racoon_lib.sh
. ./charon_cert_lib.sh
. ./engine_lib.sh
charon_cert_needs
command -v nft >/dev/null || skip_all "no nft"

charon_hosts 2
cert_pki $RACOON_CHAIN ib
charon_key ib
mkdir -p "$D/x509ca"
cp "$D/certs/int.pem" "$D/x509ca/int.pem"

# A 1280-byte path that drops IP fragments before reassembly.
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

bypass_ike $A 10.0.0.1 10.0.0.2
a "$SETKEY" -c <<EOC
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
EOC
racoon_cert_conf "$D/racoon.conf" $RACOON_CHAIN-chain.pem $RACOON_CHAIN.key main \
	rsasig sha256 14 \
	"ike_frag on;"
racoon_start $A rl "$D/racoon.conf"
swanctl_cert_conf "$D/swanctl.conf" ib.pem aes128-sha256-modp2048 a.example \
	"fragmentation = yes"
charon_start $B && charon_load
wait_for 60 grep -qs started "$D/rl.log"
ktap_plan 10

# --- charon initiates ---------------------------------------------------------
swanctl --initiate --child cert --timeout 30 >"$D/init.out" 2>&1
check "charon: swanctl --initiate succeeds over the 1280-byte path" \
	grep -q "initiate completed successfully" "$D/init.out"
check "racoon-lite verifies charon's certificate through the intermediate" \
	grep -qs "certificate of O = kameipsec, CN = b.example accepted" "$D/rl.log"
check "charon verifies racoon-lite's certificate through the intermediate" \
	grep -qs "authentication of 'O=kameipsec, CN=a.example' with RSA_EMSA_PKCS1_NULL successful" \
	"$D/charon.log"
check "racoon-lite put charon's IKE fragments together" \
	grep -qs "IKE fragments put together" "$D/rl.log"
check "the same two ESP SAs on both sides" sas_equal
check "ping B -> A over ESP" b ping -c 3 -i 0.2 -W 2 -q 10.0.0.1

# --- racoon-lite initiates ----------------------------------------------------
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
check "racoon-lite's message 5 ($RACOON_CHAIN-chain.pem) went out as IKE fragments" \
	grep -qs "as [0-9]* IKE fragments" "$D/rl.log"
check "the same two ESP SAs on both sides" sas_equal
check "ping A -> B over the new SAs" a ping -c 3 -i 0.2 -W 2 -q 10.0.0.2

cert_logs rl-1.log rl.log rl.out charon.out load.out init.out term.out sa.kame sa.xfrm ping.out
ktap_finish
