/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "kameipsec" (uapi: linux/kame_ipsecstat.h):
 * counters (genl.c), SA and policy dumps (dump.c), the "drops" multicast
 * group (drops.c).
 */
#ifndef KAME_GENL_H
#define KAME_GENL_H

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/kame_ipsecstat.h>
#include <net/genetlink.h>

#include "engine/stats.h"

struct kame_sa;

/* Multicast groups, in the family's mcgrps[] order. */
enum kame_genl_group {
	KAME_GENL_GROUP_DROPS,
};

extern struct genl_family kame_genl_family;

/*
 * The engine's drop listener (drops.c): set once the family is
 * registered; kame_genl_exit() clears it, which waits until no drop event
 * is being built, before unregistering.
 */
extern const struct kame_drop_listener kame_genl_drop_listener;

/*
 * Per-netns state of the drop stream (own pernet_operations, drops.c).
 * lock (irqsave: drops are counted from any context) guards the rate
 * window: begin (jiffies), sent in this window, pending = drops not
 * reported since the last message sent. suppressed: all not reported;
 * unheard: sent, and no socket of the netns received it.
 * watch_lock (a mutex: KAME_CMD_WATCH and the netlink release notifier,
 * both process context) guards watcher[] and nwatch, the sockets
 * (portids) that sent KAME_CMD_WATCH and are not closed yet; the packet
 * path reads nwatch alone, with READ_ONCE, to skip building events for a
 * netns nobody watches.
 */
struct kame_genl_net {
	spinlock_t lock;
	unsigned long begin;
	unsigned int sent;
	u64 pending;
	atomic64_t suppressed;
	atomic64_t unheard;
	struct mutex watch_lock;
	unsigned int nwatch;
	u32 watcher[KAME_WATCHERS_MAX];
};

struct kame_genl_net *kame_genl_net(const struct net *net);


/* dump.c: KAME_CMD_GET_SA and KAME_CMD_GET_POLICY. */
int kame_genl_sa_start(struct netlink_callback *cb);
int kame_genl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_genl_sa_done(struct netlink_callback *cb);
int kame_genl_pol_start(struct netlink_callback *cb);
int kame_genl_pol_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_genl_pol_done(struct netlink_callback *cb);
struct kame_sp_req;
int kame_genl_put_req(struct sk_buff *msg, const struct kame_sp_req *r);

/* drops.c: the per-netns state and KAME_CMD_WATCH. */
int kame_genl_drops_init(void);
void kame_genl_drops_exit(void);
int kame_genl_watch(struct sk_buff *skb, struct genl_info *info);

/*
 * Module init/exit (main.c): after the engine (whose counters the family
 * reads), before PF_KEY; exit is the mirror.
 */
int kame_genl_init(void);
void kame_genl_exit(void);

#endif
