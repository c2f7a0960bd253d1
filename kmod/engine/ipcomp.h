/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_IPCOMP_H
#define KAME_ENGINE_IPCOMP_H

#include "pkt.h"
#include "stats.h"

/*
 * IPComp (RFC 3173; deflate per RFC 2394) on one skb whose network header
 * is at skb->data. Synchronous: compression runs on this CPU's transform
 * and scratch buffer with bottom halves off. See Documentation/ipcomp.md.
 */

struct kame_xform;
struct kame_net;

/* Bind an IPComp SA to its algorithm's shared transforms (process context). */
int kame_ipcomp_init(struct kame_sa *sa, struct kame_xform *xf);
void kame_ipcomp_free(struct kame_xform *xf);

/*
 * Output: compress everything from @hoff on and insert the IPComp header
 * at @hoff, naming @nexthdr. Payloads under the algorithm's threshold, or
 * that do not shrink, are sent as they are: the byte that named IPComp
 * names @nexthdr again (tunnel mode: the packet leaves as plain IP-in-IP,
 * as Linux sends it). Returns 0, or -ENOMEM (drop).
 */
int kame_ipcomp_output(struct sk_buff *skb, struct kame_pkt *p,
		       struct kame_sa *sa, unsigned int hoff, u8 nexthdr);

/* The CPI at @hoff as the SA lookup key (the SA's 32-bit SPI). */
bool kame_ipcomp_read_cpi(struct sk_buff *skb, unsigned int hoff, __be32 *spi);

/*
 * Input: decompress the IPComp packet whose header is at @hoff (output
 * bounded: the result must fit an IP datagram) and remove the header.
 * Returns the next header, or -EMSGSIZE (truncated), -E2BIG (inflates past
 * the bound), -EINVAL (not valid compressed data), -ENOMEM.
 */
int kame_ipcomp_input(struct sk_buff *skb, struct kame_pkt *p,
		      struct kame_sa *sa, unsigned int hoff);

/* The drop reason for an error of kame_ipcomp_input(). */
enum kame_drop kame_ipcomp_drop_reason(int err);

/*
 * An IP-in-IP packet (outer header at skb->data) between the endpoints of
 * one of our tunnel-mode IPComp SAs: a packet the peer left uncompressed
 * (Linux XFRM's "ipip" state). The SA, referenced, or NULL.
 */
struct kame_sa *kame_ipcomp_ipip_sa(struct kame_net *kn, struct sk_buff *skb,
				    unsigned short family);

/* Count one uncompressed tunnel-mode packet accepted through @sa. */
void kame_ipcomp_ipip_accepted(struct kame_pkt *p);

#endif
