/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The time test shared by SA lifetimes (lifetime.c) and policy lifetimes
 * (spd.c). Both run from a 1 Hz per-netns worker that reads "now" once per
 * walk; both must never expire early (KAME: an SA or policy lives at least
 * its lifetime) and may be up to the worker's period late.
 */
#ifndef KAME_LIFETIME_H
#define KAME_LIFETIME_H

#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

/*
 * @limit whole seconds have passed since @since_ns (monotonic ns, 0: never
 * started; @limit 0: no limit). The walks drop their lock between batches,
 * so an entry added after @now_ns was read is younger than @now_ns, not
 * 2^64 ns old. Limits are a process's u64s, compared unsigned: one of 2^63
 * or more is never reached (a signed cast made it negative: due at once).
 */
static inline bool kame_lifetime_past(u64 now_ns, u64 since_ns, u64 limit)
{
	return limit && since_ns && now_ns > since_ns &&
	       div_u64(now_ns - since_ns, NSEC_PER_SEC) >= limit;
}

#endif /* KAME_LIFETIME_H */
