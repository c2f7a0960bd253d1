// SPDX-License-Identifier: BSD-3-Clause
/*
 * Key derivation against an independent computation: the RFC 2409
 * formulas written out with OpenSSL's one-shot HMAC() and EVP digests,
 * plus fixed vectors for the prf (RFC 2202) and DH sanity checks.
 */
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/bn.h>

#include "kselftest_harness.h"
#include "../crypto.h"
#include "../dh.h"
#include "../isakmp.h"

static const EVP_MD *md(int h)
{
	return h == OAKLEY_HASH_MD5 ? EVP_md5() :
	       h == OAKLEY_HASH_SHA1 ? EVP_sha1() :
	       h == OAKLEY_HASH_SHA384 ? EVP_sha384() :
	       h == OAKLEY_HASH_SHA512 ? EVP_sha512() : EVP_sha256();
}

/* prf(key, a | b | c | d | e) with one-shot HMAC over a concatenation */
static size_t ref_prf(int h, const void *key, size_t klen, uint8_t *out,
		      const void *a, size_t al, const void *b, size_t bl,
		      const void *c, size_t cl, const void *d, size_t dl,
		      const void *e, size_t el)
{
	uint8_t buf[2048];
	unsigned int ol = 0;
	size_t n = 0;

	memcpy(buf + n, a, al), n += al;
	if (bl)
		memcpy(buf + n, b, bl), n += bl;
	if (cl)
		memcpy(buf + n, c, cl), n += cl;
	if (dl)
		memcpy(buf + n, d, dl), n += dl;
	if (el)
		memcpy(buf + n, e, el), n += el;
	HMAC(md(h), key, (int)klen, buf, n, out, &ol);
	return ol;
}

TEST(prf_rfc2202_vector)
{
	uint8_t key[20], out[MAX_HASH_LEN];
	static const uint8_t want[20] = {
		0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b,
		0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00,
	};
	struct chunk c[2] = { { "Hi ", 3 }, { "There", 5 } };

	memset(key, 0x0b, sizeof(key));
	ASSERT_EQ(0, crypto_prf(OAKLEY_HASH_SHA1, key, 20, c, 2, out));
	ASSERT_EQ(0, memcmp(want, out, 20));
}

static void check_p1(struct __test_metadata *_metadata, int hash, int enc,
		     unsigned int bits)
{
	uint8_t ni[16], nr[24], gxy[128], cki[8], ckr[8], psk[] = "secret";
	uint8_t skeyid[64], d[64], a[64], e[64], k1[64], k2[64], key[128];
	static const uint8_t zero = 0, one = 1, two = 2;
	size_t hl = crypto_hash_len(hash), need = crypto_key_len(enc, bits);
	struct p1_keys k;

	for (size_t i = 0; i < sizeof(gxy); i++)
		gxy[i] = (uint8_t)(i * 7 + 1);
	memset(ni, 0x11, sizeof(ni));
	memset(nr, 0x22, sizeof(nr));
	memset(cki, 0xc1, 8);
	memset(ckr, 0xc2, 8);
	ASSERT_EQ(0, crypto_p1_keys(hash, enc, bits, psk, 6, ni, sizeof(ni),
				    nr, sizeof(nr), gxy, sizeof(gxy), cki,
				    ckr, &k));
	ASSERT_EQ(hl, k.hlen);
	/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
	ref_prf(hash, psk, 6, skeyid, ni, 16, nr, 24, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(0, memcmp(skeyid, k.skeyid, hl));
	/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0) */
	ref_prf(hash, skeyid, hl, d, gxy, 128, cki, 8, ckr, 8, &zero, 1, 0, 0);
	ASSERT_EQ(0, memcmp(d, k.skeyid_d, hl));
	/* SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1) */
	ref_prf(hash, skeyid, hl, a, d, hl, gxy, 128, cki, 8, ckr, 8, &one, 1);
	ASSERT_EQ(0, memcmp(a, k.skeyid_a, hl));
	ref_prf(hash, skeyid, hl, e, a, hl, gxy, 128, cki, 8, ckr, 8, &two, 1);
	ASSERT_EQ(0, memcmp(e, k.skeyid_e, hl));
	/* appendix B: key = SKEYID_e if long enough, else K1 | K2 | ... */
	ASSERT_EQ(need, k.keylen);
	if (need <= hl) {
		ASSERT_EQ(0, memcmp(e, k.key, need));
	} else {
		ref_prf(hash, e, hl, k1, &zero, 1, 0, 0, 0, 0, 0, 0, 0, 0);
		ref_prf(hash, e, hl, k2, k1, hl, 0, 0, 0, 0, 0, 0, 0, 0);
		memcpy(key, k1, hl);
		memcpy(key + hl, k2, hl);
		ASSERT_EQ(0, memcmp(key, k.key, need));
	}
}

TEST(p1_keys_sha1_3des_expands)
{
	check_p1(_metadata, OAKLEY_HASH_SHA1, OAKLEY_ENC_3DES, 0);
}

TEST(p1_keys_md5_aes128)
{
	check_p1(_metadata, OAKLEY_HASH_MD5, OAKLEY_ENC_AES, 128);
}

TEST(p1_keys_md5_aes256_expands)
{
	check_p1(_metadata, OAKLEY_HASH_MD5, OAKLEY_ENC_AES, 256);
}

TEST(p1_keys_sha256_aes256)
{
	check_p1(_metadata, OAKLEY_HASH_SHA256, OAKLEY_ENC_AES, 256);
}

TEST(p1_keys_sha384_aes256)
{
	check_p1(_metadata, OAKLEY_HASH_SHA384, OAKLEY_ENC_AES, 256);
}

TEST(p1_keys_sha512_aes128)
{
	check_p1(_metadata, OAKLEY_HASH_SHA512, OAKLEY_ENC_AES, 128);
}

/* RFC 4231 4.3 (test case 2): key "Jefe", "what do ya want for nothing?" */
TEST(prf_rfc4231_sha384_sha512)
{
	static const uint8_t want384[48] = {
		0xaf, 0x45, 0xd2, 0xe3, 0x76, 0x48, 0x40, 0x31, 0x61, 0x7f,
		0x78, 0xd2, 0xb5, 0x8a, 0x6b, 0x1b, 0x9c, 0x7e, 0xf4, 0x64,
		0xf5, 0xa0, 0x1b, 0x47, 0xe4, 0x2e, 0xc3, 0x73, 0x63, 0x22,
		0x44, 0x5e, 0x8e, 0x22, 0x40, 0xca, 0x5e, 0x69, 0xe2, 0xc7,
		0x8b, 0x32, 0x39, 0xec, 0xfa, 0xb2, 0x16, 0x49,
	};
	static const uint8_t want512[64] = {
		0x16, 0x4b, 0x7a, 0x7b, 0xfc, 0xf8, 0x19, 0xe2, 0xe3, 0x95,
		0xfb, 0xe7, 0x3b, 0x56, 0xe0, 0xa3, 0x87, 0xbd, 0x64, 0x22,
		0x2e, 0x83, 0x1f, 0xd6, 0x10, 0x27, 0x0c, 0xd7, 0xea, 0x25,
		0x05, 0x54, 0x97, 0x58, 0xbf, 0x75, 0xc0, 0x5a, 0x99, 0x4a,
		0x6d, 0x03, 0x4f, 0x65, 0xf8, 0xf0, 0xe6, 0xfd, 0xca, 0xea,
		0xb1, 0xa3, 0x4d, 0x4a, 0x6b, 0x4b, 0x63, 0x6e, 0x07, 0x0a,
		0x38, 0xbc, 0xe7, 0x37,
	};
	struct chunk c[2] = { { "what do ya ", 11 },
			      { "want for nothing?", 17 } };
	uint8_t out[MAX_HASH_LEN];

	ASSERT_EQ(48, crypto_hash_len(OAKLEY_HASH_SHA384));
	ASSERT_EQ(64, crypto_hash_len(OAKLEY_HASH_SHA512));
	ASSERT_EQ(0, crypto_prf(OAKLEY_HASH_SHA384, "Jefe", 4, c, 2, out));
	ASSERT_EQ(0, memcmp(want384, out, 48));
	ASSERT_EQ(0, crypto_prf(OAKLEY_HASH_SHA512, "Jefe", 4, c, 2, out));
	ASSERT_EQ(0, memcmp(want512, out, 64));
}

TEST(ivs)
{
	uint8_t gxi[128], gxr[128], iv[16], p2iv[16], h[32], buf[300];
	unsigned int hl;

	memset(gxi, 1, sizeof(gxi));
	memset(gxr, 2, sizeof(gxr));
	ASSERT_EQ(0, crypto_p1_iv(OAKLEY_HASH_SHA1, OAKLEY_ENC_3DES, gxi, gxr,
				  128, iv));
	memcpy(buf, gxi, 128);
	memcpy(buf + 128, gxr, 128);
	EVP_Digest(buf, 256, h, &hl, EVP_sha1(), NULL);
	ASSERT_EQ(0, memcmp(h, iv, 8));
	/* phase 2: hash(last phase-1 block | M-ID), M-ID in network order */
	ASSERT_EQ(0, crypto_p2_iv(OAKLEY_HASH_SHA256, OAKLEY_ENC_AES, iv,
				  0x01020304, p2iv));
	memcpy(buf, iv, 16);
	buf[16] = 1, buf[17] = 2, buf[18] = 3, buf[19] = 4;
	EVP_Digest(buf, 20, h, &hl, EVP_sha256(), NULL);
	ASSERT_EQ(0, memcmp(h, p2iv, 16));
}

TEST(keymat_with_and_without_pfs)
{
	uint8_t skd[20], ni[16], nr[16], g[128], km[44], want[60], k1[20];
	uint8_t spi[4] = { 0, 0, 0x10, 0 }, proto = PROTO_IPSEC_ESP;

	memset(skd, 0x5d, sizeof(skd));
	memset(ni, 0xa1, sizeof(ni));
	memset(nr, 0xb2, sizeof(nr));
	memset(g, 0x33, sizeof(g));
	/* 3des (24) + hmac-sha1 (20) = 44 bytes: three prf blocks */
	ASSERT_EQ(0, crypto_keymat(OAKLEY_HASH_SHA1, skd, NULL, 0, proto, spi,
				   ni, 16, nr, 16, km, sizeof(km)));
	ref_prf(OAKLEY_HASH_SHA1, skd, 20, want, &proto, 1, spi, 4, ni, 16,
		nr, 16, 0, 0);
	memcpy(k1, want, 20);
	{
		uint8_t tmp[20 + 1 + 4 + 32];

		memcpy(tmp, k1, 20);
		tmp[20] = proto;
		memcpy(tmp + 21, spi, 4);
		memcpy(tmp + 25, ni, 16);
		memcpy(tmp + 41, nr, 16);
		ref_prf(OAKLEY_HASH_SHA1, skd, 20, want + 20, tmp, 57, 0, 0, 0,
			0, 0, 0, 0, 0);
		memcpy(tmp, want + 20, 20);
		ref_prf(OAKLEY_HASH_SHA1, skd, 20, want + 40, tmp, 57, 0, 0, 0,
			0, 0, 0, 0, 0);
	}
	ASSERT_EQ(0, memcmp(want, km, 44));
	/* PFS: g(qm)^xy goes first */
	ASSERT_EQ(0, crypto_keymat(OAKLEY_HASH_SHA1, skd, g, 128, proto, spi,
				   ni, 16, nr, 16, km, 20));
	ref_prf(OAKLEY_HASH_SHA1, skd, 20, want, g, 128, &proto, 1, spi, 4,
		ni, 16, nr, 16);
	ASSERT_EQ(0, memcmp(want, km, 20));
}

TEST(cbc_chains_across_messages)
{
	uint8_t key[24], iv[8], iv0[8], pt[48], ct1[16], ct2[32], ref[48];
	uint8_t back[48];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;

	memset(key, 0x42, sizeof(key));
	memset(iv0, 0x07, sizeof(iv0));
	for (int i = 0; i < 48; i++)
		pt[i] = (uint8_t)i;
	/* two messages with the IV carried over == one CBC stream */
	memcpy(iv, iv0, 8);
	ASSERT_EQ(0, crypto_cbc(OAKLEY_ENC_3DES, 0, key, iv, pt, 16, ct1, true));
	ASSERT_EQ(0, crypto_cbc(OAKLEY_ENC_3DES, 0, key, iv, pt + 16, 32, ct2,
				true));
	EVP_EncryptInit_ex(ctx, EVP_des_ede3_cbc(), NULL, key, iv0);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	EVP_EncryptUpdate(ctx, ref, &l1, pt, 48);
	EVP_EncryptFinal_ex(ctx, ref + l1, &l2);
	EVP_CIPHER_CTX_free(ctx);
	ASSERT_EQ(0, memcmp(ref, ct1, 16));
	ASSERT_EQ(0, memcmp(ref + 16, ct2, 32));
	ASSERT_EQ(0, memcmp(ref + 40, iv, 8));
	/* and back */
	memcpy(iv, iv0, 8);
	ASSERT_EQ(0, crypto_cbc(OAKLEY_ENC_3DES, 0, key, iv, ref, 48, back,
				false));
	ASSERT_EQ(0, memcmp(pt, back, 48));
	ASSERT_EQ(0, memcmp(ref + 40, iv, 8));
	/* a length that is not a whole number of blocks is refused */
	ASSERT_EQ(-1, crypto_cbc(OAKLEY_ENC_3DES, 0, key, iv, pt, 12, back,
				 true));
}

TEST(dh_agrees_and_rejects_bad_values)
{
	int groups[] = { 2, 5, 14 };

	for (size_t i = 0; i < 3; i++) {
		struct dh *a = dh_new(groups[i]), *b = dh_new(groups[i]);
		size_t len = dh_len(groups[i]);
		uint8_t sa[256], sb[256], bad[256];
		BIGNUM *p;

		ASSERT_NE(NULL, a);
		ASSERT_NE(NULL, b);
		ASSERT_NE(0, memcmp(dh_public(a), dh_public(b), len));
		ASSERT_EQ(0, dh_compute(a, dh_public(b), len, sa));
		ASSERT_EQ(0, dh_compute(b, dh_public(a), len, sb));
		ASSERT_EQ(0, memcmp(sa, sb, len));
		memset(bad, 0, len);
		ASSERT_EQ(-1, dh_compute(a, bad, len, sa));	/* 0 */
		bad[len - 1] = 1;
		ASSERT_EQ(-1, dh_compute(a, bad, len, sa));	/* 1 */
		memset(bad, 0xff, len);
		ASSERT_EQ(-1, dh_compute(a, bad, len, sa));	/* > p */
		p = groups[i] == 2 ? BN_get_rfc2409_prime_1024(NULL) :
		    groups[i] == 5 ? BN_get_rfc3526_prime_1536(NULL) :
				     BN_get_rfc3526_prime_2048(NULL);
		BN_sub_word(p, 1);
		BN_bn2binpad(p, bad, (int)len);
		ASSERT_EQ(-1, dh_compute(a, bad, len, sa));	/* p-1 */
		ASSERT_EQ(-1, dh_compute(a, dh_public(b), len - 1, sa));
		BN_free(p);
		dh_free(a);
		dh_free(b);
	}
	ASSERT_EQ(NULL, dh_new(1));
}

TEST(ecp_agrees_and_rejects_bad_points)
{
	int groups[] = { 19, 20, 21 };
	size_t lens[] = { 64, 96, 132 };

	for (size_t i = 0; i < 3; i++) {
		struct dh *a = dh_new(groups[i]), *b = dh_new(groups[i]);
		size_t len = dh_len(groups[i]), sl = dh_secret_len(groups[i]);
		uint8_t sa[66], sb[66], bad[132];

		ASSERT_NE(NULL, a);
		ASSERT_NE(NULL, b);
		ASSERT_EQ(lens[i], len);
		ASSERT_EQ(len / 2, sl);
		ASSERT_EQ(0, dh_compute(a, dh_public(b), len, sa));
		ASSERT_EQ(0, dh_compute(b, dh_public(a), len, sb));
		ASSERT_EQ(0, memcmp(sa, sb, sl));
		/* the shared secret is the x coordinate alone (RFC 5903) */
		ASSERT_NE(0, memcmp(sa, dh_public(a), sl));
		memset(bad, 0, len);
		ASSERT_EQ(-1, dh_compute(a, bad, len, sa));
		memset(bad, 0x01, len);
		ASSERT_EQ(-1, dh_compute(a, bad, len, sa));	/* off curve */
		memcpy(bad, dh_public(b), len);
		bad[len - 1] ^= 1;
		ASSERT_EQ(-1, dh_compute(a, bad, len, sa));
		ASSERT_EQ(-1, dh_compute(a, dh_public(b), len - 1, sa));
		dh_free(a);
		dh_free(b);
	}
}

TEST_HARNESS_MAIN
