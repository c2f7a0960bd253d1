// SPDX-License-Identifier: BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include <linux/pfkeyv2.h>

#include "build.h"
#include "isakmp.h"
#include "natt.h"
#include "proposal.h"

/* A proposal or transform inside an SA payload. */
struct sub {
	uint8_t np;
	const uint8_t *raw;
	size_t rawlen;
	const uint8_t *body;
	size_t len;
};

/* 1: got one, 0: chain ended, -1: malformed. */
static int sub_next(const uint8_t **p, const uint8_t *end, uint8_t *np,
		    uint8_t want, struct sub *s)
{
	size_t left = (size_t)(end - *p), l;

	if (*np == PL_NONE)
		return 0;
	if (*np != want || left < ISAKMP_GEN_LEN)
		return -1;
	l = get16(*p + 2);
	if (l < ISAKMP_GEN_LEN || l > left)
		return -1;
	s->np = (*p)[0];
	s->raw = *p;
	s->rawlen = l;
	s->body = *p + ISAKMP_GEN_LEN;
	s->len = l - ISAKMP_GEN_LEN;
	*np = s->np;
	*p += l;
	return 1;
}

/* 1: got one, 0: end, -1: malformed. val is clamped to 32 bits. */
static int attr_next(const uint8_t **p, const uint8_t *end, uint16_t *type,
		     uint32_t *val, bool *wide)
{
	size_t left = (size_t)(end - *p), vlen;
	const uint8_t *v;

	if (left == 0)
		return 0;
	if (left < 4)
		return -1;
	*type = get16(*p) & 0x7fff;
	*wide = false;
	if (get16(*p) & 0x8000) {
		*val = get16(*p + 2);
		*p += 4;
		return 1;
	}
	vlen = get16(*p + 2);
	if (vlen > left - 4)
		return -1;
	v = *p + 4;
	*val = 0;
	for (size_t i = 0; i < vlen; i++) {
		if (*val > 0xffffff) {
			*wide = true;
			*val = 0xffffffff;
			break;
		}
		*val = *val << 8 | v[i];
	}
	*p += 4 + vlen;
	return 1;
}

int lifetime_check(enum prop_check pc, uint32_t peer, uint32_t mine,
		   uint32_t *use, bool *claim)
{
	*claim = false;
	switch (pc) {
	case PROP_OBEY:
		*use = peer;
		return 0;
	case PROP_STRICT:
		if (peer > mine)
			return -1;
		*use = peer;
		return 0;
	case PROP_CLAIM:
		if (peer > mine) {
			*use = mine;
			*claim = true;
		} else {
			*use = peer;
		}
		return 0;
	case PROP_EXACT:
		if (peer != mine)
			return -1;
		*use = peer;
		return 0;
	}
	return -1;
}

int pfs_check(enum prop_check pc, int peer_group, int my_group)
{
	if (pc == PROP_OBEY)
		return 0;
	if (pc == PROP_EXACT)
		return peer_group == my_group ? 0 : -1;
	/* strict and claim: only a PFS requirement of ours is binding */
	if (!my_group)
		return 0;
	return peer_group == my_group ? 0 : -1;
}

static void sa_header(struct buf *b)
{
	buf_u32(b, DOI_IPSEC);
	buf_u32(b, SIT_IDENTITY_ONLY);
}

/* Checks DOI and situation; positions *p at the first proposal. */
static int sa_open(const uint8_t *body, size_t len, const uint8_t **p,
		   const char **why)
{
	if (len < 8 + ISAKMP_GEN_LEN) {
		*why = "SA payload has no proposal";
		return -1;
	}
	if (get32(body) != DOI_IPSEC) {
		*why = "SA payload DOI is not IPsec";
		return -1;
	}
	if (get32(body + 4) != SIT_IDENTITY_ONLY) {
		*why = "SA situation is not identity-only";
		return -1;
	}
	*p = body + 8;
	return 0;
}

static unsigned int norm_bits(int enc_is_aes, unsigned int bits)
{
	return enc_is_aes && bits == 0 ? 128 : bits;
}

/* ---- phase 1 ------------------------------------------------------------ */

void p1_sa_build(struct buf *b, const struct remote_conf *r)
{
	const struct p1_proposal *pp;
	size_t ps;
	int n = 0, tn = 0;

	for (pp = r->props; pp; pp = pp->next)
		n++;
	sa_header(b);
	ps = sub_begin(b, PL_NONE);
	buf_u8(b, 1);
	buf_u8(b, PROTO_ISAKMP);
	buf_u8(b, 0);
	buf_u8(b, (uint8_t)n);
	for (pp = r->props; pp; pp = pp->next) {
		size_t ts = sub_begin(b, pp->next ? PL_T : PL_NONE);

		buf_u8(b, (uint8_t)++tn);
		buf_u8(b, KEY_IKE);
		buf_u16(b, 0);
		attr_basic(b, OAKLEY_ENC, (uint16_t)pp->enc);
		if (pp->enc == OAKLEY_ENC_AES)
			attr_basic(b, OAKLEY_KEY_LENGTH,
				   (uint16_t)norm_bits(1, pp->keybits));
		attr_basic(b, OAKLEY_HASH, (uint16_t)pp->hash);
		attr_basic(b, OAKLEY_AUTH, (uint16_t)pp->auth);
		attr_basic(b, OAKLEY_GROUP, (uint16_t)pp->group);
		attr_basic(b, OAKLEY_LIFE_TYPE, LIFE_TYPE_SECONDS);
		attr_life(b, OAKLEY_LIFE_DURATION, r->lifetime);
		sub_end(b, ts);
	}
	sub_end(b, ps);
}

/* Decodes one phase-1 transform; -1 if it uses anything we lack. */
static int p1_decode(const struct sub *t, struct p1_choice *c)
{
	const uint8_t *p, *end;
	uint16_t type, life_type = 0;
	uint32_t val;
	bool wide;
	int r;

	memset(c, 0, sizeof(*c));
	c->life_sec = DEFAULT_LIFETIME;
	if (t->len < 4 || t->body[1] != KEY_IKE)
		return -1;
	p = t->body + 4;
	end = t->body + t->len;
	while ((r = attr_next(&p, end, &type, &val, &wide)) == 1) {
		switch (type) {
		case OAKLEY_ENC:
			c->enc = (int)val;
			break;
		case OAKLEY_HASH:
			c->hash = (int)val;
			break;
		case OAKLEY_AUTH:
			c->auth = (int)val;
			break;
		case OAKLEY_GROUP:
			c->group = (int)val;
			break;
		case OAKLEY_KEY_LENGTH:
			c->keybits = val;
			break;
		case OAKLEY_LIFE_TYPE:
			life_type = (uint16_t)val;
			if (val != LIFE_TYPE_SECONDS && val != LIFE_TYPE_KB)
				return -1;
			break;
		case OAKLEY_LIFE_DURATION:
			if (life_type == LIFE_TYPE_SECONDS)
				c->life_sec = val;
			else if (life_type != LIFE_TYPE_KB)
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (r < 0)
		return -2;	/* malformed, not merely unsupported */
	c->keybits = norm_bits(c->enc == OAKLEY_ENC_AES, c->keybits);
	c->raw_t = t->raw;
	c->raw_tlen = t->rawlen;
	return 0;
}

static const struct p1_proposal *p1_match(const struct remote_conf *r,
					  const struct p1_choice *c)
{
	const struct p1_proposal *pp;

	for (pp = r->props; pp; pp = pp->next)
		if (pp->enc == c->enc && pp->hash == c->hash &&
		    pp->auth == c->auth && pp->group == c->group &&
		    norm_bits(pp->enc == OAKLEY_ENC_AES, pp->keybits) ==
			    c->keybits)
			return pp;
	return NULL;
}

/* Walks the single ISAKMP proposal; calls fn on each transform. */
static int p1_walk(const uint8_t *body, size_t len, const char **why,
		   int (*fn)(const struct sub *t, void *arg), void *arg)
{
	const uint8_t *p, *end = body + len, *tp, *tend;
	uint8_t np = PL_P, tnp = PL_T;
	struct sub prop, t;
	int r;

	if (sa_open(body, len, &p, why))
		return -1;
	if (sub_next(&p, end, &np, PL_P, &prop) != 1 || prop.len < 4) {
		*why = "malformed proposal";
		return -1;
	}
	if (np != PL_NONE) {
		*why = "more than one phase-1 proposal";
		return -1;
	}
	if (prop.body[1] != PROTO_ISAKMP) {
		*why = "phase-1 proposal is not for ISAKMP";
		return -1;
	}
	if ((size_t)4 + prop.body[2] > prop.len) {
		*why = "malformed proposal SPI";
		return -1;
	}
	tp = prop.body + 4 + prop.body[2];
	tend = prop.body + prop.len;
	while ((r = sub_next(&tp, tend, &tnp, PL_T, &t)) == 1) {
		int done = fn(&t, arg);

		if (done > 0)
			return 0;
		if (done < 0) {
			*why = "malformed transform attributes";
			return -1;
		}
	}
	*why = r < 0 ? "malformed transform" : "no proposal chosen";
	return -1;
}

struct p1_ctx {
	const struct remote_conf *r;
	struct p1_choice *c;
	bool accept_only;
	int seen;
	bool have_first;
	struct p1_choice first;	/* the first transform, for the refusal */
};

/* racoon.conf's name for an Oakley attribute value, or NULL. */
static const char *p1_name(uint16_t type, int v)
{
	static const struct {
		uint16_t type;
		int v;
		const char *name;
	} n[] = {
		{ OAKLEY_ENC, OAKLEY_ENC_3DES, "3des" },
		{ OAKLEY_ENC, OAKLEY_ENC_AES, "aes" },
		{ OAKLEY_HASH, OAKLEY_HASH_MD5, "md5" },
		{ OAKLEY_HASH, OAKLEY_HASH_SHA1, "sha1" },
		{ OAKLEY_HASH, OAKLEY_HASH_SHA256, "sha256" },
		{ OAKLEY_HASH, OAKLEY_HASH_SHA384, "sha384" },
		{ OAKLEY_HASH, OAKLEY_HASH_SHA512, "sha512" },
		{ OAKLEY_AUTH, OAKLEY_AUTH_PSK, "pre_shared_key" },
		{ OAKLEY_AUTH, OAKLEY_AUTH_RSA_SIG, "rsasig" },
		{ OAKLEY_AUTH, OAKLEY_AUTH_ECDSA_256, "ecdsa_sha256" },
		{ OAKLEY_AUTH, OAKLEY_AUTH_ECDSA_384, "ecdsa_sha384" },
		{ OAKLEY_AUTH, OAKLEY_AUTH_ECDSA_521, "ecdsa_sha512" },
	};

	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		if (n[i].type == type && n[i].v == v)
			return n[i].name;
	return NULL;
}

/*
 * "no proposal chosen; the peer's first: aes 128, sha512, ecdsa_sha384,
 * dh_group 21" — what the peer wanted, in racoon.conf's words (a value
 * racoon-lite has no name for as "hash 9"). One static buffer: the
 * daemon is single-threaded and the caller logs it at once.
 */
static const char *p1_refusal(const struct p1_choice *c)
{
	static char why[160];
	const char *e = p1_name(OAKLEY_ENC, c->enc);
	const char *h = p1_name(OAKLEY_HASH, c->hash);
	const char *a = p1_name(OAKLEY_AUTH, c->auth);
	char eb[24], hb[24], ab[24], kb[16] = "";

	if (!e)
		snprintf(eb, sizeof(eb), "encryption %d", c->enc);
	if (!h)
		snprintf(hb, sizeof(hb), "hash %d", c->hash);
	if (!a)
		snprintf(ab, sizeof(ab), "authentication %d", c->auth);
	if (c->enc == OAKLEY_ENC_AES)
		snprintf(kb, sizeof(kb), " %u", c->keybits);
	snprintf(why, sizeof(why), "no proposal chosen; the peer's first: "
		 "%s%s, %s, %s, dh_group %d", e ? e : eb, kb, h ? h : hb,
		 a ? a : ab, c->group);
	return why;
}

static int p1_try(const struct sub *t, void *arg)
{
	struct p1_ctx *x = arg;
	struct p1_choice c;
	uint32_t use;
	bool claim;
	int r;

	x->seen++;
	r = p1_decode(t, &c);
	if (r == -2)
		return -1;
	if (x->seen == 1 && r == 0) {
		x->first = c;
		x->have_first = true;
	}
	if (r || !p1_match(x->r, &c))
		return 0;
	if (x->accept_only) {
		/* our own lifetime offer comes back unchanged */
		c.life_sec = c.life_sec < x->r->lifetime ? c.life_sec :
							   x->r->lifetime;
	} else {
		if (lifetime_check(x->r->prop_check, c.life_sec,
				   x->r->lifetime, &use, &claim))
			return 0;
		c.life_sec = use;
	}
	*x->c = c;
	return 1;
}

int p1_sa_choose(const uint8_t *body, size_t len, const struct remote_conf *r,
		 struct p1_choice *c, const char **why)
{
	struct p1_ctx x = { .r = r, .c = c };

	if (!p1_walk(body, len, why, p1_try, &x))
		return 0;
	if (x.have_first && strcmp(*why, "no proposal chosen") == 0)
		*why = p1_refusal(&x.first);
	return -1;
}

int p1_sa_accept(const uint8_t *body, size_t len, const struct remote_conf *r,
		 struct p1_choice *c, const char **why)
{
	struct p1_ctx x = { .r = r, .c = c, .accept_only = true };

	if (p1_walk(body, len, why, p1_try, &x))
		return -1;
	if (x.seen != 1) {
		*why = "responder returned more than one transform";
		return -1;
	}
	return 0;
}

static void put_transform(struct buf *b, const uint8_t *raw, size_t len)
{
	uint8_t *t = buf_put(b, raw, len);

	if (t)
		t[0] = PL_NONE;
}

void p1_sa_reply(struct buf *b, const struct p1_choice *c)
{
	size_t ps;

	sa_header(b);
	ps = sub_begin(b, PL_NONE);
	buf_u8(b, 1);
	buf_u8(b, PROTO_ISAKMP);
	buf_u8(b, 0);
	buf_u8(b, 1);
	put_transform(b, c->raw_t, c->raw_tlen);
	sub_end(b, ps);
}

/* ---- phase 2 ------------------------------------------------------------ */

static int ah_id_of(int auth)
{
	switch (auth) {
	case AUTH_HMAC_MD5:
		return AH_MD5;
	case AUTH_HMAC_SHA1:
		return AH_SHA;
	case AUTH_HMAC_SHA256:
		return AH_SHA2_256;
	case AUTH_HMAC_SHA384:
		return AH_SHA2_384;
	case AUTH_HMAC_SHA512:
		return AH_SHA2_512;
	}
	return 0;
}

static void p2_transform(struct buf *b, bool last, int num, int id,
			 const struct sainfo_conf *si, int mode,
			 unsigned int keybits, int auth)
{
	size_t ts = sub_begin(b, last ? PL_NONE : PL_T);

	buf_u8(b, (uint8_t)num);
	buf_u8(b, (uint8_t)id);
	buf_u16(b, 0);
	attr_basic(b, IPSEC_LIFE_TYPE, LIFE_TYPE_SECONDS);
	attr_life(b, IPSEC_LIFE_DURATION, si->lifetime);
	if (si->lifetime_kb) {
		attr_basic(b, IPSEC_LIFE_TYPE, LIFE_TYPE_KB);
		attr_life(b, IPSEC_LIFE_DURATION, si->lifetime_kb);
	}
	if (si->pfs_group)
		attr_basic(b, IPSEC_GROUP, (uint16_t)si->pfs_group);
	attr_basic(b, IPSEC_ENCAP_MODE, (uint16_t)mode);
	attr_basic(b, IPSEC_AUTH_ALG, (uint16_t)auth);
	if (keybits)
		attr_basic(b, IPSEC_KEY_LENGTH, (uint16_t)keybits);
	sub_end(b, ts);
}

void p2_sa_build(struct buf *b, const struct sainfo_conf *si, uint8_t proto,
		 int mode, uint32_t spi)
{
	int n = proto == PROTO_IPSEC_ESP ? si->nenc * si->nauth : si->nauth;
	size_t ps;
	int num = 0;

	sa_header(b);
	ps = sub_begin(b, PL_NONE);
	buf_u8(b, 1);
	buf_u8(b, proto);
	buf_u8(b, 4);
	buf_u8(b, (uint8_t)n);
	buf_u32(b, spi);
	if (proto == PROTO_IPSEC_ESP) {
		for (int e = 0; e < si->nenc; e++)
			for (int a = 0; a < si->nauth; a++) {
				const struct alg *ea = &si->enc[e];

				num++;
				p2_transform(b, num == n, num, ea->id, si,
					     mode, norm_bits(ea->id == ESP_AES,
							     ea->keybits),
					     si->auth[a].id);
			}
	} else {
		for (int a = 0; a < si->nauth; a++) {
			num++;
			p2_transform(b, num == n, num,
				     ah_id_of(si->auth[a].id), si, mode, 0,
				     si->auth[a].id);
		}
	}
	sub_end(b, ps);
}

static int p2_decode(uint8_t proto, const struct sub *t, struct p2_choice *c)
{
	const uint8_t *p, *end;
	uint16_t type, life_type = 0;
	uint32_t val;
	bool wide;
	int r;

	memset(c, 0, sizeof(*c));
	c->proto = proto;
	c->life_sec = DEFAULT_LIFETIME;
	if (t->len < 4)
		return -1;
	c->trans_id = t->body[1];
	p = t->body + 4;
	end = t->body + t->len;
	while ((r = attr_next(&p, end, &type, &val, &wide)) == 1) {
		switch (type) {
		case IPSEC_LIFE_TYPE:
			life_type = (uint16_t)val;
			if (val != LIFE_TYPE_SECONDS && val != LIFE_TYPE_KB)
				return -1;
			break;
		case IPSEC_LIFE_DURATION:
			if (life_type == LIFE_TYPE_SECONDS)
				c->life_sec = val;
			else if (life_type == LIFE_TYPE_KB)
				c->life_kb = val;
			else
				return -1;
			break;
		case IPSEC_GROUP:
			c->group = (int)val;
			break;
		case IPSEC_ENCAP_MODE:
			/* RFC 3947's UDP modes and the drafts' too */
			if (!natt_decode_mode(val, &c->mode, &c->udp))
				return -1;
			break;
		case IPSEC_AUTH_ALG:
			c->auth = (int)val;
			break;
		case IPSEC_KEY_LENGTH:
			c->keybits = val;
			break;
		default:
			return -1;
		}
	}
	if (r < 0)
		return -2;
	if (!c->mode)
		c->mode = ENCAP_TRANSPORT;
	if (proto == PROTO_IPSEC_ESP)
		c->keybits = norm_bits(c->trans_id == ESP_AES, c->keybits);
	c->peer_life_sec = c->life_sec;
	c->raw_t = t->raw;
	c->raw_tlen = t->rawlen;
	return 0;
}

static bool p2_algs_ok(const struct sainfo_conf *si, const struct p2_choice *c)
{
	bool enc_ok = c->proto == PROTO_IPSEC_AH, auth_ok = false;

	if (c->proto == PROTO_IPSEC_ESP) {
		for (int i = 0; i < si->nenc; i++)
			if (si->enc[i].id == c->trans_id &&
			    norm_bits(si->enc[i].id == ESP_AES,
				      si->enc[i].keybits) == c->keybits)
				enc_ok = true;
	} else if (ah_id_of(c->auth) != c->trans_id) {
		return false;
	}
	for (int i = 0; i < si->nauth; i++)
		if (si->auth[i].id == c->auth)
			auth_ok = true;
	return enc_ok && auth_ok && p2_auth_keylen(c->auth) &&
	       (c->proto == PROTO_IPSEC_AH ||
		p2_enc_keylen(c->trans_id, c->keybits));
}

/*
 * Walks the proposals. A proposal number shared by several proposals
 * is an AND bundle (AH+ESP); those are skipped as unsupported.
 */
static int p2_walk(const uint8_t *body, size_t len, const char **why,
		   int (*fn)(const struct sub *prop, const struct sub *t,
			     void *arg), void *arg)
{
	const uint8_t *p, *end = body + len;
	struct sub props[16];
	uint8_t np = PL_P;
	int n = 0, r;

	if (sa_open(body, len, &p, why))
		return -1;
	while (n < 16 && (r = sub_next(&p, end, &np, PL_P, &props[n])) == 1) {
		if (props[n].len < 4 ||
		    (size_t)4 + props[n].body[2] > props[n].len) {
			*why = "malformed proposal";
			return -1;
		}
		n++;
	}
	if (n == 16 && np != PL_NONE) {
		*why = "too many proposals";
		return -1;
	}
	if (r < 0) {
		*why = "malformed proposal";
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const struct sub *pr = &props[i];
		const uint8_t *tp, *tend;
		uint8_t tnp = PL_T;
		struct sub t;

		if ((i > 0 && props[i - 1].body[0] == pr->body[0]) ||
		    (i + 1 < n && props[i + 1].body[0] == pr->body[0]))
			continue;
		tp = pr->body + 4 + pr->body[2];
		tend = pr->body + pr->len;
		while ((r = sub_next(&tp, tend, &tnp, PL_T, &t)) == 1) {
			int done = fn(pr, &t, arg);

			if (done > 0)
				return 0;
			if (done < 0) {
				*why = "malformed transform attributes";
				return -1;
			}
		}
		if (r < 0) {
			*why = "malformed transform";
			return -1;
		}
	}
	*why = "no proposal chosen";
	return -1;
}

struct p2_ctx {
	const struct sainfo_conf *si;
	enum prop_check pc;
	struct p2_choice *c;
	uint8_t want_proto;	/* accept: the protocol we offered */
	int seen;
};

static int p2_try(const struct sub *prop, const struct sub *t, void *arg)
{
	struct p2_ctx *x = arg;
	uint8_t proto = prop->body[1];
	struct p2_choice c;
	uint32_t use;
	bool claim;
	int r;

	x->seen++;
	if (proto != PROTO_IPSEC_ESP && proto != PROTO_IPSEC_AH)
		return 0;
	if (x->want_proto && proto != x->want_proto)
		return 0;
	if (prop->body[2] != 4)
		return 0;
	r = p2_decode(proto, t, &c);
	if (r == -2)
		return -1;
	if (r || !p2_algs_ok(x->si, &c))
		return 0;
	c.spi = get32(prop->body + 4);
	if (x->want_proto) {
		if (c.group != x->si->pfs_group)
			return 0;
	} else {
		if (pfs_check(x->pc, c.group, x->si->pfs_group))
			return 0;
		if (lifetime_check(x->pc, c.life_sec, x->si->lifetime, &use,
				   &claim))
			return 0;
		c.life_sec = use;
		c.responder_lifetime = claim;
		if (x->si->lifetime_kb && c.life_kb) {
			if (lifetime_check(x->pc, c.life_kb,
					   x->si->lifetime_kb, &use, &claim))
				return 0;
			c.life_kb = use;
		}
	}
	*x->c = c;
	return 1;
}

int p2_sa_choose(const uint8_t *body, size_t len, const struct sainfo_conf *si,
		 enum prop_check pc, struct p2_choice *c, const char **why)
{
	struct p2_ctx x = { si, pc, c, 0, 0 };

	return p2_walk(body, len, why, p2_try, &x);
}

int p2_sa_accept(const uint8_t *body, size_t len, const struct sainfo_conf *si,
		 uint8_t proto, struct p2_choice *c, const char **why)
{
	struct p2_ctx x = { si, PROP_OBEY, c, proto, 0 };

	if (p2_walk(body, len, why, p2_try, &x))
		return -1;
	if (x.seen != 1) {
		*why = "responder returned more than one transform";
		return -1;
	}
	return 0;
}

void p2_sa_reply(struct buf *b, const struct p2_choice *c, uint32_t myspi)
{
	size_t ps;

	sa_header(b);
	ps = sub_begin(b, PL_NONE);
	buf_u8(b, 1);
	buf_u8(b, c->proto);
	buf_u8(b, 4);
	buf_u8(b, 1);
	buf_u32(b, myspi);
	put_transform(b, c->raw_t, c->raw_tlen);
	sub_end(b, ps);
}

size_t p2_enc_keylen(int trans_id, unsigned int keybits)
{
	switch (trans_id) {
	case ESP_3DES:
		return keybits == 0 || keybits == 192 ? 24 : 0;
	case ESP_AES:
		return keybits == 128 || keybits == 192 || keybits == 256 ?
			       keybits / 8 : 0;
	}
	return 0;
}

size_t p2_auth_keylen(int auth)
{
	switch (auth) {
	case AUTH_HMAC_MD5:
		return 16;
	case AUTH_HMAC_SHA1:
		return 20;
	case AUTH_HMAC_SHA256:
		return 32;
	case AUTH_HMAC_SHA384:
		return 48;
	case AUTH_HMAC_SHA512:
		return 64;
	}
	return 0;
}

int p2_sadb_ealg(int trans_id)
{
	switch (trans_id) {
	case ESP_3DES:
		return SADB_EALG_3DESCBC;
	case ESP_AES:
		return SADB_X_EALG_AESCBC;
	}
	return SADB_EALG_NONE;
}

int p2_sadb_aalg(int auth)
{
	switch (auth) {
	case AUTH_HMAC_MD5:
		return SADB_AALG_MD5HMAC;
	case AUTH_HMAC_SHA1:
		return SADB_AALG_SHA1HMAC;
	case AUTH_HMAC_SHA256:
		return SADB_X_AALG_SHA2_256HMAC;
	case AUTH_HMAC_SHA384:
		return SADB_X_AALG_SHA2_384HMAC;
	case AUTH_HMAC_SHA512:
		return SADB_X_AALG_SHA2_512HMAC;
	}
	return SADB_AALG_NONE;
}
