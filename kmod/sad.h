/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Security Association Database (SAD): one struct kame_sa per SA, in
 * KAME's life cycle LARVAL -> MATURE -> DYING -> DEAD.
 *
 * Locking (see also struct kame_sad below):
 *  - kame_sad.lock (spinlock, taken with _bh) serialises every writer: insert,
 *    replace, unlink, state changes. Writers run in process context (PF_KEY
 *    handlers, the lifetime worker) or in softirq (the engine creating a
 *    larval SA for an ACQUIRE): always spin_lock_bh().
 *  - The packet path reads under rcu_read_lock() only: kame_sa_lookup_in()
 *    and kame_sa_lookup_out() return a referenced SA (refcount_inc_not_zero)
 *    that stays valid after rcu_read_unlock() until kame_sa_put().
 *  - Fields fixed at creation (addresses, spi, proto, mode, reqid, algs,
 *    keys, limits) never change once the SA is published; an UPDATE builds
 *    a new SA and replaces the old one in the indices.
 *  - state is written under kame_sad.lock with WRITE_ONCE and read with
 *    READ_ONCE; a DEAD SA is no longer in any index.
 *  - cur.bytes/cur.packets are atomics charged by kame_sa_charge() from any
 *    context; cur.use_* are set once, on first use; cur.last_mono at most
 *    once a second (WRITE_ONCE); cur.replay_fail/icv_fail are atomics the
 *    engine's drop accounting (kame_drop) increments.
 *  - xform belongs to the engine: set by xform_ops->init before the SA is
 *    published, freed by xform_ops->destroy in process context after an RCU
 *    grace period, when the last reference is gone.
 *  - kame_sad.all and kame_sad.timed are in ascending ->order (SAs are only
 *    ever appended). Walks over them (FLUSH, DUMP snapshots, the lifetime
 *    timer, netns exit) go through kame_sad_walk(), which drops the lock
 *    every KAME_SAD_BATCH SAs: no walk keeps softirqs off across the SAD.
 *  - kame_sad.count (SAs on "all", larval included) never exceeds
 *    net.key.max_sas: kame_sad_insert() fails ENOBUFS at the cap.
 */
#ifndef KAME_SAD_H
#define KAME_SAD_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/pfkeyv2.h>
#include <linux/xfrm.h>		/* xfrm_address_t */

struct kame_net;

/* One set of RFC 2367 lifetime limits; 0 means "no limit". */
struct kame_lifetime {
	u32 allocations;	/* packets (KAME and Linux count packets) */
	u64 bytes;
	u64 addtime;		/* seconds after the SA was added */
	u64 usetime;		/* seconds after the SA was first used */
};

/* Is any limit of @l set? */
static inline bool kame_lifetime_set(const struct kame_lifetime *l)
{
	return l->allocations || l->bytes || l->addtime || l->usetime;
}

/* Key of the input index: (destination, SPI, protocol). Padding zeroed. */
struct kame_sa_spikey {
	xfrm_address_t daddr;
	__be32 spi;
	u16 family;
	u8 proto;
	u8 pad;
};

/* Key of the output index: (source, destination, protocol). */
struct kame_sa_addrkey {
	xfrm_address_t saddr;
	xfrm_address_t daddr;
	u16 family;
	u8 proto;
	u8 pad;
};

/*
 * An SA head (KAME's secashead): the SAs between one address pair for one
 * protocol, found by hashing (saddr, daddr, proto). Removing an SA is
 * O(1) however many SAs share the head. Freed (RCU) with its last SA.
 */
struct kame_sah {
	struct rhash_head node;		/* kame_sad.sah_ht */
	struct kame_sa_addrkey key;
	struct hlist_head sas;		/* RCU readers, writers under the lock */
	unsigned int count;
	struct rcu_head rcu;
};

/* KAME's SADB_X_EXT_CYCSEQ (sadb_sa_flags; not in Linux's pfkeyv2.h). */
#define KAME_SADB_X_EXT_CYCSEQ	0x0040

/* Bit numbers in kame_sa.flags (atomic bitops). */
#define KAME_SA_SOFT	0	/* soft limit reached, soft EXPIRE due/sent */
#define KAME_SA_HARD	1	/* hard limit reached: no more traffic */
#define KAME_SA_EXPQ	2	/* on kame_sad.expq */

struct kame_sa {
	/* Indices; writers under kame_sad.lock. */
	struct rhash_head by_spi;	/* kame_sad.spi_ht */
	struct hlist_node by_pair;	/* sah->sas */
	struct kame_sah *sah;		/* its (saddr, daddr, proto) head */
	struct list_head all;		/* kame_sad.all, in add order */
	struct list_head timed;		/* kame_sad.timed: larval or time limits */
	struct llist_node expq;		/* kame_sad.expq, charge -> worker */
	struct llist_node gc;		/* free list after the last put */

	refcount_t refcnt;
	struct kame_net *kn;

	struct kame_sa_spikey spikey;	/* daddr, spi, family, proto */
	struct kame_sa_addrkey addrkey;	/* saddr, daddr, family, proto */

	u8 state;		/* SADB_SASTATE_* (READ_ONCE) */
	u8 satype;		/* SADB_SATYPE_AH/ESP, SADB_X_SATYPE_IPCOMP */
	u8 proto;		/* IPPROTO_AH/ESP/COMP */
	u8 mode;		/* IPSEC_MODE_ANY (0, KAME "any"), _TRANSPORT, _TUNNEL */
	u16 family;		/* AF_INET or AF_INET6 */
	u8 replay;		/* anti-replay window in packets, 0 = off */
	u8 auth_alg;		/* SADB_AALG_* */
	u8 enc_alg;		/* SADB_EALG_* or SADB_X_CALG_* for IPComp */
	u8 sprefix, dprefix;	/* as given in ADDRESS_SRC/DST */
	u8 ulproto;		/* sadb_address_proto of ADDRESS_SRC/DST */
	__be32 spi;		/* network order, also in spikey */
	u32 reqid;		/* sadb_x_sa2_reqid, 0 = none */
	u32 sadb_flags;		/* sadb_sa_flags as given */
	u32 seq_out_start;	/* sadb_x_sa2_sequence: last number sent */
	unsigned long flags;	/* KAME_SA_* bits */
	u64 order;		/* insertion sequence: older SAs first */
	u32 seq;		/* sadb_msg_seq of the GETSPI/ADD (acquire seq) */
	u32 pid;		/* sadb_msg_pid of the creator (UPDATE check) */
	xfrm_address_t saddr, daddr;

	/*
	 * NAT-T (RFC 3948 UDP encapsulation; 0 when not used). ESP SAs only;
	 * natt_type is UDP_ENCAP_ESPINUDP (ADD/UPDATE refuse _NON_IKE), the
	 * ports are non-zero: sport is the UDP source port of the packets
	 * this SA carries, dport their destination (for an inbound SA, our
	 * own port). natt_oa: NAT-OA, the peer's original address (RFC 3947),
	 * the family of saddr when set.
	 */
	u8 natt_type;
	__be16 natt_sport, natt_dport;
	xfrm_address_t natt_oa;
	u16 natt_oa_family;

	/* Key material, kfree_sensitive()d with the SA. */
	u8 *key_auth;
	u8 *key_enc;
	u16 key_auth_bits, key_enc_bits;

	/* Identities, stored as the sadb_ident extensions received (or NULL). */
	void *ident_src, *ident_dst;

	struct kame_lifetime hard, soft;
	struct {
		atomic64_t bytes;
		atomic64_t packets;
		/*
		 * Wall clock in s (reported); monotonic in ns (lifetimes:
		 * whole seconds would end an SA up to 1 s early).
		 */
		time64_t add_real, use_real;	/* use: first use, 0 = never */
		u64 add_ns, use_ns;		/* use_ns: 0 = never */
		time64_t last_mono;		/* last use (WRITE_ONCE) */
		/* Inbound drops the engine counted against this SA. */
		atomic64_t replay_fail;		/* outside/seen in the window */
		atomic64_t icv_fail;		/* ICV did not verify */
	} cur;

	/* Engine's per-SA transform state (crypto tfms, replay window...). */
	void *xform;
};

/*
 * The engine's hooks, called for every SA that becomes MATURE (ADD or
 * UPDATE) before it is published: init may sleep and returns 0 or an errno
 * given back to the PF_KEY writer (e.g. -EINVAL for a key the crypto API
 * refuses). destroy runs in process context after the last put.
 * seq_retire/seq_restore: see kame_sa_seq_retire().
 */
struct kame_sa_xform_ops {
	int (*init)(struct kame_sa *sa);
	void (*destroy)(struct kame_sa *sa);
	u64 (*seq_retire)(struct kame_sa *sa);
	void (*seq_restore)(struct kame_sa *sa, u64 last);
};
void kame_sad_set_xform_ops(const struct kame_sa_xform_ops *ops);

/*
 * UPDATE of an SA that may be sending: the new SA must go on from the old
 * one's last sequence number, not restart at 1 (numbers are IVs for seqiv
 * ciphers). kame_sa_seq_retire() returns that number (0 for an SA without
 * a transform, e.g. larval) and makes the old SA send nothing more (its
 * packets in flight are dropped as out_seq_overflow);
 * kame_sa_seq_restore() gives the number back if the replacement failed.
 * Any context; the engine's counter, reached through the xform ops.
 */
u64 kame_sa_seq_retire(struct kame_sa *sa);
void kame_sa_seq_restore(struct kame_sa *sa, u64 last);

#define KAME_NATT_PORT_BUCKETS	64

/* Per-netns SAD (embedded in struct kame_net). */
struct kame_sad {
	/*
	 * Every writer (see "Locking" above): the indices, the lists,
	 * count, next_order, natt_ports, dying and each SA's state.
	 * spin_lock_bh(): the engine writes from softirq too.
	 */
	spinlock_t lock;
	struct rhashtable spi_ht;	/* by (daddr, spi, proto): unique */
	struct rhashtable sah_ht;	/* SA heads by (saddr, daddr, proto) */
	struct list_head all;		/* every SA in the SAD, add order */
	struct list_head timed;		/* SAs the 1 Hz timer looks at */
	unsigned int count;		/* SAs on "all" */
	u64 next_order;
	struct llist_head expq;		/* SAs whose byte/packet limits hit */
	struct work_struct expire_work;	/* drains expq */
	struct delayed_work timer;	/* 1 Hz: larval, add/use-time limits */
	bool dying;			/* netns going away: no new timers */
	/*
	 * Linked SAs with NAT-T, by bucket of their natt_dport: the engine's
	 * LOCAL_IN hook looks at a UDP packet only when its destination
	 * port's bucket is non-zero. Written under lock, read lockless.
	 */
	unsigned int natt_ports[KAME_NATT_PORT_BUCKETS];
};

static inline unsigned int kame_natt_bucket(__be16 port)
{
	return ntohs(port) % KAME_NATT_PORT_BUCKETS;
}

/* May a UDP packet to @port be ESP of one of the SAD's NAT-T SAs? */
static inline bool kame_sad_natt_port(const struct kame_sad *sad, __be16 port)
{
	return READ_ONCE(sad->natt_ports[kame_natt_bucket(port)]) != 0;
}

/* ---- Packet path (any context, caller in rcu_read_lock()) ---- */

/*
 * Inbound: the MATURE or DYING SA for (daddr, spi, proto); a reference the
 * caller drops with kame_sa_put(), or NULL.
 */
struct kame_sa *kame_sa_lookup_in(struct kame_net *kn, u16 family,
				  const xfrm_address_t *daddr, __be32 spi,
				  u8 proto);

/*
 * Outbound: among MATURE/DYING SAs from saddr to daddr for proto whose
 * mode is @mode or IPSEC_MODE_ANY (@mode ANY matches any), and whose reqid
 * equals @reqid when @reqid != 0 (level unique), KAME's choice by
 * net.key.preferred_oldsa: 1 = the oldest DYING, else the oldest MATURE;
 * 0 = the newest MATURE, else the newest DYING. Referenced, or NULL.
 */
struct kame_sa *kame_sa_lookup_out(struct kame_net *kn, u16 family,
				   const xfrm_address_t *saddr,
				   const xfrm_address_t *daddr, u8 proto,
				   u8 mode, u32 reqid);

static inline void kame_sa_hold(struct kame_sa *sa)
{
	refcount_inc(&sa->refcnt);
}

void kame_sa_put(struct kame_sa *sa);

/*
 * Account one packet of @bytes to @sa (first use starts the use-time
 * clock). Crossing a soft byte/packet limit queues a soft SADB_EXPIRE
 * (state -> DYING); reaching a hard one marks the SA for deletion with a
 * hard SADB_EXPIRE. Returns false once the hard limit is reached: the
 * caller must drop the packet. Any context.
 */
bool kame_sa_charge(struct kame_sa *sa, unsigned int bytes);

/*
 * The SA can carry no more traffic (its outbound sequence numbers are
 * used up): hard-expire it as a hard lifetime would (SADB_EXPIRE, then
 * deleted), from the lifetime worker. Any context; once.
 */
void kame_sa_expire_hard(struct kame_sa *sa);

/* True while the SA may carry traffic (MATURE or DYING, no hard limit). */
static inline bool kame_sa_usable(const struct kame_sa *sa)
{
	u8 st = READ_ONCE(sa->state);

	return (st == SADB_SASTATE_MATURE || st == SADB_SASTATE_DYING) &&
	       !test_bit(KAME_SA_HARD, &sa->flags);
}

/* ---- SAD management (process context; used by the PF_KEY handlers) ---- */

/*
 * Memory a PF_KEY writer or a setsockopt() caller makes the kernel hold
 * (SAs, keys, identities, transforms, policies): charged to the caller's
 * memory cgroup, and at the cgroup's limit the request fails with ENOMEM
 * rather than waking the OOM killer. _NOWAIT: the same where the caller
 * cannot sleep (XFRM's compile_policy runs under rcu_read_lock()); unlike
 * GFP_ATOMIC it is never charged beyond the limit.
 */
#define KAME_GFP_USER		(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | \
				 __GFP_NOWARN)
#define KAME_GFP_USER_NOWAIT	(GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN)

struct kame_sa *kame_sa_alloc(struct kame_net *kn, gfp_t gfp);
/* Free an SA never published (no index holds it). */
void kame_sa_free_unpublished(struct kame_sa *sa);
/* Fill spikey/addrkey from the address/spi/proto fields. */
void kame_sa_set_keys(struct kame_sa *sa);

/*
 * Insert a new SA (LARVAL or MATURE); -EEXIST if (daddr, spi, proto) is
 * taken, -ENOBUFS if the netns holds net.key.max_sas SAs already.
 */
int kame_sad_insert(struct kame_net *kn, struct kame_sa *sa);
/* Swap @old (still indexed) for @new; @old becomes DEAD. */
int kame_sad_replace(struct kame_net *kn, struct kame_sa *old,
		     struct kame_sa *new);
/* Unlink and mark DEAD; false if it already was. Drops the SAD's reference. */
bool kame_sad_unlink(struct kame_net *kn, struct kame_sa *sa);

/* Any state (LARVAL included), referenced; for PF_KEY GET/DELETE/UPDATE. */
struct kame_sa *kame_sad_find_spi(struct kame_net *kn, u16 family,
				  const xfrm_address_t *daddr, __be32 spi,
				  u8 proto);
/*
 * References to the SAs from saddr to daddr for proto (any state) in *out
 * (kvmalloc'd, or NULL: kvfree it); returns how many or a negative errno.
 */
int kame_sad_collect_pair(struct kame_net *kn, u16 family,
			  const xfrm_address_t *saddr,
			  const xfrm_address_t *daddr, u8 proto,
			  struct kame_sa ***out);
/* The larval SA created for acquire sequence @seq, referenced, or NULL. */
struct kame_sa *kame_sad_find_larval_seq(struct kame_net *kn, u32 seq);
/*
 * References to every SA whose proto matches @proto (0 = all), in add
 * order; *out is kvmalloc'd (kvfree it after putting each SA).
 */
int kame_sad_snapshot(struct kame_net *kn, u8 proto, struct kame_sa ***out);
/* Unlink every SA of @proto (0 = all); returns how many. */
unsigned int kame_sad_flush(struct kame_net *kn, u8 proto);

/* SAs a walk handles per hold of kame_sad.lock. */
#define KAME_SAD_BATCH	128

/*
 * Call @visit for each SA on kame_sad.all (@timed false) or kame_sad.timed
 * (@timed true), oldest first, with kame_sad.lock held (BH off), at most
 * KAME_SAD_BATCH per hold and cond_resched() between holds. @visit may
 * unlink the SA it is given and nothing else; returning false ends the
 * walk. Each SA is visited at most once; an SA present for the whole walk
 * is visited. Process context.
 */
void kame_sad_walk(struct kame_sad *sad, bool timed,
		   bool (*visit)(struct kame_sad *sad, struct kame_sa *sa,
				 void *arg),
		   void *arg);

/* SADB satype <-> IPPROTO; 0 if none. */
u8 kame_satype_to_proto(u8 satype);
u8 kame_proto_to_satype(u8 proto);

/* SA objects allocated and not yet freed, all netns (leak checks). */
extern atomic_t kame_sa_objects;

int kame_sad_net_init(struct kame_net *kn);
void kame_sad_net_exit(struct kame_net *kn);
int kame_sad_init(void);
void kame_sad_exit(void);

/* Lifetime bookkeeping (lifetime.c). */
void kame_sad_timer_kick(struct kame_net *kn);
void kame_sad_expire_work(struct work_struct *work);
void kame_sad_timer_fn(struct work_struct *work);

#endif /* KAME_SAD_H */
