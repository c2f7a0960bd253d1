/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_PMTU_H
#define KAME_ENGINE_PMTU_H

#include "pkt.h"

/*
 * Path MTU on output (pmtu.c), once the SAs of @p and the route of the
 * result (p->dst) are known, before any transform.
 *
 * A packet sent with DF that will not fit the path after the transforms:
 * true when it was counted (out_too_big) and its sender told the largest
 * size that fits; the caller drops it. False: send it (fragmented after
 * encapsulation if need be). @sel is the packet's selector.
 */
bool kame_pmtu_too_big(struct sk_buff *skb, struct kame_pkt *p,
		       const struct kame_selector *sel);

/* A TCP GSO packet: lower its segment size so each segment fits the path. */
void kame_pmtu_fit_gso(struct sk_buff *skb, struct kame_pkt *p);

#endif
