/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_ENGINE_PKT_H
#define KAME_ENGINE_PKT_H

#include <linux/skbuff.h>
#include <linux/ipv6.h>
#include <net/dst.h>
#include <net/ip.h>
#include <linux/xfrm.h>

#include "sad.h"
#include "spd.h"
#include "stats.h"

/* Most SAs applied to one packet (output bundle, or nested input). */
#define KAME_PKT_MAXSA	KAME_SP_MAXREQ

/* Input: how an ESP packet that came in UDP (RFC 3948) arrived. */
struct kame_natt_rx {
	xfrm_address_t saddr;		/* outer source address as received */
	__be16 sport, dport;		/* its UDP ports */
	bool udp;			/* it did come in UDP */
};

/*
 * One packet's progress through the engine, so a transform can stop on
 * asynchronous crypto and resume from its completion. The engine owns the
 * skb (stolen from netfilter), so skb->cb holds a pointer to this.
 */
struct kame_pkt {
	struct net *net;
	unsigned short family;		/* of the current outermost header */
	unsigned short orig_family;	/* as the packet entered the engine */
	u8 n, i;			/* SAs in sa[], the one being applied */
	u8 mode[KAME_PKT_MAXSA];	/* output: the request's mode */
	u32 policy_id;
	struct kame_sa *sa[KAME_PKT_MAXSA];	/* referenced */
	struct dst_entry *dst;		/* output: route of the result */
	struct net_device *dev;		/* input: held while in flight */
	unsigned int hoff;		/* offset of the ESP/AH header (output:
					 * of the transform being applied) */
	unsigned int nhoff;		/* offset of the byte naming it */
	u32 seq;			/* input: its sequence number */
	u8 proto;			/* input: IPPROTO_ESP or _AH at hoff */
	bool csum_ok;			/* input: transport-mode NAT-T ESP that
					 * authenticated it: inner TCP/UDP
					 * checksum not verified (RFC 3948
					 * 3.1.2) */
	struct kame_natt_rx natt;	/* input: the outermost SA's UDP */
};

static inline struct kame_pkt **kame_pkt_slot(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct kame_pkt *) > sizeof(skb->cb));
	return (struct kame_pkt **)skb->cb;
}

static inline struct kame_pkt *kame_pkt(struct sk_buff *skb)
{
	return *kame_pkt_slot(skb);
}

/* The SA of @p with SPI @spi (what a drop concerns), or NULL. */
struct kame_sa *kame_pkt_sa(const struct kame_pkt *p, __be32 spi);

/* Drop every reference the state holds and free it. */
void kame_pkt_free(struct kame_pkt *p);

/*
 * Drop @skb for @why, counted against the SA of @p with SPI @spi (0: none)
 * and @p's policy, and free @p: the end of a packet the engine stole.
 */
void kame_pkt_drop(struct sk_buff *skb, struct kame_pkt *p,
		   enum kame_drop why, __be32 spi);

/* Continue after an asynchronous transform finished with @err. */
typedef void (*kame_resume_t)(struct sk_buff *skb, int err);

/*
 * A transform changed the packet's length: set the IP header's (IPv4:
 * total length and header checksum; IPv6: payload length) for skb->len,
 * which counts from the network header.
 */
static inline void kame_ip_fix_lengths(struct sk_buff *skb,
				       unsigned short family)
{
	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
}

/* Make the network header start at skb->data. */
static inline void kame_skb_to_network(struct sk_buff *skb)
{
	int off = skb_network_offset(skb);

	if (off > 0)
		__skb_pull(skb, off);
	else if (off < 0)
		__skb_push(skb, -off);
}

#endif
