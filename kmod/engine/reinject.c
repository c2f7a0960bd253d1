// SPDX-License-Identifier: GPL-2.0
/*
 * Re-injection: a decapsulated packet that passed the inbound policy check
 * is received again on its device with netif_receive_skb_core(), so the
 * packet filter and the stack see it as if it had arrived clear. A per-CPU
 * pointer marks it "already checked" when it meets our hooks again (a
 * sec_path would make it Linux XFRM's), and a per-CPU depth bounds how
 * deeply receives nest. Input.c and the IPv6 reassembly at LOCAL_IN
 * (defrag) both end here; the nesting rule lives in one place.
 */

#include <linux/netdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/percpu.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/addrconf.h>

#include "netns.h"
#include "pkt.h"
#include "pktsel.h"
#include "policy_check.h"
#include "reinject.h"

/*
 * Legitimate nesting: a clear IPv6 datagram reassembled by kame_in_frag6
 * that is ESP to us, then its decrypted packet: 2. Anything deeper is an
 * attack.
 */
#define KAME_REINJECT_MAX	4

/*
 * Per CPU (BH disabled around the call, so no migration): the packet being
 * re-injected after its policy check, NULL while an unchecked one (a clear
 * datagram from kame_in_frag6) is, and how deeply receives nest.
 */
struct kame_reinject {
	struct sk_buff *checked;
	unsigned int depth;
};
static DEFINE_PER_CPU(struct kame_reinject, reinject);

/*
 * A re-injected packet arriving at our LOCAL_IN/FORWARD hook again. An IPv4
 * datagram the stack reassembled on the way (ip_local_deliver) is not the
 * packet we checked, whatever its address: IPCB's frag_max_size says so.
 */
bool kame_checked_by_us(const struct sk_buff *skb, unsigned short family)
{
	if (this_cpu_read(reinject.checked) != skb)
		return false;
	return family != AF_INET || !IPCB(skb)->frag_max_size;
}

/*
 * Receive @skb again on its device, synchronously, so the packet filter and
 * the stack see it now; a @checked one counts as in_success first. False
 * (the caller drops it) past the nesting limit.
 */
bool kame_receive_again(struct sk_buff *skb, bool checked, struct net *net,
			unsigned short family)
{
	struct kame_reinject *r;
	struct sk_buff *prev;

	local_bh_disable();
	r = this_cpu_ptr(&reinject);
	if (r->depth >= KAME_REINJECT_MAX) {
		local_bh_enable();
		return false;
	}
	r->depth++;
	prev = r->checked;
	r->checked = checked ? skb : NULL;
	if (checked)
		kame_stat_inc(net, family, KAME_STAT_IN_SUCCESS);
	netif_receive_skb_core(skb);
	r = this_cpu_ptr(&reinject);
	r->checked = prev;
	r->depth--;
	local_bh_enable();
	return true;
}

void kame_in_reinject(struct sk_buff *skb, struct kame_pkt *p)
{
	struct net_device *dev;
	struct kame_net *kn = kame_net(p->net);
	struct kame_selector sel;
	unsigned short family;
	enum kame_drop why;
	struct net *net;
	u32 policy_id;
	__be32 spi;
	bool local;

	if (kame_pkt_selector(skb, p->family, &sel)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_BAD_INNER, 0);
		return;
	}
	local = p->family == AF_INET ?
		inet_addr_type(p->net, sel.daddr.a4) == RTN_LOCAL :
		ipv6_chk_addr(p->net, &sel.daddr.in6, NULL, 0);
	why = kame_policy_check(kn, skb, &sel, p->sa, p->n, !local,
				&p->policy_id);
	if (why) {
		kame_pkt_drop(skb, p, why, p->sa[p->n - 1]->spi);
		return;
	}
	nf_reset_ct(skb);
	skb_dst_drop(skb);
	skb->protocol = htons(p->family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	skb->pkt_type = PACKET_HOST;
	/* Transport-mode NAT-T: see kame_pkt.csum_ok and engine.md. */
	skb->ip_summed = p->csum_ok ? CHECKSUM_UNNECESSARY : CHECKSUM_NONE;
	skb_reset_network_header(skb);
	if (skb_mac_header_was_set(skb)) {
		skb_mac_header_rebuild(skb);
		/* Mixed-family tunnel: packet sockets see the inner type. */
		if (skb->mac_len == ETH_HLEN && skb->dev &&
		    skb->dev->type == ARPHRD_ETHER)
			eth_hdr(skb)->h_proto = skb->protocol;
	}
	dev = p->dev;		/* keep the device until it has the packet */
	p->dev = NULL;
	net = p->net;
	family = p->orig_family;
	spi = p->sa[p->n - 1]->spi;
	policy_id = p->policy_id;
	kame_pkt_free(p);

	if (!kame_receive_again(skb, true, net, family)) {
		kame_drop(net, family, KAME_DROP_IN_TOO_DEEP, spi, policy_id, skb,
			  NULL);
		kfree_skb(skb);
	}
	dev_put(dev);
}
