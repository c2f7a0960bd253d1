// SPDX-License-Identifier: GPL-2.0
/* Anti-replay window (RFC 4303 3.4.3, RFC 6479 block ring). */

#include <linux/slab.h>
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/printk.h>

#include "replay.h"

#define BLOCK_BITS 64

int kame_replay_init(struct kame_replay *r, u32 window, gfp_t gfp)
{
	spin_lock_init(&r->lock);
	r->window = window;
	r->top = 0;
	r->blocks = NULL;
	r->nblocks = 0;
	if (!window)
		return 0;
	/* One spare block so that sliding never clears live bits. */
	r->nblocks = roundup_pow_of_two(DIV_ROUND_UP(window, BLOCK_BITS) + 1);
	r->blocks = kcalloc(r->nblocks, sizeof(u64), gfp);
	return r->blocks ? 0 : -ENOMEM;
}

void kame_replay_destroy(struct kame_replay *r)
{
	kfree(r->blocks);
	r->blocks = NULL;
}

static u64 *block_of(struct kame_replay *r, u32 seq)
{
	return &r->blocks[(seq / BLOCK_BITS) & (r->nblocks - 1)];
}

/* kame_replay_check() without the locking; r->lock held. */
static int check_locked(struct kame_replay *r, u32 seq)
{
	lockdep_assert_held(&r->lock);
	if (seq == 0)
		return -EINVAL;		/* never sent: the counter starts at 1 */
	if (!r->window || seq > r->top)
		return 0;
	if (r->top - seq >= r->window)
		return -EINVAL;
	return *block_of(r, seq) & BIT_ULL(seq % BLOCK_BITS) ? -EEXIST : 0;
}

int kame_replay_check(struct kame_replay *r, u32 seq)
{
	int ret;

	spin_lock_bh(&r->lock);
	ret = check_locked(r, seq);
	spin_unlock_bh(&r->lock);
	return ret;
}

int kame_replay_advance(struct kame_replay *r, u32 seq)
{
	int ret;

	spin_lock_bh(&r->lock);
	ret = check_locked(r, seq);
	if (ret || !r->window)
		goto out;
	if (seq > r->top) {
		u32 from = r->top / BLOCK_BITS, to = seq / BLOCK_BITS;
		u32 n = min_t(u32, to - from, r->nblocks), i;

		/* Blocks entered by the slide hold bits of older numbers. */
		for (i = 1; i <= n; i++)
			r->blocks[(from + i) & (r->nblocks - 1)] = 0;
		r->top = seq;
	}
	*block_of(r, seq) |= BIT_ULL(seq % BLOCK_BITS);
out:
	spin_unlock_bh(&r->lock);
	return ret;
}

#ifdef DEBUG
/*
 * Naive model: remember every accepted number in a big bitmap; a number is
 * acceptable if non-zero, unseen, and within window of the highest.
 */
#define MODEL_MAX 8192

static bool model_ok(const unsigned long *seen, u32 top, u32 window, u32 seq)
{
	if (seq == 0)
		return false;
	if (seq > top)
		return true;
	if (top - seq >= window)
		return false;
	return !test_bit(seq, seen);
}

static int selftest_window(u32 window)
{
	unsigned long *seen = bitmap_zalloc(MODEL_MAX, GFP_KERNEL);
	struct kame_replay r;
	u32 top = 0, i, seq;
	int err = 0;

	if (!seen || kame_replay_init(&r, window, GFP_KERNEL)) {
		bitmap_free(seen);
		return -ENOMEM;
	}
	for (i = 0; i < 20000 && !err; i++) {
		bool want, got_check, got_adv;

		/* Mostly forward, with reordering, duplicates and old ones. */
		seq = top + get_random_u32_below(2 * window + 64);
		if (seq > 2 * window + 64)
			seq -= 2 * window + 64;
		if (seq >= MODEL_MAX)
			break;
		want = model_ok(seen, top, window, seq);
		got_check = kame_replay_check(&r, seq) == 0;
		got_adv = kame_replay_advance(&r, seq) == 0;
		if (want != got_check || want != got_adv) {
			pr_err("replay self-test: window %u seq %u top %u: want %d check %d advance %d\n",
			       window, seq, top, want, got_check, got_adv);
			err = -EINVAL;
		}
		if (want) {
			set_bit(seq, seen);
			top = max(top, seq);
		}
	}
	kame_replay_destroy(&r);
	bitmap_free(seen);
	return err;
}

int kame_replay_selftest(void)
{
	static const u32 windows[] = { 1, 32, 63, 64, 65, 128, 1000 };
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(windows); i++) {
		err = selftest_window(windows[i]);
		if (err)
			return err;
	}
	pr_info("replay window self-tests: pass\n");
	return 0;
}
#else
int kame_replay_selftest(void)
{
	return 0;
}
#endif
