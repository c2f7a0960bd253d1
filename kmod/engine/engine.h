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
};

struct kame_engine_net *kame_engine_net(const struct net *net);

/*
 * Work in flight outside the packet path's call stack (asynchronous crypto
 * completions): module exit waits for these to finish.
 */
void kame_engine_hold(void);
void kame_engine_release(void);

/* Module init/exit: call before the PF_KEY family is registered. */
int kame_engine_init(void);
void kame_engine_exit(void);

#endif
