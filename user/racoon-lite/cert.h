/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certificates for phase 1 signature authentication (RFC 2409 5.1):
 * loading ours, our private key and the trust anchors, signing HASH_I/R,
 * and deciding whether a peer's certificate is good enough — OpenSSL's
 * verifier (chain to a configured CA, dates, revocation from the
 * certificate directory's hash.r0 CRLs), key usage, and the ID payload
 * against the certificate's subject or subjectAltName.
 */
#ifndef RACOON_LITE_CERT_H
#define RACOON_LITE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <openssl/x509.h>

#include "conf.h"

struct certs;

/*
 * Loads what @r names (certificate_type — ours, then in a PEM file the
 * chain to send with it —, ca_type, peers_certfile), relative
 * to @dir ("path certificate") when not absolute; the hashed CAs and CRLs
 * of @dir join the trust anchors. The key file must be a regular file
 * owned by @owner with no group/other permission. NULL with @err set.
 */
struct certs *certs_load(const struct remote_conf *r, const char *dir,
			 uid_t owner, char *err, size_t errlen);
void certs_free(struct certs *c);

/* certs_load() for every remote with a certificate_type (r->certs). */
int certs_load_config(struct config *conf, uid_t owner, char *err,
		      size_t errlen);
void certs_free_config(struct config *conf);

/* Our certificate (DER), for the CERT payload. */
const uint8_t *certs_my_der(const struct certs *c, size_t *len);
/*
 * The @i-th certificate after ours in certificate_type's file (DER), the
 * chain sent after ours in CERT payloads; NULL past the last one.
 */
#define CERTS_CHAIN_MAX	8
const uint8_t *certs_chain_der(const struct certs *c, int i, size_t *len);
/* Our subject's DER (an asn1dn ID); malloc'd. */
uint8_t *certs_my_dn(const struct certs *c, size_t *len);
/* The first trust anchor's subject DER (the CERTREQ's); malloc'd, or NULL. */
uint8_t *certs_ca_dn(const struct certs *c, size_t *len);
/* OAKLEY_AUTH_* our key can sign with (RSA: rsasig; EC: the curve's). */
int certs_auth_method(const struct certs *c);
/* The same for a peer's certificate (0: neither). */
int certs_peer_method(X509 *peer);

/*
 * The signature payload's body over @h (HASH_I or HASH_R): RSA PKCS#1
 * v1.5 without DigestInfo, as IKEv1 has it, or ECDSA's r || s (RFC 4754).
 * malloc'd, NULL on failure.
 */
uint8_t *certs_sign(const struct certs *c, const uint8_t *h, size_t hl,
		    size_t *siglen);
/* Whether @sig is @peer's signature over @h. */
bool certs_check_sig(X509 *peer, const uint8_t *h, size_t hl,
		     const uint8_t *sig, size_t siglen);

/*
 * The certificate to check the peer's signature with: @sent (from its CERT
 * payload; NULL if none) or peers_certfile's, verified unless verify_cert
 * is off, whose identity is @id (the ID payload body). NULL with the one
 * reason in @why ("certificate refused: certificate has expired (subject
 * CN=b)", ...). The result is a new reference.
 */
X509 *certs_peer(const struct certs *c, X509 *sent, STACK_OF(X509) *chain,
		 const uint8_t *id, size_t idlen, char *why, size_t whylen);

/* The subject of @x as one line ("CN=b, O=Example"), for the log. */
void certs_name(const X509_NAME *n, char *out, size_t outlen);

/*
 * racoon's asn1dn text ("C=JP, O=KAME, CN=host" or "/C=JP/O=KAME") as an
 * X509_NAME; NULL if malformed.
 */
X509_NAME *certs_parse_dn(const char *s);

#endif
