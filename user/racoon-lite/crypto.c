// SPDX-License-Identifier: BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include "crypto.h"
#include "isakmp.h"
#include "log.h"

void crypto_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("getrandom failed: %m");
			abort();
		}
		p += n;
		len -= (size_t)n;
	}
}

static const EVP_MD *md_of(int hash)
{
	switch (hash) {
	case OAKLEY_HASH_MD5:
		return EVP_md5();
	case OAKLEY_HASH_SHA1:
		return EVP_sha1();
	case OAKLEY_HASH_SHA256:
		return EVP_sha256();
	case OAKLEY_HASH_SHA384:
		return EVP_sha384();
	case OAKLEY_HASH_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

bool crypto_hash_ok(int hash)
{
	return md_of(hash) != NULL;
}

size_t crypto_hash_len(int hash)
{
	const EVP_MD *md = md_of(hash);

	return md ? (size_t)EVP_MD_get_size(md) : 0;
}

int crypto_hash(int hash, const struct chunk *c, int n, uint8_t *out)
{
	const EVP_MD *md = md_of(hash);
	EVP_MD_CTX *ctx;
	int ok;

	if (!md)
		return -1;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, md, NULL);
	for (int i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, c[i].p, c[i].len);
	ok = ok && EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int crypto_prf(int hash, const void *key, size_t klen,
	       const struct chunk *c, int n, uint8_t *out)
{
	static EVP_MAC *hmac;
	const EVP_MD *md = md_of(hash);
	static const uint8_t nokey[1];
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;
	size_t outl;
	int ok;

	if (!md)
		return -1;
	if (!hmac)
		hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!hmac)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(
		"digest", (char *)EVP_MD_get0_name(md), 0);
	params[1] = OSSL_PARAM_construct_end();
	ctx = EVP_MAC_CTX_new(hmac);
	ok = ctx && EVP_MAC_init(ctx, klen ? key : nokey, klen, params);
	for (int i = 0; ok && i < n; i++)
		ok = EVP_MAC_update(ctx, c[i].p, c[i].len);
	ok = ok && EVP_MAC_final(ctx, out, &outl, MAX_HASH_LEN);
	EVP_MAC_CTX_free(ctx);
	return ok ? 0 : -1;
}

static const EVP_CIPHER *cipher_of(int enc, unsigned int keybits)
{
	switch (enc) {
	case OAKLEY_ENC_3DES:
		return keybits == 0 || keybits == 192 ? EVP_des_ede3_cbc() :
							NULL;
	case OAKLEY_ENC_AES:
		switch (keybits) {
		case 0:
		case 128:
			return EVP_aes_128_cbc();
		case 192:
			return EVP_aes_192_cbc();
		case 256:
			return EVP_aes_256_cbc();
		}
	}
	return NULL;
}

bool crypto_cipher_ok(int enc, unsigned int keybits)
{
	return cipher_of(enc, keybits) != NULL;
}

size_t crypto_key_len(int enc, unsigned int keybits)
{
	const EVP_CIPHER *c = cipher_of(enc, keybits);

	return c ? (size_t)EVP_CIPHER_get_key_length(c) : 0;
}

size_t crypto_block_len(int enc)
{
	const EVP_CIPHER *c = cipher_of(enc, 0);

	return c ? (size_t)EVP_CIPHER_get_block_size(c) : 0;
}

int crypto_cbc(int enc, unsigned int keybits, const uint8_t *key,
	       uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
	       bool encrypt)
{
	const EVP_CIPHER *c = cipher_of(enc, keybits);
	size_t bl = crypto_block_len(enc);
	uint8_t next_iv[MAX_BLOCK_LEN];
	EVP_CIPHER_CTX *ctx;
	int ok, outl = 0, fl = 0;

	if (!c || !bl || len == 0 || len % bl || len > INT32_MAX)
		return -1;
	if (!encrypt)
		memcpy(next_iv, in + len - bl, bl);
	ctx = EVP_CIPHER_CTX_new();
	ok = ctx && EVP_CipherInit_ex(ctx, c, NULL, key, iv, encrypt);
	ok = ok && EVP_CIPHER_CTX_set_padding(ctx, 0);
	ok = ok && EVP_CipherUpdate(ctx, out, &outl, in, (int)len);
	ok = ok && EVP_CipherFinal_ex(ctx, out + outl, &fl);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return -1;
	memcpy(iv, encrypt ? out + len - bl : next_iv, bl);
	return 0;
}

int crypto_p1_keys(int hash, int enc, unsigned int keybits,
		   const uint8_t *psk, size_t psklen,
		   const uint8_t *ni, size_t nilen,
		   const uint8_t *nr, size_t nrlen,
		   const uint8_t *gxy, size_t gxylen,
		   const uint8_t cky_i[8], const uint8_t cky_r[8],
		   struct p1_keys *k)
{
	static const uint8_t zero = 0, one = 1, two = 2;
	size_t hl = crypto_hash_len(hash), need, have;
	uint8_t block[MAX_HASH_LEN];

	if (!hl || !crypto_cipher_ok(enc, keybits))
		return -1;
	memset(k, 0, sizeof(*k));
	k->hlen = hl;
	if (psk) {
		/* pre-shared key: SKEYID = prf(key, Ni_b | Nr_b) */
		struct chunk c[] = { { ni, nilen }, { nr, nrlen } };

		if (crypto_prf(hash, psk, psklen, c, 2, k->skeyid))
			return -1;
	} else {
		/* signatures: SKEYID = prf(Ni_b | Nr_b, g^xy) */
		uint8_t nn[512];
		struct chunk c[] = { { gxy, gxylen } };

		if (nilen + nrlen > sizeof(nn))
			return -1;
		memcpy(nn, ni, nilen);
		memcpy(nn + nilen, nr, nrlen);
		if (crypto_prf(hash, nn, nilen + nrlen, c, 1, k->skeyid))
			return -1;
	}
	{
		struct chunk c[] = { { gxy, gxylen }, { cky_i, 8 },
				     { cky_r, 8 }, { &zero, 1 } };

		if (crypto_prf(hash, k->skeyid, hl, c, 4, k->skeyid_d))
			return -1;
	}
	{
		struct chunk c[] = { { k->skeyid_d, hl }, { gxy, gxylen },
				     { cky_i, 8 }, { cky_r, 8 }, { &one, 1 } };

		if (crypto_prf(hash, k->skeyid, hl, c, 5, k->skeyid_a))
			return -1;
	}
	{
		struct chunk c[] = { { k->skeyid_a, hl }, { gxy, gxylen },
				     { cky_i, 8 }, { cky_r, 8 }, { &two, 1 } };

		if (crypto_prf(hash, k->skeyid, hl, c, 5, k->skeyid_e))
			return -1;
	}
	need = crypto_key_len(enc, keybits);
	k->keylen = need;
	if (need <= hl) {
		memcpy(k->key, k->skeyid_e, need);
		return 0;
	}
	/* RFC 2409 appendix B: K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) */
	{
		struct chunk c = { &zero, 1 };

		if (crypto_prf(hash, k->skeyid_e, hl, &c, 1, block))
			return -1;
	}
	have = 0;
	for (;;) {
		size_t n = need - have < hl ? need - have : hl;
		struct chunk c = { block, hl };

		memcpy(k->key + have, block, n);
		have += n;
		if (have == need)
			break;
		if (crypto_prf(hash, k->skeyid_e, hl, &c, 1, block))
			return -1;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return 0;
}

int crypto_p1_iv(int hash, int enc, const uint8_t *gxi, const uint8_t *gxr,
		 size_t glen, uint8_t *iv)
{
	uint8_t h[MAX_HASH_LEN];
	struct chunk c[] = { { gxi, glen }, { gxr, glen } };
	size_t bl = crypto_block_len(enc);

	if (!bl || crypto_hash(hash, c, 2, h) || crypto_hash_len(hash) < bl)
		return -1;
	memcpy(iv, h, bl);
	return 0;
}

int crypto_p2_iv(int hash, int enc, const uint8_t *p1_iv, uint32_t msgid,
		 uint8_t *iv)
{
	uint8_t h[MAX_HASH_LEN], mid[4];
	size_t bl = crypto_block_len(enc);
	struct chunk c[] = { { p1_iv, bl }, { mid, 4 } };

	mid[0] = msgid >> 24;
	mid[1] = msgid >> 16;
	mid[2] = msgid >> 8;
	mid[3] = msgid;
	if (!bl || crypto_hash(hash, c, 2, h) || crypto_hash_len(hash) < bl)
		return -1;
	memcpy(iv, h, bl);
	return 0;
}

int crypto_keymat(int hash, const uint8_t *skeyid_d, const uint8_t *gxy,
		  size_t gxylen, uint8_t proto, const uint8_t spi[4],
		  const uint8_t *ni, size_t nilen, const uint8_t *nr,
		  size_t nrlen, uint8_t *out, size_t outlen)
{
	size_t hl = crypto_hash_len(hash), have = 0;
	uint8_t block[MAX_HASH_LEN];
	bool first = true;

	if (!hl)
		return -1;
	while (have < outlen) {
		struct chunk c[6];
		int n = 0;
		size_t take;

		if (!first)
			c[n++] = (struct chunk){ block, hl };
		if (gxy)
			c[n++] = (struct chunk){ gxy, gxylen };
		c[n++] = (struct chunk){ &proto, 1 };
		c[n++] = (struct chunk){ spi, 4 };
		c[n++] = (struct chunk){ ni, nilen };
		c[n++] = (struct chunk){ nr, nrlen };
		if (crypto_prf(hash, skeyid_d, hl, c, n, block))
			return -1;
		first = false;
		take = outlen - have < hl ? outlen - have : hl;
		memcpy(out + have, block, take);
		have += take;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return 0;
}
