// SPDX-License-Identifier: GPL-2.0
/*
 * kameipsec's XFRM key manager. Its only job is compile_policy():
 * setsockopt(IP_IPSEC_POLICY / IPV6_IPSEC_POLICY) reaches xfrm_user_policy(),
 * which asks each registered key manager to compile the buffer (Linux's
 * af_key was the one that understood PF_KEY policies; kameipsec cannot load
 * beside it). The KAME policy goes into the table (sockpol_table.c); XFRM
 * gets a carrier xfrm_policy that lets the socket's traffic through (or
 * blocks it, for discard) so that kameipsec's engine alone applies IPsec.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/capability.h>
#include <net/sock.h>
#include <net/xfrm.h>

#include "netns.h"
#include "sockpol_internal.h"
#include "sockpolicy.h"

static bool our_optname(const struct sock *sk, int opt)
{
	switch (sk->sk_family) {
	case AF_INET:
		return opt == IP_IPSEC_POLICY;
	case AF_INET6:
		return opt == IPV6_IPSEC_POLICY;
	default:
		return false;
	}
}

static struct kame_policy *to_kame_policy(struct kame_sp_net *spn,
					  const struct sock *sk,
					  const struct kame_sockpol *sp)
{
	struct kame_policy *kp = kame_policy_alloc(KAME_GFP_USER_NOWAIT);
	unsigned int i;

	if (!kp)
		return NULL;
	kp->dir = sp->dir;
	kp->type = sp->type;
	kp->priority = sp->priority;
	/* Covers everything the socket sends or receives. */
	kp->sel.family = sk->sk_family;
	kp->sel.ulproto = IPSEC_ULPROTO_ANY;
	kp->nreq = min_t(u8, sp->nreq, KAME_SP_MAXREQ);
	for (i = 0; i < kp->nreq; i++) {
		const struct kame_sockpol_req *q = &sp->req[i];
		struct kame_sp_req *r = &kp->req[i];

		r->proto = q->proto;
		r->mode = q->mode;
		r->level = q->level;
		r->family = q->family;
		memcpy(&r->src, q->src, sizeof(q->src));
		memcpy(&r->dst, q->dst, sizeof(q->dst));
		if (q->level != IPSEC_LEVEL_UNIQUE)
			r->reqid = 0;
		else if (!q->reqid || q->reqid > IPSEC_MANUAL_REQID_MAX)
			/* The netns's one sequence, shared with the SPD. */
			r->reqid = kame_spd_new_reqid(kame_net(spn->net));
		else
			r->reqid = q->reqid;
	}
	return kp;
}

/* The policy XFRM stores on the socket: no templates, so XFRM never transforms. */
static struct xfrm_policy *carrier(struct net *net, const struct sock *sk,
				   u8 type)
{
	/* Held for the setsockopt() caller: charged to its memory cgroup. */
	struct xfrm_policy *xp = xfrm_policy_alloc(net, KAME_GFP_USER_NOWAIT);

	if (!xp)
		return NULL;
	xp->family = sk->sk_family;
	xp->selector.family = sk->sk_family;	/* prefixes 0: matches all */
	xp->type = XFRM_POLICY_TYPE_MAIN;
	xp->action = type == IPSEC_POLICY_DISCARD ? XFRM_POLICY_BLOCK :
						     XFRM_POLICY_ALLOW;
	xp->xfrm_nr = 0;
	xp->lft.soft_byte_limit = XFRM_INF;
	xp->lft.hard_byte_limit = XFRM_INF;
	xp->lft.soft_packet_limit = XFRM_INF;
	xp->lft.hard_packet_limit = XFRM_INF;
	return xp;
}

/* Never handed to XFRM: it must look dead to be destroyed. */
static void carrier_free(struct xfrm_policy *xp)
{
	xp->walk.dead = 1;
	xfrm_policy_destroy(xp);
}

static struct xfrm_policy *kame_compile_policy(struct sock *sk, int opt,
					       u8 *data, int len, int *dir)
{
	struct net *net = sock_net(sk);
	struct kame_sp_net *spn = kame_sp_net(net);
	struct kame_sockpol sp;
	struct xfrm_policy *xp;
	struct kame_policy *kp;
	void *scratch;
	int err;

	if (!our_optname(sk, opt)) {
		*dir = -EOPNOTSUPP;	/* IP_XFRM_POLICY: xfrm_user's */
		return NULL;
	}
	if (len < 0 || len > KAME_SOCKPOL_MAXLEN) {
		err = -EINVAL;
		goto reject;
	}
	scratch = kmalloc(KAME_SOCKPOL_SCRATCH(len), GFP_ATOMIC);
	if (!scratch) {
		err = -ENOBUFS;
		goto reject;
	}
	err = kame_sockpol_parse(data, len, scratch, &sp);
	kfree(scratch);
	if (err)
		goto reject;

	/*
	 * KAME: bypass is for privileged sockets. The IP layer has already
	 * required CAP_NET_ADMIN for any socket policy; this keeps the KAME
	 * rule if that ever changes.
	 */
	if ((sp.type == IPSEC_POLICY_BYPASS || sp.type == IPSEC_POLICY_NONE) &&
	    !ns_capable_noaudit(net->user_ns, CAP_NET_ADMIN)) {
		err = -EPERM;
		goto reject;
	}

	err = -ENOBUFS;
	kp = to_kame_policy(spn, sk, &sp);
	if (!kp)
		goto reject;
	xp = carrier(net, sk, sp.type);
	if (!xp) {
		kame_policy_free_unpublished(kp);
		goto reject;
	}
	err = kame_sockpol_table_add(spn, xp, kp);
	if (err) {
		kame_policy_free_unpublished(kp);
		carrier_free(xp);
		goto reject;
	}
	*dir = sp.dir == IPSEC_DIR_INBOUND ? XFRM_POLICY_IN : XFRM_POLICY_OUT;
	return xp;

reject:
	atomic_long_inc(&spn->rejected);
	*dir = err;
	return NULL;
}

/* XFRM's acquires are for XFRM's own policies: not ours to answer. */
static int xfrm_mgr_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			    struct xfrm_policy *xp)
{
	return -EOPNOTSUPP;
}

static struct xfrm_mgr kame_xfrm_mgr = {
	.acquire = xfrm_mgr_acquire,
	.compile_policy = kame_compile_policy,
};

int kame_sockpol_init(void)
{
	return kame_sockpol_table_init();
}

void kame_sockpol_exit(void)
{
	kame_sockpol_table_exit();
}

void kame_sockpol_km_init(void)
{
	xfrm_register_km(&kame_xfrm_mgr);
}

/*
 * No new carrier after this; the existing "ipsec" ones are blocked while
 * the engine still applies them, so that no socket sends in clear between
 * the engine's hooks going and XFRM seeing the BLOCK.
 */
void kame_sockpol_km_exit(void)
{
	xfrm_unregister_km(&kame_xfrm_mgr);	/* waits for compile_policy() callers */
	kame_sockpol_block_all();
}
