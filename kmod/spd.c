// SPDX-License-Identifier: GPL-2.0
/*
 * The SPD's storage: policies, their ids, the ordered per-direction lists
 * (what SPDDUMP shows), the lookup index and its group array, and policy
 * lifetimes (SADB_X_SPDEXPIRE).
 */
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/ktime.h>

#include "netns.h"
#include "spd.h"
#include "spd_internal.h"
#include "km.h"
#include "lifetime.h"

static const struct rhashtable_params id_params = {
	.head_offset = offsetof(struct kame_policy, by_id),
	.key_offset = offsetof(struct kame_policy, id),
	.key_len = sizeof(u32),
	.automatic_shrinking = true,
};

atomic_t kame_policy_objects = ATOMIC_INIT(0);

/*
 * Policies have their own cache: at 544 bytes a kzalloc() would round each
 * one up to kmalloc-1k (100,000 policies: 100 MB instead of about 55 MB).
 */
static struct kmem_cache *policy_cache;

int kame_spd_cache_init(void)
{
	/* SLAB_ACCOUNT: charged to the memory cgroup of the PF_KEY writer. */
	policy_cache = KMEM_CACHE(kame_policy, SLAB_ACCOUNT);
	return policy_cache ? 0 : -ENOMEM;
}

/* After the last policy's RCU callback has run (caller: rcu_barrier()). */
void kame_spd_cache_exit(void)
{
	kmem_cache_destroy(policy_cache);
}

struct kame_policy *kame_policy_alloc(gfp_t gfp)
{
	struct kame_policy *pol = kmem_cache_zalloc(policy_cache, gfp);

	if (!pol)
		return NULL;
	atomic_inc(&kame_policy_objects);
	refcount_set(&pol->refcnt, 1);
	INIT_LIST_HEAD(&pol->list);
	INIT_LIST_HEAD(&pol->timed);
	pol->add_real = ktime_get_real_seconds();
	pol->add_mono = ktime_get_seconds();
	pol->add_ns = ktime_get_ns();
	return pol;
}

void kame_policy_free_unpublished(struct kame_policy *pol)
{
	kmem_cache_free(policy_cache, pol);
	atomic_dec(&kame_policy_objects);
}

static void policy_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(policy_cache, container_of(head, struct kame_policy, rcu));
	atomic_dec(&kame_policy_objects);
}

void kame_policy_put(struct kame_policy *pol)
{
	if (pol && refcount_dec_and_test(&pol->refcnt))
		call_rcu(&pol->rcu, policy_free_rcu);
}

void kame_policy_touch(struct kame_policy *pol)
{
	time64_t now = ktime_get_seconds();

	atomic64_inc(&pol->hits);
	if (READ_ONCE(pol->last_use_mono) != now)
		WRITE_ONCE(pol->last_use_mono, now);
}

/*
 * The group array changes only when a (dir, family, prefix lengths)
 * combination appears or disappears: copy, modify, publish, free late.
 */
static int groups_update(struct kame_spd *spd, const struct kame_policy *pol,
			 int delta)
{
	struct kame_spd_groups *old, *new;
	unsigned int i, n;

	old = rcu_dereference_protected(spd->groups, lockdep_is_held(&spd->lock));
	n = old ? old->n : 0;
	for (i = 0; i < n; i++) {
		struct kame_spd_group *g = &old->g[i];

		if (g->dir == pol->dir && g->family == pol->sel.family &&
		    g->sprefix == pol->sel.sprefix &&
		    g->dprefix == pol->sel.dprefix &&
		    g->wild == pol->key.wild)
			break;
	}
	if (i < n && (delta > 0 || old->g[i].count > 1)) {
		old->g[i].count += delta;	/* readers ignore count */
		return 0;
	}
	if (i == n && delta < 0)
		return 0;

	/* Shrinking is not charged: it must not fail at a cgroup's limit. */
	new = kmalloc(struct_size(new, g, n + 1),
		      delta > 0 ? KAME_GFP_USER : GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	if (delta > 0) {
		if (n)
			memcpy(new->g, old->g, n * sizeof(new->g[0]));
		new->g[n] = (struct kame_spd_group) {
			.dir = pol->dir, .family = pol->sel.family,
			.sprefix = pol->sel.sprefix, .dprefix = pol->sel.dprefix,
			.wild = pol->key.wild, .count = 1,
		};
		new->n = n + 1;
	} else {
		memcpy(new->g, old->g, i * sizeof(new->g[0]));
		memcpy(new->g + i, old->g + i + 1, (n - i - 1) * sizeof(new->g[0]));
		new->n = n - 1;
	}
	rcu_assign_pointer(spd->groups, new);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static bool same_selector(const struct kame_selector *a,
			  const struct kame_selector *b)
{
	return a->family == b->family && a->sprefix == b->sprefix &&
	       a->dprefix == b->dprefix && a->ulproto == b->ulproto &&
	       a->sport == b->sport && a->dport == b->dport &&
	       !memcmp(&a->saddr, &b->saddr, sizeof(a->saddr)) &&
	       !memcmp(&a->daddr, &b->daddr, sizeof(a->daddr));
}

struct kame_policy *kame_spd_find_sel(struct kame_net *kn, u8 dir,
				      const struct kame_selector *sel)
{
	struct kame_policy *pol, *found = NULL;
	struct rhlist_head *list, *pos;
	struct kame_spd_key key;

	lockdep_assert_held(&kn->spd.lock);
	kame_spd_key_init(&key, dir, sel, sel->sprefix, sel->dprefix,
			  kame_spd_wild(sel));
	rcu_read_lock();
	list = rhltable_lookup(&kn->spd.key_ht, &key, kame_spd_key_params);
	rhl_for_each_entry_rcu(pol, pos, list, by_key) {
		if (same_selector(&pol->sel, sel)) {
			found = pol;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

struct kame_policy *kame_spd_find_id_rcu(struct kame_net *kn, u32 id)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "kame_spd_find_id_rcu without RCU");
	return rhashtable_lookup(&kn->spd.id_ht, &id, id_params);
}

struct kame_policy *kame_spd_find_id(struct kame_net *kn, u32 id)
{
	struct kame_policy *pol;

	lockdep_assert_held(&kn->spd.lock);
	rcu_read_lock();
	pol = rhashtable_lookup(&kn->spd.id_ht, &id, id_params);
	rcu_read_unlock();
	return pol;
}

/* Linux-compatible ids: (n << 3) | xfrm direction (0 in, 1 out, 2 fwd). */
static int assign_id(struct kame_net *kn, struct kame_policy *pol)
{
	struct kame_spd *spd = &kn->spd;
	int tries = max(READ_ONCE(kn->key.spi_trycnt), 1);

	while (tries--) {
		u32 id;

		spd->next_id = (spd->next_id + 1) & 0x1fffffff;
		if (!spd->next_id)
			spd->next_id = 1;
		id = spd->next_id << 3 | (pol->dir - 1);
		if (!kame_spd_find_id(kn, id)) {
			pol->id = id;
			return 0;
		}
	}
	return -ENOBUFS;
}

u32 kame_spd_new_reqid(struct kame_net *kn)
{
	atomic_t *next = &kn->spd.next_reqid;
	int last = atomic_read(next), id;

	do {
		id = last < KAME_REQID_AUTO_MIN || last >= KAME_REQID_AUTO_MAX ?
		     KAME_REQID_AUTO_MIN : last + 1;
	} while (!atomic_try_cmpxchg(next, &last, id));
	return id;
}

static void list_insert_ordered(struct list_head *head, struct kame_policy *pol)
{
	struct kame_policy *p;

	/* From the tail: equal priorities append in O(1). */
	list_for_each_entry_reverse(p, head, list) {
		if (!kame_policy_before(pol, p)) {
			list_add_rcu(&pol->list, &p->list);
			return;
		}
	}
	list_add_rcu(&pol->list, head);
}

static bool has_lifetime(const struct kame_policy *pol)
{
	return pol->hard.addtime || pol->hard.usetime;
}

int kame_spd_insert(struct kame_net *kn, struct kame_policy *pol,
		    bool replace, struct kame_policy **old)
{
	struct kame_spd *spd = &kn->spd;
	struct kame_policy *cur;
	int err;

	lockdep_assert_held(&spd->lock);
	if (old)
		*old = NULL;
	if (pol->dir < IPSEC_DIR_INBOUND || pol->dir > IPSEC_DIR_FWD)
		return -EINVAL;
	cur = kame_spd_find_sel(kn, pol->dir, &pol->sel);
	if (cur && !replace)
		return -EEXIST;
	if (!cur && spd->count >= (unsigned int)READ_ONCE(kn->key.max_policies))
		return -ENOBUFS;
	err = assign_id(kn, pol);
	if (err)
		return err;
	kame_spd_key_init(&pol->key, pol->dir, &pol->sel, pol->sel.sprefix,
			  pol->sel.dprefix, kame_spd_wild(&pol->sel));
	err = groups_update(spd, pol, 1);
	if (err)
		return err;
	err = rhashtable_insert_fast(&spd->id_ht, &pol->by_id, id_params);
	if (err)
		goto err_groups;
	err = rhltable_insert(&spd->key_ht, &pol->by_key, kame_spd_key_params);
	if (err)
		goto err_id;
	pol->order = ++spd->next_order;
	list_insert_ordered(&spd->dir[pol->dir], pol);
	if (has_lifetime(pol))
		list_add_tail(&pol->timed, &spd->timed);
	spd->count++;
	if (cur) {
		kame_policy_hold(cur);
		kame_spd_unlink(kn, cur);
		if (old)
			*old = cur;
		else
			kame_policy_put(cur);
	}
	if (has_lifetime(pol))
		kame_spd_timer_kick(kn);
	return 0;

err_id:
	rhashtable_remove_fast(&spd->id_ht, &pol->by_id, id_params);
err_groups:
	groups_update(spd, pol, -1);
	return err;
}

void kame_spd_unlink(struct kame_net *kn, struct kame_policy *pol)
{
	struct kame_spd *spd = &kn->spd;

	lockdep_assert_held(&spd->lock);
	if (pol->dead)
		return;
	WRITE_ONCE(pol->dead, true);
	rhltable_remove(&spd->key_ht, &pol->by_key, kame_spd_key_params);
	rhashtable_remove_fast(&spd->id_ht, &pol->by_id, id_params);
	list_del_rcu(&pol->list);
	list_del_init(&pol->timed);
	/* Cannot fail when shrinking but for memory: then a stale group stays. */
	groups_update(spd, pol, -1);
	spd->count--;
	kame_policy_put(pol);
}

unsigned int kame_spd_flush(struct kame_net *kn)
{
	struct kame_spd *spd = &kn->spd;
	struct kame_policy *pol, *tmp;
	unsigned int d, n = 0;

	lockdep_assert_held(&spd->lock);
	for (d = IPSEC_DIR_INBOUND; d <= IPSEC_DIR_FWD; d++) {
		list_for_each_entry_safe(pol, tmp, &spd->dir[d], list) {
			kame_spd_unlink(kn, pol);
			n++;
			/* The mutex keeps writers out; readers use RCU. */
			cond_resched();
		}
	}
	return n;
}

void kame_spd_timer_kick(struct kame_net *kn)
{
	if (!READ_ONCE(kn->spd.dying))
		schedule_delayed_work(&kn->spd.timer, HZ);
}

/* KAME: lifetime = HARD addtime, validtime = HARD usetime (idle time). */
static void spd_timer_fn(struct work_struct *work)
{
	struct kame_spd *spd = container_of(to_delayed_work(work),
					    struct kame_spd, timer);
	struct kame_net *kn = container_of(spd, struct kame_net, spd);
	u64 now = ktime_get_ns();
	struct kame_policy *pol, *tmp;
	LIST_HEAD(expired);
	bool again;

	mutex_lock(&spd->lock);
	list_for_each_entry_safe(pol, tmp, &spd->timed, timed) {
		time64_t used = READ_ONCE(pol->last_use_mono);
		/*
		 * The last use is kept in whole seconds (one write a second on
		 * the packet path): idle time counts from the end of that
		 * second, so validtime is never cut short either.
		 */
		u64 idle_since = used ? (u64)(used + 1) * NSEC_PER_SEC :
					pol->add_ns;

		if (kame_lifetime_past(now, pol->add_ns, pol->hard.addtime) ||
		    kame_lifetime_past(now, idle_since, pol->hard.usetime)) {
			kame_policy_hold(pol);
			kame_spd_unlink(kn, pol);
			list_add_tail(&pol->timed, &expired);
		}
		cond_resched();
	}
	again = !list_empty(&spd->timed) && !spd->dying;
	mutex_unlock(&spd->lock);

	list_for_each_entry_safe(pol, tmp, &expired, timed) {
		list_del_init(&pol->timed);
		kame_km_sp_expired(kn, pol);
		kame_policy_put(pol);
		cond_resched();
	}
	if (again)
		schedule_delayed_work(&spd->timer, HZ);
}

int kame_spd_net_init(struct kame_net *kn)
{
	struct kame_spd *spd = &kn->spd;
	unsigned int d;
	int err;

	mutex_init(&spd->lock);
	for (d = 0; d < ARRAY_SIZE(spd->dir); d++)
		INIT_LIST_HEAD(&spd->dir[d]);
	INIT_LIST_HEAD(&spd->timed);
	INIT_DELAYED_WORK(&spd->timer, spd_timer_fn);
	RCU_INIT_POINTER(spd->groups, NULL);
	atomic_set(&spd->next_reqid, 0);
	err = rhltable_init(&spd->key_ht, &kame_spd_key_params);
	if (err)
		return err;
	err = rhashtable_init(&spd->id_ht, &id_params);
	if (err) {
		rhltable_destroy(&spd->key_ht);
		return err;
	}
	/* As the replay window's: a failed self-test fails the module's load. */
	if (net_eq(kn->net, &init_net)) {
		err = kame_spd_selftest(kn);
		if (err) {
			kame_spd_net_exit(kn);
			return err;
		}
	}
	return 0;
}

/* Teardown: stop the timer (it touches the SPD), flush, free the index. */
void kame_spd_net_exit(struct kame_net *kn)
{
	struct kame_spd *spd = &kn->spd;
	struct kame_spd_groups *groups;

	mutex_lock(&spd->lock);
	spd->dying = true;
	mutex_unlock(&spd->lock);
	cancel_delayed_work_sync(&spd->timer);
	mutex_lock(&spd->lock);
	kame_spd_flush(kn);
	groups = rcu_dereference_protected(spd->groups,
					   lockdep_is_held(&spd->lock));
	RCU_INIT_POINTER(spd->groups, NULL);
	mutex_unlock(&spd->lock);
	if (groups)
		kfree_rcu(groups, rcu);
	rhltable_destroy(&spd->key_ht);
	rhashtable_destroy(&spd->id_ht);
}
