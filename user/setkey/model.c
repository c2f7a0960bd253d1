// SPDX-License-Identifier: BSD-3-Clause
/*
 * The script's end state: PF_KEY messages applied to a list of SAs and a
 * list of policies the way the kernel would (add of an existing SA or
 * selector refused, update replaces, delete and flush remove), in
 * insertion order because KAME's SPD matches first-come within a priority.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "model.h"
#include "../libipsec/pfkey_msg.h"

void sk_model_init(struct sk_model *m)
{
	memset(m, 0, sizeof(*m));
}

static void msa_clear(struct sk_msa *s)
{
	/* key material: zeroed before it goes back to the allocator */
	if (s->ekey)
		explicit_bzero(s->ekey, s->ekeylen);
	if (s->akey)
		explicit_bzero(s->akey, s->akeylen);
	free(s->ekey);
	free(s->akey);
	memset(s, 0, sizeof(*s));
}

void sk_model_free(struct sk_model *m)
{
	size_t i;

	for (i = 0; i < m->nsa; i++)
		msa_clear(&m->sa[i]);
	free(m->sa);
	free(m->pol);
	memset(m, 0, sizeof(*m));
}

int sk_addr_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return 0;
}

static const uint8_t *addr_bytes(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return (const uint8_t *)&((const struct sockaddr_in *)a)->sin_addr;
	return (const uint8_t *)&((const struct sockaddr_in6 *)a)->sin6_addr;
}

int sk_prefix_covers(const struct sockaddr_storage *a, unsigned int ap,
		     const struct sockaddr_storage *b, unsigned int bp)
{
	const uint8_t *x = addr_bytes(a), *y = addr_bytes(b);
	unsigned int i;

	if (a->ss_family != b->ss_family || ap > bp ||
	    (a->ss_family != AF_INET && a->ss_family != AF_INET6))
		return 0;
	for (i = 0; i < ap / 8; i++)
		if (x[i] != y[i])
			return 0;
	if (ap % 8) {
		uint8_t mask = 0xff << (8 - ap % 8);

		if ((x[i] & mask) != (y[i] & mask))
			return 0;
	}
	return 1;
}

unsigned int sk_addr_port(const struct sockaddr_storage *a)
{
	return pfkey_sockaddr_port((const struct sockaddr *)a);
}

unsigned int sk_addr_maxprefix(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET ? 32 : 128;
}

const char *sk_addr_str(const struct sockaddr_storage *a, unsigned int prefix,
			int withport, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	size_t n;

	inet_ntop(a->ss_family, addr_bytes(a), host, sizeof(host));
	n = snprintf(buf, len, "%s", host);
	if (prefix != sk_addr_maxprefix(a) && n < len)
		n += snprintf(buf + n, len - n, "/%u", prefix);
	if (withport && sk_addr_port(a) && n < len)
		snprintf(buf + n, len - n, "[%u]", sk_addr_port(a));
	return buf;
}

const char *sk_ipproto_name(unsigned int proto)
{
	switch (proto) {
	case IPPROTO_ESP:
		return "esp";
	case IPPROTO_AH:
		return "ah";
	case IPPROTO_COMP:
		return "ipcomp";
	}
	return "?";
}

static int get_addr(caddr_t *mhp, int ext, struct sockaddr_storage *out,
		    unsigned int *prefix, unsigned int *proto)
{
	const struct sadb_address *a = (const void *)mhp[ext];
	const struct sockaddr *sa;
	size_t sl;

	if (!a)
		return -1;
	sa = kame_ext_sockaddr(a);
	sl = sa ? pfkey_sockaddr_len(sa) : 0;
	if (!sl)
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out, sa, sl);
	if (prefix)
		*prefix = a->sadb_address_prefixlen;
	if (proto)
		*proto = a->sadb_address_proto;
	return 0;
}

static uint8_t *get_key(caddr_t *mhp, int ext, size_t *len)
{
	const struct sadb_key *k = (const void *)mhp[ext];
	size_t bytes, room;
	uint8_t *d;

	*len = 0;
	if (!k)
		return NULL;
	bytes = (k->sadb_key_bits + 7) / 8;
	room = PFKEY_EXTLEN(k) - sizeof(*k);
	if (bytes > room)
		bytes = room;
	d = malloc(bytes ? bytes : 1);
	if (!d)
		return NULL;
	memcpy(d, k + 1, bytes);
	*len = bytes;
	return d;
}

static int decode_sa(caddr_t *mhp, int line, struct sk_msa *s)
{
	const struct sadb_msg *m = (const void *)mhp[0];
	const struct sadb_sa *sa = (const void *)mhp[SADB_EXT_SA];
	const struct sadb_x_sa2 *sa2 = (const void *)mhp[SADB_X_EXT_SA2];
	const struct sadb_lifetime *h = (const void *)mhp[SADB_EXT_LIFETIME_HARD];
	const struct sadb_lifetime *so = (const void *)mhp[SADB_EXT_LIFETIME_SOFT];
	const struct sadb_x_nat_t_port *np;

	memset(s, 0, sizeof(*s));
	if (!sa || get_addr(mhp, SADB_EXT_ADDRESS_SRC, &s->src, NULL, NULL) ||
	    get_addr(mhp, SADB_EXT_ADDRESS_DST, &s->dst, NULL, NULL))
		return -1;
	s->line = line;
	s->satype = m->sadb_msg_satype;
	s->spi = ntohl(sa->sadb_sa_spi);
	s->replay = sa->sadb_sa_replay;
	s->flags = sa->sadb_sa_flags;
	s->ealg = sa->sadb_sa_encrypt;
	s->aalg = sa->sadb_sa_auth;
	s->mode = sa2 ? sa2->sadb_x_sa2_mode : IPSEC_MODE_ANY;
	s->reqid = sa2 ? sa2->sadb_x_sa2_reqid : 0;
	s->ekey = get_key(mhp, SADB_EXT_KEY_ENCRYPT, &s->ekeylen);
	s->akey = get_key(mhp, SADB_EXT_KEY_AUTH, &s->akeylen);
	if ((mhp[SADB_EXT_KEY_ENCRYPT] && !s->ekey) ||
	    (mhp[SADB_EXT_KEY_AUTH] && !s->akey)) {
		msa_clear(s);
		return -1;
	}
	if (h) {
		s->lh = h->sadb_lifetime_addtime;
		s->bh = h->sadb_lifetime_bytes;
	}
	if (so) {
		s->ls = so->sadb_lifetime_addtime;
		s->bs = so->sadb_lifetime_bytes;
	}
	if (mhp[SADB_X_EXT_NAT_T_TYPE]) {
		s->natt = 1;
		np = (const void *)mhp[SADB_X_EXT_NAT_T_SPORT];
		s->natt_sport = np ? ntohs(np->sadb_x_nat_t_port_port) : 4500;
		np = (const void *)mhp[SADB_X_EXT_NAT_T_DPORT];
		s->natt_dport = np ? ntohs(np->sadb_x_nat_t_port_port) : 4500;
	}
	return 0;
}

static int decode_requests(const struct sadb_x_policy *xp, struct sk_mpol *p)
{
	const uint8_t *q = (const uint8_t *)(xp + 1);
	const uint8_t *end = (const uint8_t *)xp + PFKEY_EXTLEN(xp);

	while (q + sizeof(struct sadb_x_ipsecrequest) <= end) {
		const struct sadb_x_ipsecrequest *rq = (const void *)q;
		size_t len = rq->sadb_x_ipsecrequest_len, left;
		struct sk_mreq *r;

		if (len < sizeof(*rq) || q + len > end || p->nreq == SK_MREQ_MAX)
			return -1;
		r = &p->req[p->nreq++];
		r->proto = rq->sadb_x_ipsecrequest_proto;
		r->mode = rq->sadb_x_ipsecrequest_mode;
		r->level = rq->sadb_x_ipsecrequest_level;
		r->reqid = rq->sadb_x_ipsecrequest_reqid;
		left = len - sizeof(*rq);
		if (left >= sizeof(struct sockaddr_in)) {
			const struct sockaddr *s = (const void *)(rq + 1);
			size_t sl = pfkey_sockaddr_len(s);

			if (!sl || left < 2 * sl ||
			    pfkey_sockaddr_len((const void *)((const uint8_t *)s + sl)) != sl)
				return -1;
			memcpy(&r->tsrc, s, sl);
			memcpy(&r->tdst, (const uint8_t *)s + sl, sl);
			r->tunnel = 1;
		}
		q += len;
	}
	return 0;
}

static int decode_pol(caddr_t *mhp, int line, struct sk_mpol *p)
{
	const struct sadb_x_policy *xp = (const void *)mhp[SADB_X_EXT_POLICY];

	memset(p, 0, sizeof(*p));
	if (!xp || get_addr(mhp, SADB_EXT_ADDRESS_SRC, &p->src, &p->sprefix,
			    &p->proto) ||
	    get_addr(mhp, SADB_EXT_ADDRESS_DST, &p->dst, &p->dprefix, NULL))
		return -1;
	p->line = line;
	p->dir = xp->sadb_x_policy_dir;
	p->type = xp->sadb_x_policy_type;
	p->priority = xp->sadb_x_policy_priority;
	return decode_requests(xp, p);
}

/* The SA's identity: (dst, satype, spi). */
static struct sk_msa *find_sa(struct sk_model *m, const struct sk_msa *s)
{
	size_t i;

	for (i = 0; i < m->nsa; i++)
		if (m->sa[i].satype == s->satype && m->sa[i].spi == s->spi &&
		    sk_addr_eq(&m->sa[i].dst, &s->dst))
			return &m->sa[i];
	return NULL;
}

/* A policy's identity: direction and the whole selector. */
static struct sk_mpol *find_pol(struct sk_model *m, const struct sk_mpol *p)
{
	size_t i;

	for (i = 0; i < m->npol; i++) {
		const struct sk_mpol *o = &m->pol[i];

		if (o->dir == p->dir && o->proto == p->proto &&
		    o->sprefix == p->sprefix && o->dprefix == p->dprefix &&
		    sk_prefix_covers(&o->src, o->sprefix, &p->src, p->sprefix) &&
		    sk_prefix_covers(&o->dst, o->dprefix, &p->dst, p->dprefix) &&
		    sk_addr_port(&o->src) == sk_addr_port(&p->src) &&
		    sk_addr_port(&o->dst) == sk_addr_port(&p->dst))
			return (struct sk_mpol *)o;
	}
	return NULL;
}

static void remove_sa(struct sk_model *m, size_t i)
{
	msa_clear(&m->sa[i]);
	memmove(&m->sa[i], &m->sa[i + 1], (m->nsa - i - 1) * sizeof(m->sa[0]));
	m->nsa--;
}

static void remove_pol(struct sk_model *m, size_t i)
{
	memmove(&m->pol[i], &m->pol[i + 1], (m->npol - i - 1) * sizeof(m->pol[0]));
	m->npol--;
}

static enum sk_mresult apply_sa(struct sk_model *m, caddr_t *mhp, int line,
				int update, const void **old)
{
	struct sk_msa s, *o, *n;

	if (decode_sa(mhp, line, &s))
		return SK_M_BAD;
	m->sa_adds++;
	o = find_sa(m, &s);
	if (o && !update) {
		*old = o;
		msa_clear(&s);
		return SK_M_SA_DUP;
	}
	if (o) {
		msa_clear(o);
		*o = s;
		return SK_M_SA;
	}
	n = realloc(m->sa, (m->nsa + 1) * sizeof(*n));
	if (!n) {
		msa_clear(&s);
		return SK_M_BAD;
	}
	m->sa = n;
	m->sa[m->nsa++] = s;
	return SK_M_SA;
}

static enum sk_mresult apply_pol(struct sk_model *m, caddr_t *mhp, int line,
				 int type, const void **old)
{
	struct sk_mpol p, *o, *n;

	if (decode_pol(mhp, line, &p))
		return SK_M_BAD;
	o = find_pol(m, &p);
	if (type == SADB_X_SPDDELETE) {
		if (o)
			remove_pol(m, o - m->pol);
		return SK_M_OTHER;
	}
	if (o && type == SADB_X_SPDADD) {
		*old = o;
		return SK_M_POL_DUP;
	}
	if (o) {
		*o = p;
		return SK_M_POL;
	}
	n = realloc(m->pol, (m->npol + 1) * sizeof(*n));
	if (!n)
		return SK_M_BAD;
	m->pol = n;
	m->pol[m->npol++] = p;
	return SK_M_POL;
}

static void apply_delete(struct sk_model *m, caddr_t *mhp)
{
	const struct sadb_msg *msg = (const void *)mhp[0];
	const struct sadb_sa *sa = (const void *)mhp[SADB_EXT_SA];
	struct sockaddr_storage src, dst;
	size_t i = 0;

	if (get_addr(mhp, SADB_EXT_ADDRESS_SRC, &src, NULL, NULL) ||
	    get_addr(mhp, SADB_EXT_ADDRESS_DST, &dst, NULL, NULL))
		return;
	while (i < m->nsa) {
		struct sk_msa *s = &m->sa[i];

		if (s->satype == msg->sadb_msg_satype && sk_addr_eq(&s->src, &src) &&
		    sk_addr_eq(&s->dst, &dst) &&
		    (!sa || s->spi == ntohl(sa->sadb_sa_spi)))
			remove_sa(m, i);
		else
			i++;
	}
}

enum sk_mresult sk_model_apply(struct sk_model *m, const struct sadb_msg *msg,
			       int line, const void **old)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	const void *dummy;

	if (!old)
		old = &dummy;
	*old = NULL;
	if (pfkey_align((struct sadb_msg *)msg, mhp))
		return SK_M_BAD;
	switch (msg->sadb_msg_type) {
	case SADB_ADD:
	case SADB_UPDATE:
		return apply_sa(m, mhp, line, msg->sadb_msg_type == SADB_UPDATE, old);
	case SADB_DELETE:
		apply_delete(m, mhp);
		return SK_M_OTHER;
	case SADB_FLUSH:
		for (size_t i = 0; i < m->nsa;) {
			if (msg->sadb_msg_satype == SADB_SATYPE_UNSPEC ||
			    m->sa[i].satype == msg->sadb_msg_satype)
				remove_sa(m, i);
			else
				i++;
		}
		return SK_M_OTHER;
	case SADB_X_SPDADD:
	case SADB_X_SPDUPDATE:
	case SADB_X_SPDDELETE:
		return apply_pol(m, mhp, line, msg->sadb_msg_type, old);
	case SADB_X_SPDFLUSH:
		m->npol = 0;
		return SK_M_OTHER;
	}
	return SK_M_OTHER;
}

int sk_model_apply_cmd(struct sk_model *m, const struct sk_cmd *c)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < c->nmsgs; i++)
		if (sk_model_apply(m, c->msgs[i].m, c->line, NULL) == SK_M_BAD)
			rc = -1;
	return rc;
}

unsigned int sk_req_satype(const struct sk_mreq *r)
{
	return r->proto == IPPROTO_ESP ? SADB_SATYPE_ESP :
	       r->proto == IPPROTO_AH ? SADB_SATYPE_AH : SADB_X_SATYPE_IPCOMP;
}

int sk_req_uses_sa(const struct sk_mpol *p, const struct sk_mreq *r,
		   const struct sk_msa *s)
{
	if (s->satype != sk_req_satype(r))
		return 0;
	if (r->level == IPSEC_LEVEL_UNIQUE && r->reqid && s->reqid != r->reqid)
		return 0;
	if (r->tunnel)
		return sk_addr_eq(&s->src, &r->tsrc) && sk_addr_eq(&s->dst, &r->tdst);
	return sk_prefix_covers(&p->src, p->sprefix, &s->src, sk_addr_maxprefix(&s->src)) &&
	       sk_prefix_covers(&p->dst, p->dprefix, &s->dst, sk_addr_maxprefix(&s->dst));
}

int sk_msa_decode(const struct sadb_msg *msg, int line, struct sk_msa *s)
{
	caddr_t mhp[SADB_EXT_MAX + 1];

	if (pfkey_align((struct sadb_msg *)msg, mhp))
		return -1;
	return decode_sa(mhp, line, s);
}

void sk_msa_free(struct sk_msa *s)
{
	msa_clear(s);
}

int sk_mpol_decode(const struct sadb_msg *msg, int line, struct sk_mpol *p)
{
	caddr_t mhp[SADB_EXT_MAX + 1];

	if (pfkey_align((struct sadb_msg *)msg, mhp))
		return -1;
	return decode_pol(mhp, line, p);
}

int sk_msg_ids(const struct sadb_msg *msg, struct sockaddr_storage *src,
	       struct sockaddr_storage *dst, uint32_t *spi)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	const struct sadb_sa *sa;

	if (pfkey_align((struct sadb_msg *)msg, mhp) ||
	    get_addr(mhp, SADB_EXT_ADDRESS_SRC, src, NULL, NULL) ||
	    get_addr(mhp, SADB_EXT_ADDRESS_DST, dst, NULL, NULL))
		return -1;
	sa = (const void *)mhp[SADB_EXT_SA];
	*spi = sa ? ntohl(sa->sadb_sa_spi) : 0;
	return sa ? 1 : 0;
}
