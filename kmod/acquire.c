// SPDX-License-Identifier: GPL-2.0
/*
 * ACQUIRE suppression (KAME key_acquire's "acquire blocks") and the ACQUIRE
 * sequence space, per netns. One block per (family, addresses, protocol,
 * mode, reqid) lives net.key.blockacq_lifetime seconds; while it lives,
 * only every (blockacq_count + 1)th request of that flow is sent to the key
 * managers, always with the block's sequence number (the one GETSPI/UPDATE
 * refer to). A key daemon's error-form ACQUIRE ends the block. What is
 * sent, and how, is the key managers' (km.h).
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/in.h>
#include <linux/lockdep.h>

#include "km.h"
#include "netns.h"

#define ACQ_MAX		1024	/* blocks per netns: beyond, oldest reused */

struct acq_block {
	struct list_head list;
	u16 family;
	u8 proto, mode;
	u32 reqid;
	xfrm_address_t src, dst;
	u32 seq;
	u32 count;
	time64_t created;
};

void kame_acquire_net_init(struct kame_net *kn)
{
	spin_lock_init(&kn->acq.lock);
	INIT_LIST_HEAD(&kn->acq.list);
	kn->acq.count = 0;
	kn->acq.seq = 0;
}

/* Nothing else can reach @kn now (the netns is going). */
void kame_acquire_net_exit(struct kame_net *kn)
{
	struct acq_block *b, *tmp;

	list_for_each_entry_safe(b, tmp, &kn->acq.list, list) {
		list_del(&b->list);
		kfree(b);
	}
	kn->acq.count = 0;
}

static bool same_flow(const struct acq_block *b, u16 family, u8 proto, u8 mode,
		      u32 reqid, const xfrm_address_t *src,
		      const xfrm_address_t *dst)
{
	size_t alen = family == AF_INET ? 4 : 16;

	return b->family == family && b->proto == proto && b->mode == mode &&
	       b->reqid == reqid && !memcmp(&b->src, src, alen) &&
	       !memcmp(&b->dst, dst, alen);
}

/* Caller holds acq->lock. Never 0: 0 means "suppressed". */
static u32 next_seq_locked(struct kame_acq *acq)
{
	lockdep_assert_held(&acq->lock);
	acq->seq = acq->seq == U32_MAX ? 1 : acq->seq + 1;
	return acq->seq;
}

/* Caller holds acq->lock. */
static void block_free(struct kame_acq *acq, struct acq_block *b)
{
	lockdep_assert_held(&acq->lock);
	list_del(&b->list);
	kfree(b);
	acq->count--;
}

u32 kame_acquire_check(struct kame_net *kn, u16 family, u8 proto, u8 mode,
		       u32 reqid, const xfrm_address_t *src,
		       const xfrm_address_t *dst)
{
	time64_t now = ktime_get_seconds();
	time64_t life = READ_ONCE(kn->key.blockacq_lifetime);
	u32 limit = READ_ONCE(kn->key.blockacq_count);
	struct acq_block *b, *tmp, *found = NULL;
	struct kame_acq *acq = &kn->acq;
	u32 seq = 0;

	spin_lock_bh(&acq->lock);
	list_for_each_entry_safe(b, tmp, &acq->list, list) {
		if (now - b->created >= life) {
			block_free(acq, b);
			continue;
		}
		if (!found && same_flow(b, family, proto, mode, reqid, src, dst))
			found = b;
	}
	if (found) {
		if (found->count >= limit) {
			found->count = 0;
			seq = found->seq;
		} else {
			found->count++;
		}
		goto out;
	}
	if (acq->count >= ACQ_MAX) {
		b = list_first_entry(&acq->list, struct acq_block, list);
		list_del(&b->list);
		acq->count--;
		memset(b, 0, sizeof(*b));
	} else {
		b = kzalloc(sizeof(*b), GFP_ATOMIC);
		if (!b)
			goto out;
	}
	b->family = family;
	b->proto = proto;
	b->mode = mode;
	b->reqid = reqid;
	memcpy(&b->src, src, family == AF_INET ? 4 : 16);
	memcpy(&b->dst, dst, family == AF_INET ? 4 : 16);
	b->created = now;
	b->seq = seq = next_seq_locked(acq);
	list_add_tail(&b->list, &acq->list);
	acq->count++;
out:
	spin_unlock_bh(&acq->lock);
	return seq;
}

u32 kame_acquire_next_seq(struct kame_net *kn)
{
	u32 seq;

	spin_lock_bh(&kn->acq.lock);
	seq = next_seq_locked(&kn->acq);
	spin_unlock_bh(&kn->acq.lock);
	return seq;
}

void kame_acquire_reset(struct kame_net *kn, u32 seq)
{
	struct acq_block *b, *tmp;

	spin_lock_bh(&kn->acq.lock);
	list_for_each_entry_safe(b, tmp, &kn->acq.list, list)
		if (b->seq == seq)
			block_free(&kn->acq, b);
	spin_unlock_bh(&kn->acq.lock);
}

#ifdef DEBUG
/*
 * Load-time self-test of the suppression (debug builds): a scratch netns
 * state, flows of both families, blockacq_count 2 (one ACQUIRE per three
 * requests), the error-form reset, lifetime 0 (every block expired at the
 * next request) and the ACQ_MAX bound.
 */
static int acq_expect(struct kame_net *kn, u16 family, u8 x, u32 want,
		      const char *what)
{
	xfrm_address_t src = {}, dst = {};
	u32 seq;

	src.a6[0] = htonl(0x0a000001);
	dst.a6[0] = htonl(0x0a000100 | x);
	seq = kame_acquire_check(kn, family, IPPROTO_ESP, 0, 0, &src, &dst);
	if (seq == want)
		return 0;
	pr_err("acquire self-test: %s: seq %u, want %u\n", what, seq, want);
	return -EINVAL;
}

int kame_acquire_selftest(void)
{
	struct kame_net *kn = kvzalloc(sizeof(*kn), GFP_KERNEL_ACCOUNT);
	const xfrm_address_t any = {};
	unsigned int i;
	int err = 0;

	if (!kn)
		return -ENOMEM;
	kame_acquire_net_init(kn);
	kn->key.blockacq_count = 2;
	kn->key.blockacq_lifetime = 3600;
	err = acq_expect(kn, AF_INET, 1, 1, "first request of a flow") ?:
	      acq_expect(kn, AF_INET, 1, 0, "second: suppressed") ?:
	      acq_expect(kn, AF_INET, 1, 0, "third: suppressed") ?:
	      acq_expect(kn, AF_INET, 1, 1, "fourth: the block's seq again") ?:
	      acq_expect(kn, AF_INET6, 1, 2, "same bytes, other family") ?:
	      acq_expect(kn, AF_INET, 2, 3, "other flow");
	if (err)
		goto out;
	if (kame_acquire_next_seq(kn) != 4) {
		pr_err("acquire self-test: NEW_MAPPING's number not from the same space\n");
		err = -EINVAL;
		goto out;
	}
	kame_acquire_reset(kn, 1);
	err = acq_expect(kn, AF_INET, 1, 5, "after the daemon's error: a new block") ?:
	      acq_expect(kn, AF_INET, 1, 0, "new block suppresses");
	if (err)
		goto out;
	kn->key.blockacq_lifetime = 0;
	err = acq_expect(kn, AF_INET, 1, 6, "lifetime 0: block expired") ?:
	      acq_expect(kn, AF_INET, 1, 7, "lifetime 0: again");
	if (err)
		goto out;
	kn->key.blockacq_lifetime = 3600;
	for (i = 0; i < ACQ_MAX + 8; i++)	/* flows told apart by reqid */
		kame_acquire_check(kn, AF_INET6, IPPROTO_AH, 0, i, &any, &any);
	if (kn->acq.count != ACQ_MAX) {
		pr_err("acquire self-test: %u blocks, bound %u\n", kn->acq.count,
		       ACQ_MAX);
		err = -EINVAL;
	}
out:
	kame_acquire_net_exit(kn);
	kvfree(kn);
	if (!err)
		pr_info("acquire suppression self-test: pass\n");
	return err;
}
#endif
