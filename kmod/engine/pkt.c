// SPDX-License-Identifier: GPL-2.0
/*
 * The per-packet state (struct kame_pkt, pkt.h): freeing it and ending a
 * stolen packet with a counted drop. Output, input and the transforms all
 * end packets this way, so it belongs to neither pipeline.
 */

#include <linux/netdevice.h>
#include <linux/slab.h>

#include "pkt.h"

void kame_pkt_free(struct kame_pkt *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		kame_sa_put(p->sa[i]);
	dst_release(p->dst);
	dev_put(p->dev);
	kfree(p);
}

struct kame_sa *kame_pkt_sa(const struct kame_pkt *p, __be32 spi)
{
	unsigned int i;

	for (i = 0; spi && i < p->n; i++)
		if (p->sa[i]->spi == spi)
			return p->sa[i];
	return NULL;
}

void kame_pkt_drop(struct sk_buff *skb, struct kame_pkt *p,
		   enum kame_drop why, __be32 spi)
{
	kame_drop(p->net, p->orig_family, why, spi, p->policy_id, skb,
		  kame_pkt_sa(p, spi));
	kfree_skb(skb);
	kame_pkt_free(p);
}
