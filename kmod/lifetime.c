// SPDX-License-Identifier: GPL-2.0
/*
 * SA lifetimes, RFC 2367 style: soft and hard limits on bytes, packets
 * (allocations), time since add and time since first use, each firing
 * SADB_EXPIRE (soft: MATURE -> DYING; hard: the SA is deleted). KAME only
 * ever enforces soft addtime/bytes and deletes unused SAs silently; the
 * RFC's safety wins here (see Documentation/pfkey-conformance.md).
 *
 * Byte and packet limits are checked where traffic is charged
 * (kame_sa_charge, any context); time limits and larval expiry by a 1 Hz
 * per-netns worker that only walks SAs having such limits (sad->timed).
 * Both hand SAs to process_expq(), which sends the messages.
 */
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "netns.h"
#include "sad.h"
#include "km.h"
#include "lifetime.h"

static void queue_expire(struct kame_sa *sa)
{
	struct kame_sad *sad = &sa->kn->sad;

	if (test_and_set_bit(KAME_SA_EXPQ, &sa->flags))
		return;
	kame_sa_hold(sa);
	llist_add(&sa->expq, &sad->expq);
	if (!READ_ONCE(sad->dying))
		queue_work(system_wq, &sad->expire_work);
}

bool kame_sa_charge(struct kame_sa *sa, unsigned int bytes)
{
	time64_t now;
	u64 b, p;

	if (unlikely(test_bit(KAME_SA_HARD, &sa->flags)))
		return false;
	b = atomic64_add_return(bytes, &sa->cur.bytes);
	p = atomic64_inc_return(&sa->cur.packets);
	if (unlikely(!READ_ONCE(sa->cur.use_ns))) {
		WRITE_ONCE(sa->cur.use_real, ktime_get_real_seconds());
		WRITE_ONCE(sa->cur.use_ns, max_t(u64, ktime_get_ns(), 1));
	}
	now = ktime_get_seconds();
	if (READ_ONCE(sa->cur.last_mono) != now)
		WRITE_ONCE(sa->cur.last_mono, now);
	if (unlikely((sa->hard.bytes && b > sa->hard.bytes) ||
		     (sa->hard.allocations && p > sa->hard.allocations))) {
		if (!test_and_set_bit(KAME_SA_HARD, &sa->flags))
			queue_expire(sa);
		return false;
	}
	if (unlikely((sa->soft.bytes && b >= sa->soft.bytes) ||
		     (sa->soft.allocations && p >= sa->soft.allocations)) &&
	    !test_and_set_bit(KAME_SA_SOFT, &sa->flags))
		queue_expire(sa);
	return true;
}

void kame_sa_expire_hard(struct kame_sa *sa)
{
	if (!test_and_set_bit(KAME_SA_HARD, &sa->flags))
		queue_expire(sa);
}

/* MATURE -> DYING, once; true if this call made the transition. */
static bool make_dying(struct kame_sad *sad, struct kame_sa *sa)
{
	bool done = false;

	spin_lock_bh(&sad->lock);
	if (sa->state == SADB_SASTATE_MATURE) {
		WRITE_ONCE(sa->state, SADB_SASTATE_DYING);
		done = true;
	}
	spin_unlock_bh(&sad->lock);
	return done;
}

static void process_expq(struct kame_net *kn)
{
	struct llist_node *batch = llist_reverse_order(llist_del_all(&kn->sad.expq));
	struct kame_sa *sa, *tmp;

	llist_for_each_entry_safe(sa, tmp, batch, expq) {
		bool larval = READ_ONCE(sa->state) == SADB_SASTATE_LARVAL;

		clear_bit(KAME_SA_EXPQ, &sa->flags);
		if (test_bit(KAME_SA_SOFT, &sa->flags) && make_dying(&kn->sad, sa))
			kame_km_sa_expired(sa, false);
		if (test_bit(KAME_SA_HARD, &sa->flags) && kame_sad_unlink(kn, sa) &&
		    !larval)
			kame_km_sa_expired(sa, true);
		kame_sa_put(sa);
		cond_resched();		/* a million SAs may expire together */
	}
}

void kame_sad_expire_work(struct work_struct *work)
{
	struct kame_sad *sad = container_of(work, struct kame_sad, expire_work);

	process_expq(container_of(sad, struct kame_net, sad));
}

void kame_sad_timer_kick(struct kame_net *kn)
{
	if (!READ_ONCE(kn->sad.dying))
		schedule_delayed_work(&kn->sad.timer, HZ);
}

struct timer_arg {
	u64 now;		/* ns, monotonic */
	u64 larval;		/* s */
};

/* One SA of the timed list, lock held: queue what has expired. */
static bool timer_visit(struct kame_sad *sad, struct kame_sa *sa, void *arg)
{
	const struct timer_arg *a = arg;
	u64 use = READ_ONCE(sa->cur.use_ns);

	lockdep_assert_held(&sad->lock);
	if (sa->state == SADB_SASTATE_LARVAL) {
		/* Larval expiry: deleted without a message. */
		if (kame_lifetime_past(a->now, sa->cur.add_ns, a->larval) &&
		    !test_and_set_bit(KAME_SA_HARD, &sa->flags))
			queue_expire(sa);
		return true;
	}
	if (kame_lifetime_past(a->now, sa->cur.add_ns, sa->hard.addtime) ||
	    kame_lifetime_past(a->now, use, sa->hard.usetime)) {
		if (!test_and_set_bit(KAME_SA_HARD, &sa->flags))
			queue_expire(sa);
	} else if (kame_lifetime_past(a->now, sa->cur.add_ns, sa->soft.addtime) ||
		   kame_lifetime_past(a->now, use, sa->soft.usetime)) {
		if (!test_and_set_bit(KAME_SA_SOFT, &sa->flags))
			queue_expire(sa);
	}
	return true;
}

void kame_sad_timer_fn(struct work_struct *work)
{
	struct kame_sad *sad = container_of(to_delayed_work(work),
					    struct kame_sad, timer);
	struct kame_net *kn = container_of(sad, struct kame_net, sad);
	struct timer_arg a = {
		.now = ktime_get_ns(),
		.larval = READ_ONCE(kn->key.larval_lifetime),
	};
	bool again;

	/* Every SA with time limits, in batches (see kame_sad_walk()). */
	kame_sad_walk(sad, true, timer_visit, &a);

	process_expq(kn);

	spin_lock_bh(&sad->lock);
	again = !list_empty(&sad->timed) && !sad->dying;
	spin_unlock_bh(&sad->lock);
	if (again)
		schedule_delayed_work(&sad->timer, HZ);
}
