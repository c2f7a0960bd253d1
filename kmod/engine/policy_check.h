/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_POLICY_CHECK_H
#define KAME_ENGINE_POLICY_CHECK_H

#include "pkt.h"

struct kame_net;

/*
 * The inbound policy check (policy_check.c) of a packet with selector @sel
 * that came through the SAs @sas[0..@n) (outermost first; none for a clear
 * packet), received for this host or, @forwarded, to be forwarded. 0 to
 * accept, else the drop reason; *@pol_id is the policy's id (0: none).
 */
enum kame_drop kame_policy_check(struct kame_net *kn, struct sk_buff *skb,
				 const struct kame_selector *sel,
				 struct kame_sa **sas, unsigned int n,
				 bool forwarded, u32 *pol_id);

/*
 * LOCAL_IN/FORWARD: the policy check of a clear packet, as a netfilter
 * verdict (a drop is counted).
 */
unsigned int kame_policy_check_clear(struct net *net, struct sk_buff *skb,
				     unsigned short family, bool forwarded);

#endif
