// SPDX-License-Identifier: BSD-3-Clause
/* Building PF_KEY messages in a growable buffer (pfkey_msg.h). */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

size_t pfkey_sockaddr_len(const struct sockaddr *sa)
{
	if (!sa)
		return 0;
	switch (sa->sa_family) {
	case AF_INET:
		return sizeof(struct sockaddr_in);
	case AF_INET6:
		return sizeof(struct sockaddr_in6);
	}
	return 0;
}

unsigned int pfkey_sockaddr_maxprefix(const struct sockaddr *sa)
{
	return sa && sa->sa_family == AF_INET6 ? 128 : 32;
}

unsigned int pfkey_sockaddr_port(const struct sockaddr *sa)
{
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

static int mb_grow(struct pfkey_msgbuf *mb, size_t more)
{
	uint8_t *n;
	size_t cap;

	if (mb->err)
		return -1;
	if (mb->len + more <= mb->cap)
		return 0;
	/* PF_KEY lengths are 16-bit counts of 8-byte units. */
	if (mb->fixed || mb->len + more > 0xffff * 8) {
		mb->err = EIPSEC_NO_BUFS;
		return -1;
	}
	cap = mb->cap ? mb->cap : 256;
	while (cap < mb->len + more)
		cap *= 2;
	n = realloc(mb->buf, cap);
	if (!n) {
		mb->err = EIPSEC_NO_BUFS;
		return -1;
	}
	memset(n + mb->cap, 0, cap - mb->cap);
	mb->buf = n;
	mb->cap = cap;
	return 0;
}

/* The base header at the start of mb->buf (room checked by the caller). */
static void mb_header(struct pfkey_msgbuf *mb, unsigned int type,
		      unsigned int satype, uint32_t seq, uint32_t pid)
{
	struct sadb_msg *m = (struct sadb_msg *)mb->buf;

	memset(m, 0, sizeof(*m));
	m->sadb_msg_version = PF_KEY_V2;
	m->sadb_msg_type = type;
	m->sadb_msg_satype = satype;
	m->sadb_msg_seq = seq;
	m->sadb_msg_pid = pid;
	mb->len = sizeof(*m);
}

void pfkey_mb_init(struct pfkey_msgbuf *mb, unsigned int type,
		   unsigned int satype, uint32_t seq, uint32_t pid)
{
	memset(mb, 0, sizeof(*mb));
	if (!mb_grow(mb, sizeof(struct sadb_msg)))
		mb_header(mb, type, satype, seq, pid);
}

void pfkey_mb_init_buf(struct pfkey_msgbuf *mb, void *buf, size_t cap,
		       unsigned int type, unsigned int satype, uint32_t seq,
		       uint32_t pid)
{
	memset(mb, 0, sizeof(*mb));
	mb->buf = buf;
	mb->cap = cap;
	mb->fixed = 1;
	if (cap < sizeof(struct sadb_msg)) {
		mb->err = EIPSEC_NO_BUFS;
		return;
	}
	mb_header(mb, type, satype, seq, pid);
}

void pfkey_mb_free(struct pfkey_msgbuf *mb)
{
	if (!mb->fixed)
		free(mb->buf);
	memset(mb, 0, sizeof(*mb));
}

struct sadb_msg *pfkey_mb_finish(struct pfkey_msgbuf *mb, size_t *lenp)
{
	struct sadb_msg *m;

	if (mb->err || !mb->buf) {
		__ipsec_errcode = mb->err ? mb->err : EIPSEC_NO_BUFS;
		return NULL;
	}
	m = (struct sadb_msg *)mb->buf;
	m->sadb_msg_len = PFKEY_UNIT64(mb->len);
	if (lenp)
		*lenp = mb->len;
	return m;
}

void *pfkey_mb_ext(struct pfkey_msgbuf *mb, unsigned int exttype,
		   size_t hdrlen, const void *data, size_t datalen)
{
	size_t total = PFKEY_ALIGN8(hdrlen + datalen);
	struct sadb_ext *e;

	if (mb_grow(mb, total))
		return NULL;
	e = (struct sadb_ext *)(mb->buf + mb->len);
	memset(e, 0, total);
	e->sadb_ext_len = PFKEY_UNIT64(total);
	e->sadb_ext_type = exttype;
	if (datalen)
		memcpy((uint8_t *)e + hdrlen, data, datalen);
	mb->last = mb->len;
	mb->len += total;
	return e;
}

void pfkey_mb_sa(struct pfkey_msgbuf *mb, uint32_t spi_host, unsigned int replay,
		 unsigned int state, unsigned int auth, unsigned int encrypt,
		 uint32_t flags)
{
	struct sadb_sa *sa;

	sa = pfkey_mb_ext(mb, SADB_EXT_SA, sizeof(*sa), NULL, 0);
	if (!sa)
		return;
	sa->sadb_sa_spi = htonl(spi_host);
	sa->sadb_sa_replay = replay;
	sa->sadb_sa_state = state;
	sa->sadb_sa_auth = auth;
	sa->sadb_sa_encrypt = encrypt;
	sa->sadb_sa_flags = flags;
}

void pfkey_mb_sa2(struct pfkey_msgbuf *mb, unsigned int mode, uint32_t reqid,
		  uint32_t sequence)
{
	struct sadb_x_sa2 *sa2;

	sa2 = pfkey_mb_ext(mb, SADB_X_EXT_SA2, sizeof(*sa2), NULL, 0);
	if (!sa2)
		return;
	sa2->sadb_x_sa2_mode = mode;
	sa2->sadb_x_sa2_reqid = reqid;
	sa2->sadb_x_sa2_sequence = sequence;
}

void pfkey_mb_address(struct pfkey_msgbuf *mb, unsigned int exttype,
		      const struct sockaddr *sa, unsigned int prefixlen,
		      unsigned int proto)
{
	struct sadb_address *a;
	size_t salen = pfkey_sockaddr_len(sa);

	if (!salen) {
		if (!mb->err)
			mb->err = EIPSEC_INVAL_FAMILY;
		return;
	}
	a = pfkey_mb_ext(mb, exttype, sizeof(*a), sa, salen);
	if (!a)
		return;
	a->sadb_address_proto = proto;
	a->sadb_address_prefixlen = prefixlen;
}

void pfkey_mb_key(struct pfkey_msgbuf *mb, unsigned int exttype,
		  const void *key, size_t keylen)
{
	struct sadb_key *k;

	k = pfkey_mb_ext(mb, exttype, sizeof(*k), key, keylen);
	if (k)
		k->sadb_key_bits = keylen * 8;
}

void pfkey_mb_lifetime(struct pfkey_msgbuf *mb, unsigned int exttype,
		       uint32_t allocations, uint64_t bytes, uint64_t addtime,
		       uint64_t usetime)
{
	struct sadb_lifetime *l;

	l = pfkey_mb_ext(mb, exttype, sizeof(*l), NULL, 0);
	if (!l)
		return;
	l->sadb_lifetime_allocations = allocations;
	l->sadb_lifetime_bytes = bytes;
	l->sadb_lifetime_addtime = addtime;
	l->sadb_lifetime_usetime = usetime;
}

void pfkey_mb_spirange(struct pfkey_msgbuf *mb, uint32_t min, uint32_t max)
{
	struct sadb_spirange *r;

	r = pfkey_mb_ext(mb, SADB_EXT_SPIRANGE, sizeof(*r), NULL, 0);
	if (!r)
		return;
	r->sadb_spirange_min = min;
	r->sadb_spirange_max = max;
}

void pfkey_mb_policy(struct pfkey_msgbuf *mb, const void *policy, size_t len)
{
	if (len < sizeof(struct sadb_x_policy) || len % 8) {
		if (!mb->err)
			mb->err = EIPSEC_INVAL_POLICY;
		return;
	}
	/* The policy buffer already carries its own extension header. */
	if (mb_grow(mb, len))
		return;
	memcpy(mb->buf + mb->len, policy, len);
	mb->last = mb->len;
	mb->len += len;
}

void pfkey_mb_ipsecreq(struct pfkey_msgbuf *mb, unsigned int proto,
		       unsigned int mode, unsigned int level, uint32_t reqid,
		       const struct sockaddr *src, const struct sockaddr *dst)
{
	size_t slen = pfkey_sockaddr_len(src), dlen = pfkey_sockaddr_len(dst);
	size_t len = PFKEY_ALIGN8(sizeof(struct sadb_x_ipsecrequest) + slen + dlen);
	struct sadb_x_ipsecrequest *rq;
	struct sadb_x_policy *pol;

	if (mb->err)
		return;
	if (!mb->last || ((struct sadb_ext *)(mb->buf + mb->last))->sadb_ext_type !=
			 SADB_X_EXT_POLICY || (src && !slen) || (dst && !dlen)) {
		mb->err = EIPSEC_INVAL_ARGUMENT;
		return;
	}
	if (mb_grow(mb, len))
		return;
	rq = (struct sadb_x_ipsecrequest *)(mb->buf + mb->len);
	memset(rq, 0, len);
	rq->sadb_x_ipsecrequest_len = len;
	rq->sadb_x_ipsecrequest_proto = proto;
	rq->sadb_x_ipsecrequest_mode = mode;
	rq->sadb_x_ipsecrequest_level = level;
	rq->sadb_x_ipsecrequest_reqid = reqid;
	if (slen)
		memcpy(rq + 1, src, slen);
	if (dlen)
		memcpy((uint8_t *)(rq + 1) + slen, dst, dlen);
	mb->len += len;
	pol = (struct sadb_x_policy *)(mb->buf + mb->last);
	pol->sadb_x_policy_len += len / 8;
}

void pfkey_mb_policy_id(struct pfkey_msgbuf *mb, unsigned int dir, uint32_t id)
{
	struct sadb_x_policy *p;

	p = pfkey_mb_ext(mb, SADB_X_EXT_POLICY, sizeof(*p), NULL, 0);
	if (!p)
		return;
	p->sadb_x_policy_type = IPSEC_POLICY_DISCARD;
	p->sadb_x_policy_dir = dir;
	p->sadb_x_policy_id = id;
}

void pfkey_mb_nat_t(struct pfkey_msgbuf *mb, unsigned int type,
		    uint16_t sport_host, uint16_t dport_host)
{
	struct sadb_x_nat_t_type *t;
	struct sadb_x_nat_t_port *p;

	t = pfkey_mb_ext(mb, SADB_X_EXT_NAT_T_TYPE, sizeof(*t), NULL, 0);
	if (t)
		t->sadb_x_nat_t_type_type = type;
	p = pfkey_mb_ext(mb, SADB_X_EXT_NAT_T_SPORT, sizeof(*p), NULL, 0);
	if (p)
		p->sadb_x_nat_t_port_port = htons(sport_host);
	p = pfkey_mb_ext(mb, SADB_X_EXT_NAT_T_DPORT, sizeof(*p), NULL, 0);
	if (p)
		p->sadb_x_nat_t_port_port = htons(dport_host);
}

void pfkey_mb_sec_ctx(struct pfkey_msgbuf *mb, unsigned int doi,
		      unsigned int alg, const void *ctx, size_t len)
{
	struct sadb_x_sec_ctx *c;

	if (len > 0xffff) {
		if (!mb->err)
			mb->err = EIPSEC_INVAL_ARGUMENT;
		return;
	}
	c = pfkey_mb_ext(mb, SADB_X_EXT_SEC_CTX, sizeof(*c), ctx, len);
	if (!c)
		return;
	c->sadb_x_ctx_doi = doi;
	c->sadb_x_ctx_alg = alg;
	c->sadb_x_ctx_len = len;
}
