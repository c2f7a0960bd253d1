/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between spd.c and spd_lookup.c only. */
#ifndef KAME_SPD_INTERNAL_H
#define KAME_SPD_INTERNAL_H

#include <linux/rhashtable.h>

#include "spd.h"

extern const struct rhashtable_params kame_spd_key_params;

/* Which selector fields of @sel are "any" (KAME_SPD_WILD_*). */
u8 kame_spd_wild(const struct kame_selector *sel);
/*
 * The key of selector or packet @sel as group (dir, @sprefix, @dprefix,
 * @wild) sees it.
 */
void kame_spd_key_init(struct kame_spd_key *k, u8 dir,
		       const struct kame_selector *sel, u8 sprefix, u8 dprefix,
		       u8 wild);

/* First-match order: lower priority value first, then earlier insertion. */
static inline bool kame_policy_before(const struct kame_policy *a,
				      const struct kame_policy *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->order < b->order;
}

/*
 * DEBUG builds: the indexed lookup against a linear first match on random
 * policies and packets; 0 if they agree (and always 0 in other builds).
 */
#ifdef DEBUG
int kame_spd_selftest(struct kame_net *kn);
#else
static inline int kame_spd_selftest(struct kame_net *kn)
{
	return 0;
}
#endif

#endif
