// SPDX-License-Identifier: BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "crypto.h"
#include "dh.h"
#include "log.h"

struct dh {
	int group;
	size_t len;		/* public value */
	BIGNUM *p, *g, *priv;	/* MODP */
	EVP_PKEY *ec;		/* ECP: our key pair */
	uint8_t pub[256];
};

/* RFC 5903 groups: the public value is x | y, the shared secret x. */
static const char *curve_of(int group)
{
	switch (group) {
	case 19:
		return "prime256v1";
	case 20:
		return "secp384r1";
	case 21:
		return "secp521r1";
	}
	return NULL;
}

static int nid_of(int group)
{
	return group == 19 ? NID_X9_62_prime256v1 :
	       group == 20 ? NID_secp384r1 : NID_secp521r1;
}

/* The largest ECP group: P-521, 66 bytes a coordinate. */
#define EC_COORD_MAX	66

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
	return group == 2 || group == 5 || group == 14 || group == 19 ||
	       group == 20 || group == 21;
}

size_t dh_secret_len(int group)
{
	return curve_of(group) ? dh_len(group) / 2 : dh_len(group);
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
	case 19:
		return 64;
	case 20:
		return 96;
	case 21:
		return 132;
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
	EVP_PKEY_free(dh->ec);
	free(dh);
}

/* An EC key from a point (04|x|y) and, for ours, the private scalar. */
static EVP_PKEY *ec_pkey(int group, const uint8_t *pt, size_t ptlen,
			 const BIGNUM *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld,
			OSSL_PKEY_PARAM_GROUP_NAME, curve_of(group), 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      pt, ptlen) ||
	    (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
					     priv)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
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

static struct dh *ec_new(struct dh *dh)
{
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(nid_of(dh->group));
	size_t n = dh->len / 2;
	uint8_t rnd[EC_COORD_MAX], pt[2 * EC_COORD_MAX + 1];
	int top;
	EC_POINT *pub = NULL;
	BIGNUM *priv = NULL;
	BN_CTX *bnctx = BN_CTX_new();
	bool ok = false;

	priv = BN_secure_new();
	if (!grp || !bnctx || !priv)
		goto out;
	/*
	 * A scalar in [1, order): rejection sampling on getrandom() bytes,
	 * the first byte cut to the order's bit length (P-521: one bit) so
	 * that a try succeeds about half the time or better.
	 */
	top = BN_num_bits(EC_GROUP_get0_order(grp)) % 8;
	do {
		crypto_random(rnd, n);
		if (top)
			rnd[0] &= (uint8_t)((1u << top) - 1);
		if (!BN_bin2bn(rnd, (int)n, priv))
			goto out;
	} while (BN_is_zero(priv) ||
		 BN_cmp(priv, EC_GROUP_get0_order(grp)) >= 0);
	pub = EC_POINT_new(grp);
	if (!pub || !EC_POINT_mul(grp, pub, priv, NULL, NULL, bnctx) ||
	    EC_POINT_point2oct(grp, pub, POINT_CONVERSION_UNCOMPRESSED, pt,
			       sizeof(pt), bnctx) != 2 * n + 1)
		goto out;
	memcpy(dh->pub, pt + 1, 2 * n);
	dh->ec = ec_pkey(dh->group, pt, 2 * n + 1, priv);
	ok = dh->ec != NULL;
out:
	OPENSSL_cleanse(rnd, sizeof(rnd));
	BN_clear_free(priv);
	EC_POINT_free(pub);
	EC_GROUP_free(grp);
	BN_CTX_free(bnctx);
	if (!ok) {
		dh_free(dh);
		return NULL;
	}
	return dh;
}

static int ec_compute(struct dh *dh, const uint8_t *peer, size_t len,
		      uint8_t *out)
{
	size_t n = dh->len / 2, outlen = n;
	EVP_PKEY *theirs;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t pt[2 * EC_COORD_MAX + 1];
	int ret = -1;

	pt[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(pt + 1, peer, len);
	theirs = ec_pkey(dh->group, pt, len + 1, NULL);
	if (!theirs)
		return -1;
	/* derive_set_peer checks that the point is on the curve */
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->ec, NULL);
	if (ctx && EVP_PKEY_derive_init(ctx) > 0 &&
	    EVP_PKEY_derive_set_peer(ctx, theirs) > 0 &&
	    EVP_PKEY_derive(ctx, out, &outlen) > 0 && outlen == n)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(theirs);
	return ret;
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
	if (curve_of(group))
		return ec_new(dh);
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
	if (dh->ec)
		return ec_compute(dh, peer, len, out);
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
