/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_H
#define KAME_ENGINE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <net/net_namespace.h>

#include "stats.h"

struct kame_last_drop {
	__be32 spi;
	u32 policy_id;
	unsigned long when;	/* jiffies */
};

/*
 * The engine's state for one network namespace (its own pernet_operations,
 * separate from the control plane's struct kame_net).
 */
struct kame_engine_net {
	struct net *net;
	struct kame_stats __percpu *stats[KAME_AF_MAX];
	/* Written racily by the packet path: diagnostics only. */
	struct kame_last_drop last_drop[KAME_AF_MAX][KAME_DROP_MAX];
	bool hooks_registered;
	/* Packets of this netns waiting for asynchronous crypto. */
	atomic_t inflight;
};

struct kame_engine_net *kame_engine_net(const struct net *net);

struct sk_buff;

/*
 * Work in flight outside the packet path's call stack (asynchronous crypto
 * completions). kame_engine_hold(), before a request that may complete
 * asynchronously, counts it in the netns of the packet (kame_pkt(skb)) and
 * globally, and returns that netns; kame_engine_release() when the
 * completion (or the synchronous return) is done with the packet. Netns
 * exit waits for its count to drop to zero (so a completion never runs in
 * a freed netns, and its devices are still there); module exit waits for
 * the global one.
 */
struct net *kame_engine_hold(struct sk_buff *skb);
void kame_engine_release(struct net *net);

/*
 * IPv6 reassembly for the LOCAL_IN hook (nf_defrag_ipv6's
 * nf_ct_frag6_gather, bound at init; NULL without that module): 0 when
 * @skb is now the whole packet, -EINPROGRESS when it was queued (stolen).
 */
extern int (*kame_frag6_gather)(struct net *net, struct sk_buff *skb,
				u32 user);

/* Module init/exit: call before the PF_KEY family is registered. */
int kame_engine_init(void);
void kame_engine_exit(void);

#endif
