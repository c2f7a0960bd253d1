// SPDX-License-Identifier: GPL-2.0
/*
 * Converting between struct kame_policy and PF_KEY policy messages
 * (sadb_x_policy with Linux-layout sadb_x_ipsecrequests). Which extensions
 * a message carries is chosen by the caller (PFKEY_SP_*). The handlers
 * that use it are in sp_handlers.c, as sa_msg.c is to sa_handlers.c.
 */
#include <linux/in.h>

#include "netns.h"
#include "spd.h"
#include "pfkey_internal.h"

static size_t req_size(const struct kame_sp_req *q)
{
	size_t sa = q->family == AF_INET ? sizeof(struct sockaddr_in) :
					   sizeof(struct sockaddr_in6);

	return sizeof(struct sadb_x_ipsecrequest) +
	       (q->family ? ALIGN(2 * sa, 8) : 0);
}

struct sk_buff *pfkey_sp_msg(const struct kame_policy *pol, u8 type, u32 seq,
			     u32 pid, unsigned int parts, gfp_t gfp)
{
	struct sadb_x_policy *x;
	struct sk_buff *skb;
	size_t len = sizeof(*x);
	unsigned int i;
	u8 *p;

	for (i = 0; i < pol->nreq; i++)
		len += req_size(&pol->req[i]);
	skb = pfkey_msg_new(sizeof(struct sadb_msg) +
			    2 * pfkey_address_size(AF_INET6) +
			    3 * sizeof(struct sadb_lifetime) + len,
			    type, SADB_SATYPE_UNSPEC, seq, pid, gfp);
	if (!skb)
		return NULL;
	if (parts & PFKEY_SP_ADDRS) {
		pfkey_put_address(skb, SADB_EXT_ADDRESS_SRC, pol->sel.family,
				  &pol->sel.saddr, pol->sel.sport,
				  pol->sel.sprefix, pol->sel.ulproto);
		pfkey_put_address(skb, SADB_EXT_ADDRESS_DST, pol->sel.family,
				  &pol->sel.daddr, pol->sel.dport,
				  pol->sel.dprefix, pol->sel.ulproto);
	}
	if (parts & PFKEY_SP_CUR) {
		time64_t used = READ_ONCE(pol->last_use_mono);
		struct kame_lifetime cur = {
			.addtime = pol->add_real,
			.usetime = used ? pol->add_real + (used - pol->add_mono) : 0,
		};

		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_CURRENT, &cur);
	}
	if ((parts & PFKEY_SP_LIFETIMES) && kame_lifetime_set(&pol->hard))
		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_HARD, &pol->hard);
	if ((parts & PFKEY_SP_LIFETIMES) && kame_lifetime_set(&pol->soft))
		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_SOFT, &pol->soft);

	x = pfkey_put_ext(skb, SADB_X_EXT_POLICY, len);
	x->sadb_x_policy_type = pol->type;
	x->sadb_x_policy_dir = pol->dir;
	x->sadb_x_policy_id = pol->id;
	x->sadb_x_policy_priority = pol->priority;
	p = (u8 *)(x + 1);
	for (i = 0; i < pol->nreq; i++) {
		const struct kame_sp_req *q = &pol->req[i];
		struct sadb_x_ipsecrequest *rq = (void *)p;

		rq->sadb_x_ipsecrequest_len = req_size(q);
		rq->sadb_x_ipsecrequest_proto = q->proto;
		rq->sadb_x_ipsecrequest_mode = q->mode;
		rq->sadb_x_ipsecrequest_level = q->level;
		rq->sadb_x_ipsecrequest_reqid = q->reqid;
		if (q->family) {
			u8 *sa = (u8 *)(rq + 1);

			sa += pfkey_sockaddr_put(sa, q->family, &q->src, 0);
			pfkey_sockaddr_put(sa, q->family, &q->dst, 0);
		}
		p += rq->sadb_x_ipsecrequest_len;
	}
	return skb;
}

/* Selector and direction of an SPD message (ADDRESS_SRC/DST + X_POLICY). */
void pfkey_sel_from_msg(const struct kame_msg *m, struct kame_selector *sel)
{
	const struct sadb_address *src = kame_msg_addr_ext(m, SADB_EXT_ADDRESS_SRC);
	const struct sadb_address *dst = kame_msg_addr_ext(m, SADB_EXT_ADDRESS_DST);
	const struct sockaddr *sa;
	u16 family;

	memset(sel, 0, sizeof(*sel));
	sa = kame_msg_addr(m, SADB_EXT_ADDRESS_SRC, &family);
	pfkey_sockaddr_get(sa, family, &sel->saddr, &sel->sport);
	sa = kame_msg_addr(m, SADB_EXT_ADDRESS_DST, &family);
	pfkey_sockaddr_get(sa, family, &sel->daddr, &sel->dport);
	sel->family = family;
	sel->sprefix = src->sadb_address_prefixlen;
	sel->dprefix = dst->sadb_address_prefixlen;
	sel->ulproto = src->sadb_address_proto;
}

void pfkey_sp_from_msg(const struct kame_msg *m, struct kame_policy *pol)
{
	const struct sadb_x_policy *x = kame_msg_policy(m);
	struct kame_ipsecreq_iter it;
	struct kame_ipsecreq q;

	pfkey_sel_from_msg(m, &pol->sel);
	pol->dir = x->sadb_x_policy_dir;
	pol->type = x->sadb_x_policy_type;
	pol->priority = x->sadb_x_policy_priority;
	pfkey_get_lifetime(m, SADB_EXT_LIFETIME_HARD, &pol->hard);
	pfkey_get_lifetime(m, SADB_EXT_LIFETIME_SOFT, &pol->soft);
	if (pol->type != IPSEC_POLICY_IPSEC)
		return;		/* requests mean nothing to other types */
	kame_ipsecreq_iter_init(&it, m);
	while (pol->nreq < KAME_SP_MAXREQ && kame_ipsecreq_next(&it, &q)) {
		struct kame_sp_req *r = &pol->req[pol->nreq++];

		r->proto = q.proto;
		r->mode = q.mode;
		r->level = q.level;
		r->reqid = q.reqid;
		r->family = q.family;
		if (q.family) {
			pfkey_sockaddr_get(q.src, q.family, &r->src, NULL);
			pfkey_sockaddr_get(q.dst, q.family, &r->dst, NULL);
		}
	}
}
