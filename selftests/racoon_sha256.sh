#!/bin/bash
# Two racoon-lite daemons on kameipsec negotiate hmac_sha256 (IPsec DOI
# authentication algorithm 5) and install it as racoon does, with the plain
# SADB_X_AALG_SHA2_256HMAC id; the kernel gives it RFC 4868's 128-bit ICV
# on both sides (net.key.sha256_icv96 = 0), and traffic passes.
#
#   [A: kameipsec, racoon-lite] a0 10.0.0.1 ---- veth ---- b0 10.0.0.2 [B: same]
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=rsa$$ B=rsb$$ D=$(mktemp -d /tmp/racoon_sha256.XXXXXX)
. ./racoon_lib.sh
IKE_SOCKET_BYPASS=${IKE_SOCKET_BYPASS:-1}
. ./engine_lib.sh
for f in "$SETKEY" "$RACOON"; do
	[ -x "$f" ] || skip_all "no $f"
done

cleanup_pidfile $D/ra.pid $D/rb.pid
cleanup_logdir $D
a() { ip netns exec $A "$@"; }
b() { ip netns exec $B "$@"; }

netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.0.0.1/24 dev a0
ip -n $B addr add 10.0.0.2/24 dev b0
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up

# setup NS ME PEER: the seed's policies and a racoon.conf with SHA-2 only.
setup() {
	ip netns exec $1 "$SETKEY" -c <<-EOC
	spdadd $2 $3 any -P out ipsec esp/transport//require;
	spdadd $3 $2 any -P in ipsec esp/transport//require;
	EOC
	cat >$D/$1.conf <<-EOC
	path pre_shared_key "$D/$1.psk";
	remote anonymous {
		exchange_mode main;
		proposal {
			encryption_algorithm aes 256;
			hash_algorithm sha256;
			authentication_method pre_shared_key;
			dh_group 14;
		}
	}
	sainfo anonymous {
		encryption_algorithm aes;
		authentication_algorithm hmac_sha256;
		compression_algorithm deflate;
	}
	EOC
	printf '%s sha2sha2sha2\n' $3 >$D/$1.psk
	chmod 600 $D/$1.psk
}
setup $A 10.0.0.1 10.0.0.2
setup $B 10.0.0.2 10.0.0.1

sas_match() {
	setkey_esp $A >$D/sa.a
	setkey_esp $B >$D/sa.b
	[ "$(wc -l <$D/sa.a)" -eq 2 ] && cmp -s $D/sa.a $D/sa.b
}
# Both SADs name the plain id (setkey's hmac-sha256), not KAME's id 12.
plain_ids() {
	local ns
	for ns in $A $B; do
		[ "$(ip netns exec $ns "$SETKEY" -D | grep -c 'A: hmac-sha256 ')" -eq 2 ] || return 1
	done
}
established() { grep -qs "IPsec-SA established" $D/ra.log && grep -qs "IPsec-SA established" $D/rb.log; }

ktap_plan 6
check "net.key.sha256_icv96 is 0 on both sides" \
	test "$(a sysctl -n net.key.sha256_icv96)$(b sysctl -n net.key.sha256_icv96)" = 00
racoon_start $B rb $D/$B.conf
racoon_start $A ra $D/$A.conf -I 10.0.0.2
check "hmac_sha256: both sides log the IPsec-SA" wait_for 40 established
check "setkey -D shows the same 2 ESP SAs on both sides" sas_match
check "both SADs hold SADB_X_AALG_SHA2_256HMAC (setkey's hmac-sha256)" plain_ids
check "ping A -> B" ping_q $A ping 10.0.0.2
check "4 MiB TCP A -> B, sha256 equal" tcp_xfer $A $B 10.0.0.2

if [ $KTAP_FAIL -gt 0 ]; then
	for f in ra.log rb.log ra.out rb.out sa.a sa.b; do
		grep -v DEBUG $D/$f 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	a "$SETKEY" -D | sed 's/^/# setkey -D A: /'
fi
ktap_finish
