/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_PKTSEL_H
#define KAME_ENGINE_PKTSEL_H

#include <linux/types.h>

#include "spd.h"

struct sk_buff;

/*
 * The selector of the packet whose network header starts at skb->data:
 * addresses, upper-layer protocol, ports (ICMP/ICMPv6/MH: type in sport,
 * code in dport, as KAME). IPv6 extension headers are walked. A first
 * fragment has its ports (its headers must be whole: RFC 7112); a later
 * fragment has none (0 = matches only "any": RFC 4301 7.1). 0 or -EINVAL
 * when the headers cannot be read.
 */
int kame_pkt_selector(const struct sk_buff *skb, unsigned short family,
		      struct kame_selector *sel);

/*
 * IPv6: walk the extension headers from the fixed header and stop at the
 * first header that is not hop-by-hop, routing, destination options or
 * fragment (so AH and ESP stop the walk). *@nexthdr is that header's type,
 * *@nhoff the offset of the byte that names it; returns its offset, or
 * -EINVAL. A fragment header of a real fragment (offset or more-fragments
 * set, first fragment included) stops the walk: *@frag is set, *@nexthdr
 * is the fragment header's next header, the offset the one after it.
 */
int kame_ipv6_walk(const struct sk_buff *skb, u8 *nexthdr,
		   unsigned int *nhoff, bool *frag);

#endif
