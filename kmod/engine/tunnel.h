/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_TUNNEL_H
#define KAME_ENGINE_TUNNEL_H

#include "pkt.h"

/*
 * Tunnel mode (tunnel.c). Output: push the outer header of @sa in front of
 * the packet at skb->data (p->family), so it names *@nexthdr, the inner
 * packet's type (IPIP or IPv6); p->family and p->nhoff become the outer
 * header's. Returns the outer header's length or a negative errno.
 */
int kame_tunnel_encap(struct sk_buff *skb, struct kame_pkt *p,
		      struct kame_sa *sa, u8 *nexthdr);

/*
 * Output: p->dst becomes the route to the outermost tunnel SA's far end
 * (with its NAT-T ports), or @skb's own route when no SA of @p is in
 * tunnel mode. 0 or the routing error.
 */
int kame_tunnel_route(struct kame_pkt *p, struct sk_buff *skb);

/*
 * Input: strip the outer header (p->hoff bytes) of a packet whose SA named
 * @nh (IPPROTO_IPIP or IPPROTO_IPV6) next; the inner header must be a sound
 * one of that family, the packet is trimmed to its length and p->family
 * becomes it. 0 or -EINVAL.
 */
int kame_tunnel_decap(struct sk_buff *skb, struct kame_pkt *p, u8 nh);

#endif
