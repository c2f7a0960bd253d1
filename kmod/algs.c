// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithm table: every SADB algorithm id kameipsec knows, with
 * setkey's name. It is the one source of truth for PF_KEY (the REGISTER
 * reply, the key-size checks of ADD/UPDATE) and for the engine (the crypto
 * API templates of an SA), so what is advertised is what is accepted is
 * what gets built.
 *
 * Where the kernel's xfrm_algo tables cover an algorithm, they give
 * everything else: crypto name, IV generator, ICV truncation, key sizes and
 * whether the crypto API has it — so we stay in step with what Linux XFRM
 * does for the same ids. AEADs are in xfrm_algo's AEAD table, found by name
 * and ICV size. Only what the Linux PF_KEY ABI has no number for is given
 * here by hand: ChaCha20-Poly1305 (xfrm_algo knows the AEAD but no PF_KEY
 * id or key size) and KAME's own id 12 for HMAC-SHA-256-128.
 *
 * ICV lengths of the HMAC-SHA-2 ids follow RFC 4868 (128/192/256 bits),
 * as FreeBSD and NetBSD do and as IKE negotiates them; xfrm_algo's
 * PF_KEY hmac(sha256) truncates to 96 bits (Linux af_key's historical
 * choice), which a netns keeps with net.key.sha256_icv96 = 1
 * (Documentation/pfkey-conformance.md, "HMAC-SHA-2 ICV lengths").
 *
 * xfrm_algo is a separate module; its functions are taken with
 * symbol_request() at init (loading it on demand, so a plain insmod works)
 * rather than linked, and released at exit.
 */

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/jiffies.h>
#include <net/xfrm.h>

#include "algs.h"

struct kame_alg {
	u8 id;			/* the SADB id setkey sends */
	u8 kind;		/* enum kame_alg_kind */
	const char *name;	/* setkey's name */
	u8 xfrm_id;		/* the same algorithm in xfrm_algo's PF_KEY table */
	const char *aead;	/* or: xfrm_algo's AEAD of this name */
	u16 icv_bits;		/* the AEAD's ICV; auth: instead of xfrm_algo's */
	u16 salt_bits;		/* AEAD: the nonce salt ending the PF_KEY key */
	u16 minbits, maxbits;	/* by hand, if xfrm_algo has no PF_KEY sizes */
	u8 ivlen;
};

#define XENC(i, n)	{ .id = i, .kind = KAME_ALG_ENC, .name = n, .xfrm_id = i }
#define XAUTH(i, n)	{ .id = i, .kind = KAME_ALG_AUTH, .name = n, .xfrm_id = i }
#define XAEAD(i, n, a, icv, salt) \
	{ .id = i, .kind = KAME_ALG_ENC, .name = n, .aead = a, \
	  .icv_bits = icv, .salt_bits = salt }
/* KAME names no Linux kernel can do (histogram names only). */
#define NAME_ONLY(i, k, n) { .id = i, .kind = k, .name = n }

static const struct kame_alg algs[] = {
	XENC(SADB_EALG_DESCBC, "des-cbc"),
	XENC(SADB_EALG_3DESCBC, "3des-cbc"),
	XENC(SADB_X_EALG_CASTCBC, "cast128-cbc"),
	XENC(SADB_X_EALG_BLOWFISHCBC, "blowfish-cbc"),
	XENC(SADB_EALG_NULL, "null"),
	XENC(SADB_X_EALG_AESCBC, "rijndael-cbc"),
	XENC(SADB_X_EALG_AESCTR, "aes-ctr"),
	XAEAD(SADB_X_EALG_AES_CCM_ICV8, "aes-ccm-8", "rfc4309(ccm(aes))", 64, 24),
	XAEAD(SADB_X_EALG_AES_CCM_ICV12, "aes-ccm-12", "rfc4309(ccm(aes))", 96, 24),
	XAEAD(SADB_X_EALG_AES_CCM_ICV16, "aes-ccm-16", "rfc4309(ccm(aes))", 128, 24),
	XAEAD(SADB_X_EALG_AES_GCM_ICV8, "aes-gcm-8", "rfc4106(gcm(aes))", 64, 32),
	XAEAD(SADB_X_EALG_AES_GCM_ICV12, "aes-gcm-12", "rfc4106(gcm(aes))", 96, 32),
	XAEAD(SADB_X_EALG_AES_GCM_ICV16, "aes-gcm-16", "rfc4106(gcm(aes))", 128, 32),
	XENC(SADB_X_EALG_CAMELLIACBC, "camellia-cbc"),
	XAEAD(SADB_X_EALG_NULL_AES_GMAC, "aes-gmac", "rfc4543(gcm(aes))", 128, 32),
	XENC(SADB_X_EALG_SM4CBC, "sm4-cbc"),
	XENC(SADB_X_EALG_SERPENTCBC, "serpent-cbc"),
	XENC(SADB_X_EALG_TWOFISHCBC, "twofish-cbc"),
	/* By hand: RFC 7634, a 256-bit key and a 32-bit salt, 8-byte IV. */
	{ .id = KAME_EALG_CHACHA20_POLY1305, .kind = KAME_ALG_ENC,
	  .name = "chacha20-poly1305", .aead = "rfc7539esp(chacha20,poly1305)",
	  .icv_bits = 128, .salt_bits = 32, .minbits = 256, .maxbits = 256,
	  .ivlen = 8 },

	XAUTH(SADB_AALG_MD5HMAC, "hmac-md5"),
	XAUTH(SADB_AALG_SHA1HMAC, "hmac-sha1"),
	/* RFC 4868 2.3: half the digest (96 bits with KAME_ALG_F_SHA256_96). */
	{ .id = SADB_X_AALG_SHA2_256HMAC, .kind = KAME_ALG_AUTH,
	  .name = "hmac-sha256", .xfrm_id = SADB_X_AALG_SHA2_256HMAC,
	  .icv_bits = 128 },
	{ .id = SADB_X_AALG_SHA2_384HMAC, .kind = KAME_ALG_AUTH,
	  .name = "hmac-sha384", .xfrm_id = SADB_X_AALG_SHA2_384HMAC,
	  .icv_bits = 192 },
	{ .id = SADB_X_AALG_SHA2_512HMAC, .kind = KAME_ALG_AUTH,
	  .name = "hmac-sha512", .xfrm_id = SADB_X_AALG_SHA2_512HMAC,
	  .icv_bits = 256 },
	XAUTH(SADB_X_AALG_RIPEMD160HMAC, "hmac-ripemd160"),
	XAUTH(SADB_X_AALG_AES_XCBC_MAC, "aes-xcbc-mac"),
	XAUTH(SADB_X_AALG_SM3_256HMAC, "hmac-sm3"),
	XAUTH(SADB_X_AALG_NULL, "null"),
	/* By hand: xfrm_algo's hmac(sha256) with RFC 4868's 128-bit ICV. */
	{ .id = KAME_AALG_SHA2_256HMAC_128, .kind = KAME_ALG_AUTH,
	  .name = "hmac-sha256-128", .xfrm_id = SADB_X_AALG_SHA2_256HMAC,
	  .icv_bits = 128 },
	NAME_ONLY(249, KAME_ALG_AUTH, "keyed-md5"),
	NAME_ONLY(250, KAME_ALG_AUTH, "keyed-sha1"),
};

static const struct {
	u8 id;
	const char *name;
} comp_names[] = {
	{ SADB_X_CALG_OUI, "oui" },
	{ SADB_X_CALG_DEFLATE, "deflate" },
	{ SADB_X_CALG_LZS, "lzs" },
};

/* xfrm_algo's functions, bound at init. */
static struct {
	typeof(&xfrm_ealg_get_byid) ealg_byid;
	typeof(&xfrm_aalg_get_byid) aalg_byid;
	typeof(&xfrm_calg_get_byid) calg_byid;
	typeof(&xfrm_ealg_get_byidx) ealg_byidx;
	typeof(&xfrm_aalg_get_byidx) aalg_byidx;
	typeof(&xfrm_aead_get_byname) aead_byname;
} x;
static bool ready;

bool kame_algs_ready(void)
{
	return READ_ONCE(ready);
}

static const struct kame_alg *find(enum kame_alg_kind kind, u8 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (algs[i].kind == kind && algs[i].id == id)
			return &algs[i];
	return NULL;
}

/* xfrm_algo's PF_KEY entry @id; @probe asks the crypto API if not known. */
static struct xfrm_algo_desc *xfrm_pfkey(enum kame_alg_kind kind, u8 id,
					 bool probe)
{
	struct xfrm_algo_desc *d;
	unsigned int i;

	if (probe) {
		d = kind == KAME_ALG_ENC ? x.ealg_byid(id) : x.aalg_byid(id);
	} else {
		for (i = 0;; i++) {
			d = kind == KAME_ALG_ENC ? x.ealg_byidx(i) : x.aalg_byidx(i);
			if (!d || (d->desc.sadb_alg_id == id && d->available))
				break;
		}
	}
	return d && d->pfkey_supported ? d : NULL;
}

/* The xfrm_algo entry behind @a if the crypto API has it, else NULL. */
static struct xfrm_algo_desc *resolve(const struct kame_alg *a, bool probe)
{
	if (!READ_ONCE(ready))
		return NULL;
	if (a->aead)
		return x.aead_byname(a->aead, a->icv_bits, probe);
	if (a->xfrm_id)
		return xfrm_pfkey(a->kind, a->xfrm_id, probe);
	return NULL;
}

static void fill_desc(const struct kame_alg *a, const struct xfrm_algo_desc *d,
		      struct sadb_alg *out)
{
	memset(out, 0, sizeof(*out));
	if (a->maxbits) {
		out->sadb_alg_ivlen = a->ivlen;
		out->sadb_alg_minbits = a->minbits;
		out->sadb_alg_maxbits = a->maxbits;
	} else {
		*out = d->desc;
		/* KAME: a block cipher's ivlen is its block size. */
		if (a->kind == KAME_ALG_ENC && !a->aead && d->desc.sadb_alg_ivlen)
			out->sadb_alg_ivlen = d->uinfo.encr.blockbits / 8;
	}
	out->sadb_alg_id = a->id;
	out->sadb_alg_reserved = 0;
	out->sadb_alg_minbits += a->salt_bits;
	out->sadb_alg_maxbits += a->salt_bits;
}

int kame_alg_desc(enum kame_alg_kind kind, u8 id, struct sadb_alg *out,
		  bool *combined)
{
	const struct kame_alg *a = find(kind, id);
	const struct xfrm_algo_desc *d;

	if (!a)
		return -ENOSYS;
	d = resolve(a, true);
	if (!d)
		return -ENOSYS;
	fill_desc(a, d, out);
	*combined = a->aead != NULL;
	return 0;
}

unsigned int kame_alg_list(enum kame_alg_kind kind, struct sadb_alg *v,
			   unsigned int max)
{
	const struct xfrm_algo_desc *d;
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(algs) && n < max; i++) {
		if (algs[i].kind != kind)
			continue;
		d = resolve(&algs[i], false);
		if (!d)
			continue;
		if (v)
			fill_desc(&algs[i], d, &v[n]);
		n++;
	}
	return n;
}

/*
 * Instantiate @name from the templates and ciphers already loaded, with no
 * modprobe: the crypto API otherwise runs modprobe twice for the full name
 * of every new combination ("crypto-echainiv(authenc(...))", "...-all")
 * before building it, seconds each under emulation. The caller's
 * allocation then finds it; what does need a module still gets it there.
 */
static void warm(const char *name, u32 type, u32 mask)
{
	crypto_has_alg(name, type, mask | CRYPTO_NOLOAD);
}

/* The crypto name behind @a, available or not (NULL if none). */
static const char *crypto_name(const struct kame_alg *a)
{
	const struct xfrm_algo_desc *d;
	unsigned int i;

	if (a->aead)
		return a->aead;
	if (!a->xfrm_id || !READ_ONCE(ready))
		return NULL;
	for (i = 0;; i++) {
		d = a->kind == KAME_ALG_ENC ? x.ealg_byidx(i) : x.aalg_byidx(i);
		if (!d)
			return NULL;
		if (d->pfkey_supported && d->desc.sadb_alg_id == a->xfrm_id)
			return d->name;
	}
}

/*
 * Probing: first build the algorithm from what is loaded (CRYPTO_NOLOAD:
 * templates instantiate, no modprobe), then ask xfrm_algo, which only
 * runs modprobe for what is still missing. Without the first step every
 * "cbc(des)" not instantiated yet costs two failed modprobes of its full
 * name ("crypto-cbc(des)", "crypto-cbc(des)-all"): seconds each under
 * emulation, for every algorithm of the first REGISTER.
 */
void kame_alg_probe(void)
{
	static DEFINE_MUTEX(lock);	/* last; process context (REGISTER) */
	static unsigned long last;
	unsigned int i;

	mutex_lock(&lock);
	if (last && time_before(jiffies, last + 60 * HZ)) {
		mutex_unlock(&lock);
		return;
	}
	last = jiffies;		/* no second prober meanwhile */
	mutex_unlock(&lock);
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		const char *name;

		if (resolve(&algs[i], false))
			continue;
		name = crypto_name(&algs[i]);
		if (name)
			warm(name, 0, 0);
		resolve(&algs[i], true);
	}
	/* The minute starts when probing ends: it can take that long. */
	mutex_lock(&lock);
	last = jiffies;
	mutex_unlock(&lock);
}

bool kame_alg_comp_ok(u8 id)
{
	return READ_ONCE(ready) && x.calg_byid(id);
}

bool kame_alg_is_aead(u8 id)
{
	const struct kame_alg *a = find(KAME_ALG_ENC, id);

	return a && a->aead;
}

bool kame_alg_seq_nonce(u8 id)
{
	const struct kame_alg *a = find(KAME_ALG_ENC, id);
	const struct xfrm_algo_desc *d;

	if (!a)
		return false;
	if (a->aead)
		return true;
	d = resolve(a, false);
	return d && d->uinfo.encr.geniv && !strcmp(d->uinfo.encr.geniv, "seqiv");
}

const char *kame_alg_name(enum kame_alg_kind kind, unsigned int id)
{
	const struct kame_alg *a = id <= U8_MAX ? find(kind, id) : NULL;

	return a ? a->name : "other";
}

const char *kame_comp_name(unsigned int id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(comp_names); i++)
		if (comp_names[i].id == id)
			return comp_names[i].name;
	return "other";
}

static unsigned int auth_icv_bits(const struct kame_alg *a,
				  const struct xfrm_algo_desc *d,
				  unsigned int flags)
{
	if (a->id == SADB_X_AALG_SHA2_256HMAC && (flags & KAME_ALG_F_SHA256_96))
		return 96;
	return a->icv_bits ?: d->uinfo.auth.icv_truncbits;
}

int kame_alg_esp(u8 ealg, u8 aalg, unsigned int flags,
		 struct kame_alg_spec *spec)
{
	const struct kame_alg *e = find(KAME_ALG_ENC, ealg), *a;
	const struct xfrm_algo_desc *ed, *ad;
	const char *aname = "digest_null";
	int n;

	ed = e ? resolve(e, true) : NULL;
	if (!ed)
		return -ENOSYS;
	if (e->aead) {
		if (aalg != SADB_AALG_NONE)
			return -EINVAL;	/* combined modes authenticate */
		if (ed->uinfo.aead.geniv)
			n = snprintf(spec->name, sizeof(spec->name), "%s(%s)",
				     ed->uinfo.aead.geniv, ed->name);
		else
			n = snprintf(spec->name, sizeof(spec->name), "%s",
				     ed->name);
		spec->icv_len = e->icv_bits / 8;
		spec->combined = true;
		if (n >= sizeof(spec->name))
			return -ENAMETOOLONG;
		warm(spec->name, CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_MASK);
		return 0;
	}
	spec->icv_len = 0;
	if (aalg != SADB_AALG_NONE) {
		a = find(KAME_ALG_AUTH, aalg);
		ad = a ? resolve(a, true) : NULL;
		if (!ad)
			return -ENOSYS;
		aname = ad->name;
		spec->icv_len = auth_icv_bits(a, ad, flags) / 8;
	}
	if (ed->uinfo.encr.geniv)
		n = snprintf(spec->name, sizeof(spec->name), "%s(authenc(%s,%s))",
			     ed->uinfo.encr.geniv, aname, ed->name);
	else
		n = snprintf(spec->name, sizeof(spec->name), "authenc(%s,%s)",
			     aname, ed->name);
	spec->combined = false;
	if (n >= sizeof(spec->name))
		return -ENAMETOOLONG;
	warm(spec->name, CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_MASK);
	return 0;
}

int kame_alg_ah(u8 aalg, unsigned int flags, struct kame_alg_spec *spec)
{
	const struct kame_alg *a = find(KAME_ALG_AUTH, aalg);
	const struct xfrm_algo_desc *d = a ? resolve(a, true) : NULL;

	if (!d)
		return -ENOSYS;
	strscpy(spec->name, d->name, sizeof(spec->name));
	spec->icv_len = auth_icv_bits(a, d, flags) / 8;
	spec->combined = false;
	warm(spec->name, CRYPTO_ALG_TYPE_AHASH, CRYPTO_ALG_TYPE_AHASH_MASK);
	return 0;
}

static void put_symbols(void)
{
	if (x.ealg_byid)
		symbol_put(xfrm_ealg_get_byid);
	if (x.aalg_byid)
		symbol_put(xfrm_aalg_get_byid);
	if (x.calg_byid)
		symbol_put(xfrm_calg_get_byid);
	if (x.ealg_byidx)
		symbol_put(xfrm_ealg_get_byidx);
	if (x.aalg_byidx)
		symbol_put(xfrm_aalg_get_byidx);
	if (x.aead_byname)
		symbol_put(xfrm_aead_get_byname);
	memset(&x, 0, sizeof(x));
}

int kame_algs_init(void)
{
	/* The first loads xfrm_algo if need be; the rest are then there. */
	x.ealg_byid = symbol_request(xfrm_ealg_get_byid);
	x.aalg_byid = symbol_get(xfrm_aalg_get_byid);
	x.calg_byid = symbol_get(xfrm_calg_get_byid);
	x.ealg_byidx = symbol_get(xfrm_ealg_get_byidx);
	x.aalg_byidx = symbol_get(xfrm_aalg_get_byidx);
	x.aead_byname = symbol_get(xfrm_aead_get_byname);
	if (x.ealg_byid && x.aalg_byid && x.calg_byid && x.ealg_byidx &&
	    x.aalg_byidx && x.aead_byname) {
		WRITE_ONCE(ready, true);
	} else {
		put_symbols();
		pr_warn("xfrm_algo not available: no algorithms\n");
	}
	return 0;
}

void kame_algs_exit(void)
{
	WRITE_ONCE(ready, false);
	put_symbols();
}
