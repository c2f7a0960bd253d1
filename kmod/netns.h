/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_NETNS_H
#define KAME_NETNS_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>

#include "sad.h"
#include "spd.h"
#include "sysctl.h"
#include "km.h"

/*
 * The core's state of one network namespace: SAD, SPD, sysctls, ACQUIRE
 * suppression. Each part of the core owns its own members; locking rules
 * are written next to them. Key managers (PF_KEY: struct pfkey_net) and the
 * engine keep their per-netns state of their own (net_generic), not here.
 */
struct kame_net {
	struct net *net;

	struct kame_acq acq;		/* km.h: ACQUIRE suppression (acquire.c) */

	struct kame_sad sad;		/* sad.h */
	struct kame_spd spd;		/* spd.h */

	struct kame_key_knobs key;	/* net.key.* */
	struct kame_ipsec_knobs ipsec4;	/* net.inet.ipsec.* */
	struct kame_ipsec_knobs ipsec6;	/* net.inet6.ipsec6.* */
	struct ctl_table_header *sysctl_hdr[3];
};

struct kame_net *kame_net(const struct net *net);

/* net.inet6.ipsec6.* for AF_INET6, else net.inet.ipsec.*. */
static inline struct kame_ipsec_knobs *kame_ipsec_knobs_of(struct kame_net *kn,
							   u16 family)
{
	return family == AF_INET6 ? &kn->ipsec6 : &kn->ipsec4;
}

int kame_netns_init(void);
void kame_netns_exit(void);

#endif
