/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv1 crypto on top of libcrypto: the negotiated hash as prf (HMAC),
 * the RFC 2409 key derivation, CBC with IV chaining, and random bytes.
 * Algorithms are named by their Oakley attribute values.
 */
#ifndef RACOON_LITE_CRYPTO_H
#define RACOON_LITE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_HASH_LEN	64	/* SHA-512 */
#define MAX_KEY_LEN	32
#define MAX_AUTHKEY_LEN	64	/* an IPsec SA's HMAC key: SHA-512 */
#define MAX_BLOCK_LEN	16

struct chunk {
	const void *p;
	size_t len;
};

/* Fills buf from getrandom(); aborts the process if the kernel fails. */
void crypto_random(void *buf, size_t len);

bool crypto_hash_ok(int hash);
size_t crypto_hash_len(int hash);
int crypto_hash(int hash, const struct chunk *c, int n, uint8_t *out);
int crypto_prf(int hash, const void *key, size_t klen,
	       const struct chunk *c, int n, uint8_t *out);

/* keybits 0 = the algorithm's default (3des 192, aes 128). */
bool crypto_cipher_ok(int enc, unsigned int keybits);
size_t crypto_key_len(int enc, unsigned int keybits);
size_t crypto_block_len(int enc);
/*
 * CBC over len bytes (a multiple of the block size). iv is updated to
 * the last ciphertext block, the chaining RFC 2409 requires between
 * messages.
 */
int crypto_cbc(int enc, unsigned int keybits, const uint8_t *key,
	       uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
	       bool encrypt);

struct p1_keys {
	size_t hlen;
	uint8_t skeyid[MAX_HASH_LEN];
	uint8_t skeyid_d[MAX_HASH_LEN];
	uint8_t skeyid_a[MAX_HASH_LEN];
	uint8_t skeyid_e[MAX_HASH_LEN];
	size_t keylen;
	uint8_t key[MAX_KEY_LEN];	/* the phase-1 cipher key */
};

/* RFC 2409 5 and appendix B: pre-shared keys, or signatures when psk is NULL. */
int crypto_p1_keys(int hash, int enc, unsigned int keybits,
		   const uint8_t *psk, size_t psklen,
		   const uint8_t *ni, size_t nilen,
		   const uint8_t *nr, size_t nrlen,
		   const uint8_t *gxy, size_t gxylen,
		   const uint8_t cky_i[8], const uint8_t cky_r[8],
		   struct p1_keys *k);
/* Phase-1 IV: hash(g^xi | g^xr), first block. */
int crypto_p1_iv(int hash, int enc, const uint8_t *gxi, const uint8_t *gxr,
		 size_t glen, uint8_t *iv);
/* Phase-2 / informational IV: hash(last phase-1 block | M-ID). */
int crypto_p2_iv(int hash, int enc, const uint8_t *p1_iv, uint32_t msgid,
		 uint8_t *iv);
/*
 * KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g^xy |] proto | SPI | Ni | Nr),
 * Kn = prf(SKEYID_d, Kn-1 | [g^xy |] proto | SPI | Ni | Nr). spi in
 * network order.
 */
int crypto_keymat(int hash, const uint8_t *skeyid_d, const uint8_t *gxy,
		  size_t gxylen, uint8_t proto, const uint8_t spi[4],
		  const uint8_t *ni, size_t nilen, const uint8_t *nr,
		  size_t nrlen, uint8_t *out, size_t outlen);

#endif
