// SPDX-License-Identifier: GPL-2.0
/*
 * Algorithms on the PF_KEY side: the REGISTER reply's SUPPORTED lists and
 * the checks of ADD/UPDATE, both read from the algorithm table the engine
 * builds from too (kmod/algs.c), so an SA the socket accepts is one the
 * engine builds.
 * AEAD key bits include the salt (RFC 4106/4309/4543/7634), as NetBSD
 * advertises them.
 */
#include <linux/module.h>
#include <net/xfrm.h>

#include "pfkey_internal.h"
#include "algs.h"

bool pfkey_alg_ready(void)
{
	return kame_algs_ready();
}

/* Algorithm @id known and available, its key @bits in range. */
static int check_alg(enum kame_alg_kind kind, u8 id, unsigned int bits,
		     bool has_key, bool *combined)
{
	struct sadb_alg d;

	if (kame_alg_desc(kind, id, &d, combined))
		return -EINVAL;	/* KAME; Linux af_key: ENOSYS */
	if (!d.sadb_alg_maxbits)
		return 0;	/* keyless (null) */
	if (!has_key)
		return -EINVAL;
	if (bits < d.sadb_alg_minbits || bits > d.sadb_alg_maxbits)
		return -EINVAL;
	return 0;
}

int pfkey_alg_check(u8 satype, u8 auth, u8 enc, unsigned int auth_bits,
		    unsigned int enc_bits, bool has_auth_key, bool has_enc_key)
{
	bool aead;
	int err;

	if (!kame_algs_ready())
		return -ENOSYS;
	switch (satype) {
	case SADB_SATYPE_AH:
		if (auth == SADB_AALG_NONE || enc != SADB_EALG_NONE || has_enc_key)
			return -EINVAL;
		return check_alg(KAME_ALG_AUTH, auth, auth_bits, has_auth_key,
				 &aead);
	case SADB_SATYPE_ESP:
		if (enc == SADB_EALG_NONE)
			return -EINVAL;
		err = check_alg(KAME_ALG_ENC, enc, enc_bits, has_enc_key, &aead);
		if (err)
			return err;
		if (auth == SADB_AALG_NONE)
			return has_auth_key ? -EINVAL : 0;
		if (aead)
			return -EINVAL;	/* AEAD authenticates itself */
		return check_alg(KAME_ALG_AUTH, auth, auth_bits, has_auth_key,
				 &aead);
	case SADB_X_SATYPE_IPCOMP:
		if (auth != SADB_AALG_NONE || has_auth_key || has_enc_key)
			return -EINVAL;
		return kame_alg_comp_ok(enc) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

static void put_supported(struct sk_buff *skb, u16 type,
			  enum kame_alg_kind kind, unsigned int n)
{
	struct sadb_supported *s;

	s = pfkey_put_ext(skb, type, sizeof(*s) + n * sizeof(struct sadb_alg));
	kame_alg_list(kind, (struct sadb_alg *)(s + 1), n);
}

/*
 * <base, SUPPORTED_AUTH, SUPPORTED_ENCRYPT> for a REGISTER. Probing may load
 * crypto modules: process context.
 */
struct sk_buff *pfkey_supported_msg(const struct sadb_msg *req, gfp_t gfp)
{
	unsigned int na, ne;
	struct sk_buff *skb;

	if (!kame_algs_ready())
		return NULL;
	kame_alg_probe();
	na = kame_alg_list(KAME_ALG_AUTH, NULL, UINT_MAX);
	ne = kame_alg_list(KAME_ALG_ENC, NULL, UINT_MAX);
	skb = pfkey_msg_new(sizeof(struct sadb_msg) +
			    2 * sizeof(struct sadb_supported) +
			    (na + ne) * sizeof(struct sadb_alg),
			    SADB_REGISTER, req->sadb_msg_satype,
			    req->sadb_msg_seq, req->sadb_msg_pid, gfp);
	if (!skb)
		return NULL;
	/* Never more than counted, should a probe succeed meanwhile. */
	put_supported(skb, SADB_EXT_SUPPORTED_AUTH, KAME_ALG_AUTH, na);
	put_supported(skb, SADB_EXT_SUPPORTED_ENCRYPT, KAME_ALG_ENC, ne);
	return skb;
}
