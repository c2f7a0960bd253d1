/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key managers: how the core tells whoever negotiates keys what happened.
 *
 * The core (SAD, SPD, lifetimes, the engine) never calls PF_KEY or any
 * other key-manager interface by name. A key manager fills a struct kame_km
 * and registers it; the core's events go to every registered manager, in
 * registration order:
 *
 *   event                      raised by                     context
 *   sa_expired (soft or hard)  lifetime.c, expiry worker     process
 *   sp_expired                 spd.c, policy lifetime work   process
 *   acquire                    engine output, no SA          softirq/any
 *   new_mapping                engine NAT-T input            softirq
 *
 * PF_KEY (kmod/pfkey/) is one such manager; another (the generic netlink
 * family, a second daemon interface) registers the same way and receives
 * the same events, ACQUIRE included, without a change to the core.
 *
 * Contract for a manager's ops:
 *  - Every op may be NULL (the manager does not care for that event).
 *  - sa_expired and sp_expired are called in process context with
 *    kame_km_mutex held: they may sleep (GFP_KERNEL) but must not register
 *    or unregister a manager. The SA or policy is referenced by the caller
 *    for the call's duration (the policy is already out of the SPD; a hard
 *    expired SA is already out of the SAD).
 *  - acquire and new_mapping are called under rcu_read_lock(), from the
 *    packet path (softirq) or from process context with BHs enabled: they
 *    must not sleep (GFP_ATOMIC) and must bound their work. ACQUIRE
 *    suppression (KAME's blockacq_count/blockacq_lifetime) and the sequence
 *    numbers are the core's (acquire.c): a manager's acquire is called only
 *    for a request the core decided to send, with the sequence number to
 *    send it with; it formats and delivers, nothing else.
 *  - An op gets the netns's struct kame_net (or the SA, whose ->kn it is);
 *    a manager keeps per-netns state of its own (net_generic), not in
 *    struct kame_net.
 *
 * Registration: the list of managers is changed under kame_km_mutex
 * (process context) and read under RCU by acquire/new_mapping. After
 * kame_km_unregister() returns no op of that manager runs or will run (it
 * waits for a grace period), so the manager may then free what its ops use.
 * A manager registers after the core is up (kame_netns_init()) and
 * unregisters before it goes: main.c starts PF_KEY last and stops it first.
 */
#ifndef KAME_KM_H
#define KAME_KM_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/xfrm.h>

struct kame_net;
struct kame_sa;
struct kame_policy;
struct kame_sp_req;

struct kame_km {
	const char *name;
	/* @sa hit its soft (@hard false) or hard lifetime. */
	void (*sa_expired)(struct kame_sa *sa, bool hard);
	/* @pol hit its hard lifetime and left the SPD. */
	void (*sp_expired)(struct kame_net *kn, struct kame_policy *pol);
	/*
	 * No SA for request @r of policy @pol (NULL: no policy, e.g. a socket
	 * policy's own) from @src to @dst (@family): ask for one under
	 * sequence number @seq, which GETSPI/UPDATE will carry back.
	 */
	void (*acquire)(struct kame_net *kn, u32 seq,
			const struct kame_policy *pol,
			const struct kame_sp_req *r, u16 family,
			const xfrm_address_t *src, const xfrm_address_t *dst);
	/*
	 * An authenticated packet of NAT-T SA @sa came from @addr, UDP port
	 * @port (network order) instead of the SA's source and natt_sport;
	 * @seq is a fresh number from the ACQUIRE space. Rate-limited by the
	 * engine (one a second per SA).
	 */
	void (*new_mapping)(struct kame_sa *sa, u32 seq,
			    const xfrm_address_t *addr, __be16 port);

	struct list_head list;	/* kame_km_list, owned by km.c */
};

/* Serialises registration and the process-context events. */
extern struct mutex kame_km_mutex;

/* Process context. */
void kame_km_register(struct kame_km *km);
void kame_km_unregister(struct kame_km *km);

/* ---- events, called by the core ---- */

/* Process context (may sleep); @sa referenced by the caller. */
void kame_km_sa_expired(struct kame_sa *sa, bool hard);
/* Process context (may sleep); @pol out of the SPD, referenced. */
void kame_km_sp_expired(struct kame_net *kn, struct kame_policy *pol);
/*
 * Ask the key managers for SAs for request @r of @pol (may be NULL) from
 * @src to @dst, with KAME's suppression: one ACQUIRE per
 * blockacq_count + 1 requests of a flow, for blockacq_lifetime s. Returns
 * the flow's acquire sequence number, or 0 when this request was
 * suppressed. Any context but hard irq.
 */
u32 kame_km_acquire(struct kame_net *kn, const struct kame_policy *pol,
		    const struct kame_sp_req *r, u16 family,
		    const xfrm_address_t *src, const xfrm_address_t *dst);
/* NAT-T SA @sa's peer now sends from @addr:@port. Any context but hard irq. */
void kame_km_new_mapping(struct kame_sa *sa, const xfrm_address_t *addr,
			 __be16 port);

/* ---- acquire.c: ACQUIRE suppression blocks and sequence numbers ---- */

/*
 * Per netns (struct kame_net.acq). lock (spinlock, taken with _bh: the
 * engine's output path checks blocks in softirq, key managers' handlers
 * end them in process context) protects list, count and seq.
 */
struct kame_acq {
	spinlock_t lock;
	struct list_head list;	/* blocks, oldest first */
	unsigned int count;
	u32 seq;		/* last sequence number handed out */
};

void kame_acquire_net_init(struct kame_net *kn);
void kame_acquire_net_exit(struct kame_net *kn);
/*
 * The sequence number to send this request with, or 0 when it is
 * suppressed (see kame_km_acquire()). Any context but hard irq.
 */
u32 kame_acquire_check(struct kame_net *kn, u16 family, u8 proto, u8 mode,
		       u32 reqid, const xfrm_address_t *src,
		       const xfrm_address_t *dst);
/* A fresh number of the ACQUIRE space (never 0). Any context but hard irq. */
u32 kame_acquire_next_seq(struct kame_net *kn);
/*
 * The key daemon gave up on acquire @seq: forget its block, so the next
 * packet asks again at once. Process context.
 */
void kame_acquire_reset(struct kame_net *kn, u32 seq);

/* Debug builds: check the suppression at load (0, or why not). */
#ifdef DEBUG
int kame_acquire_selftest(void);
#else
static inline int kame_acquire_selftest(void)
{
	return 0;
}
#endif

#endif
