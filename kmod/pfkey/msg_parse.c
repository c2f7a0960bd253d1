// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One validation pass over a PF_KEY message written by userland, driven by
 * the tables in msg_tables.c (which also lists every errno). The order is
 * KAME's key_parse(): header, extension walk (each extension's bounds and
 * content), sadb_msg_satype, address cross-checks, then required
 * extensions and the few per-message rules.
 */
#include "msg_parse.h"

#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
#define B(t)		KAME_EXT_BIT(t)

/* sa_family of a sockaddr at @p (any alignment). */
static __u16 sa_family_at(const __u8 *p)
{
	__u16 family;

	memcpy(&family, p, sizeof(family));
	return family;
}

/* Size of the sockaddr for @family; 0 if the family is not supported. */
static size_t sockaddr_size(__u16 family)
{
	if (family == AF_INET)
		return sizeof(struct sockaddr_in);
	if (family == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return 0;
}

/* A sadb_address: exactly one sockaddr, padded to 8 bytes. */
static int check_address(const __u8 *p, size_t len)
{
	const struct sadb_address *a = (const void *)p;
	__u16 family;
	size_t salen;

	if (len < sizeof(*a) + sizeof(family))
		return -EINVAL;
	family = sa_family_at(p + sizeof(*a));
	salen = sockaddr_size(family);
	if (!salen)
		return -EAFNOSUPPORT;
	if (len != sizeof(*a) + ALIGN8(salen))
		return -EINVAL;
	if (a->sadb_address_prefixlen > kame_family_bits(family))
		return -EINVAL;
	return 0;
}

static int check_key(const __u8 *p, size_t len)
{
	const struct sadb_key *k = (const void *)p;

	if (sizeof(*k) + ((size_t)k->sadb_key_bits + 7) / 8 > len)
		return -EINVAL;
	return 0;
}

static int check_ident(const __u8 *p, size_t len)
{
	const struct sadb_ident *id = (const void *)p;

	if (id->sadb_ident_type == SADB_IDENTTYPE_RESERVED ||
	    id->sadb_ident_type > SADB_IDENTTYPE_MAX)
		return -EINVAL;
	if (len > sizeof(*id) && !memchr(p + sizeof(*id), 0, len - sizeof(*id)))
		return -EINVAL;
	return 0;
}

static int check_sens(const __u8 *p, size_t len)
{
	const struct sadb_sens *s = (const void *)p;
	size_t words = (size_t)s->sadb_sens_sens_len + s->sadb_sens_integ_len;

	return len == sizeof(*s) + words * 8 ? 0 : -EINVAL;
}

static int check_natt_type(const __u8 *p)
{
	const struct sadb_x_nat_t_type *t = (const void *)p;

	if (t->sadb_x_nat_t_type_type != UDP_ENCAP_ESPINUDP &&
	    t->sadb_x_nat_t_type_type != UDP_ENCAP_ESPINUDP_NON_IKE)
		return -EINVAL;
	return 0;
}

static int check_sec_ctx(const __u8 *p, size_t len)
{
	const struct sadb_x_sec_ctx *c = (const void *)p;

	if (c->sadb_x_ctx_len > KAME_SEC_CTX_MAX)
		return -EINVAL;
	return len == ALIGN8(sizeof(*c) + c->sadb_x_ctx_len) ? 0 : -EINVAL;
}

/*
 * Two sockaddrs of one family back to back at @p, @len bytes in all
 * (a multiple of 8). *family gets the family.
 */
static int check_sockaddr_pair(const __u8 *p, size_t len, __u16 *family)
{
	size_t salen;

	if (len < sizeof(*family))
		return -EINVAL;
	*family = sa_family_at(p);
	salen = sockaddr_size(*family);
	if (!salen)
		return -EAFNOSUPPORT;
	if (len != ALIGN8(2 * salen))
		return -EINVAL;
	if (sa_family_at(p + salen) != *family)
		return -EINVAL;
	return 0;
}

static int check_kmaddress(const __u8 *p, size_t len)
{
	__u16 family;

	return check_sockaddr_pair(p + sizeof(struct sadb_x_kmaddress),
				   len - sizeof(struct sadb_x_kmaddress), &family);
}

static int check_filter(const __u8 *p)
{
	const struct sadb_x_filter *f = (const void *)p;
	unsigned int bits;

	if (!sockaddr_size(f->sadb_x_filter_family))
		return -EAFNOSUPPORT;
	bits = kame_family_bits(f->sadb_x_filter_family);
	if (f->sadb_x_filter_splen > bits || f->sadb_x_filter_dplen > bits)
		return -EINVAL;
	return 0;
}

/* One Linux-layout ipsecrequest of @len bytes (header already in bounds). */
static int check_ipsecreq(const __u8 *p, size_t len)
{
	const struct sadb_x_ipsecrequest *rq = (const void *)p;
	__u16 family;

	switch (rq->sadb_x_ipsecrequest_proto) {
	case IPPROTO_ESP:
	case IPPROTO_AH:
	case IPPROTO_COMP:
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	if (rq->sadb_x_ipsecrequest_mode != IPSEC_MODE_TRANSPORT &&
	    rq->sadb_x_ipsecrequest_mode != IPSEC_MODE_TUNNEL)
		return -EINVAL;
	if (rq->sadb_x_ipsecrequest_level > IPSEC_LEVEL_UNIQUE)
		return -EINVAL;
	if (len == sizeof(*rq))
		return rq->sadb_x_ipsecrequest_mode == IPSEC_MODE_TUNNEL ? -EINVAL : 0;
	return check_sockaddr_pair(p + sizeof(*rq), len - sizeof(*rq), &family);
}

static int check_policy(const __u8 *p, size_t len, struct kame_msg *m)
{
	const struct sadb_x_policy *pol = (const void *)p;
	size_t off = sizeof(*pol);
	int err;

	if (pol->sadb_x_policy_type > IPSEC_POLICY_BYPASS)
		return -EINVAL;
	if (pol->sadb_x_policy_dir > IPSEC_DIR_FWD)
		return -EINVAL;
	m->nreq = 0;
	while (off < len) {
		const struct sadb_x_ipsecrequest *rq = (const void *)(p + off);
		size_t rqlen;

		if (len - off < sizeof(*rq))
			return -EINVAL;
		rqlen = rq->sadb_x_ipsecrequest_len;
		if (rqlen < sizeof(*rq) || rqlen > len - off)
			return -EINVAL;
		if (m->nreq == KAME_SP_MAXREQ)
			return -ELOOP;
		err = check_ipsecreq(p + off, rqlen);
		if (err)
			return err;
		m->nreq++;
		off += rqlen;
	}
	return 0;
}

/* Size bounds of extension @type, then its content. */
static int check_ext(const __u8 *p, size_t len, unsigned int type,
		     struct kame_msg *m)
{
	const struct kame_ext_spec *spec = &kame_ext_specs[type];

	if (len < spec->min || (spec->max && len > spec->max))
		return -EINVAL;

	switch (spec->check) {
	case KAME_XC_ADDRESS:
		return check_address(p, len);
	case KAME_XC_KEY:
		return check_key(p, len);
	case KAME_XC_IDENT:
		return check_ident(p, len);
	case KAME_XC_SENS:
		return check_sens(p, len);
	case KAME_XC_PROPOSAL:
		return (len - sizeof(struct sadb_prop)) % sizeof(struct sadb_comb) ?
		       -EINVAL : 0;
	case KAME_XC_SUPPORTED:
		return (len - sizeof(struct sadb_supported)) % sizeof(struct sadb_alg) ?
		       -EINVAL : 0;
	case KAME_XC_SPIRANGE: {
		const struct sadb_spirange *r = (const void *)p;

		return r->sadb_spirange_min > r->sadb_spirange_max ? -EINVAL : 0;
	}
	case KAME_XC_POLICY:
		return check_policy(p, len, m);
	case KAME_XC_SA2: {
		const struct sadb_x_sa2 *sa2 = (const void *)p;

		return sa2->sadb_x_sa2_mode > IPSEC_MODE_TUNNEL ? -EINVAL : 0;
	}
	case KAME_XC_NATT_TYPE:
		return check_natt_type(p);
	case KAME_XC_SEC_CTX:
		return check_sec_ctx(p, len);
	case KAME_XC_KMADDRESS:
		return check_kmaddress(p, len);
	case KAME_XC_FILTER:
		return check_filter(p);
	default:
		return 0;
	}
}

/*
 * The extension walk: every byte after the header belongs to one ext.
 * KAME_WALK_BOUNDS checks only each type's minimum size (no maximum, no
 * content): what libipsec's pfkey_align() promises its callers.
 */
int kame_msg_walk(const void *msg, size_t len, __u32 allowed,
		  unsigned int flags, struct kame_msg *m)
{
	const __u8 *buf = msg;
	size_t off = sizeof(struct sadb_msg);
	int err;

	while (off < len) {
		const struct sadb_ext *e = (const void *)(buf + off);
		size_t elen;
		unsigned int type;

		if (len - off < sizeof(*e))
			return -EINVAL;
		type = e->sadb_ext_type;
		m->err_ext = type;
		elen = (size_t)e->sadb_ext_len * 8;
		if (!elen || elen > len - off)
			return -EINVAL;
		if (type == SADB_EXT_RESERVED || type > SADB_EXT_MAX)
			return -EINVAL;
		if (m->ext[type])
			return -EINVAL;
		if (!(allowed & KAME_EXT_BIT(type)))
			return -EINVAL;
		if (flags & KAME_WALK_BOUNDS)
			err = elen < kame_ext_specs[type].min ? -EINVAL : 0;
		else
			err = check_ext(buf + off, elen, type, m);
		if (err)
			return err;
		m->ext[type] = e;
		m->present |= KAME_EXT_BIT(type);
		off += elen;
	}
	m->err_ext = 0;
	return 0;
}

int kame_msg_check_satype(unsigned int type, unsigned int satype,
			  enum kame_satype_rule rule)
{
	switch (satype) {
	case SADB_SATYPE_UNSPEC:
		return rule == KAME_SAT_SA ? -EINVAL : 0;
	case SADB_SATYPE_AH:
	case SADB_SATYPE_ESP:
	case SADB_X_SATYPE_IPCOMP:
		return rule == KAME_SAT_SPD ? -EINVAL : 0;
	case SADB_SATYPE_RSVP:
	case SADB_SATYPE_OSPFV2:
	case SADB_SATYPE_RIPV2:
	case SADB_SATYPE_MIP:
		return -EOPNOTSUPP;
	case 1:	/* KAME: only meaningful to X_PROMISC (promiscuous on) */
		return type == SADB_X_PROMISC ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

static __u16 addr_family(const struct sadb_ext *e)
{
	return e ? sa_family_at((const __u8 *)e + sizeof(struct sadb_address)) : 0;
}

/* Addresses: SRC/DST one family and one upper-layer protocol; PROXY too. */
int kame_msg_check_addrs(struct kame_msg *m)
{
	const struct sadb_ext *src = m->ext[SADB_EXT_ADDRESS_SRC];
	const struct sadb_ext *dst = m->ext[SADB_EXT_ADDRESS_DST];
	const struct sadb_ext *proxy = m->ext[SADB_EXT_ADDRESS_PROXY];

	m->family = addr_family(src);
	if (src && dst) {
		m->err_ext = SADB_EXT_ADDRESS_DST;
		if (addr_family(dst) != m->family)
			return -EINVAL;
		if (((const struct sadb_address *)src)->sadb_address_proto !=
		    ((const struct sadb_address *)dst)->sadb_address_proto)
			return -EINVAL;
	}
	if (src && proxy && addr_family(proxy) != m->family) {
		m->err_ext = SADB_EXT_ADDRESS_PROXY;
		return -EINVAL;
	}
	m->err_ext = 0;
	return 0;
}

static bool has_all_or_none(__u32 present, __u32 set)
{
	return (present & set) == 0 || (present & set) == set;
}

/*
 * NAT-T of an ADD, UPDATE or GETSPI (type and ports all there or none):
 * ESP only, ports non-zero, NAT-OA only with them and in the SA's family,
 * and an SA (ADD, UPDATE) only with RFC 3948's encapsulation: the engine
 * does not implement the drafts' non-IKE marker (GETSPI only reserves).
 */
static int check_natt(struct kame_msg *m)
{
	const struct sadb_x_nat_t_type *t =
		(const void *)m->ext[SADB_X_EXT_NAT_T_TYPE];
	__u16 oa_family, src_family;
	__be16 port;

	if (!t) {
		if (!m->ext[SADB_X_EXT_NAT_T_OA])
			return 0;
		m->err_ext = SADB_X_EXT_NAT_T_OA;
		return -EINVAL;
	}
	m->err_ext = SADB_X_EXT_NAT_T_TYPE;
	if (m->hdr->sadb_msg_satype != SADB_SATYPE_ESP)
		return -EINVAL;
	if (t->sadb_x_nat_t_type_type != UDP_ENCAP_ESPINUDP &&
	    m->hdr->sadb_msg_type != SADB_GETSPI)
		return -EOPNOTSUPP;
	m->err_ext = SADB_X_EXT_NAT_T_SPORT;
	if (!kame_msg_natt_port(m, SADB_X_EXT_NAT_T_SPORT, &port) || !port)
		return -EINVAL;
	m->err_ext = SADB_X_EXT_NAT_T_DPORT;
	if (!kame_msg_natt_port(m, SADB_X_EXT_NAT_T_DPORT, &port) || !port)
		return -EINVAL;
	m->err_ext = SADB_X_EXT_NAT_T_OA;
	if (kame_msg_addr(m, SADB_X_EXT_NAT_T_OA, &oa_family) &&
	    (!kame_msg_addr(m, SADB_EXT_ADDRESS_SRC, &src_family) ||
	     oa_family != src_family))
		return -EINVAL;
	m->err_ext = 0;
	return 0;
}

/* Rules that need more than one extension or the header. */
static int check_message_rules(struct kame_msg *m)
{
	const struct sadb_x_policy *pol = kame_msg_policy(m);
	const struct sadb_spirange *range = kame_msg_spirange(m);
	unsigned int type = m->hdr->sadb_msg_type;
	__u32 lifetimes = B(SADB_EXT_LIFETIME_HARD) | B(SADB_EXT_LIFETIME_SOFT);
	__u32 natt = B(SADB_X_EXT_NAT_T_TYPE) | B(SADB_X_EXT_NAT_T_SPORT) |
		     B(SADB_X_EXT_NAT_T_DPORT);
	__u32 acquire = B(SADB_EXT_ADDRESS_SRC) | B(SADB_EXT_ADDRESS_DST) |
			B(SADB_EXT_PROPOSAL);

	switch (type) {
	case SADB_ADD:
	case SADB_UPDATE:
		if (!has_all_or_none(m->present, lifetimes)) {
			m->err_ext = SADB_EXT_LIFETIME_HARD;
			return -EINVAL;
		}
		break;
	case SADB_GETSPI:
		if (range && m->hdr->sadb_msg_satype == SADB_X_SATYPE_IPCOMP &&
		    range->sadb_spirange_max > 0xffff) {
			m->err_ext = SADB_EXT_SPIRANGE;
			return -EINVAL;
		}
		break;
	case SADB_ACQUIRE:
		if (m->present && (m->present & acquire) != acquire) {
			m->err_ext = __builtin_ctz(acquire & ~m->present);
			return -EINVAL;
		}
		return 0;
	case SADB_X_PROMISC:
		return !m->payload_len && m->hdr->sadb_msg_satype > 1 ? -EINVAL : 0;
	case SADB_X_SPDADD:
	case SADB_X_SPDUPDATE:
	case SADB_X_SPDSETIDX:
		m->err_ext = SADB_X_EXT_POLICY;
		if (pol->sadb_x_policy_type > IPSEC_POLICY_IPSEC)
			return -EINVAL;
		if (pol->sadb_x_policy_type == IPSEC_POLICY_IPSEC && !m->nreq &&
		    type != SADB_X_SPDSETIDX)
			return -EINVAL;
		if (pol->sadb_x_policy_dir == IPSEC_DIR_ANY)
			return -EINVAL;
		m->err_ext = 0;
		return 0;
	case SADB_X_SPDDELETE:
		if (pol->sadb_x_policy_dir == IPSEC_DIR_ANY) {
			m->err_ext = SADB_X_EXT_POLICY;
			return -EINVAL;
		}
		return 0;
	default:
		return 0;
	}

	/* ADD, UPDATE, GETSPI: NAT-T type and ports come together (KAME). */
	if (!has_all_or_none(m->present, natt)) {
		m->err_ext = SADB_X_EXT_NAT_T_TYPE;
		return -EINVAL;
	}
	return check_natt(m);
}

int kame_msg_parse(const void *buf, size_t len, struct kame_msg *m)
{
	const struct sadb_msg *hdr = buf;
	const struct kame_msg_spec *spec;
	__u32 missing;
	int err;

	memset(m, 0, sizeof(*m));
	if (!buf || len < sizeof(*hdr) || (size_t)hdr->sadb_msg_len * 8 != len)
		return -EINVAL;
	m->hdr = hdr;

	if (hdr->sadb_msg_version != PF_KEY_V2)
		return -EINVAL;
	if (!kame_msg_type_from_user(hdr->sadb_msg_type))
		return -EINVAL;
	spec = &kame_msg_specs[hdr->sadb_msg_type];

	if (spec->flags & KAME_MT_OPAQUE) {
		if (len > sizeof(*hdr)) {
			m->payload = hdr + 1;
			m->payload_len = len - sizeof(*hdr);
		}
	} else {
		err = kame_msg_walk(buf, len, spec->allowed, 0, m);
		if (err)
			return err;
	}

	err = kame_msg_check_satype(hdr->sadb_msg_type, hdr->sadb_msg_satype,
				    spec->satype);
	if (err)
		return err;
	err = kame_msg_check_addrs(m);
	if (err)
		return err;

	missing = spec->required & ~m->present;
	if (missing) {
		m->err_ext = __builtin_ctz(missing);
		return -EINVAL;
	}
	return check_message_rules(m);
}

/* ---- Accessors for parsed messages ---- */

static bool is_address_type(unsigned int exttype)
{
	return exttype == SADB_EXT_ADDRESS_SRC || exttype == SADB_EXT_ADDRESS_DST ||
	       exttype == SADB_EXT_ADDRESS_PROXY || exttype == SADB_X_EXT_NAT_T_OA;
}

const struct sadb_address *kame_msg_addr_ext(const struct kame_msg *m,
					     unsigned int exttype)
{
	if (!is_address_type(exttype))
		return NULL;
	return (const struct sadb_address *)m->ext[exttype];
}

const struct sockaddr *kame_msg_addr(const struct kame_msg *m,
				     unsigned int exttype, __u16 *family)
{
	const struct sadb_address *a = kame_msg_addr_ext(m, exttype);
	const __u8 *sa;

	if (!a)
		return NULL;
	sa = (const __u8 *)(a + 1);
	if (family)
		*family = sa_family_at(sa);
	return (const struct sockaddr *)sa;
}

const __u8 *kame_msg_key(const struct kame_msg *m, unsigned int exttype,
			 unsigned int *bits, size_t *bytes)
{
	const struct sadb_key *k;

	if (exttype != SADB_EXT_KEY_AUTH && exttype != SADB_EXT_KEY_ENCRYPT)
		return NULL;
	k = (const struct sadb_key *)m->ext[exttype];
	if (!k)
		return NULL;
	if (bits)
		*bits = k->sadb_key_bits;
	if (bytes)
		*bytes = ((size_t)k->sadb_key_bits + 7) / 8;
	return (const __u8 *)(k + 1);
}

const char *kame_msg_ident(const struct kame_msg *m, unsigned int exttype,
			   __u16 *type)
{
	const struct sadb_ident *id;

	if (exttype != SADB_EXT_IDENTITY_SRC && exttype != SADB_EXT_IDENTITY_DST)
		return NULL;
	id = (const struct sadb_ident *)m->ext[exttype];
	if (!id)
		return NULL;
	if (type)
		*type = id->sadb_ident_type;
	if ((size_t)id->sadb_ident_len * 8 == sizeof(*id))
		return "";
	return (const char *)(id + 1);
}

bool kame_msg_natt_port(const struct kame_msg *m, unsigned int exttype,
			__be16 *port)
{
	const struct sadb_x_nat_t_port *p;

	if (exttype != SADB_X_EXT_NAT_T_SPORT && exttype != SADB_X_EXT_NAT_T_DPORT)
		return false;
	p = (const struct sadb_x_nat_t_port *)m->ext[exttype];
	if (!p)
		return false;
	if (port)
		*port = p->sadb_x_nat_t_port_port;
	return true;
}

const struct sadb_comb *kame_msg_combs(const struct kame_msg *m,
				       unsigned int *n)
{
	const struct sadb_prop *prop = (const void *)m->ext[SADB_EXT_PROPOSAL];

	if (!prop)
		return NULL;
	if (n)
		*n = ((size_t)prop->sadb_prop_len * 8 - sizeof(*prop)) /
		     sizeof(struct sadb_comb);
	return (const struct sadb_comb *)(prop + 1);
}

const struct sadb_alg *kame_msg_algs(const struct kame_msg *m,
				     unsigned int exttype, unsigned int *n)
{
	const struct sadb_supported *s;

	if (exttype != SADB_EXT_SUPPORTED_AUTH &&
	    exttype != SADB_EXT_SUPPORTED_ENCRYPT)
		return NULL;
	s = (const struct sadb_supported *)m->ext[exttype];
	if (!s)
		return NULL;
	if (n)
		*n = ((size_t)s->sadb_supported_len * 8 - sizeof(*s)) /
		     sizeof(struct sadb_alg);
	return (const struct sadb_alg *)(s + 1);
}

void kame_ipsecreq_iter_init(struct kame_ipsecreq_iter *it,
			     const struct kame_msg *m)
{
	const struct sadb_x_policy *pol = kame_msg_policy(m);

	if (!pol) {
		it->pos = NULL;
		it->end = NULL;
		return;
	}
	it->pos = (const __u8 *)(pol + 1);
	it->end = (const __u8 *)pol + (size_t)pol->sadb_x_policy_len * 8;
}

bool kame_ipsecreq_next(struct kame_ipsecreq_iter *it, struct kame_ipsecreq *r)
{
	const struct sadb_x_ipsecrequest *rq;
	size_t rqlen;

	if (!it->pos || it->pos >= it->end)
		return false;
	rq = (const void *)it->pos;
	rqlen = rq->sadb_x_ipsecrequest_len;
	r->req = rq;
	r->proto = rq->sadb_x_ipsecrequest_proto;
	r->mode = rq->sadb_x_ipsecrequest_mode;
	r->level = rq->sadb_x_ipsecrequest_level;
	r->reqid = rq->sadb_x_ipsecrequest_reqid;
	if (rqlen > sizeof(*rq)) {
		const __u8 *sa = it->pos + sizeof(*rq);

		r->family = sa_family_at(sa);
		r->src = (const struct sockaddr *)sa;
		r->dst = (const struct sockaddr *)(sa + sockaddr_size(r->family));
	} else {
		r->family = 0;
		r->src = NULL;
		r->dst = NULL;
	}
	it->pos += rqlen;
	return true;
}
