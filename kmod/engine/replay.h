/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_REPLAY_H
#define KAME_ENGINE_REPLAY_H

#include <linux/types.h>
#include <linux/spinlock.h>

/*
 * Inbound anti-replay window (RFC 4303 3.4.3), a ring of 64-bit blocks as
 * in RFC 6479: sliding the window clears whole blocks, never shifts bits.
 * Check before the ICV is verified, advance only after it verified (the
 * advance re-checks under the lock, since another CPU may have taken the
 * same number meanwhile).
 */
struct kame_replay {
	/*
	 * top and blocks. spin_lock_bh(): inbound packets check and advance
	 * from softirq, asynchronous crypto completions included.
	 */
	spinlock_t lock;
	u32 window;		/* packets; 0 = no replay protection */
	u32 nblocks;		/* power of two */
	u32 top;		/* highest sequence number accepted */
	u64 *blocks;
};

int kame_replay_init(struct kame_replay *r, u32 window, gfp_t gfp);
void kame_replay_destroy(struct kame_replay *r);
/* 0 if @seq may be new, -EINVAL for 0 or too old, -EEXIST if seen. */
int kame_replay_check(struct kame_replay *r, u32 seq);
/* Record @seq as seen; same result as check, taken atomically. */
int kame_replay_advance(struct kame_replay *r, u32 seq);

/* Load-time self-test against a naive model (DEBUG builds; else 0). */
int kame_replay_selftest(void);

#endif
