/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Diffie-Hellman for the KE payload: MODP groups 2, 5 and 14 and the
 * RFC 5903 elliptic curve groups 19 (P-256), 20 (P-384) and 21 (P-521). The private
 * value comes from getrandom(); libcrypto does the arithmetic (EVP derive).
 */
#ifndef RACOON_LITE_DH_H
#define RACOON_LITE_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dh;

bool dh_group_ok(int group);
/* Length of the public value (KE payload), in bytes. */
size_t dh_len(int group);
/* Length of g^xy: as dh_len for MODP, the x coordinate for ECP. */
size_t dh_secret_len(int group);
struct dh *dh_new(int group);
void dh_free(struct dh *dh);
/* The public value g^x mod p, left-padded to dh_len(). */
const uint8_t *dh_public(const struct dh *dh);
/*
 * g^xy from the peer's public value; out gets dh_secret_len() bytes.
 * Fails on a wrong length or a degenerate value (0, 1, p-1, >= p; for
 * ECP a point not on the curve).
 */
int dh_compute(struct dh *dh, const uint8_t *peer, size_t len, uint8_t *out);

#endif
