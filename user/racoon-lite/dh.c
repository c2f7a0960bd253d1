// SPDX-License-Identifier: BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "crypto.h"
#include "dh.h"
#include "log.h"

struct dh {
	int group;
	size_t len;
	BIGNUM *p, *g, *priv;
	uint8_t pub[256];
};

static BIGNUM *prime_of(int group)
{
	switch (group) {
	case 2:
		return BN_get_rfc2409_prime_1024(NULL);
	case 5:
		return BN_get_rfc3526_prime_1536(NULL);
	case 14:
		return BN_get_rfc3526_prime_2048(NULL);
	}
	return NULL;
}

bool dh_group_ok(int group)
{
	return group == 2 || group == 5 || group == 14;
}

size_t dh_len(int group)
{
	switch (group) {
	case 2:
		return 128;
	case 5:
		return 192;
	case 14:
		return 256;
	}
	return 0;
}

void dh_free(struct dh *dh)
{
	if (!dh)
		return;
	BN_free(dh->p);
	BN_free(dh->g);
	BN_clear_free(dh->priv);
	free(dh);
}

struct dh *dh_new(int group)
{
	uint8_t rnd[256];
	struct dh *dh;
	BIGNUM *pub = NULL;
	BN_CTX *bnctx = NULL;
	bool ok = false;

	if (!dh_group_ok(group))
		return NULL;
	dh = calloc(1, sizeof(*dh));
	if (!dh)
		return NULL;
	dh->group = group;
	dh->len = dh_len(group);
	dh->p = prime_of(group);
	dh->g = BN_new();
	bnctx = BN_CTX_new();
	pub = BN_new();
	if (!dh->p || !dh->g || !bnctx || !pub || !BN_set_word(dh->g, 2))
		goto out;
	/* A private value one byte shorter than p is always below p. */
	crypto_random(rnd, dh->len - 1);
	rnd[0] |= 0x80;
	dh->priv = BN_secure_new();
	if (!dh->priv || !BN_bin2bn(rnd, (int)dh->len - 1, dh->priv))
		goto out;
	BN_set_flags(dh->priv, BN_FLG_CONSTTIME);
	if (!BN_mod_exp_mont_consttime(pub, dh->g, dh->priv, dh->p, bnctx,
				       NULL))
		goto out;
	if (BN_bn2binpad(pub, dh->pub, (int)dh->len) < 0)
		goto out;
	ok = true;
out:
	OPENSSL_cleanse(rnd, sizeof(rnd));
	BN_free(pub);
	BN_CTX_free(bnctx);
	if (!ok) {
		dh_free(dh);
		return NULL;
	}
	return dh;
}

const uint8_t *dh_public(const struct dh *dh)
{
	return dh->pub;
}

/* An EVP_PKEY with the group and the given public (and private) value. */
static EVP_PKEY *make_pkey(const struct dh *dh, const BIGNUM *pub,
			   const BIGNUM *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, dh->p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, dh->g) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub) ||
	    (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
					     priv)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, priv ? EVP_PKEY_KEYPAIR :
				EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

int dh_compute(struct dh *dh, const uint8_t *peer, size_t len, uint8_t *out)
{
	BIGNUM *peer_bn = NULL, *own_pub = NULL, *pm1 = NULL;
	EVP_PKEY *mine = NULL, *theirs = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t outlen = dh->len;
	int ret = -1;

	if (len != dh->len)
		return -1;
	peer_bn = BN_bin2bn(peer, (int)len, NULL);
	own_pub = BN_bin2bn(dh->pub, (int)dh->len, NULL);
	pm1 = BN_dup(dh->p);
	if (!peer_bn || !own_pub || !pm1 || !BN_sub_word(pm1, 1))
		goto out;
	/* 1 < y < p-1 (RFC 2631 style public value check) */
	if (BN_cmp(peer_bn, BN_value_one()) <= 0 || BN_cmp(peer_bn, pm1) >= 0)
		goto out;
	mine = make_pkey(dh, own_pub, dh->priv);
	theirs = make_pkey(dh, peer_bn, NULL);
	if (!mine || !theirs)
		goto out;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, theirs) <= 0 ||
	    EVP_PKEY_derive(ctx, out, &outlen) <= 0 || outlen != dh->len)
		goto out;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(theirs);
	BN_free(peer_bn);
	BN_free(own_pub);
	BN_free(pm1);
	return ret;
}
