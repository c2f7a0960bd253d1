// SPDX-License-Identifier: GPL-2.0
/*
 * The list of key managers and the core's events to them (contract and
 * locking rules: km.h).
 */
#include <linux/rculist.h>

#include "km.h"
#include "sad.h"
#include "spd.h"

DEFINE_MUTEX(kame_km_mutex);
/* Registered managers: written under kame_km_mutex, read under RCU too. */
static LIST_HEAD(kame_km_list);

void kame_km_register(struct kame_km *km)
{
	mutex_lock(&kame_km_mutex);
	list_add_tail_rcu(&km->list, &kame_km_list);
	mutex_unlock(&kame_km_mutex);
}

void kame_km_unregister(struct kame_km *km)
{
	mutex_lock(&kame_km_mutex);
	list_del_rcu(&km->list);
	mutex_unlock(&kame_km_mutex);
	/* acquire/new_mapping calls already past the list finish first. */
	synchronize_rcu();
}

void kame_km_sa_expired(struct kame_sa *sa, bool hard)
{
	struct kame_km *km;

	mutex_lock(&kame_km_mutex);
	list_for_each_entry(km, &kame_km_list, list)
		if (km->sa_expired)
			km->sa_expired(sa, hard);
	mutex_unlock(&kame_km_mutex);
}

void kame_km_sp_expired(struct kame_net *kn, struct kame_policy *pol)
{
	struct kame_km *km;

	mutex_lock(&kame_km_mutex);
	list_for_each_entry(km, &kame_km_list, list)
		if (km->sp_expired)
			km->sp_expired(kn, pol);
	mutex_unlock(&kame_km_mutex);
}

u32 kame_km_acquire(struct kame_net *kn, const struct kame_policy *pol,
		    const struct kame_sp_req *r, u16 family,
		    const xfrm_address_t *src, const xfrm_address_t *dst)
{
	u32 reqid = r->level == IPSEC_LEVEL_UNIQUE ? r->reqid : 0;
	struct kame_km *km;
	u32 seq;

	seq = kame_acquire_check(kn, family, r->proto, r->mode, reqid, src,
				 dst);
	if (!seq)
		return 0;
	rcu_read_lock();
	list_for_each_entry_rcu(km, &kame_km_list, list)
		if (km->acquire)
			km->acquire(kn, seq, pol, r, family, src, dst);
	rcu_read_unlock();
	return seq;
}

void kame_km_new_mapping(struct kame_sa *sa, const xfrm_address_t *addr,
			 __be16 port)
{
	u32 seq = kame_acquire_next_seq(sa->kn);
	struct kame_km *km;

	rcu_read_lock();
	list_for_each_entry_rcu(km, &kame_km_list, list)
		if (km->new_mapping)
			km->new_mapping(sa, seq, addr, port);
	rcu_read_unlock();
}
