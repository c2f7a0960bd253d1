// SPDX-License-Identifier: GPL-2.0
/*
 * SADB algorithm ids -> crypto API names. The kernel's own xfrm_algo tables
 * (xfrm_ealg_get_byid / xfrm_aalg_get_byid) give the cipher and hash names,
 * IV generators and ICV truncations, so we stay in step with what Linux
 * XFRM does for the same ids. They live in the xfrm_algo module; we bind to
 * it at run time (symbol_request), so kameipsec.ko has no load-time
 * dependency on it. Combined-mode (AEAD) ids are not reachable through those
 * exported functions and are listed here by hand.
 */

#include <linux/module.h>
#include <linux/kmod.h>
#include <linux/pfkeyv2.h>
#include <net/xfrm.h>

#include "algs.h"

static typeof(&xfrm_ealg_get_byid) ealg_byid;
static typeof(&xfrm_aalg_get_byid) aalg_byid;

/* Combined-mode ESP: the AEAD, its generator and ICV length in bytes. */
static const struct {
	u8 id;
	const char *name;
	unsigned int icv_len;
} aeads[] = {
	{ SADB_X_EALG_AES_GCM_ICV8, "seqiv(rfc4106(gcm(aes)))", 8 },
	{ SADB_X_EALG_AES_GCM_ICV12, "seqiv(rfc4106(gcm(aes)))", 12 },
	{ SADB_X_EALG_AES_GCM_ICV16, "seqiv(rfc4106(gcm(aes)))", 16 },
	{ SADB_X_EALG_AES_CCM_ICV8, "seqiv(rfc4309(ccm(aes)))", 8 },
	{ SADB_X_EALG_AES_CCM_ICV12, "seqiv(rfc4309(ccm(aes)))", 12 },
	{ SADB_X_EALG_AES_CCM_ICV16, "seqiv(rfc4309(ccm(aes)))", 16 },
	{ SADB_X_EALG_NULL_AES_GMAC, "seqiv(rfc4543(gcm(aes)))", 16 },
};

/* setkey's names (the statistics use them). */
static const struct {
	u8 id;
	const char *name;
} enc_names[] = {
	{ SADB_EALG_DESCBC, "des-cbc" },
	{ SADB_EALG_3DESCBC, "3des-cbc" },
	{ SADB_X_EALG_CASTCBC, "cast128-cbc" },
	{ SADB_X_EALG_BLOWFISHCBC, "blowfish-cbc" },
	{ SADB_EALG_NULL, "null" },
	{ SADB_X_EALG_AESCBC, "rijndael-cbc" },
	{ SADB_X_EALG_AESCTR, "aes-ctr" },
	{ SADB_X_EALG_AES_CCM_ICV8, "aes-ccm-8" },
	{ SADB_X_EALG_AES_CCM_ICV12, "aes-ccm-12" },
	{ SADB_X_EALG_AES_CCM_ICV16, "aes-ccm-16" },
	{ SADB_X_EALG_AES_GCM_ICV8, "aes-gcm-8" },
	{ SADB_X_EALG_AES_GCM_ICV12, "aes-gcm-12" },
	{ SADB_X_EALG_AES_GCM_ICV16, "aes-gcm-16" },
	{ SADB_X_EALG_CAMELLIACBC, "camellia-cbc" },
	{ SADB_X_EALG_NULL_AES_GMAC, "aes-gmac" },
	{ SADB_X_EALG_SERPENTCBC, "serpent-cbc" },
	{ SADB_X_EALG_TWOFISHCBC, "twofish-cbc" },
}, auth_names[] = {
	{ SADB_AALG_MD5HMAC, "hmac-md5" },
	{ SADB_AALG_SHA1HMAC, "hmac-sha1" },
	{ SADB_X_AALG_SHA2_256HMAC, "hmac-sha256" },
	{ SADB_X_AALG_SHA2_384HMAC, "hmac-sha384" },
	{ SADB_X_AALG_SHA2_512HMAC, "hmac-sha512" },
	{ SADB_X_AALG_RIPEMD160HMAC, "hmac-ripemd160" },
	{ SADB_X_AALG_AES_XCBC_MAC, "aes-xcbc-mac" },
	{ SADB_X_AALG_NULL, "null" },
	{ 249, "keyed-md5" },
	{ 250, "keyed-sha1" },
}, comp_names[] = {
	{ 1, "oui" },
	{ 2, "deflate" },
	{ 3, "lzs" },
};

#define LOOKUP_NAME(table, id) ({					\
	const char *__n = "other";					\
	unsigned int __i;						\
	for (__i = 0; __i < ARRAY_SIZE(table); __i++)			\
		if ((table)[__i].id == (id))				\
			__n = (table)[__i].name;			\
	__n; })

const char *kame_alg_stat_name(enum kame_hist h, unsigned int id)
{
	switch (h) {
	case KAME_HIST_IN_ESP:
	case KAME_HIST_OUT_ESP:
		return LOOKUP_NAME(enc_names, id);
	case KAME_HIST_IN_AH:
	case KAME_HIST_OUT_AH:
		return LOOKUP_NAME(auth_names, id);
	default:
		return LOOKUP_NAME(comp_names, id);
	}
}

static const struct xfrm_algo_desc *auth_desc(u8 aalg)
{
	const struct xfrm_algo_desc *d;

	if (!aalg_byid)
		return NULL;
	d = aalg_byid(aalg);
	return d && d->pfkey_supported ? d : NULL;
}

int kame_alg_esp(u8 ealg, u8 aalg, struct kame_alg_spec *spec)
{
	const struct xfrm_algo_desc *e, *a;
	const char *aname = "digest_null";
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(aeads); i++) {
		if (aeads[i].id != ealg)
			continue;
		if (aalg != SADB_AALG_NONE)
			return -EINVAL;	/* combined modes authenticate */
		strscpy(spec->name, aeads[i].name, sizeof(spec->name));
		spec->icv_len = aeads[i].icv_len;
		spec->combined = true;
		return 0;
	}
	if (!ealg_byid)
		return -ENOSYS;
	e = ealg_byid(ealg);
	if (!e || !e->pfkey_supported)
		return -ENOSYS;
	spec->icv_len = 0;
	if (aalg != SADB_AALG_NONE) {
		a = auth_desc(aalg);
		if (!a)
			return -ENOSYS;
		aname = a->name;
		spec->icv_len = a->uinfo.auth.icv_truncbits / 8;
	}
	if (e->uinfo.encr.geniv)
		n = snprintf(spec->name, sizeof(spec->name), "%s(authenc(%s,%s))",
			     e->uinfo.encr.geniv, aname, e->name);
	else
		n = snprintf(spec->name, sizeof(spec->name), "authenc(%s,%s)",
			     aname, e->name);
	spec->combined = false;
	return n < sizeof(spec->name) ? 0 : -ENAMETOOLONG;
}

int kame_alg_ah(u8 aalg, struct kame_alg_spec *spec)
{
	const struct xfrm_algo_desc *a = auth_desc(aalg);

	if (!a)
		return -ENOSYS;
	strscpy(spec->name, a->name, sizeof(spec->name));
	spec->icv_len = a->uinfo.auth.icv_truncbits / 8;
	spec->combined = false;
	return 0;
}

int kame_algs_init(void)
{
	ealg_byid = symbol_request(xfrm_ealg_get_byid);
	aalg_byid = symbol_request(xfrm_aalg_get_byid);
	if (!ealg_byid || !aalg_byid)
		pr_warn("xfrm_algo not available: only combined-mode ESP works\n");
	return 0;
}

void kame_algs_exit(void)
{
	if (ealg_byid)
		symbol_put(xfrm_ealg_get_byid);
	if (aalg_byid)
		symbol_put(xfrm_aalg_get_byid);
	ealg_byid = NULL;
	aalg_byid = NULL;
}
