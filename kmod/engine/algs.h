/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_ALGS_H
#define KAME_ENGINE_ALGS_H

#include <linux/types.h>
#include <linux/crypto.h>

#include "stats.h"

/* What the crypto API needs to build an SA's transform. */
struct kame_alg_spec {
	char name[CRYPTO_MAX_ALG_NAME];	/* AEAD template, or AH's hash */
	unsigned int icv_len;		/* bytes, after truncation */
	bool combined;			/* ESP AEAD: the whole key is one key */
};

/*
 * ESP with encryption @ealg and authentication @aalg (SADB ids, 0 = none):
 * the AEAD template with its IV generator, e.g.
 * "echainiv(authenc(hmac(sha256),cbc(aes)))" or "seqiv(rfc4106(gcm(aes)))".
 * -ENOSYS for ids this kernel cannot do, -EINVAL for absurd pairs.
 */
int kame_alg_esp(u8 ealg, u8 aalg, struct kame_alg_spec *spec);

/* AH with @aalg: the keyed hash ("hmac(sha1)") and its truncated ICV. */
int kame_alg_ah(u8 aalg, struct kame_alg_spec *spec);

/* setkey's name of an algorithm, for histograms ("other" if unknown). */
const char *kame_alg_stat_name(enum kame_hist h, unsigned int id);

int kame_algs_init(void);
void kame_algs_exit(void);

#endif
