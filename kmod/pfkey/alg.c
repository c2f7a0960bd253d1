// SPDX-License-Identifier: GPL-2.0
/*
 * Algorithms: what the kernel crypto API can really instantiate, taken from
 * the kernel's xfrm_algo tables (PF_KEY ids, key sizes, crypto names) and
 * probed with crypto_has_*(). The REGISTER reply lists them; ADD and
 * UPDATE check SAs against them.
 *
 * xfrm_algo is a separate module. Its symbols are taken with
 * symbol_request() on first use rather than linked: that loads xfrm_algo
 * on demand (modprobe "symbol:..."), so a plain insmod of kameipsec.ko
 * works, and the references are dropped at module exit.
 *
 * AEAD ciphers (AES-GCM, AES-CCM, NULL-AES-GMAC) are not in xfrm_algo's
 * PF_KEY id table; they are found by crypto name here. Their PF_KEY key
 * carries the salt after the key (RFC 4106/4309/4543), so the advertised
 * and accepted bit counts include it, as NetBSD advertises them.
 */
#include <linux/module.h>
#include <net/xfrm.h>

#include "pfkey_internal.h"

static struct {
	typeof(&xfrm_aalg_get_byid) aalg_byid;
	typeof(&xfrm_ealg_get_byid) ealg_byid;
	typeof(&xfrm_calg_get_byid) calg_byid;
	typeof(&xfrm_aalg_get_byidx) aalg_byidx;
	typeof(&xfrm_ealg_get_byidx) ealg_byidx;
	typeof(&xfrm_aead_get_byname) aead_byname;
} api;
static DEFINE_MUTEX(api_lock);
static bool api_ready;

static void api_put(void)
{
	if (api.aalg_byid)
		symbol_put(xfrm_aalg_get_byid);
	if (api.ealg_byid)
		symbol_put(xfrm_ealg_get_byid);
	if (api.calg_byid)
		symbol_put(xfrm_calg_get_byid);
	if (api.aalg_byidx)
		symbol_put(xfrm_aalg_get_byidx);
	if (api.ealg_byidx)
		symbol_put(xfrm_ealg_get_byidx);
	if (api.aead_byname)
		symbol_put(xfrm_aead_get_byname);
	memset(&api, 0, sizeof(api));
}

/* xfrm_algo's functions, loading it if needed. Process context. */
static int api_get(void)
{
	int err = 0;

	mutex_lock(&api_lock);
	if (!api_ready) {
		api.aalg_byid = symbol_request(xfrm_aalg_get_byid);
		api.ealg_byid = symbol_get(xfrm_ealg_get_byid);
		api.calg_byid = symbol_get(xfrm_calg_get_byid);
		api.aalg_byidx = symbol_get(xfrm_aalg_get_byidx);
		api.ealg_byidx = symbol_get(xfrm_ealg_get_byidx);
		api.aead_byname = symbol_get(xfrm_aead_get_byname);
		api_ready = api.aalg_byid && api.ealg_byid && api.calg_byid &&
			    api.aalg_byidx && api.ealg_byidx &&
			    api.aead_byname;
		if (!api_ready) {
			pr_warn_once("xfrm_algo is not available: no algorithms\n");
			api_put();
			err = -ENOSYS;
		}
	}
	mutex_unlock(&api_lock);
	return err;
}

/* For the packet path (no probing, no sleeping): ready once loaded. */
bool pfkey_alg_ready(void)
{
	return READ_ONCE(api_ready);
}

const struct xfrm_algo_desc *pfkey_alg_auth_byidx(unsigned int i)
{
	return READ_ONCE(api_ready) ? api.aalg_byidx(i) : NULL;
}

const struct xfrm_algo_desc *pfkey_alg_enc_byidx(unsigned int i)
{
	return READ_ONCE(api_ready) ? api.ealg_byidx(i) : NULL;
}

void pfkey_alg_exit(void)
{
	mutex_lock(&api_lock);
	if (api_ready)
		api_put();
	api_ready = false;
	mutex_unlock(&api_lock);
}

struct aead_alg {
	u8 id;
	const char *name;
	u16 icv_bits;
	u16 salt_bits;
};

static const struct aead_alg aead_algs[] = {
	{ SADB_X_EALG_AES_CCM_ICV8, "rfc4309(ccm(aes))", 64, 24 },
	{ SADB_X_EALG_AES_CCM_ICV12, "rfc4309(ccm(aes))", 96, 24 },
	{ SADB_X_EALG_AES_CCM_ICV16, "rfc4309(ccm(aes))", 128, 24 },
	{ SADB_X_EALG_AES_GCM_ICV8, "rfc4106(gcm(aes))", 64, 32 },
	{ SADB_X_EALG_AES_GCM_ICV12, "rfc4106(gcm(aes))", 96, 32 },
	{ SADB_X_EALG_AES_GCM_ICV16, "rfc4106(gcm(aes))", 128, 32 },
	{ SADB_X_EALG_NULL_AES_GMAC, "rfc4543(gcm(aes))", 128, 32 },
};

static const struct aead_alg *aead_by_id(u8 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(aead_algs); i++)
		if (aead_algs[i].id == id)
			return &aead_algs[i];
	return NULL;
}

/* The sadb_alg of AEAD @a if available (bits include the salt), else false. */
static bool aead_desc(const struct aead_alg *a, struct sadb_alg *out, int probe)
{
	struct xfrm_algo_desc *d = api.aead_byname(a->name, a->icv_bits, probe);

	if (!d || !d->pfkey_supported)
		return false;
	*out = d->desc;
	out->sadb_alg_id = a->id;
	out->sadb_alg_minbits += a->salt_bits;
	out->sadb_alg_maxbits += a->salt_bits;
	return true;
}

static int check_bits(const struct sadb_alg *d, unsigned int bits, bool has_key)
{
	if (!d->sadb_alg_maxbits)
		return 0;	/* keyless (null) */
	if (!has_key)
		return -EINVAL;
	if (bits < d->sadb_alg_minbits || bits > d->sadb_alg_maxbits)
		return -EINVAL;
	return 0;
}

static int check_auth(u8 id, unsigned int bits, bool has_key)
{
	struct xfrm_algo_desc *d = api.aalg_byid(id);

	if (!d || !d->pfkey_supported)
		return -EINVAL;	/* KAME; Linux af_key: ENOSYS */
	return check_bits(&d->desc, bits, has_key);
}

static int check_enc(u8 id, unsigned int bits, bool has_key, bool *aead)
{
	const struct aead_alg *a = aead_by_id(id);
	struct xfrm_algo_desc *d;
	struct sadb_alg desc;

	*aead = a != NULL;
	if (a) {
		if (!aead_desc(a, &desc, 1))
			return -EINVAL;
		return check_bits(&desc, bits, has_key);
	}
	d = api.ealg_byid(id);
	if (!d || !d->pfkey_supported)
		return -EINVAL;
	return check_bits(&d->desc, bits, has_key);
}

int pfkey_alg_check(u8 satype, u8 auth, u8 enc, unsigned int auth_bits,
		    unsigned int enc_bits, bool has_auth_key, bool has_enc_key)
{
	bool aead;
	int err;

	err = api_get();
	if (err)
		return err;
	switch (satype) {
	case SADB_SATYPE_AH:
		if (auth == SADB_AALG_NONE || enc != SADB_EALG_NONE || has_enc_key)
			return -EINVAL;
		return check_auth(auth, auth_bits, has_auth_key);
	case SADB_SATYPE_ESP:
		if (enc == SADB_EALG_NONE)
			return -EINVAL;
		err = check_enc(enc, enc_bits, has_enc_key, &aead);
		if (err)
			return err;
		if (auth == SADB_AALG_NONE)
			return has_auth_key ? -EINVAL : 0;
		if (aead)
			return -EINVAL;	/* AEAD authenticates itself */
		return check_auth(auth, auth_bits, has_auth_key);
	case SADB_X_SATYPE_IPCOMP:
		if (auth != SADB_AALG_NONE || has_auth_key || has_enc_key)
			return -EINVAL;
		return api.calg_byid(enc) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* Fills at most @max entries of @v (if not NULL); returns how many. */
static unsigned int collect(struct sadb_alg *v, bool enc, unsigned int max)
{
	struct xfrm_algo_desc *d;
	unsigned int i, n = 0;

	for (i = 0;; i++) {
		d = enc ? api.ealg_byidx(i) : api.aalg_byidx(i);
		if (!d || n == max)
			break;
		if (!d->available || !d->pfkey_supported)
			continue;
		if (v) {
			v[n] = d->desc;
			/* KAME: a cipher's ivlen is its block size. */
			if (enc && d->desc.sadb_alg_ivlen)
				v[n].sadb_alg_ivlen = d->uinfo.encr.blockbits / 8;
		}
		n++;
	}
	if (enc) {
		for (i = 0; i < ARRAY_SIZE(aead_algs) && n < max; i++) {
			struct sadb_alg desc;

			if (!aead_desc(&aead_algs[i], &desc, 0))
				continue;
			if (v)
				v[n] = desc;
			n++;
		}
	}
	return n;
}

static void put_supported(struct sk_buff *skb, u16 type, bool enc,
			  unsigned int n)
{
	struct sadb_supported *s;

	s = pfkey_put_ext(skb, type, sizeof(*s) + n * sizeof(struct sadb_alg));
	collect((struct sadb_alg *)(s + 1), enc, n);
}

/*
 * Ask the crypto API about every PF_KEY algorithm not known to be
 * available (loading its module if need be). Unlike xfrm_probe_algs(),
 * only PF_KEY algorithms, and algorithms found missing are asked again
 * at most once a minute: each miss costs a modprobe.
 */
static void probe_algs(void)
{
	static unsigned long last;
	struct xfrm_algo_desc *d;
	struct sadb_alg desc;
	unsigned int i;

	mutex_lock(&api_lock);
	if (last && time_before(jiffies, last + 60 * HZ)) {
		mutex_unlock(&api_lock);
		return;
	}
	last = jiffies;
	mutex_unlock(&api_lock);
	for (i = 0; (d = api.aalg_byidx(i)); i++)
		if (d->pfkey_supported && !d->available)
			api.aalg_byid(d->desc.sadb_alg_id);
	for (i = 0; (d = api.ealg_byidx(i)); i++)
		if (d->pfkey_supported && !d->available)
			api.ealg_byid(d->desc.sadb_alg_id);
	for (i = 0; i < ARRAY_SIZE(aead_algs); i++)
		aead_desc(&aead_algs[i], &desc, 1);
}

/*
 * <base, SUPPORTED_AUTH, SUPPORTED_ENCRYPT> for a REGISTER. Probing may load
 * crypto modules: process context.
 */
struct sk_buff *pfkey_supported_msg(const struct sadb_msg *req, gfp_t gfp)
{
	unsigned int na, ne;
	struct sk_buff *skb;

	if (api_get())
		return NULL;
	probe_algs();
	na = collect(NULL, false, UINT_MAX);
	ne = collect(NULL, true, UINT_MAX);
	skb = pfkey_msg_new(sizeof(struct sadb_msg) +
			    2 * sizeof(struct sadb_supported) +
			    (na + ne) * sizeof(struct sadb_alg),
			    SADB_REGISTER, req->sadb_msg_satype,
			    req->sadb_msg_seq, req->sadb_msg_pid, gfp);
	if (!skb)
		return NULL;
	/* Never more than counted, should a probe succeed meanwhile. */
	put_supported(skb, SADB_EXT_SUPPORTED_AUTH, false, na);
	put_supported(skb, SADB_EXT_SUPPORTED_ENCRYPT, true, ne);
	return skb;
}
