/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ALGS_H
#define KAME_ALGS_H

#include <linux/types.h>
#include <linux/crypto.h>
#include <linux/pfkeyv2.h>

/*
 * The one table of algorithms kameipsec knows (algs.c): PF_KEY's REGISTER
 * reply, the key checks of ADD/UPDATE and the engine's transforms all read
 * it, so what is advertised is what is accepted is what the engine builds.
 */

/* Ids the Linux PF_KEY ABI has no number for: IKEv2's, as setkey sends. */
#define KAME_EALG_CHACHA20_POLY1305	28	/* RFC 7634 */
#define KAME_AALG_SHA2_256HMAC_128	12	/* RFC 4868's 128-bit ICV */

enum kame_alg_kind { KAME_ALG_ENC, KAME_ALG_AUTH };

/* What the crypto API needs to build an SA's transform. */
struct kame_alg_spec {
	char name[CRYPTO_MAX_ALG_NAME];	/* AEAD template, or AH's hash */
	unsigned int icv_len;		/* bytes, after truncation */
	bool combined;			/* ESP AEAD: the whole key is one key */
};

/*
 * Flags of kame_alg_esp()/kame_alg_ah(): KAME_ALG_F_SHA256_96 gives
 * SADB_X_AALG_SHA2_256HMAC Linux af_key's 96-bit ICV instead of RFC 4868's
 * 128 (net.key.sha256_icv96).
 */
#define KAME_ALG_F_SHA256_96	0x1

/*
 * ESP with encryption @ealg and authentication @aalg (SADB ids, 0 = none):
 * the AEAD template with its IV generator, e.g.
 * "echainiv(authenc(hmac(sha256),cbc(aes)))" or "seqiv(rfc4106(gcm(aes)))".
 * -ENOSYS for ids this kernel cannot do, -EINVAL for absurd pairs.
 * Process context (may load crypto modules).
 */
int kame_alg_esp(u8 ealg, u8 aalg, unsigned int flags,
		 struct kame_alg_spec *spec);

/* AH with @aalg: the keyed hash ("hmac(sha1)") and its truncated ICV. */
int kame_alg_ah(u8 aalg, unsigned int flags, struct kame_alg_spec *spec);

/*
 * The sadb_alg of algorithm @id as REGISTER advertises it (key bits include
 * an AEAD's salt; a cipher's ivlen is its block size, as KAME has it), and
 * whether it is a combined mode. -ENOSYS if unknown or not available.
 * Process context: asks the crypto API (may load a module).
 */
int kame_alg_desc(enum kame_alg_kind kind, u8 id, struct sadb_alg *out,
		  bool *combined);

/*
 * Every available algorithm of @kind into @v (NULL: count only), at most
 * @max; returns how many. Does not probe: atomic-safe.
 */
unsigned int kame_alg_list(enum kame_alg_kind kind, struct sadb_alg *v,
			   unsigned int max);

/* Ask the crypto API for the algorithms not known to be available (at
 * most once a minute: each miss costs a modprobe). Process context. */
void kame_alg_probe(void);

/* IPComp algorithm @id known to xfrm_algo (and the crypto API). */
bool kame_alg_comp_ok(u8 id);

/* setkey's name of algorithm @id of @kind ("other" if unknown). */
const char *kame_alg_name(enum kame_alg_kind kind, unsigned int id);
/* setkey's name of IPComp algorithm @id ("other" if unknown). */
const char *kame_comp_name(unsigned int id);

/* Encryption @id is a combined mode (an AEAD: no separate authenticator). */
bool kame_alg_is_aead(u8 id);

/*
 * Encryption @id's IV is the sequence number under a fixed salt (seqiv:
 * every AEAD, AES-CTR): a repeated number is a repeated nonce, so its SAs
 * must never cycle (RFC 4106 3.1, RFC 3686 3.1). Process context.
 */
bool kame_alg_seq_nonce(u8 id);

/* xfrm_algo's tables bound (else nothing but a list of names works). */
bool kame_algs_ready(void);

int kame_algs_init(void);
void kame_algs_exit(void);

#endif
