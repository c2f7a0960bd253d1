#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# mkcerts.sh DIR: a small PKI for the certificate tests, made with the
# openssl command at test time. DIR gets, racoon's way (hash.0 CAs and
# hash.r0 CRLs beside the certificates):
#   ca.pem ca.key            "CN=kameipsec test CA"; HASH.0 -> ca.pem
#   a.pem a.key              CN=a.example, SAN DNS:a.example IP:10.0.0.1
#   b.pem b.key              CN=b.example, SAN DNS:b.example IP:10.0.0.2
#   ea.pem ea.key eb.*       the same as ECDSA P-256 keys
#   ea384.* eb384.*          ECDSA P-384 (RFC 4754 ECDSA-384)
#   ea521.* eb521.*          ECDSA P-521 (ECDSA-521)
#   int.pem int.key          "CN=kameipsec intermediate CA" under ca.pem
#                            (an ECDSA P-256 key: one RSA key less to make)
#   ia.pem ia.key ib.*       a/b.example issued by int; ia-chain.pem and
#                            ib-chain.pem = the leaf then int.pem
#   int4096.* i4096.*        a 4096-bit RSA intermediate and a.example's
#                            4096-bit leaf under it; i4096-chain.pem
#   a4096.pem a4096.key      a.example with a 4096-bit RSA key
#   expired.pem expired.key  CN=b.example, expired yesterday
#   revoked.pem revoked.key  CN=b.example, revoked in the CRL (HASH.r0)
#   rogue-ca.pem rogue.pem rogue.key   b.example from another CA
#   nosig.pem nosig.key      b.example, key usage keyEncipherment only
# mkcerts.sh DIR NAME...: only those leaves (the CA and CRL always; rogue
# brings the rogue CA, a leaf under an intermediate its intermediate); key
# generation is slow under emulation.
set -e
D=$1
shift
ONLY=" $* "
mkdir -p "$D/newcerts"
cd "$D"
: >index.txt
echo 1000 >serial
echo 1000 >crlnumber
cat >ca.cnf <<EOC
[ca]
default_ca = c
[c]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
certificate = ./ca.pem
private_key = ./ca.key
serial = ./serial
crlnumber = ./crlnumber
default_md = sha256
default_crl_days = 30
policy = p
unique_subject = no
[p]
organizationName = optional
commonName = supplied
EOC
q() { "$@" >/dev/null 2>&1; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
	-subj "/O=kameipsec/CN=kameipsec test CA" -days 30 \
	-addext "keyUsage=critical,keyCertSign,cRLSign"
wanted() {
	[ "$ONLY" = "  " ] || case $ONLY in *" $1 "*) ;; *) return 1 ;; esac
}
# inter NAME CN KEYSPEC LEAF...: an intermediate CA under ca.pem, made if
# it or one of the LEAFs under it is wanted
inter() {
	n=$1 cn=$2 ks=$3
	shift 3
	w=1
	for x in "$n" "$@"; do wanted "$x" && w=0; done
	[ $w -eq 0 ] || return 0
	q openssl req -newkey "$ks" -nodes -keyout "$n.key" -out "$n.csr" \
		-subj "/O=kameipsec/CN=$cn"
	printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' \
		>"$n.ext"
	q openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca.key \
		-CAcreateserial -days 30 -extfile "$n.ext" -out "$n.pem"
	chmod 600 "$n.key"
}
# leaf NAME CN IP KEYSPEC [USAGE [DAYS [CA]]]
leaf() {
	wanted "$1" || return 0
	q openssl req -newkey "$4" -nodes -keyout "$1.key" -out "$1.csr" \
		-subj "/O=kameipsec/CN=$2"
	printf 'subjectAltName=DNS:%s,IP:%s\nkeyUsage=critical,%s\n' "$2" "$3" \
		"${5:-digitalSignature}" >"$1.ext"
	if [ -n "${7:-}" ]; then
		q openssl x509 -req -in "$1.csr" -CA "$7.pem" -CAkey "$7.key" \
			-CAcreateserial -days "${6:-30}" -extfile "$1.ext" -out "$1.pem"
	elif [ "${6:-30}" -lt 0 ]; then
		q openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
			-CAcreateserial -days "$6" -extfile "$1.ext" -out "$1.pem"
	else
		q openssl ca -batch -config ca.cnf -in "$1.csr" -out "$1.pem" \
			-days 30 -extfile "$1.ext" -notext
	fi
	chmod 600 "$1.key"
}
q openssl ecparam -name prime256v1 -out p256.pem
q openssl ecparam -name secp384r1 -out p384.pem
q openssl ecparam -name secp521r1 -out p521.pem
leaf a a.example 10.0.0.1 rsa:2048
leaf b b.example 10.0.0.2 rsa:2048
leaf a4096 a.example 10.0.0.1 rsa:4096
leaf ea a.example 10.0.0.1 ec:p256.pem
leaf eb b.example 10.0.0.2 ec:p256.pem
leaf ea384 a.example 10.0.0.1 ec:p384.pem
leaf eb384 b.example 10.0.0.2 ec:p384.pem
leaf ea521 a.example 10.0.0.1 ec:p521.pem
leaf eb521 b.example 10.0.0.2 ec:p521.pem
inter int "kameipsec intermediate CA" ec:p256.pem ia ib
leaf ia a.example 10.0.0.1 rsa:2048 digitalSignature 30 int
leaf ib b.example 10.0.0.2 rsa:2048 digitalSignature 30 int
inter int4096 "kameipsec 4096-bit intermediate CA" rsa:4096 i4096
leaf i4096 a.example 10.0.0.1 rsa:4096 digitalSignature 30 int4096
for l in ia:int ib:int i4096:int4096; do
	[ -f "${l%:*}.pem" ] && cat "${l%:*}.pem" "${l#*:}.pem" >"${l%:*}-chain.pem"
done
leaf expired b.example 10.0.0.2 rsa:2048 digitalSignature -1
leaf revoked b.example 10.0.0.2 rsa:2048
wanted rogue &&
	q openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue-ca.key \
		-out rogue-ca.pem -subj "/CN=rogue CA" -days 30 \
		-addext "keyUsage=critical,keyCertSign,cRLSign"
leaf rogue b.example 10.0.0.2 rsa:2048 digitalSignature 30 rogue-ca
leaf nosig b.example 10.0.0.2 rsa:2048 keyEncipherment
[ -f revoked.pem ] && q openssl ca -config ca.cnf -revoke revoked.pem
q openssl ca -config ca.cnf -gencrl -out crl.pem
ln -sf ca.pem "$(openssl x509 -hash -noout -in ca.pem).0"
ln -sf crl.pem "$(openssl crl -hash -noout -in crl.pem).r0"
rm -f ./*.csr ./*.ext
