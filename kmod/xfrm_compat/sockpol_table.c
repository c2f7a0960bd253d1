// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled socket policies, per netns: a cookie-keyed table the packet
 * path reads under RCU (kame_sock_policy()), a list the sweep walks to free
 * policies no socket carries any more, and /proc/net/kame_sockpolicy.
 */
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/proc_fs.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/xfrm.h>

#include "netns.h"
#include "sockpol_internal.h"
#include "sockpolicy.h"

static unsigned int sp_net_id __read_mostly;

static const struct rhashtable_params sp_params = {
	.head_offset = offsetof(struct kame_sockpol_ent, node),
	.key_offset = offsetof(struct kame_sockpol_ent, cookie),
	.key_len = sizeof(u64),
	.automatic_shrinking = true,
};

/*
 * Returned for a carrier whose entry is gone (cannot happen unless a
 * socket held a policy across two whole sweeps without XFRM listing it):
 * fail closed. Its reference count never reaches zero.
 */
static struct kame_policy sp_lost = {
	.refcnt = REFCOUNT_INIT(1),
	.type = IPSEC_POLICY_DISCARD,
};

struct kame_sp_net *kame_sp_net(const struct net *net)
{
	return net_generic(net, sp_net_id);
}

/* Compiled by us for a socket of @spn's netns (or a copy of one). */
static bool is_carrier(const struct kame_sp_net *spn,
		       const struct xfrm_policy *xp)
{
	return READ_ONCE(xp->lft.soft_packet_limit) == spn->magic;
}

struct kame_policy *kame_sock_policy(const struct sock *sk, u8 dir)
{
	const struct xfrm_policy *xp;
	struct kame_sockpol_ent *e;
	struct kame_policy *kp = NULL;
	struct kame_sp_net *spn;
	u64 cookie;

	if (!kame_sock_may_have_policy(sk, dir))
		return NULL;
	sk = sk_const_to_full_sk(sk);
	spn = kame_sp_net(sock_net(sk));

	rcu_read_lock();
	xp = rcu_dereference(sk->sk_policy[dir == IPSEC_DIR_INBOUND ?
					   XFRM_POLICY_IN : XFRM_POLICY_OUT]);
	if (!xp || !is_carrier(spn, xp))
		goto out;	/* none, or compiled by another key manager */
	cookie = READ_ONCE(xp->lft.hard_packet_limit);
	e = rhashtable_lookup(&spn->table, &cookie, sp_params);
	if (e && refcount_inc_not_zero(&e->kp->refcnt)) {
		kp = e->kp;
	} else {
		kp = &sp_lost;
		kame_policy_hold(kp);
	}
out:
	rcu_read_unlock();
	if (kp && kp->type == IPSEC_POLICY_ENTRUST) {
		kame_policy_put(kp);
		kp = NULL;
	}
	return kp;
}

int kame_sockpol_table_add(struct kame_sp_net *spn, struct xfrm_policy *xp,
			   struct kame_policy *kp)
{
	struct kame_sockpol_ent *e;
	int err;

	e = kzalloc(sizeof(*e), KAME_GFP_USER_NOWAIT);
	if (!e)
		return -ENOBUFS;
	e->cookie = atomic64_inc_return(&spn->next_cookie);
	e->kp = kp;
	/* Linux numbers socket policies with id & 7 = XFRM_POLICY_MAX + dir. */
	kp->id = ((u32)e->cookie << 3) |
		 (XFRM_POLICY_MAX + (kp->dir == IPSEC_DIR_INBOUND ?
				     XFRM_POLICY_IN : XFRM_POLICY_OUT));
	xp->lft.soft_packet_limit = spn->magic;
	xp->lft.hard_packet_limit = e->cookie;

	spin_lock_bh(&spn->lock);
	if (spn->dying) {
		spin_unlock_bh(&spn->lock);
		kfree(e);
		return -ENOENT;
	}
	/* Entries are counted until the sweep frees them (see sweep()). */
	if (atomic_read(&spn->live) >=
	    READ_ONCE(kame_net(spn->net)->key.max_sockpolicies)) {
		spin_unlock_bh(&spn->lock);
		kfree(e);
		return -ENOBUFS;
	}
	err = rhashtable_insert_fast(&spn->table, &e->node, sp_params);
	if (err) {
		spin_unlock_bh(&spn->lock);
		kfree(e);
		return err == -EEXIST ? -ENOBUFS : err;
	}
	xfrm_pol_hold(xp);
	e->orig = xp;
	list_add_tail(&e->list, &spn->ents);
	atomic_inc(&spn->live);
	/* Under the lock: never queued once the netns exit has cancelled it. */
	schedule_delayed_work(&spn->sweep, HZ);
	spin_unlock_bh(&spn->lock);
	atomic_long_inc(&spn->compiled);
	return 0;
}

/* Entry off the list (caller); process context. */
static void ent_free(struct kame_sp_net *spn, struct kame_sockpol_ent *e)
{
	rhashtable_remove_fast(&spn->table, &e->node, sp_params);
	kame_policy_put(e->kp);
	xfrm_pol_put(e->orig);
	kfree_rcu(e, rcu);
	atomic_long_inc(&spn->freed);
	smp_mb__before_atomic();	/* readers see freed first */
	atomic_dec(&spn->live);
}

/* Entry of a carrier of @spn's netns, or NULL; RCU. */
static struct kame_sockpol_ent *carrier_ent(struct kame_sp_net *spn,
					    const struct xfrm_policy *xp,
					    int dir)
{
	u64 cookie;

	if (dir < XFRM_POLICY_MAX || !is_carrier(spn, xp))
		return NULL;
	cookie = xp->lft.hard_packet_limit;
	return rhashtable_lookup(&spn->table, &cookie, sp_params);
}

/* xfrm_policy_walk() callback, under xfrm_policy_lock: mark carriers. */
static int mark_carrier(struct xfrm_policy *xp, int dir, int count, void *data)
{
	struct kame_sp_net *spn = data;
	struct kame_sockpol_ent *e;

	rcu_read_lock();
	e = carrier_ent(spn, xp, dir);
	if (e)
		WRITE_ONCE(e->seen, spn->gen);
	rcu_read_unlock();
	return 0;
}

static void walk_policies(struct net *net,
			  int (*fn)(struct xfrm_policy *, int, int, void *),
			  void *data)
{
	struct xfrm_policy_walk walk;

	xfrm_policy_walk_init(&walk, XFRM_POLICY_TYPE_ANY);
	xfrm_policy_walk(net, &walk, fn, data);
	xfrm_policy_walk_done(&walk, net);
}

static void sweep(struct work_struct *work)
{
	struct kame_sp_net *spn = container_of(to_delayed_work(work),
					       struct kame_sp_net, sweep);
	struct kame_sockpol_ent *e, *tmp;
	LIST_HEAD(mine);
	LIST_HEAD(gone);
	bool again;
	u32 gen;

	gen = ++spn->gen;
	walk_policies(spn->net, mark_carrier, spn);

	/*
	 * The entries are taken off the list for the walk, so that it holds
	 * no BH lock however many there are: only table_add() (appending)
	 * and the netns exit (after cancelling this work) touch the list.
	 */
	spin_lock_bh(&spn->lock);
	list_splice_init(&spn->ents, &mine);
	spin_unlock_bh(&spn->lock);
	list_for_each_entry_safe(e, tmp, &mine, list) {
		if (READ_ONCE(e->seen) == gen) {
			e->misses = 0;
		} else if (READ_ONCE(e->orig->walk.dead) && ++e->misses >= 2) {
			/* Dead (not on a socket any more) and no clone seen. */
			list_move(&e->list, &gone);
		}
		cond_resched();
	}
	spin_lock_bh(&spn->lock);
	list_splice(&mine, &spn->ents);		/* older ones first again */
	again = !list_empty(&spn->ents) && !spn->dying;
	spin_unlock_bh(&spn->lock);

	list_for_each_entry_safe(e, tmp, &gone, list) {
		ent_free(spn, e);
		cond_resched();
	}
	if (again)
		schedule_delayed_work(&spn->sweep, HZ);
}

/*
 * Module unload: sockets keep their carriers, and without kameipsec an
 * "ipsec" carrier (ALLOW, no templates) would send clear text. Turn those
 * into BLOCK so that they fail closed; bypass, entrust and none stay ALLOW.
 */
struct block_walk {
	struct kame_sp_net *spn;
	unsigned int blocked;
};

static int block_ipsec_carrier(struct xfrm_policy *xp, int dir, int count,
			       void *data)
{
	struct block_walk *w = data;
	struct kame_sockpol_ent *e;

	rcu_read_lock();
	e = carrier_ent(w->spn, xp, dir);
	if (e && e->kp->type == IPSEC_POLICY_IPSEC) {
		WRITE_ONCE(xp->action, XFRM_POLICY_BLOCK);
		atomic_inc(&xp->genid);
		w->blocked++;
	}
	rcu_read_unlock();
	return 0;
}

void kame_sockpol_block_all(void)
{
	struct net *net;

	down_read(&net_rwsem);
	for_each_net(net) {
		struct block_walk w = { .spn = kame_sp_net(net) };

		walk_policies(net, block_ipsec_carrier, &w);
		if (!w.blocked)
			continue;
		/* Connected sockets cache their route: make them look again. */
		rt_genid_bump_ipv4(net);
		rt_genid_bump_ipv6(net);
		pr_info("%u socket policies left blocked: IPsec is gone\n",
			w.blocked);
	}
	up_read(&net_rwsem);
}

static int sp_show(struct seq_file *seq, void *v)
{
	struct kame_sp_net *spn = kame_sp_net(seq_file_single_net(seq));

	seq_printf(seq, "live %d\n", atomic_read(&spn->live));
	seq_printf(seq, "compiled %lu\n", atomic_long_read(&spn->compiled));
	seq_printf(seq, "rejected %lu\n", atomic_long_read(&spn->rejected));
	seq_printf(seq, "freed %lu\n", atomic_long_read(&spn->freed));
	return 0;
}

static int __net_init sp_net_init(struct net *net)
{
	struct kame_sp_net *spn = kame_sp_net(net);
	int err;

	spn->net = net;
	/* Never 0 or XFRM_INF, the values other key managers write. */
	do {
		spn->magic = get_random_u64();
	} while (!spn->magic || spn->magic == XFRM_INF);
	atomic64_set(&spn->next_cookie, 0);
	err = rhashtable_init(&spn->table, &sp_params);
	if (err)
		return err;
	spin_lock_init(&spn->lock);
	INIT_LIST_HEAD(&spn->ents);
	INIT_DELAYED_WORK(&spn->sweep, sweep);
	if (!proc_create_net_single("kame_sockpolicy", 0444, net->proc_net,
				    sp_show, NULL)) {
		rhashtable_destroy(&spn->table);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit sp_net_exit(struct net *net)
{
	struct kame_sp_net *spn = kame_sp_net(net);
	struct kame_sockpol_ent *e, *tmp;
	LIST_HEAD(gone);

	/*
	 * The engine's hooks of this netns are gone (its pernet exit runs
	 * first) and, on module unload, the carriers were blocked by
	 * kame_sockpol_km_exit(); a dying netns has no user socket left.
	 */
	remove_proc_entry("kame_sockpolicy", net->proc_net);
	spin_lock_bh(&spn->lock);
	spn->dying = true;
	spin_unlock_bh(&spn->lock);
	cancel_delayed_work_sync(&spn->sweep);

	spin_lock_bh(&spn->lock);
	list_splice_init(&spn->ents, &gone);
	spin_unlock_bh(&spn->lock);
	list_for_each_entry_safe(e, tmp, &gone, list)
		ent_free(spn, e);
}

/* After every exit of the batch: no lookup can still be in a table. */
static void __net_exit sp_net_exit_batch(struct list_head *net_list)
{
	struct net *net;

	synchronize_rcu();
	list_for_each_entry(net, net_list, exit_list)
		rhashtable_destroy(&kame_sp_net(net)->table);
}

static struct pernet_operations sp_net_ops = {
	.init = sp_net_init,
	.exit = sp_net_exit,
	.exit_batch = sp_net_exit_batch,
	.id = &sp_net_id,
	.size = sizeof(struct kame_sp_net),
};

int kame_sockpol_table_init(void)
{
	return register_pernet_subsys(&sp_net_ops);
}

void kame_sockpol_table_exit(void)
{
	unregister_pernet_subsys(&sp_net_ops);
	rcu_barrier();		/* kfree_rcu() of entries */
}
