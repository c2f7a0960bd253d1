// SPDX-License-Identifier: BSD-3-Clause
/*
 * The algorithm table: every name KAME/ipsec-tools setkey accepts, the
 * FreeBSD/man-page names the last ipsec-tools lexer lacked, and modern
 * additions. Key sizes in bits; for AES-CTR/GCM/CCM/GMAC and ChaCha20 the
 * key includes the 32-bit (CCM: 24-bit) nonce salt (RFC 3686/4106/4309/7634).
 */
#include <string.h>
#include <strings.h>
#include <linux/pfkeyv2.h>
#include "ipsec_internal.h"

#define E KAME_ALG_ENC
#define A KAME_ALG_AUTH
#define C KAME_ALG_COMP

const struct kame_alg kame_algs[] = {
	/* encryption (-E) */
	{ "des-cbc", E, SADB_EALG_DESCBC, 64, 64, 0, 0, 0, "DES-CBC (RFC 2405)" },
	{ "3des-cbc", E, SADB_EALG_3DESCBC, 192, 192, 0, 0, 0, "3DES-CBC (RFC 2451)" },
	{ "null", E, SADB_EALG_NULL, 0, 0, 1, 0, 0, "no encryption (RFC 2410)" },
	{ "blowfish-cbc", E, SADB_X_EALG_BLOWFISHCBC, 40, 448, 0, 0, 0, "Blowfish-CBC (RFC 2451)" },
	{ "cast128-cbc", E, SADB_X_EALG_CASTCBC, 40, 128, 0, 0, 0, "CAST128-CBC (RFC 2451)" },
	{ "aes-cbc", E, SADB_X_EALG_AESCBC, 128, 256, 0, 0, 0, "AES-CBC (RFC 3602)" },
	{ "rijndael-cbc", E, SADB_X_EALG_AESCBC, 128, 256, 0, 1, 0, "= aes-cbc" },
	{ "twofish-cbc", E, SADB_X_EALG_TWOFISHCBC, 128, 256, 0, 0, 0, "Twofish-CBC" },
	{ "serpent-cbc", E, SADB_X_EALG_SERPENTCBC, 128, 256, 0, 0, 0, "Serpent-CBC" },
	{ "aes-ctr", E, SADB_X_EALG_AESCTR, 160, 288, 0, 0, 0, "AES-CTR (RFC 3686), key+nonce" },
	{ "camellia-cbc", E, SADB_X_EALG_CAMELLIACBC, 128, 256, 0, 0, 0, "Camellia-CBC (RFC 4312)" },
	{ "aes-gcm-16", E, SADB_X_EALG_AES_GCM_ICV16, 160, 288, 0, 0, 0, "AES-GCM-16 (RFC 4106)" },
	{ "aes-gcm-12", E, SADB_X_EALG_AES_GCM_ICV12, 160, 288, 0, 0, 0, "AES-GCM-12" },
	{ "aes-gcm-8", E, SADB_X_EALG_AES_GCM_ICV8, 160, 288, 0, 0, 0, "AES-GCM-8" },
	{ "aes-ccm-16", E, SADB_X_EALG_AES_CCM_ICV16, 152, 280, 0, 0, 0, "AES-CCM-16 (RFC 4309)" },
	{ "aes-ccm-12", E, SADB_X_EALG_AES_CCM_ICV12, 152, 280, 0, 0, 0, "AES-CCM-12" },
	{ "aes-ccm-8", E, SADB_X_EALG_AES_CCM_ICV8, 152, 280, 0, 0, 0, "AES-CCM-8" },
	{ "aes-gmac", E, SADB_X_EALG_NULL_AES_GMAC, 160, 288, 0, 0, 0, "AES-GMAC (RFC 4543)" },
	{ "null-aes-gmac", E, SADB_X_EALG_NULL_AES_GMAC, 160, 288, 0, 1, 0, "= aes-gmac" },
	{ "chacha20-poly1305", E, KAME_EALG_CHACHA20_POLY1305, 288, 288, 0, 0, 0, "RFC 7634" },
	{ "des-deriv", E, SADB_EALG_DESCBC, 64, 64, 0, 1, SADB_X_EXT_DERIV, "esp-old only" },
	{ "des-32iv", E, SADB_EALG_DESCBC, 64, 64, 0, 1, SADB_X_EXT_IV4B, "esp-old only" },
	{ "simple", E, SADB_EALG_NULL, 0, 2048, 0, 1, 0, "esp-old only" },
	/* authentication (-A) */
	{ "hmac-md5", A, SADB_AALG_MD5HMAC, 128, 128, 0, 0, 0, "HMAC-MD5-96 (RFC 2403)" },
	{ "hmac-sha1", A, SADB_AALG_SHA1HMAC, 160, 160, 0, 0, 0, "HMAC-SHA1-96 (RFC 2404)" },
	{ "hmac-sha256", A, SADB_X_AALG_SHA2_256HMAC, 256, 256, 0, 0, 0, "128-bit ICV (RFC 4868; 96 if net.key.sha256_icv96=1)" },
	{ "hmac-sha2-256", A, SADB_X_AALG_SHA2_256HMAC, 256, 256, 0, 1, 0, "= hmac-sha256" },
	{ "hmac-sha256-128", A, KAME_AALG_SHA2_256HMAC_128, 256, 256, 0, 0, 0, "128-bit ICV (RFC 4868)" },
	{ "hmac-sha2-256-128", A, KAME_AALG_SHA2_256HMAC_128, 256, 256, 0, 1, 0, "= hmac-sha256-128" },
	{ "hmac-sha384", A, SADB_X_AALG_SHA2_384HMAC, 384, 384, 0, 0, 0, "RFC 4868" },
	{ "hmac-sha2-384", A, SADB_X_AALG_SHA2_384HMAC, 384, 384, 0, 1, 0, "= hmac-sha384" },
	{ "hmac-sha512", A, SADB_X_AALG_SHA2_512HMAC, 512, 512, 0, 0, 0, "RFC 4868" },
	{ "hmac-sha2-512", A, SADB_X_AALG_SHA2_512HMAC, 512, 512, 0, 1, 0, "= hmac-sha512" },
	{ "hmac-ripemd160", A, SADB_X_AALG_RIPEMD160HMAC, 160, 160, 0, 0, 0, "RFC 2857" },
	{ "aes-xcbc-mac", A, SADB_X_AALG_AES_XCBC_MAC, 128, 128, 0, 0, 0, "RFC 3566" },
	{ "keyed-md5", A, 249, 128, 128, 0, 0, 0, "keyed MD5 (RFC 1828, BSD only)" },
	{ "keyed-sha1", A, 250, 160, 160, 0, 0, 0, "keyed SHA1 (BSD only)" },
	{ "null", A, SADB_X_AALG_NULL, 0, 0, 1, 0, 0, "no authentication" },
	{ "tcp-md5", A, 252, 8, 640, 0, 0, 0, "TCP-MD5 (RFC 2385, BSD only)" },
	/* compression (-C) */
	{ "oui", C, SADB_X_CALG_OUI, 0, 0, 1, 0, 0, "vendor specific" },
	{ "deflate", C, SADB_X_CALG_DEFLATE, 0, 0, 1, 0, 0, "DEFLATE (RFC 2394)" },
	{ "lzs", C, SADB_X_CALG_LZS, 0, 0, 1, 0, 0, "LZS (RFC 2395)" },
	{ "lzjh", C, SADB_X_CALG_LZJH, 0, 0, 1, 0, 0, "LZJH (RFC 3051)" },
	{ NULL, 0, 0, 0, 0, 0, 0, 0, NULL },
};

const struct kame_alg *kame_alg_by_name(char kind, const char *name)
{
	const struct kame_alg *a;

	for (a = kame_algs; a->name; a++)
		if (a->kind == kind && !strcasecmp(a->name, name))
			return a;
	return NULL;
}

const struct kame_alg *kame_alg_by_id(char kind, unsigned int id)
{
	const struct kame_alg *a;

	for (a = kame_algs; a->name; a++)
		if (a->kind == kind && a->id == id && !a->alias)
			return a;
	return NULL;
}

const char *kame_alg_name(char kind, unsigned int id)
{
	const struct kame_alg *a = kame_alg_by_id(kind, id);

	return a ? a->name : NULL;
}
