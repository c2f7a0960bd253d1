# Certificate set-up shared by the racoon-lite <-> charon VM tests (sourced
# after lib.sh and racoon_lib.sh; $A, $B, $D set): the test PKI, charon's
# keys where swanctl looks for them, racoon.conf and swanctl.conf with
# certificates, and the logs printed on failure.

# Debian's charon loads ECDSA keys, ECP groups and SHA-384/512 signatures
# through the openssl plugin (libstrongswan-standard-plugins); gmp does
# RSA only. pkcs8 reads openssl's PKCS #8 keys.
CHARON_PLUGINS="random drbg nonce aes sha1 sha2 md5 hmac gmp openssl kdf x509 pubkey pkcs1 pkcs8 pem kernel-netlink socket-default vici"
# charon_cert_needs: skip the test without setkey, racoon-lite, charon,
# swanctl or openssl.
charon_cert_needs() {
	local f
	for f in "$SETKEY" "$RACOON" "$CHARON" "$SWANCTL"; do
		[ -x "$f" ] || skip_all "no $f"
	done
	command -v openssl >/dev/null || skip_all "no openssl"
}
charon_has_openssl() { [ -f /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]; }

# cert_pki NAME...: mkcerts.sh's CA, CRL and the named leaves in $D/certs.
cert_pki() { make_pki "$D/certs" "$@"; }

# charon_key NAME: NAME.key where swanctl --load-all finds it, in the
# traditional encoding (PKCS #1 for RSA in rsa/, SEC1 for EC in ecdsa/
# beside swanctl.conf; secrets {} only holds passphrases).
charon_key() {
	if openssl pkey -in "$D/certs/$1.key" -noout -text 2>/dev/null |
		grep -q "^Private-Key: (.*bit, 2 primes)"; then
		mkdir -p "$D/rsa"
		openssl rsa -in "$D/certs/$1.key" -traditional \
			-out "$D/rsa/$1.key" 2>/dev/null
	else
		mkdir -p "$D/ecdsa"
		openssl ec -in "$D/certs/$1.key" -out "$D/ecdsa/$1.key" 2>/dev/null
	fi
}

# racoon_cert_conf FILE CERT-FILE KEY MODE METHOD HASH GROUP [STATEMENTS]:
# racoon.conf for racoon-lite with certificates from $D/certs.
racoon_cert_conf() {
	cat >"$1" <<-EOC
	path certificate "$D/certs";
	remote anonymous {
		exchange_mode $4;
		proposal_check obey;
		initial_contact off;
		my_identifier asn1dn;
		certificate_type x509 "$2" "$3";
		ca_type x509 "ca.pem";
		${8:-}
		proposal {
			encryption_algorithm aes;
			hash_algorithm $6;
			authentication_method $5;
			dh_group $7;
		}
	}
	sainfo anonymous {
		encryption_algorithm aes;
		authentication_algorithm hmac_sha256;
		compression_algorithm deflate;
	}
	EOC
}

# swanctl_cert_conf FILE CERT IKE-PROPOSAL PEER-CN [CONNECTION-LINES]:
# one IKEv1 connection "cert" (B 10.0.0.2 <-> A 10.0.0.1, transport,
# aes128-sha256 ESP) with auth = pubkey both ways; CERT is charon's.
swanctl_cert_conf() {
	cat >"$1" <<-EOC
	connections {
		cert {
			version = 1
			local_addrs = 10.0.0.2
			remote_addrs = 10.0.0.1
			proposals = $3
			${5:-}
			local {
				auth = pubkey
				certs = $D/certs/$2
				id = "O=kameipsec, CN=b.example"
			}
			remote {
				auth = pubkey
				id = "O=kameipsec, CN=$4"
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
}

# charon_load: swanctl --load-all of $D/swanctl.conf, lines noted.
charon_load() {
	swanctl --load-all --file "$D/swanctl.conf" >"$D/load.out" 2>&1
	ktap_note "$(grep -c . "$D/load.out") lines from swanctl --load-all"
}

# charon_restart NS: stops charon_start's charon (charon_start NS then
# starts a fresh one, with nothing loaded).
charon_restart() {
	local pid
	pid=$(cat "$D/charon.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null	# our child: reaped, not a zombie kill -0 sees
	rm -f "$D/charon.vici"
}

# sas_equal: two ESP SAs in A's kameipsec SAD, the same SPIs and keys as
# charon's XFRM states in B.
sas_equal() {
	setkey_esp $A >"$D/sa.kame"
	xfrm_esp $B >"$D/sa.xfrm"
	[ "$(wc -l <"$D/sa.kame")" -eq 2 ] && cmp -s "$D/sa.kame" "$D/sa.xfrm"
}

# cert_logs FILE...: on failure, the tails of $D/FILE... and charon's log.
cert_logs() {
	local f
	[ $KTAP_FAIL -gt 0 ] || return 0
	for f in "$@"; do
		grep -v DEBUG "$D/$f" 2>/dev/null | tail -30 | sed "s|^|# $f: |"
	done
	tail -60 "$D/charon.log" 2>/dev/null | sed 's/^/# charon: /'
}
