/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CERT and CERTREQ payload bodies (RFC 2408 3.9, 3.10): what arrives from
 * the wire, parsed strictly — only X.509 signature certificates, DER that
 * ends exactly where the payload ends.
 */
#ifndef RACOON_LITE_CERTPL_H
#define RACOON_LITE_CERTPL_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/x509.h>

#include "payload.h"

/* One CERT body as a certificate; NULL with @err set. */
X509 *certpl_cert(const uint8_t *body, size_t len, const char **err);

/*
 * CERTREQ body: its encoding and the certificate authority it names (DER
 * of a DN, or empty: any CA). -1 with @err set.
 */
int certpl_certreq(const uint8_t *body, size_t len, uint8_t *enc,
		   const uint8_t **ca, size_t *calen, const char **err);

/*
 * Every CERT payload of @pl: the first is the peer's own certificate
 * (*leaf, NULL if none), the others its chain (*chain, NULL if none).
 * -1 with @err set if one is malformed (then nothing is returned).
 */
int certpl_collect(const struct payload_list *pl, X509 **leaf,
		   STACK_OF(X509) **chain, const char **err);

#endif
