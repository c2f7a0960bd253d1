// SPDX-License-Identifier: GPL-2.0
/*
 * Converting between struct kame_policy and PF_KEY policy messages
 * (sadb_x_policy with Linux-layout sadb_x_ipsecrequests), and the SPD
 * message handlers: X_SPDADD, X_SPDUPDATE, X_SPDSETIDX, X_SPDDELETE,
 * X_SPDDELETE2, X_SPDGET, X_SPDDUMP, X_SPDFLUSH, and X_SPDEXPIRE from the
 * kernel.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/in.h>

#include "netns.h"
#include "policy.h"
#include "pfkey_internal.h"

#define SP_ADDRS	0x1	/* ADDRESS_SRC/DST */
#define SP_CUR		0x2	/* LIFETIME_CURRENT */
#define SP_LIFETIMES	0x4	/* LIFETIME_HARD/SOFT when set */
#define SP_FULL		(SP_ADDRS | SP_CUR | SP_LIFETIMES)

static size_t req_size(const struct kame_sp_req *q)
{
	size_t sa = q->family == AF_INET ? sizeof(struct sockaddr_in) :
					   sizeof(struct sockaddr_in6);

	return sizeof(struct sadb_x_ipsecrequest) +
	       (q->family ? ALIGN(2 * sa, 8) : 0);
}

static struct sk_buff *sp_msg(const struct kame_policy *pol, u8 type,
			      u32 seq, u32 pid, unsigned int parts, gfp_t gfp)
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
	if (parts & SP_ADDRS) {
		pfkey_put_address(skb, SADB_EXT_ADDRESS_SRC, pol->sel.family,
				  &pol->sel.saddr, pol->sel.sport,
				  pol->sel.sprefix, pol->sel.ulproto);
		pfkey_put_address(skb, SADB_EXT_ADDRESS_DST, pol->sel.family,
				  &pol->sel.daddr, pol->sel.dport,
				  pol->sel.dprefix, pol->sel.ulproto);
	}
	if (parts & SP_CUR) {
		time64_t used = READ_ONCE(pol->last_use_mono);
		struct kame_lifetime cur = {
			.addtime = pol->add_real,
			.usetime = used ? pol->add_real + (used - pol->add_mono) : 0,
		};

		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_CURRENT, &cur);
	}
	if ((parts & SP_LIFETIMES) && kame_lifetime_set(&pol->hard))
		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_HARD, &pol->hard);
	if ((parts & SP_LIFETIMES) && kame_lifetime_set(&pol->soft))
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
static void sel_from_msg(const struct kame_msg *m, struct kame_selector *sel)
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

static void sp_from_msg(const struct kame_msg *m, struct kame_policy *pol)
{
	const struct sadb_x_policy *x = kame_msg_policy(m);
	struct kame_ipsecreq_iter it;
	struct kame_ipsecreq q;

	sel_from_msg(m, &pol->sel);
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

/* Level unique without a manual reqid (1..0x3fff) gets an automatic one. */
static void assign_reqids(struct kame_net *kn, struct kame_policy *pol)
{
	unsigned int i;

	for (i = 0; i < pol->nreq; i++) {
		struct kame_sp_req *r = &pol->req[i];

		if (r->level == IPSEC_LEVEL_UNIQUE &&
		    (!r->reqid || r->reqid > IPSEC_MANUAL_REQID_MAX))
			r->reqid = kame_spd_new_reqid(kn);
		else if (r->level != IPSEC_LEVEL_UNIQUE)
			r->reqid = 0;
	}
}

/* X_SPDADD (EEXIST on a duplicate), X_SPDUPDATE (replaces), X_SPDSETIDX. */
int pfkey_spdadd(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol, *old = NULL;
	int err;

	pol = kame_policy_alloc(KAME_GFP_USER);
	if (!pol)
		return -ENOMEM;
	sp_from_msg(r->m, pol);
	mutex_lock(&spd->lock);
	assign_reqids(r->kn, pol);
	err = kame_spd_insert(r->kn, pol,
			      r->hdr->sadb_msg_type == SADB_X_SPDUPDATE, &old);
	if (!err)
		kame_policy_hold(pol);
	mutex_unlock(&spd->lock);
	if (err) {
		kame_policy_free_unpublished(pol);
		return err;
	}
	/* KAME: <base, X_POLICY (id filled in), [LIFETIME_HARD], ADDRESS_SRC/DST>. */
	pfkey_notify(r, sp_msg(pol, r->hdr->sadb_msg_type, r->hdr->sadb_msg_seq,
			       r->hdr->sadb_msg_pid, SP_ADDRS | SP_LIFETIMES,
			       GFP_KERNEL),
		     PFKEY_ALL);
	kame_policy_put(pol);
	kame_policy_put(old);
	return 0;
}

/* X_SPDDELETE: by direction and selector; KAME: not found is EINVAL. */
int pfkey_spddelete(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_selector sel;
	struct kame_policy *pol;

	sel_from_msg(r->m, &sel);
	mutex_lock(&spd->lock);
	pol = kame_spd_find_sel(r->kn, kame_msg_policy(r->m)->sadb_x_policy_dir,
				&sel);
	if (pol) {
		kame_policy_hold(pol);
		kame_spd_unlink(r->kn, pol);
	}
	mutex_unlock(&spd->lock);
	if (!pol)
		return -EINVAL;
	pfkey_notify(r, sp_msg(pol, SADB_X_SPDDELETE, r->hdr->sadb_msg_seq,
			       r->hdr->sadb_msg_pid, SP_ADDRS, GFP_KERNEL),
		     PFKEY_ALL);
	kame_policy_put(pol);
	return 0;
}

/* The policy an X_SPDGET/X_SPDDELETE2 id names, referenced; lock held. */
static struct kame_policy *find_id(struct pfkey_req *r, int *err)
{
	u32 id = kame_msg_policy(r->m)->sadb_x_policy_id;
	struct kame_policy *pol;

	lockdep_assert_held(&r->kn->spd.lock);
	/* Linux ids carry the direction in the low 3 bits: in, out, fwd. */
	if ((id & 7) > 2) {
		*err = -EINVAL;
		return NULL;
	}
	pol = kame_spd_find_id(r->kn, id);
	if (pol)
		kame_policy_hold(pol);
	return pol;
}

int pfkey_spddelete2(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol;
	int err = -EINVAL;	/* KAME: unknown id is EINVAL */

	mutex_lock(&spd->lock);
	pol = find_id(r, &err);
	if (pol)
		kame_spd_unlink(r->kn, pol);
	mutex_unlock(&spd->lock);
	if (!pol)
		return err;
	pfkey_notify(r, sp_msg(pol, SADB_X_SPDDELETE2, r->hdr->sadb_msg_seq,
			       r->hdr->sadb_msg_pid, 0, GFP_KERNEL),
		     PFKEY_ALL);
	kame_policy_put(pol);
	return 0;
}

int pfkey_spdget(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol;
	struct sk_buff *skb;
	int err = -ENOENT;

	mutex_lock(&spd->lock);
	pol = find_id(r, &err);
	mutex_unlock(&spd->lock);
	if (!pol)
		return err;
	skb = sp_msg(pol, SADB_X_SPDGET, r->hdr->sadb_msg_seq,
		     r->hdr->sadb_msg_pid, SP_FULL, GFP_KERNEL);
	if (skb)
		pfkey_msg_set_refcnt(skb, refcount_read(&pol->refcnt));
	pfkey_reply(r, skb);
	kame_policy_put(pol);
	return 0;
}

/* A dump names each policy by its id: no reference held. */
static struct sk_buff *dump_sp_build(struct pfkey_dump *d, const void *h,
				     u32 seq)
{
	struct kame_spd *spd = &d->kn->spd;
	struct kame_policy *pol;
	struct sk_buff *skb;

	mutex_lock(&spd->lock);
	pol = kame_spd_find_id(d->kn, *(const u32 *)h);
	if (pol)
		kame_policy_hold(pol);
	mutex_unlock(&spd->lock);
	if (!pol)
		return NULL;
	skb = sp_msg(pol, SADB_X_SPDDUMP, seq, d->pid, SP_FULL, GFP_KERNEL);
	if (skb)
		pfkey_msg_set_refcnt(skb, refcount_read(&pol->refcnt));
	kame_policy_put(pol);
	return skb ?: ERR_PTR(-ENOBUFS);
}

/* X_SPDDUMP: direction by direction (in, out, fwd), lookup order within. */
int pfkey_spddump(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;
	struct kame_policy *pol;
	struct pfkey_dump *d;
	unsigned int n = 0, dir;
	u32 *ids;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_lock(&spd->lock);
	if (!spd->count) {
		mutex_unlock(&spd->lock);
		kfree(d);
		return -ENOENT;
	}
	ids = kvmalloc_array(spd->count, sizeof(*ids), GFP_KERNEL_ACCOUNT);
	if (!ids) {
		mutex_unlock(&spd->lock);
		kfree(d);
		return -ENOMEM;
	}
	for (dir = IPSEC_DIR_INBOUND; dir <= IPSEC_DIR_FWD; dir++) {
		list_for_each_entry(pol, &spd->dir[dir], list) {
			ids[n++] = pol->id;
			cond_resched();	/* mutex: writers wait, readers do not */
		}
	}
	mutex_unlock(&spd->lock);
	d->handles = ids;
	d->hsize = sizeof(*ids);
	d->n = n;
	d->type = SADB_X_SPDDUMP;
	d->pid = r->hdr->sadb_msg_pid;
	d->build = dump_sp_build;
	return pfkey_dump_start(r, d);
}

int pfkey_spdflush(struct pfkey_req *r)
{
	struct kame_spd *spd = &r->kn->spd;

	mutex_lock(&spd->lock);
	kame_spd_flush(r->kn);
	mutex_unlock(&spd->lock);
	pfkey_notify(r, pfkey_msg_new(sizeof(struct sadb_msg), SADB_X_SPDFLUSH,
				      SADB_SATYPE_UNSPEC, r->hdr->sadb_msg_seq,
				      r->hdr->sadb_msg_pid, GFP_KERNEL),
		     PFKEY_ALL);
	return 0;
}

void kame_pfkey_sp_expire(struct kame_net *kn, struct kame_policy *pol)
{
	struct sk_buff *skb = sp_msg(pol, SADB_X_SPDEXPIRE, 0, 0, SP_FULL,
				     GFP_KERNEL);

	if (skb)
		pfkey_send(kn, pfkey_msg_done(skb), PFKEY_REGISTERED, NULL);
}
