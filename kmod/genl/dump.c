// SPDX-License-Identifier: GPL-2.0
/*
 * KAME_CMD_GET_SA and KAME_CMD_GET_POLICY: per-SA and per-policy counters
 * as netlink dumps. The dump's start takes a snapshot (references to every
 * SA, or policy, in add order) and each round fills one skb from where the
 * last stopped, so a dump of N entries costs O(N) however many rounds it
 * takes (100,000 SAs: ~1 MB of pointers for the dump's life); entries
 * deleted meanwhile are still reported as they were, once. The snapshot
 * is released when the dump ends (done), or when its socket is closed.
 */

#include <linux/module.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/ipsec.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include <linux/kame_ipsecstat.h>

#include "genl.h"
#include "netns.h"

/* One dump in progress, in cb->args[0]. */
struct dump_state {
	void **v;		/* referenced SAs or policies */
	unsigned int n, pos;
	u8 family;		/* filter, 0 = all */
};

static struct dump_state *state_of(struct netlink_callback *cb)
{
	return (struct dump_state *)cb->args[0];
}

static struct dump_state *state_new(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *fa = info->attrs ? info->attrs[KAME_A_FAMILY] : NULL;
	struct dump_state *st;

	if (fa && nla_get_u8(fa) != AF_INET && nla_get_u8(fa) != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(cb->extack, fa,
				    "family must be AF_INET or AF_INET6");
		return ERR_PTR(-EAFNOSUPPORT);
	}
	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return ERR_PTR(-ENOMEM);
	st->family = fa ? nla_get_u8(fa) : 0;
	return st;
}

static int nla_put_addr(struct sk_buff *msg, int type, u16 family,
			const xfrm_address_t *a)
{
	return family == AF_INET6 ? nla_put_in6_addr(msg, type, &a->in6) :
				    nla_put_in_addr(msg, type, a->a4);
}

/* Seconds since @mono (ktime_get_seconds()), or U64_MAX for never. */
static u64 since(time64_t mono)
{
	return mono ? ktime_get_seconds() - mono : U64_MAX;
}

/* ---- SAs ---- */

int kame_genl_sa_start(struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(cb->skb->sk));
	struct dump_state *st = state_new(cb);
	struct kame_sa **sas;
	int n;

	if (IS_ERR(st))
		return PTR_ERR(st);
	n = kame_sad_snapshot(kn, 0, &sas);
	if (n < 0) {
		kfree(st);
		return n;
	}
	st->v = (void **)sas;
	st->n = n;
	cb->args[0] = (long)st;
	return 0;
}

static int fill_sa(struct sk_buff *msg, struct netlink_callback *cb,
		   const struct kame_sa *sa)
{
	void *hdr = genlmsg_put(msg, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &kame_genl_family,
				NLM_F_MULTI, KAME_CMD_GET_SA);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(msg, KAME_A_FAMILY, sa->family) ||
	    nla_put_addr(msg, KAME_A_SRC, sa->family, &sa->saddr) ||
	    nla_put_addr(msg, KAME_A_DST, sa->family, &sa->daddr) ||
	    nla_put_u8(msg, KAME_A_SA_PROTO, sa->proto) ||
	    nla_put_u32(msg, KAME_A_SPI, be32_to_cpu(sa->spi)) ||
	    nla_put_u8(msg, KAME_A_MODE, sa->mode) ||
	    nla_put_u32(msg, KAME_A_REQID, sa->reqid) ||
	    nla_put_u8(msg, KAME_A_STATE, READ_ONCE(sa->state)) ||
	    nla_put_u8(msg, KAME_A_AUTH_ALG, sa->auth_alg) ||
	    nla_put_u8(msg, KAME_A_ENC_ALG, sa->enc_alg) ||
	    nla_put_u64_64bit(msg, KAME_A_BYTES,
			      atomic64_read(&sa->cur.bytes), KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_PACKETS,
			      atomic64_read(&sa->cur.packets), KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_REPLAY_FAIL,
			      atomic64_read(&sa->cur.replay_fail), KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_ICV_FAIL,
			      atomic64_read(&sa->cur.icv_fail), KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_ADD_TIME, sa->cur.add_real,
			      KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_USE_TIME, READ_ONCE(sa->cur.use_real),
			      KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_LAST_USE,
			      since(READ_ONCE(sa->cur.last_mono)), KAME_A_PAD)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

int kame_genl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dump_state *st = state_of(cb);

	for (; st->pos < st->n; st->pos++) {
		const struct kame_sa *sa = st->v[st->pos];

		if (st->family && sa->family != st->family)
			continue;
		if (fill_sa(skb, cb, sa))
			break;
	}
	return skb->len;
}

int kame_genl_sa_done(struct netlink_callback *cb)
{
	struct dump_state *st = state_of(cb);
	unsigned int i;

	if (!st)
		return 0;
	for (i = 0; i < st->n; i++)
		kame_sa_put(st->v[i]);
	kvfree(st->v);
	kfree(st);
	return 0;
}

/* ---- Policies ---- */

/* References to every policy (in, out, fwd; lookup order), in st. */
static int pol_snapshot(struct kame_net *kn, struct dump_state *st)
{
	struct kame_spd *spd = &kn->spd;
	struct kame_policy *pol;
	unsigned int n = 0, dir;
	void **v = NULL;

	mutex_lock(&spd->lock);
	if (spd->count) {
		v = kvmalloc_array(spd->count, sizeof(*v), GFP_KERNEL_ACCOUNT);
		if (!v) {
			mutex_unlock(&spd->lock);
			return -ENOMEM;
		}
	}
	for (dir = IPSEC_DIR_INBOUND; dir <= IPSEC_DIR_FWD; dir++) {
		list_for_each_entry(pol, &spd->dir[dir], list) {
			if (WARN_ON_ONCE(n >= spd->count))
				break;
			kame_policy_hold(pol);
			v[n++] = pol;
			if (!(n & 1023))
				cond_resched();
		}
	}
	mutex_unlock(&spd->lock);
	st->v = v;
	st->n = n;
	return 0;
}

int kame_genl_pol_start(struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(cb->skb->sk));
	struct dump_state *st = state_new(cb);
	int err;

	if (IS_ERR(st))
		return PTR_ERR(st);
	err = pol_snapshot(kn, st);
	if (err) {
		kfree(st);
		return err;
	}
	cb->args[0] = (long)st;
	return 0;
}

/*
 * One request of a policy as a KAME_A_REQ nest (GET_POLICY and the drop
 * events). Tunnel endpoints only when the request has them.
 */
int kame_genl_put_req(struct sk_buff *msg, const struct kame_sp_req *r)
{
	struct nlattr *nest = nla_nest_start(msg, KAME_A_REQ);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, KAME_A_SA_PROTO, r->proto) ||
	    nla_put_u8(msg, KAME_A_MODE, r->mode) ||
	    nla_put_u8(msg, KAME_A_LEVEL, r->level) ||
	    nla_put_u32(msg, KAME_A_REQID, r->reqid))
		goto cancel;
	if ((r->family == AF_INET || r->family == AF_INET6) &&
	    (nla_put_addr(msg, KAME_A_TUN_SRC, r->family, &r->src) ||
	     nla_put_addr(msg, KAME_A_TUN_DST, r->family, &r->dst)))
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int fill_pol(struct sk_buff *msg, struct netlink_callback *cb,
		    const struct kame_policy *pol)
{
	const struct kame_selector *sel = &pol->sel;
	void *hdr = genlmsg_put(msg, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &kame_genl_family,
				NLM_F_MULTI, KAME_CMD_GET_POLICY);
	unsigned int i;

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, KAME_A_POLICY_ID, pol->id) ||
	    nla_put_u8(msg, KAME_A_DIR, pol->dir) ||
	    nla_put_u8(msg, KAME_A_FAMILY, sel->family) ||
	    nla_put_addr(msg, KAME_A_SRC, sel->family, &sel->saddr) ||
	    nla_put_addr(msg, KAME_A_DST, sel->family, &sel->daddr) ||
	    nla_put_u8(msg, KAME_A_SPREFIX, sel->sprefix) ||
	    nla_put_u8(msg, KAME_A_DPREFIX, sel->dprefix) ||
	    nla_put_u8(msg, KAME_A_PROTO, sel->ulproto) ||
	    nla_put_u16(msg, KAME_A_SPORT, ntohs(sel->sport)) ||
	    nla_put_u16(msg, KAME_A_DPORT, ntohs(sel->dport)) ||
	    nla_put_u8(msg, KAME_A_POLICY_TYPE, pol->type) ||
	    nla_put_u64_64bit(msg, KAME_A_HITS, atomic64_read(&pol->hits),
			      KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_LAST_USE,
			      since(READ_ONCE(pol->last_use_mono)), KAME_A_PAD))
		goto cancel;
	for (i = 0; i < pol->nreq; i++)
		if (kame_genl_put_req(msg, &pol->req[i]))
			goto cancel;
	genlmsg_end(msg, hdr);
	return 0;
cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

int kame_genl_pol_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dump_state *st = state_of(cb);

	for (; st->pos < st->n; st->pos++) {
		const struct kame_policy *pol = st->v[st->pos];

		if (st->family && pol->sel.family != st->family)
			continue;
		if (fill_pol(skb, cb, pol))
			break;
	}
	return skb->len;
}

int kame_genl_pol_done(struct netlink_callback *cb)
{
	struct dump_state *st = state_of(cb);
	unsigned int i;

	if (!st)
		return 0;
	for (i = 0; i < st->n; i++)
		kame_policy_put(st->v[i]);
	kvfree(st->v);
	kfree(st);
	return 0;
}
