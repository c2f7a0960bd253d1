/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_DEFRAG_H
#define KAME_ENGINE_DEFRAG_H

#include "pkt.h"

/*
 * Reassembly on input (defrag.c).
 *
 * LOCAL_IN met an IPv6 fragment whose next header is @nh: reassemble it and
 * receive the whole datagram again on its device (unchecked: it meets the
 * hook again). A netfilter verdict; without nf_defrag_ipv6, NF_ACCEPT.
 */
unsigned int kame_in_frag6(struct net *net, struct sk_buff *skb, u8 nh);

/* Is the packet at skb->data (of @family) a fragment? */
bool kame_is_fragment(struct sk_buff *skb, unsigned short family);

/*
 * Reassemble the fragment @skb decapsulated by the SAs of @p, in the queue
 * of that chain of SAs. 0: @skb is now the whole datagram and @p goes on
 * with it; otherwise @skb and @p are gone (queued until the rest arrives,
 * or dropped and counted).
 */
int kame_in_defrag(struct sk_buff *skb, struct kame_pkt *p);

#endif
