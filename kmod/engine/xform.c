// SPDX-License-Identifier: GPL-2.0
/*
 * Per-SA transform state: the crypto API transforms built from the SA's
 * algorithms and keys, the sequence counter and the replay window.
 */

#include <linux/slab.h>
#include <linux/rtnetlink.h>
#include <linux/pfkeyv2.h>
#include <crypto/authenc.h>
#include <net/ip.h>

#include "xform.h"
#include "algs.h"
#include "ipcomp.h"
#include "netns.h"

/*
 * Every caller, on any CPU, gets its own value of the 64-bit counter, which
 * never wraps: no number is handed out twice (with seqiv the IV is the
 * number, so a repeat is a nonce reused under the key). Past 2^32 - 1 an
 * SA without CYCSEQ refuses and hard-expires (RFC 4303 3.3.3: no cycling
 * without ESN); with CYCSEQ the low 32 bits cycle, skipping 0.
 */
u32 kame_xform_next_seq(struct kame_sa *sa)
{
	struct kame_xform *xf = kame_xf(sa);
	u64 v = atomic64_inc_return(&xf->seq_out);

	if (unlikely(v >= KAME_SEQ_RETIRED))
		return 0;	/* handed over to the SA replacing it */
	if (xf->cycseq) {
		if (unlikely(!(u32)v))
			v = atomic64_inc_return(&xf->seq_out);
		return (u32)v;
	}
	if (likely(v <= U32_MAX))
		return v;
	kame_sa_expire_hard(sa);
	return 0;
}

static u64 xform_seq_retire(struct kame_sa *sa)
{
	struct kame_xform *xf = kame_xf(sa);

	return xf ? atomic64_xchg(&xf->seq_out, KAME_SEQ_RETIRED) : 0;
}

static void xform_seq_restore(struct kame_sa *sa, u64 last)
{
	struct kame_xform *xf = kame_xf(sa);

	/* Nothing was handed out while retired: the numbers go on. */
	if (xf)
		atomic64_set(&xf->seq_out, last);
}

/* authenc() takes one key blob: an rtattr with the cipher key length. */
static int set_authenc_key(struct crypto_aead *aead, const struct kame_sa *sa)
{
	unsigned int elen = sa->key_enc_bits / 8, alen = sa->key_auth_bits / 8;
	unsigned int len = RTA_SPACE(sizeof(struct crypto_authenc_key_param)) +
			   alen + elen;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *key, *p;
	int err;

	key = kmalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(elen);
	p = key + RTA_SPACE(sizeof(*param));
	if (alen)
		memcpy(p, sa->key_auth, alen);
	if (elen)
		memcpy(p + alen, sa->key_enc, elen);
	err = crypto_aead_setkey(aead, key, len);
	kfree_sensitive(key);
	return err;
}

/* The ICV length is the netns's choice when the SA is added, for its life. */
static unsigned int alg_flags(const struct kame_sa *sa)
{
	return READ_ONCE(sa->kn->key.sha256_icv96) ? KAME_ALG_F_SHA256_96 : 0;
}

static int esp_init(struct kame_sa *sa, struct kame_xform *xf)
{
	struct kame_alg_spec spec;
	struct crypto_aead *aead;
	int err;

	err = kame_alg_esp(sa->enc_alg, sa->auth_alg, alg_flags(sa), &spec);
	if (err)
		return err;
	aead = crypto_alloc_aead(spec.name, 0, 0);
	if (IS_ERR(aead))
		return PTR_ERR(aead) == -ENOENT ? -ENOSYS : PTR_ERR(aead);
	xf->aead = aead;
	if (spec.combined)
		err = crypto_aead_setkey(aead, sa->key_enc, sa->key_enc_bits / 8);
	else
		err = set_authenc_key(aead, sa);
	if (err)
		return -EINVAL;
	err = crypto_aead_setauthsize(aead, spec.icv_len);
	if (err)
		return -EINVAL;
	xf->ivlen = crypto_aead_ivsize(aead);
	xf->icvlen = spec.icv_len;
	xf->padalign = ALIGN(crypto_aead_blocksize(aead), 4);
	return 0;
}

static int ah_init(struct kame_sa *sa, struct kame_xform *xf)
{
	struct kame_alg_spec spec;
	struct crypto_ahash *ahash;
	int err;

	err = kame_alg_ah(sa->auth_alg, alg_flags(sa), &spec);
	if (err)
		return err;
	ahash = crypto_alloc_ahash(spec.name, 0, 0);
	if (IS_ERR(ahash))
		return PTR_ERR(ahash) == -ENOENT ? -ENOSYS : PTR_ERR(ahash);
	xf->ahash = ahash;
	if (crypto_ahash_setkey(ahash, sa->key_auth, sa->key_auth_bits / 8))
		return -EINVAL;
	if (spec.icv_len > crypto_ahash_digestsize(ahash))
		return -EINVAL;
	xf->icvlen = spec.icv_len;
	return 0;
}

static void xform_free(struct kame_xform *xf)
{
	if (!xf)
		return;
	if (xf->aead)
		crypto_free_aead(xf->aead);
	if (xf->ahash)
		crypto_free_ahash(xf->ahash);
	kame_ipcomp_free(xf);
	kame_replay_destroy(&xf->replay);
	kfree(xf);
}

/* KAME's sadb_sa_replay is the bitmap size in bytes: 8 packets each. */
static int xform_init(struct kame_sa *sa)
{
	struct kame_xform *xf;
	int err;

	if (sa->proto != IPPROTO_ESP && sa->proto != IPPROTO_AH &&
	    sa->proto != IPPROTO_COMP)
		return 0;
	/*
	 * Charged to the PF_KEY writer. The crypto API's own allocations
	 * (crypto_alloc_aead/ahash: the tfms and their contexts) take no gfp
	 * and are not: net.key.max_sas bounds them.
	 */
	xf = kzalloc(sizeof(*xf), KAME_GFP_USER);
	if (!xf)
		return -ENOMEM;
	/* IPComp has no sequence numbers: no replay window. */
	err = kame_replay_init(&xf->replay, sa->proto == IPPROTO_COMP ? 0 :
			       sa->replay * 8U, KAME_GFP_USER);
	if (!err)
		err = sa->proto == IPPROTO_ESP ? esp_init(sa, xf) :
		      sa->proto == IPPROTO_AH ? ah_init(sa, xf) :
						kame_ipcomp_init(sa, xf);
	if (err) {
		xform_free(xf);
		return err;
	}
	xf->cycseq = sa->sadb_flags & KAME_SADB_X_EXT_CYCSEQ;
	atomic64_set(&xf->seq_out, sa->seq_out_start);
	sa->xform = xf;
	return 0;
}

static void xform_destroy(struct kame_sa *sa)
{
	xform_free(sa->xform);
	sa->xform = NULL;
}

static const struct kame_sa_xform_ops xform_ops = {
	.init = xform_init,
	.destroy = xform_destroy,
	.seq_retire = xform_seq_retire,
	.seq_restore = xform_seq_restore,
};

void kame_xform_register(void)
{
	kame_sad_set_xform_ops(&xform_ops);
}
