// SPDX-License-Identifier: GPL-2.0
/*
 * The SAD: SA objects, their two indices and their life cycle. Input
 * lookups go through (daddr, spi, proto), output lookups through
 * (saddr, daddr, proto); both are rhashtables read under RCU, so no lookup
 * ever walks more than the SAs of one address pair.
 */
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/ktime.h>
#include <linux/in.h>

#include "netns.h"
#include "sad.h"
#include "spd.h"

static const struct rhashtable_params spi_params = {
	.head_offset = offsetof(struct kame_sa, by_spi),
	.key_offset = offsetof(struct kame_sa, spikey),
	.key_len = sizeof(struct kame_sa_spikey),
	.automatic_shrinking = true,
};

static const struct rhashtable_params sah_params = {
	.head_offset = offsetof(struct kame_sah, node),
	.key_offset = offsetof(struct kame_sah, key),
	.key_len = sizeof(struct kame_sa_addrkey),
	.automatic_shrinking = true,
};

static struct kmem_cache *sa_cache;
atomic_t kame_sa_objects = ATOMIC_INIT(0);
static const struct kame_sa_xform_ops *xform_ops;

/*
 * Freeing: the last kame_sa_put() puts the SA on gc_list; gc_work waits
 * for an RCU grace period (lookups may still be looking at it) and frees
 * the batch in process context, where the engine may free crypto tfms.
 */
static LLIST_HEAD(gc_list);
static void gc_fn(struct work_struct *work);
static DECLARE_WORK(gc_work, gc_fn);

void kame_sad_set_xform_ops(const struct kame_sa_xform_ops *ops)
{
	WRITE_ONCE(xform_ops, ops);
}

u64 kame_sa_seq_retire(struct kame_sa *sa)
{
	const struct kame_sa_xform_ops *ops = READ_ONCE(xform_ops);

	return sa->xform && ops && ops->seq_retire ? ops->seq_retire(sa) : 0;
}

void kame_sa_seq_restore(struct kame_sa *sa, u64 last)
{
	const struct kame_sa_xform_ops *ops = READ_ONCE(xform_ops);

	if (sa->xform && ops && ops->seq_restore)
		ops->seq_restore(sa, last);
}

u8 kame_satype_to_proto(u8 satype)
{
	switch (satype) {
	case SADB_SATYPE_AH:
		return IPPROTO_AH;
	case SADB_SATYPE_ESP:
		return IPPROTO_ESP;
	case SADB_X_SATYPE_IPCOMP:
		return IPPROTO_COMP;
	default:
		return 0;
	}
}

u8 kame_proto_to_satype(u8 proto)
{
	switch (proto) {
	case IPPROTO_AH:
		return SADB_SATYPE_AH;
	case IPPROTO_ESP:
		return SADB_SATYPE_ESP;
	case IPPROTO_COMP:
		return SADB_X_SATYPE_IPCOMP;
	default:
		return 0;
	}
}

struct kame_sa *kame_sa_alloc(struct kame_net *kn, gfp_t gfp)
{
	struct kame_sa *sa = kmem_cache_zalloc(sa_cache, gfp);

	if (!sa)
		return NULL;
	atomic_inc(&kame_sa_objects);
	refcount_set(&sa->refcnt, 1);
	sa->kn = kn;
	INIT_LIST_HEAD(&sa->all);
	INIT_LIST_HEAD(&sa->timed);
	atomic64_set(&sa->cur.bytes, 0);
	atomic64_set(&sa->cur.packets, 0);
	sa->cur.add_real = ktime_get_real_seconds();
	sa->cur.add_ns = ktime_get_ns();
	return sa;
}

static void sa_destroy(struct kame_sa *sa)
{
	const struct kame_sa_xform_ops *ops = READ_ONCE(xform_ops);

	if (sa->xform && ops && ops->destroy)
		ops->destroy(sa);
	kfree_sensitive(sa->key_auth);
	kfree_sensitive(sa->key_enc);
	kfree(sa->ident_src);
	kfree(sa->ident_dst);
	/* No key byte may survive in freed memory, even the struct's copy. */
	memzero_explicit(sa, sizeof(*sa));
	kmem_cache_free(sa_cache, sa);
	atomic_dec(&kame_sa_objects);
}

void kame_sa_free_unpublished(struct kame_sa *sa)
{
	sa_destroy(sa);
}

static void gc_fn(struct work_struct *work)
{
	struct llist_node *batch = llist_del_all(&gc_list);
	struct kame_sa *sa, *tmp;

	if (!batch)
		return;
	synchronize_rcu();
	llist_for_each_entry_safe(sa, tmp, batch, gc) {
		sa_destroy(sa);
		cond_resched();		/* a FLUSH may free a million */
	}
}

void kame_sa_put(struct kame_sa *sa)
{
	if (sa && refcount_dec_and_test(&sa->refcnt)) {
		llist_add(&sa->gc, &gc_list);
		schedule_work(&gc_work);
	}
}

void kame_sa_set_keys(struct kame_sa *sa)
{
	memset(&sa->spikey, 0, sizeof(sa->spikey));
	sa->spikey.daddr = sa->daddr;
	sa->spikey.spi = sa->spi;
	sa->spikey.family = sa->family;
	sa->spikey.proto = sa->proto;
	memset(&sa->addrkey, 0, sizeof(sa->addrkey));
	sa->addrkey.saddr = sa->saddr;
	sa->addrkey.daddr = sa->daddr;
	sa->addrkey.family = sa->family;
	sa->addrkey.proto = sa->proto;
}

static bool sa_has_time_limits(const struct kame_sa *sa)
{
	return sa->state == SADB_SASTATE_LARVAL ||
	       sa->hard.addtime || sa->hard.usetime ||
	       sa->soft.addtime || sa->soft.usetime;
}

/*
 * The head for @sa's address pair, created (empty, so invisible to output
 * lookups) if needed; lock held. The only step of linking that can fail:
 * done before the SA is published anywhere.
 */
static struct kame_sah *sah_get(struct kame_sad *sad, struct kame_sa *sa)
{
	struct kame_sah *sah;
	int err;

	lockdep_assert_held(&sad->lock);
	sah = rhashtable_lookup_fast(&sad->sah_ht, &sa->addrkey, sah_params);
	if (sah)
		return sah;
	sah = kzalloc(sizeof(*sah), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!sah)
		return ERR_PTR(-ENOMEM);
	sah->key = sa->addrkey;
	INIT_HLIST_HEAD(&sah->sas);
	err = rhashtable_insert_fast(&sad->sah_ht, &sah->node, sah_params);
	if (err) {
		kfree(sah);
		return ERR_PTR(err);
	}
	return sah;
}

/* Drop a head sah_get() created if nothing joined it; lock held. */
static void sah_put_empty(struct kame_sad *sad, struct kame_sah *sah)
{
	lockdep_assert_held(&sad->lock);
	if (!sah->count) {
		rhashtable_remove_fast(&sad->sah_ht, &sah->node, sah_params);
		kfree_rcu(sah, rcu);
	}
}

/* Put @sa on @sah (cannot fail); lock held. */
static void pair_link(struct kame_sad *sad, struct kame_sah *sah,
		      struct kame_sa *sa)
{
	lockdep_assert_held(&sad->lock);
	hlist_add_head_rcu(&sa->by_pair, &sah->sas);
	sah->count++;
	sa->sah = sah;
}

/* Take @sa off its head, freeing the head with its last SA; lock held. */
static void pair_unlink(struct kame_sad *sad, struct kame_sa *sa)
{
	struct kame_sah *sah = sa->sah;

	lockdep_assert_held(&sad->lock);
	hlist_del_init_rcu(&sa->by_pair);
	if (!--sah->count) {
		rhashtable_remove_fast(&sad->sah_ht, &sah->node, sah_params);
		kfree_rcu(sah, rcu);
	}
}

/* Count @sa in (@d 1) or out of (@d -1) the NAT-T port buckets; lock held. */
static void natt_count(struct kame_sad *sad, const struct kame_sa *sa, int d)
{
	unsigned int *n;

	lockdep_assert_held(&sad->lock);
	if (!sa->natt_type)
		return;
	n = &sad->natt_ports[kame_natt_bucket(sa->natt_dport)];
	WRITE_ONCE(*n, *n + d);
}

/*
 * Indices and lists for a new SA; caller holds the lock. Whatever can fail
 * comes before the SA is visible to lookups: a lookup may take a reference
 * at once, so a published SA must never be freed on an error path.
 */
static int link_sa(struct kame_sad *sad, struct kame_sa *sa)
{
	struct kame_sah *sah;
	int err;

	lockdep_assert_held(&sad->lock);
	sah = sah_get(sad, sa);
	if (IS_ERR(sah))
		return PTR_ERR(sah);
	err = rhashtable_lookup_insert_fast(&sad->spi_ht, &sa->by_spi,
					    spi_params);
	if (err) {
		sah_put_empty(sad, sah);
		return err;
	}
	pair_link(sad, sah, sa);
	sa->order = ++sad->next_order;
	list_add_tail(&sa->all, &sad->all);
	if (sa_has_time_limits(sa))
		list_add_tail(&sa->timed, &sad->timed);
	sad->count++;
	natt_count(sad, sa, 1);
	return 0;
}

/* Out of every index and list, DEAD; lock held. The SAD's reference stays. */
static void unlink_sa(struct kame_sad *sad, struct kame_sa *sa)
{
	lockdep_assert_held(&sad->lock);
	rhashtable_remove_fast(&sad->spi_ht, &sa->by_spi, spi_params);
	pair_unlink(sad, sa);
	list_del_init(&sa->all);
	list_del_init(&sa->timed);
	sad->count--;
	natt_count(sad, sa, -1);
	WRITE_ONCE(sa->state, SADB_SASTATE_DEAD);
}

static int xform_init(struct kame_sa *sa)
{
	const struct kame_sa_xform_ops *ops = READ_ONCE(xform_ops);

	if (sa->state != SADB_SASTATE_MATURE || !ops || !ops->init)
		return 0;
	return ops->init(sa);
}

int kame_sad_insert(struct kame_net *kn, struct kame_sa *sa)
{
	struct kame_sad *sad = &kn->sad;
	int err;

	kame_sa_set_keys(sa);
	err = xform_init(sa);
	if (err)
		return err;
	spin_lock_bh(&sad->lock);
	if (sad->dying)
		err = -ENOENT;
	else if (sad->count >= (unsigned int)READ_ONCE(kn->key.max_sas))
		err = -ENOBUFS;
	else
		err = link_sa(sad, sa);
	spin_unlock_bh(&sad->lock);
	if (!err)
		kame_sad_timer_kick(kn);
	return err;
}

int kame_sad_replace(struct kame_net *kn, struct kame_sa *old,
		     struct kame_sa *new)
{
	struct kame_sad *sad = &kn->sad;
	bool old_gone = false;
	struct kame_sah *sah;
	int err;

	kame_sa_set_keys(new);
	if (memcmp(&old->spikey, &new->spikey, sizeof(new->spikey)))
		return -EINVAL;
	err = xform_init(new);
	if (err)
		return err;
	spin_lock_bh(&sad->lock);
	if (old->state == SADB_SASTATE_DEAD) {
		err = -ENOENT;
		goto unlock;
	}
	/* As in link_sa(): nothing may fail once @new is visible. */
	sah = sah_get(sad, new);
	if (IS_ERR(sah)) {
		err = PTR_ERR(sah);
		goto unlock;
	}
	/* Readers see either the old or the new SA, never neither. */
	err = rhashtable_replace_fast(&sad->spi_ht, &old->by_spi, &new->by_spi,
				      spi_params);
	if (err) {
		sah_put_empty(sad, sah);
		goto unlock;
	}
	/* The new SA joins the head first: it never goes empty. */
	pair_link(sad, sah, new);
	pair_unlink(sad, old);
	natt_count(sad, new, 1);
	natt_count(sad, old, -1);
	list_del_init(&old->all);
	list_del_init(&old->timed);
	WRITE_ONCE(old->state, SADB_SASTATE_DEAD);
	old_gone = true;
	new->order = ++sad->next_order;
	list_add_tail(&new->all, &sad->all);
	if (sa_has_time_limits(new))
		list_add_tail(&new->timed, &sad->timed);
unlock:
	spin_unlock_bh(&sad->lock);
	if (old_gone)
		kame_sa_put(old);	/* the SAD's reference */
	if (err)
		return err;
	kame_sad_timer_kick(kn);
	return 0;
}

bool kame_sad_unlink(struct kame_net *kn, struct kame_sa *sa)
{
	struct kame_sad *sad = &kn->sad;
	bool done = false;

	spin_lock_bh(&sad->lock);
	if (sa->state != SADB_SASTATE_DEAD) {
		unlink_sa(sad, sa);
		done = true;
	}
	spin_unlock_bh(&sad->lock);
	if (done)
		kame_sa_put(sa);
	return done;
}

/* Copy an address of @family, zeroing what the family does not use. */
static void addr_copy(xfrm_address_t *to, const xfrm_address_t *from,
		      u16 family)
{
	memset(to, 0, sizeof(*to));
	if (family == AF_INET)
		to->a4 = from->a4;
	else
		*to = *from;
}

static void spikey_init(struct kame_sa_spikey *k, u16 family,
			const xfrm_address_t *daddr, __be32 spi, u8 proto)
{
	memset(k, 0, sizeof(*k));
	addr_copy(&k->daddr, daddr, family);
	k->spi = spi;
	k->family = family;
	k->proto = proto;
}

static void addrkey_init(struct kame_sa_addrkey *k, u16 family,
			 const xfrm_address_t *saddr,
			 const xfrm_address_t *daddr, u8 proto)
{
	memset(k, 0, sizeof(*k));
	addr_copy(&k->saddr, saddr, family);
	addr_copy(&k->daddr, daddr, family);
	k->family = family;
	k->proto = proto;
}

struct kame_sa *kame_sa_lookup_in(struct kame_net *kn, u16 family,
				  const xfrm_address_t *daddr, __be32 spi,
				  u8 proto)
{
	struct kame_sa_spikey key;
	struct kame_sa *sa;

	spikey_init(&key, family, daddr, spi, proto);
	sa = rhashtable_lookup(&kn->sad.spi_ht, &key, spi_params);
	if (!sa || !kame_sa_usable(sa) || !refcount_inc_not_zero(&sa->refcnt))
		return NULL;
	return sa;
}

static bool better_sa(const struct kame_sa *cand, const struct kame_sa *best,
		      bool prefer_old)
{
	u8 cs = READ_ONCE(cand->state), bs;

	if (!best)
		return true;
	bs = READ_ONCE(best->state);
	if (prefer_old) {
		/* Oldest DYING first, then oldest MATURE. */
		if (cs != bs)
			return cs == SADB_SASTATE_DYING;
		return cand->order < best->order;
	}
	/* Newest MATURE first, then newest DYING. */
	if (cs != bs)
		return cs == SADB_SASTATE_MATURE;
	return cand->order > best->order;
}

struct kame_sa *kame_sa_lookup_out(struct kame_net *kn, u16 family,
				   const xfrm_address_t *saddr,
				   const xfrm_address_t *daddr, u8 proto,
				   u8 mode, u32 reqid)
{
	bool prefer_old = READ_ONCE(kn->key.preferred_oldsa);
	struct kame_sa *sa, *best = NULL;
	struct kame_sa_addrkey key;
	struct kame_sah *sah;

	addrkey_init(&key, family, saddr, daddr, proto);
	sah = rhashtable_lookup(&kn->sad.sah_ht, &key, sah_params);
	if (!sah)
		return NULL;
	hlist_for_each_entry_rcu(sa, &sah->sas, by_pair) {
		if (!kame_sa_usable(sa))
			continue;
		if (mode != IPSEC_MODE_ANY && sa->mode != IPSEC_MODE_ANY &&
		    sa->mode != mode)
			continue;
		if (reqid && sa->reqid != reqid)
			continue;
		if (better_sa(sa, best, prefer_old))
			best = sa;
	}
	if (best && !refcount_inc_not_zero(&best->refcnt))
		best = NULL;
	return best;
}

struct kame_sa *kame_sad_find_spi(struct kame_net *kn, u16 family,
				  const xfrm_address_t *daddr, __be32 spi,
				  u8 proto)
{
	struct kame_sa_spikey key;
	struct kame_sa *sa;

	spikey_init(&key, family, daddr, spi, proto);
	rcu_read_lock();
	sa = rhashtable_lookup(&kn->sad.spi_ht, &key, spi_params);
	if (sa && !refcount_inc_not_zero(&sa->refcnt))
		sa = NULL;
	rcu_read_unlock();
	return sa;
}

static struct kame_sah *sah_lookup(struct kame_sad *sad,
				   const struct kame_sa_addrkey *key)
{
	return rhashtable_lookup(&sad->sah_ht, key, sah_params);
}

int kame_sad_collect_pair(struct kame_net *kn, u16 family,
			  const xfrm_address_t *saddr,
			  const xfrm_address_t *daddr, u8 proto,
			  struct kame_sa ***out)
{
	struct kame_sad *sad = &kn->sad;
	struct kame_sa_addrkey key;
	struct kame_sa *sa, **v;
	struct kame_sah *sah;
	unsigned int n = 0, cap;

	*out = NULL;
	addrkey_init(&key, family, saddr, daddr, proto);
	rcu_read_lock();
	sah = sah_lookup(sad, &key);
	cap = sah ? READ_ONCE(sah->count) : 0;
	rcu_read_unlock();
	if (!cap)
		return 0;
	/* Sized outside any lock (may sleep); SAs added meanwhile are left out. */
	v = kvmalloc_array(cap, sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	/*
	 * One address pair may hold up to net.key.max_sas SAs: walk its chain
	 * under RCU, not under the writers' BH lock (RCU-safe writers).
	 */
	rcu_read_lock();
	sah = sah_lookup(sad, &key);
	if (sah) {
		hlist_for_each_entry_rcu(sa, &sah->sas, by_pair) {
			if (n == cap)
				break;
			if (refcount_inc_not_zero(&sa->refcnt))
				v[n++] = sa;
		}
	}
	rcu_read_unlock();
	*out = v;
	return n;
}

static struct list_head *walk_node(struct kame_sa *sa, bool timed)
{
	return timed ? &sa->timed : &sa->all;
}

static struct kame_sa *walk_sa(struct list_head *node, bool timed)
{
	return timed ? list_entry(node, struct kame_sa, timed) :
		       list_entry(node, struct kame_sa, all);
}

/*
 * Between two holds of the lock the walk keeps a reference on the SA it
 * will start from. If a writer unlinked that SA meanwhile (DEAD: on no list
 * of ours), the walk starts again from the head and skips the orders it has
 * seen: the lists are in ascending order, so nothing is visited twice.
 */
void kame_sad_walk(struct kame_sad *sad, bool timed,
		   bool (*visit)(struct kame_sad *sad, struct kame_sa *sa,
				 void *arg),
		   void *arg)
{
	struct list_head *head = timed ? &sad->timed : &sad->all;
	struct kame_sa *resume = NULL, *next;
	u64 from = 0;		/* lowest order not visited yet */
	bool more = true;

	while (more) {
		struct list_head *pos;
		unsigned int n;

		next = NULL;
		spin_lock_bh(&sad->lock);
		pos = resume && READ_ONCE(resume->state) != SADB_SASTATE_DEAD ?
		      walk_node(resume, timed) : head->next;
		for (n = 0; pos != head; n++) {
			struct kame_sa *sa = walk_sa(pos, timed);

			if (n == KAME_SAD_BATCH) {
				kame_sa_hold(sa);
				next = sa;
				break;
			}
			pos = pos->next;	/* @visit may unlink @sa */
			if (sa->order < from)
				continue;
			from = sa->order + 1;
			if (!visit(sad, sa, arg))
				break;
		}
		spin_unlock_bh(&sad->lock);
		kame_sa_put(resume);
		resume = next;
		more = next != NULL;
		cond_resched();
	}
}

struct larval_arg {
	u32 seq;
	struct kame_sa *found;
};

static bool larval_visit(struct kame_sad *sad, struct kame_sa *sa, void *arg)
{
	struct larval_arg *a = arg;

	if (sa->state != SADB_SASTATE_LARVAL || sa->seq != a->seq)
		return true;
	kame_sa_hold(sa);
	a->found = sa;
	return false;
}

struct kame_sa *kame_sad_find_larval_seq(struct kame_net *kn, u32 seq)
{
	struct larval_arg a = { .seq = seq };

	/* Larval SAs are on the timed list, with every SA that has time limits. */
	kame_sad_walk(&kn->sad, true, larval_visit, &a);
	return a.found;
}

struct snapshot_arg {
	u8 proto;
	unsigned int n, cap;
	struct kame_sa **v;
};

static bool snapshot_visit(struct kame_sad *sad, struct kame_sa *sa, void *arg)
{
	struct snapshot_arg *a = arg;

	if (a->n == a->cap)
		return false;
	if (!a->proto || sa->proto == a->proto) {
		kame_sa_hold(sa);
		a->v[a->n++] = sa;
	}
	return true;
}

int kame_sad_snapshot(struct kame_net *kn, u8 proto, struct kame_sa ***out)
{
	struct snapshot_arg a = { .proto = proto };

	*out = NULL;
	a.cap = READ_ONCE(kn->sad.count);
	if (!a.cap)
		return 0;
	/* Sized before locking (may sleep); SAs beyond it are left out. */
	a.v = kvmalloc_array(a.cap, sizeof(*a.v), GFP_KERNEL_ACCOUNT);
	if (!a.v)
		return -ENOMEM;
	kame_sad_walk(&kn->sad, false, snapshot_visit, &a);
	if (!a.n) {
		kvfree(a.v);
		return 0;
	}
	*out = a.v;
	return a.n;
}

struct flush_arg {
	u8 proto;
	unsigned int n;
};

static bool flush_visit(struct kame_sad *sad, struct kame_sa *sa, void *arg)
{
	struct flush_arg *a = arg;

	if (a->proto && sa->proto != a->proto)
		return true;
	unlink_sa(sad, sa);
	/* The SAD's reference; the SA is freed after a grace period. */
	kame_sa_put(sa);
	a->n++;
	return true;
}

unsigned int kame_sad_flush(struct kame_net *kn, u8 proto)
{
	struct flush_arg a = { .proto = proto };

	kame_sad_walk(&kn->sad, false, flush_visit, &a);
	return a.n;
}

int kame_sad_net_init(struct kame_net *kn)
{
	struct kame_sad *sad = &kn->sad;
	int err;

	spin_lock_init(&sad->lock);
	INIT_LIST_HEAD(&sad->all);
	INIT_LIST_HEAD(&sad->timed);
	init_llist_head(&sad->expq);
	INIT_WORK(&sad->expire_work, kame_sad_expire_work);
	INIT_DELAYED_WORK(&sad->timer, kame_sad_timer_fn);
	err = rhashtable_init(&sad->spi_ht, &spi_params);
	if (err)
		return err;
	err = rhashtable_init(&sad->sah_ht, &sah_params);
	if (err)
		rhashtable_destroy(&sad->spi_ht);
	return err;
}

/*
 * Teardown: 1. stop new timer/expire work (dying), 2. cancel them, since
 * they touch the SAD, 3. flush every SA (the SAD's references), 4. drain
 * expq (its references), 5. destroy the now empty tables.
 */
void kame_sad_net_exit(struct kame_net *kn)
{
	struct kame_sad *sad = &kn->sad;
	struct llist_node *n;
	struct kame_sa *sa, *tmp;

	spin_lock_bh(&sad->lock);
	sad->dying = true;
	spin_unlock_bh(&sad->lock);
	cancel_delayed_work_sync(&sad->timer);
	cancel_work_sync(&sad->expire_work);
	kame_sad_flush(kn, 0);
	n = llist_del_all(&sad->expq);
	llist_for_each_entry_safe(sa, tmp, n, expq)
		kame_sa_put(sa);
	rhashtable_destroy(&sad->spi_ht);
	rhashtable_destroy(&sad->sah_ht);
}

/*
 * The SAD's object cache. The exit also waits for every RCU callback, the
 * SPD's policy frees included: netns.c destroys the policy cache after it.
 */
int kame_sad_init(void)
{
	/* SLAB_ACCOUNT: charged to the memory cgroup of the PF_KEY writer. */
	sa_cache = kmem_cache_create("kame_sa", sizeof(struct kame_sa), 0,
				     SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	return sa_cache ? 0 : -ENOMEM;
}

/* After every netns is gone: free what is still waiting for a grace period. */
void kame_sad_exit(void)
{
	flush_work(&gc_work);
	rcu_barrier();
	kmem_cache_destroy(sa_cache);
}
