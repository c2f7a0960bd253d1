/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_XFORM_H
#define KAME_ENGINE_XFORM_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <crypto/aead.h>
#include <crypto/hash.h>

#include "sad.h"
#include "replay.h"

struct kame_comp_alg;

/*
 * The engine's per-SA state (kame_sa.xform), built when the SA becomes
 * MATURE and immutable afterwards except for the counters.
 */
struct kame_xform {
	struct crypto_aead *aead;	/* ESP */
	struct crypto_ahash *ahash;	/* AH */
	struct kame_comp_alg *comp;	/* IPComp (ipcomp.c) */
	unsigned int ivlen;		/* ESP IV on the wire */
	unsigned int icvlen;		/* ICV on the wire (truncated) */
	unsigned int padalign;		/* ESP: pad ciphertext to this (>= 4) */
	bool cycseq;			/* SADB_X_EXT_CYCSEQ: seq may wrap */
	atomic64_t seq_out;		/* last sequence number handed out */
	unsigned long natt_next_mapping; /* jiffies: next NEW_MAPPING allowed
					  * (0: any time; cmpxchg, natt.c) */
	struct kame_replay replay;
};

static inline struct kame_xform *kame_xf(const struct kame_sa *sa)
{
	return sa->xform;
}

/*
 * The next outbound sequence number of @sa, never the same twice (a CYCSEQ
 * SA's numbers cycle, 0 skipped), or 0 once they are used up: the packet
 * must be dropped (KAME_DROP_OUT_SEQ_OVERFLOW) and the SA is hard-expired
 * (RFC 4303: without ESN the counter must not cycle). The first number is
 * the SA's seq_out_start + 1. Any context.
 */
u32 kame_xform_next_seq(struct kame_sa *sa);

/* seq_out once kame_sa_seq_retire() (sad.h) handed it over. */
#define KAME_SEQ_RETIRED	(1ULL << 63)

/* Tell the SAD to call us for every SA it makes MATURE. */
void kame_xform_register(void);

#endif
