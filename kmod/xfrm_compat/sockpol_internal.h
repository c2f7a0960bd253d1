/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the per-socket policy support: the table of compiled policies
 * (sockpol_table.c) and the XFRM key manager (km.c).
 *
 * How a socket policy is kept (see Documentation/xfrm-compat.md for why):
 * XFRM stores the struct xfrm_policy our compile_policy() returns in
 * sk->sk_policy[dir], copies it into every socket cloned from that socket
 * (accept()), and frees each copy with its socket, telling nobody. So the
 * xfrm_policy is only a carrier: action ALLOW (or BLOCK for discard) with no
 * templates, so that XFRM lets the traffic through, and two lifetime fields
 * that clone_policy() copies and XFRM never reads for socket policies:
 *	lft.soft_packet_limit = the netns's magic (random, per netns)
 *	lft.hard_packet_limit = cookie (unique per compiled policy in the netns)
 * The cookie finds a struct kame_sockpol_ent holding the KAME policy in the
 * table of the socket's netns only: anyone with CAP_NET_ADMIN in a netns
 * can read a carrier (XFRM's policy dump) and write one (IP_XFRM_POLICY),
 * so nothing in one netns may name an entry of another.
 * An entry is freed by the sweep once the xfrm_policy we compiled is dead
 * (its socket closed or replaced it) and two consecutive walks of the
 * netns's XFRM policy list found no carrier (clone) of its cookie.
 */
#ifndef KAME_XFRM_COMPAT_SOCKPOL_INTERNAL_H
#define KAME_XFRM_COMPAT_SOCKPOL_INTERNAL_H

#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <net/xfrm.h>

#include "spd.h"
#include "sockpol_parse.h"

struct kame_sp_net;

struct kame_sockpol_ent {
	struct rhash_head node;		/* kame_sockpol_table, by cookie */
	u64 cookie;
	struct list_head list;		/* kame_sp_net.ents */
	struct xfrm_policy *orig;	/* referenced: the one we compiled */
	struct kame_policy *kp;		/* referenced: what the engine gets */
	u32 seen;			/* last sweep that found a carrier */
	u8 misses;			/* sweeps in a row that found none */
	struct rcu_head rcu;
};

/* Per network namespace (net_generic). */
struct kame_sp_net {
	struct net *net;
	u64 magic;			/* carrier identity, never 0 or XFRM_INF */
	atomic64_t next_cookie;
	struct rhashtable table;	/* entries by cookie, RCU readers */
	/*
	 * ents and dying. A spinlock, as table_add() runs in XFRM's
	 * compile_policy() under rcu_read_lock(); taken with _bh there, in
	 * the sweep work and at netns exit (never from softirq itself).
	 */
	spinlock_t lock;
	struct list_head ents;
	atomic_t live;			/* entries not yet freed */
	bool dying;
	u32 gen;			/* sweep generation: sweep work only */
	struct delayed_work sweep;
	atomic_long_t compiled, rejected, freed;
};

struct kame_sp_net *kame_sp_net(const struct net *net);

/*
 * Record a compiled policy: @kp (reference passed) behind @xp (a reference
 * is taken), under a new cookie written into @xp. Any context.
 */
int kame_sockpol_table_add(struct kame_sp_net *spn, struct xfrm_policy *xp,
			   struct kame_policy *kp);

int kame_sockpol_table_init(void);
void kame_sockpol_table_exit(void);

/* Module unload: every netns's "ipsec" carriers become BLOCK. */
void kame_sockpol_block_all(void);

#endif /* KAME_XFRM_COMPAT_SOCKPOL_INTERNAL_H */
