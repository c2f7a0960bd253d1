// SPDX-License-Identifier: BSD-3-Clause
/* The KAME <-> XFRM algorithm name table (see xfrm_algs.h). */
#include <string.h>
#include "parse.h"
#include "xfrm_algs.h"

#define E KAME_ALG_ENC
#define A KAME_ALG_AUTH
#define C KAME_ALG_COMP

static const struct sk_xalg xalgs[] = {
	{ E, SADB_EALG_DESCBC, "cbc(des)", SK_X_ENC, 0 },
	{ E, SADB_EALG_3DESCBC, "cbc(des3_ede)", SK_X_ENC, 0 },
	{ E, SADB_EALG_NULL, "ecb(cipher_null)", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_BLOWFISHCBC, "cbc(blowfish)", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_CASTCBC, "cbc(cast5)", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_AESCBC, "cbc(aes)", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_TWOFISHCBC, "cbc(twofish)", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_SERPENTCBC, "cbc(serpent)", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_AESCTR, "rfc3686(ctr(aes))", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_CAMELLIACBC, "cbc(camellia)", SK_X_ENC, 0 },
	{ E, SADB_X_EALG_AES_GCM_ICV16, "rfc4106(gcm(aes))", SK_X_AEAD, 128 },
	{ E, SADB_X_EALG_AES_GCM_ICV12, "rfc4106(gcm(aes))", SK_X_AEAD, 96 },
	{ E, SADB_X_EALG_AES_GCM_ICV8, "rfc4106(gcm(aes))", SK_X_AEAD, 64 },
	{ E, SADB_X_EALG_AES_CCM_ICV16, "rfc4309(ccm(aes))", SK_X_AEAD, 128 },
	{ E, SADB_X_EALG_AES_CCM_ICV12, "rfc4309(ccm(aes))", SK_X_AEAD, 96 },
	{ E, SADB_X_EALG_AES_CCM_ICV8, "rfc4309(ccm(aes))", SK_X_AEAD, 64 },
	{ E, SADB_X_EALG_NULL_AES_GMAC, "rfc4543(gcm(aes))", SK_X_AEAD, 128 },
	{ E, KAME_EALG_CHACHA20_POLY1305, "rfc7539esp(chacha20,poly1305)", SK_X_AEAD, 128 },
	{ A, SADB_AALG_MD5HMAC, "hmac(md5)", SK_X_AUTH, 96 },
	{ A, SADB_AALG_SHA1HMAC, "hmac(sha1)", SK_X_AUTH, 96 },
	/*
	 * kameipsec gives hmac-sha256 RFC 4868's 128-bit ICV unless
	 * net.key.sha256_icv96 = 1; hmac-sha256-128 is 128 either way, so
	 * XFRM's 128 reads back as that. XFRM's 96 has no setkey name.
	 */
	{ A, KAME_AALG_SHA2_256HMAC_128, "hmac(sha256)", SK_X_AUTH, 128 },
	{ A, SADB_X_AALG_SHA2_256HMAC, "hmac(sha256)", SK_X_AUTH, 128 },
	{ A, SADB_X_AALG_SHA2_384HMAC, "hmac(sha384)", SK_X_AUTH, 192 },
	{ A, SADB_X_AALG_SHA2_512HMAC, "hmac(sha512)", SK_X_AUTH, 256 },
	{ A, SADB_X_AALG_RIPEMD160HMAC, "hmac(rmd160)", SK_X_AUTH, 96 },
	{ A, SADB_X_AALG_AES_XCBC_MAC, "xcbc(aes)", SK_X_AUTH, 96 },
	{ C, SADB_X_CALG_DEFLATE, "deflate", SK_X_COMP, 0 },
	{ C, SADB_X_CALG_LZS, "lzs", SK_X_COMP, 0 },
	{ C, SADB_X_CALG_LZJH, "lzjh", SK_X_COMP, 0 },
};

const struct sk_xalg *sk_xalg_by_id(char kind, unsigned int id)
{
	size_t i;

	for (i = 0; i < sizeof(xalgs) / sizeof(xalgs[0]); i++)
		if (xalgs[i].kind == kind && xalgs[i].id == id)
			return &xalgs[i];
	return NULL;
}

const struct sk_xalg *sk_xalg_by_name(enum sk_xhow how, const char *xname,
				      unsigned int bits)
{
	size_t i;

	for (i = 0; i < sizeof(xalgs) / sizeof(xalgs[0]); i++)
		if (xalgs[i].how == how && !strcmp(xalgs[i].xname, xname) &&
		    (!bits || xalgs[i].bits == bits))
			return &xalgs[i];
	return NULL;
}
