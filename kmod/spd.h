/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Security Policy Database (SPD): KAME security policies per direction
 * (in, out and Linux's fwd), matched first-match in (priority, insertion)
 * order.
 *
 * Locking:
 *  - kame_spd.lock (mutex) serialises every writer: PF_KEY handlers and the
 *    policy lifetime worker, all process context. Walks over the whole SPD
 *    (flush, dump, lifetimes) cond_resched() under it.
 *  - The packet path reads under rcu_read_lock() only: kame_spd_lookup()
 *    returns a referenced policy (refcount_inc_not_zero) valid until
 *    kame_policy_put(). Everything in a published policy is immutable except
 *    dead (set once under the lock when it leaves the SPD), last_use and
 *    hits (an atomic).
 *  - A policy is freed after an RCU grace period once its last reference
 *    is gone.
 *
 * Lookup structure (see spd_lookup.c): policies are hashed by (dir, family,
 * src prefix length, dst prefix length, which of sport/dport/ulproto are
 * "any", masked src, masked dst, and the ports/protocol that are not
 * "any"). A small RCU-published array lists the distinct (dir, family,
 * prefix lengths, wildcard set) groups in use; a lookup probes one hash
 * bucket per group, with the packet projected the group's way, and keeps
 * the matching policy with the smallest (priority, order). Every policy
 * that matches a packet sits under the key its own group computes for that
 * packet, so this is exactly first-match over the ordered list, at a cost
 * of one probe per group rather than per policy.
 */
#ifndef KAME_SPD_H
#define KAME_SPD_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <linux/ipsec.h>
#include <linux/xfrm.h>

#include "sad.h"
#include "sp_limits.h"	/* KAME_SP_MAXREQ, which the validators enforce */

struct kame_net;

/*
 * A selector, as stored in a policy or built from a packet. Ports are in
 * network order, 0 = any. ICMP and ICMPv6 (KAME): the type is carried in
 * sport and the code in dport (htons(type), htons(code)), so type 0 cannot
 * be told from "any". ulproto IPSEC_ULPROTO_ANY (255) = any protocol.
 * For a packet, sprefix/dprefix are ignored.
 */
struct kame_selector {
	xfrm_address_t saddr, daddr;
	__be16 sport, dport;
	u16 family;		/* AF_INET or AF_INET6 */
	u8 sprefix, dprefix;
	u8 ulproto;
};

/* One sadb_x_ipsecrequest: a transform to apply, innermost first. */
struct kame_sp_req {
	u8 proto;		/* IPPROTO_ESP, IPPROTO_AH or IPPROTO_COMP */
	u8 mode;		/* IPSEC_MODE_TRANSPORT or IPSEC_MODE_TUNNEL */
	u8 level;		/* IPSEC_LEVEL_* as configured (DEFAULT kept) */
	u16 family;		/* of the tunnel endpoints, 0 if none given */
	u32 reqid;		/* unique: the given or auto-assigned reqid */
	xfrm_address_t src, dst;	/* tunnel endpoints */
};

/* kame_spd_key.wild / kame_spd_group.wild: selector fields that are "any". */
#define KAME_SPD_WILD_SPORT	0x1
#define KAME_SPD_WILD_DPORT	0x2
#define KAME_SPD_WILD_PROTO	0x4

/*
 * Hash key of a policy (see the lookup structure above): addresses masked
 * by the prefixes, and the ports and protocol unless they are "any".
 * Padding zeroed.
 */
struct kame_spd_key {
	xfrm_address_t saddr, daddr;
	__be16 sport, dport;
	u16 family;
	u8 dir;
	u8 sprefix, dprefix;
	u8 ulproto;
	u8 wild;		/* KAME_SPD_WILD_* */
	u8 pad[3];
};

struct kame_policy {
	struct rhlist_head by_key;	/* kame_spd.key_ht */
	struct rhash_head by_id;	/* kame_spd.id_ht */
	struct list_head list;		/* kame_spd.dir[dir], lookup order */
	struct list_head timed;		/* kame_spd.timed when lifetimes set */
	refcount_t refcnt;
	struct rcu_head rcu;

	struct kame_spd_key key;
	struct kame_selector sel;	/* addresses as given (not masked) */
	u8 dir;			/* IPSEC_DIR_INBOUND, _OUTBOUND, _FWD */
	u8 type;		/* IPSEC_POLICY_DISCARD, _NONE, _IPSEC (SPD) */
	bool dead;		/* removed from the SPD */
	u8 nreq;
	u32 id;			/* (n << 3) | xfrm dir, as Linux: id & 7 = dir - 1 */
	u32 priority;		/* sadb_x_policy_priority: lower first */
	u64 order;		/* insertion sequence: earlier first */
	struct kame_sp_req req[KAME_SP_MAXREQ];

	/* KAME: hard addtime = lifetime, hard usetime = validtime (idle). */
	struct kame_lifetime hard, soft;
	time64_t add_real, add_mono;	/* s: reported */
	u64 add_ns;		/* monotonic: hard addtime, never early */
	time64_t last_use_mono;	/* WRITE_ONCE by kame_policy_touch() */
	atomic64_t hits;	/* packets matched, by kame_policy_touch() */
};

/* Per-netns SPD (embedded in struct kame_net). */
struct kame_spd_group {
	u8 dir;
	u8 sprefix, dprefix;
	u8 wild;		/* KAME_SPD_WILD_* */
	u16 family;
	u32 count;		/* policies in the group */
};

struct kame_spd_groups {
	struct rcu_head rcu;
	unsigned int n;
	struct kame_spd_group g[];
};

struct kame_spd {
	/*
	 * Every writer (see "Locking" above), process context only: the
	 * indices, the lists, groups, count, next_id, next_order,
	 * dying and each policy's dead flag.
	 */
	struct mutex lock;
	struct rhltable key_ht;		/* by struct kame_spd_key */
	struct rhashtable id_ht;	/* by id */
	struct list_head dir[IPSEC_DIR_FWD + 1];	/* [1..3] used */
	struct kame_spd_groups __rcu *groups;
	struct list_head timed;		/* policies with lifetimes */
	struct delayed_work timer;	/* 1 Hz lifetime check */
	unsigned int count;
	u32 next_id;
	u64 next_order;
	/*
	 * The last automatic reqid handed out (kame_spd_new_reqid()), to
	 * SPD and socket policies alike; lock-free, any context.
	 */
	atomic_t next_reqid;
	bool dying;
};

/*
 * The first policy for a packet in direction @dir (IPSEC_DIR_INBOUND,
 * _OUTBOUND or _FWD) described by @pkt, referenced, or NULL when none
 * matches (then net.inet.ipsec.def_policy applies). Caller in
 * rcu_read_lock(); any context.
 */
struct kame_policy *kame_spd_lookup(struct kame_net *kn, u8 dir,
				    const struct kame_selector *pkt);

void kame_policy_put(struct kame_policy *pol);

static inline void kame_policy_hold(struct kame_policy *pol)
{
	refcount_inc(&pol->refcnt);
}

/*
 * The SPD's policy with this id, or NULL, unreferenced: valid until the
 * caller's rcu_read_unlock() (its requests and selector are immutable).
 * Socket policies are not in the SPD (their ids have id & 7 >= 3). Any
 * context, in rcu_read_lock().
 */
struct kame_policy *kame_spd_find_id_rcu(struct kame_net *kn, u32 id);

/*
 * Record use (validtime and lifetime_current.usetime) and count a hit.
 * Any context.
 */
void kame_policy_touch(struct kame_policy *pol);

/*
 * The level to enforce for request @r of a policy: IPSEC_LEVEL_DEFAULT
 * resolved through net.inet{,6}.ipsec{,6}.{esp,ah}_{trans,net}_deflev
 * (IPComp default = use).
 */
u8 kame_sp_req_level(struct kame_net *kn, u16 family,
		     const struct kame_sp_req *r);

/* @in with every bit after its first @plen cleared (@family's width). */
void kame_addr_mask(xfrm_address_t *out, const xfrm_address_t *in,
		    u16 family, u8 plen);
/* Do addresses @a and @b of @family agree in their first @plen bits? */
bool kame_addr_prefix_eq(const xfrm_address_t *a, const xfrm_address_t *b,
			 u16 family, u8 plen);

/* True if @pkt is matched by @sel (family, prefixes, ports, ulproto). */
bool kame_selector_match(const struct kame_selector *sel,
			 const struct kame_selector *pkt);

/* ---- SPD management (process context; PF_KEY handlers) ---- */

struct kame_policy *kame_policy_alloc(gfp_t gfp);
void kame_policy_free_unpublished(struct kame_policy *pol);

/*
 * Insert @pol (selector, dir, type, priority, requests filled in). With
 * @replace an existing policy of the same (dir, selector) is removed and
 * returned in *old (referenced; NULL if none); without, it is -EEXIST.
 * -ENOBUFS when it would be more than net.key.max_policies.
 * Assigns id and order. Caller holds kame_spd.lock.
 */
int kame_spd_insert(struct kame_net *kn, struct kame_policy *pol,
		    bool replace, struct kame_policy **old);
/* The policy with this dir and selector, or NULL. Caller holds the lock. */
struct kame_policy *kame_spd_find_sel(struct kame_net *kn, u8 dir,
				      const struct kame_selector *sel);
/* By id, or NULL. Caller holds the lock. */
struct kame_policy *kame_spd_find_id(struct kame_net *kn, u32 id);
/* Remove from the SPD and drop the SPD's reference. Caller holds the lock. */
void kame_spd_unlink(struct kame_net *kn, struct kame_policy *pol);
/* Remove every policy; returns how many. Caller holds the lock. */
unsigned int kame_spd_flush(struct kame_net *kn);

/* Automatic reqids, as KAME: after the manual ones (1..0x3fff), wrapping. */
#define KAME_REQID_AUTO_MIN	(IPSEC_MANUAL_REQID_MAX + 1)
#define KAME_REQID_AUTO_MAX	0xffff

/*
 * The next automatic reqid of the netns for a request of level unique
 * without a manual one: KAME_REQID_AUTO_MIN, +1 each call, back to the
 * minimum after KAME_REQID_AUTO_MAX. One sequence serves the SPD (PF_KEY)
 * and the socket policies, so that neither hands out a reqid the other
 * holds (until it wraps, as KAME's does). Any context: the socket policies
 * allocate under rcu_read_lock().
 */
u32 kame_spd_new_reqid(struct kame_net *kn);

/* Policy objects allocated and not yet freed, all netns (leak checks). */
extern atomic_t kame_policy_objects;

/* The policy object cache (module init/exit, around every netns). */
int kame_spd_cache_init(void);
void kame_spd_cache_exit(void);

int kame_spd_net_init(struct kame_net *kn);
void kame_spd_net_exit(struct kame_net *kn);
void kame_spd_timer_kick(struct kame_net *kn);

#endif /* KAME_SPD_H */
