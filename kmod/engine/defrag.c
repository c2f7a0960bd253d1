// SPDX-License-Identifier: GPL-2.0
/*
 * Reassembly on input, in the two places it must happen before the stack
 * would do it. At LOCAL_IN, an IPv6 fragment is reassembled first (the
 * stack would only do so after our hook, and hand ESP/AH to a handler that
 * is not ours). After decapsulation, an inner fragment is reassembled in a
 * queue of its own per chain of SAs, so a datagram is only ever whole with
 * fragments that all came through the same SAs. Both use the kernel's own
 * fragment queues (ip_defrag, nf_defrag_ipv6) under users of our own.
 * Separate from input.c: hostile fragments are their own concern.
 */

#include <linux/netfilter.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/siphash.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_frag.h>

#include "netns.h"
#include "engine.h"
#include "pkt.h"
#include "pktsel.h"
#include "reinject.h"
#include "defrag.h"
#include "xfrm_compat/sockpolicy.h"

/*
 * An IPv6 fragment at LOCAL_IN: the stack would reassemble it only after
 * this hook, then hand ESP/AH to a protocol handler that is not ours, and
 * a clear packet would skip the inbound policy check. Reassemble it here
 * (nf_defrag_ipv6's queue, under our own user id) and receive the whole
 * packet again on its device, so the stack, the packet filter and this
 * hook see it as if it had arrived in one piece.
 */
unsigned int kame_in_frag6(struct net *net, struct sk_buff *skb, u8 nh)
{
	struct kame_net *kn = kame_net(net);
	unsigned int nhoff;
	bool frag;
	int err;

	if (!kame_frag6_gather)
		return NF_ACCEPT;	/* documented: needs nf_defrag_ipv6 */
	if (nh != IPPROTO_ESP && nh != IPPROTO_AH && nh != IPPROTO_COMP &&
	    !READ_ONCE(kn->spd.count) && !kame_sock_policies_in_use(net))
		return NF_ACCEPT;	/* nothing to check: the stack's job */
	err = kame_frag6_gather(net, skb, IP6_DEFRAG_LOCAL_DELIVER);
	if (err == -EINPROGRESS)
		return NF_STOLEN;	/* queued until the rest arrives */
	if (err) {
		kame_drop(net, AF_INET6, KAME_DROP_IN_NOMEM, 0, 0, NULL, NULL);
		return NF_DROP;
	}
	kame_skb_to_network(skb);
	/* Not reassembled (a first fragment without all its headers). */
	if (kame_ipv6_walk(skb, &nh, &nhoff, &frag) < 0 || frag) {
		kame_drop(net, AF_INET6, KAME_DROP_IN_TRUNCATED, 0, 0, skb, NULL);
		return NF_DROP;
	}
	nf_reset_ct(skb);
	skb_dst_drop(skb);
	skb->protocol = htons(ETH_P_IPV6);
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_network_header(skb);
	if (skb_mac_header_was_set(skb))
		skb_mac_header_rebuild(skb);
	/* Not checked: the whole datagram meets this hook again. */
	if (!kame_receive_again(skb, false, net, AF_INET6)) {
		kame_drop(net, AF_INET6, KAME_DROP_IN_TOO_DEEP, 0, 0, skb, NULL);
		kfree_skb(skb);
	}
	return NF_STOLEN;
}

/* Is the packet at skb->data (p->family) a fragment? */
bool kame_is_fragment(struct sk_buff *skb, unsigned short family)
{
	unsigned int nhoff;
	bool frag;
	u8 nh;

	if (family == AF_INET)
		return ip_is_fragment(ip_hdr(skb));
	return kame_ipv6_walk(skb, &nh, &nhoff, &frag) >= 0 && frag;
}

static siphash_key_t defrag_key __read_mostly;

/*
 * The reassembly queue of a chain of SAs: the kernel keys fragment queues
 * by (addresses, id, protocol, user); ours are users with the top bit set
 * (the kernel's own end near 0x30000) and a keyed hash of the SAs' unique
 * per-netns numbers, innermost last, so a stranger can't aim at a queue.
 */
static u32 defrag_user(const struct kame_pkt *p)
{
	u64 order[KAME_PKT_MAXSA];
	unsigned int i;

	for (i = 0; i < p->n; i++)
		order[i] = p->sa[i]->order;
	return BIT(31) | (siphash(order, p->n * sizeof(order[0]),
				  &defrag_key) & (BIT(31) - 1));
}

/*
 * Reassemble the fragment @skb decapsulated by the SAs of @p. 0: @skb is
 * now the whole datagram (its fragments all came through these SAs) and
 * @p goes on with it; otherwise @skb and @p are gone (queued until the
 * rest arrives, or dropped and counted).
 */
int kame_in_defrag(struct sk_buff *skb, struct kame_pkt *p)
{
	__be32 spi = p->sa[p->n - 1]->spi;
	int err;

	net_get_random_once(&defrag_key, sizeof(defrag_key));
	memset(skb->cb, 0, sizeof(skb->cb));	/* the queue's own cb */
	local_bh_disable();
	rcu_read_lock();
	if (p->family == AF_INET)
		err = ip_defrag(p->net, skb, defrag_user(p));
	else if (kame_frag6_gather)
		err = kame_frag6_gather(p->net, skb, defrag_user(p));
	else
		err = -EPROTONOSUPPORT;
	rcu_read_unlock();
	local_bh_enable();
	if (err == -EINPROGRESS) {
		/*
		 * Held for reassembly: its IPsec processing succeeded (KAME
		 * counts in_success per packet). The datagram's own outcome
		 * is counted with the packet that completes it.
		 */
		kame_stat_inc(p->net, p->orig_family, KAME_STAT_IN_SUCCESS);
		kame_pkt_free(p);
		return err;
	}
	if (err && p->family == AF_INET) {	/* ip_defrag freed the skb */
		kame_drop(p->net, p->orig_family, KAME_DROP_IN_FRAG, spi,
			  p->policy_id, NULL, kame_pkt_sa(p, spi));
		kame_pkt_free(p);
		return err;
	}
	*kame_pkt_slot(skb) = p;
	kame_skb_to_network(skb);
	if (err || kame_is_fragment(skb, p->family)) {
		/* IPv6: a fragment nf_defrag refuses (short, headers cut). */
		kame_pkt_drop(skb, p, KAME_DROP_IN_FRAG, spi);
		return -EINVAL;
	}
	return 0;
}
