// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks: where packets enter the engine. Positions (IPv4 and
 * IPv6 alike; see Documentation/engine.md):
 *
 *   POST_ROUTING, priority LAST - 1: outbound SPD lookup and transforms,
 *       for locally generated and forwarded packets. Every other
 *       POST_ROUTING hook (nftables chains, NAT, helpers) has seen the
 *       clear packet; conntrack's confirm (priority LAST) is done by us
 *       before stealing. The ESP/AH packet re-enters through
 *       ip_local_out()/ip6_local_out(), so OUTPUT and POSTROUTING chains
 *       see it again, marked IPSKB_XFRM_TRANSFORMED so we pass it.
 *   LOCAL_IN, priority LAST - 1: ESP/AH addressed to us (reassembled)
 *       are verified, decrypted and re-injected with
 *       netif_receive_skb_core() (IPv6 fragments are reassembled first): the
 *       filter sees the ESP packet, then the clear one through
 *       PREROUTING/INPUT. Clear packets are checked against the inbound
 *       policy here.
 *   FORWARD, priority LAST - 1: inbound policy check of forwarded clear
 *       packets (gateways).
 *
 * Packets owned by Linux XFRM (a dst with an xfrm bundle, or a secpath
 * holding XFRM states) are left alone.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/dst.h>
#include <net/xfrm.h>
#include <net/netfilter/nf_conntrack.h>

#include "engine.h"
#include "hooks.h"
#include "output.h"
#include "input.h"

#define KAME_HOOK_PRIO	(INT_MAX - 1)

unsigned int kame_ct_confirm(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	const struct nf_ct_hook *ct_hook;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;
	unsigned int ret = NF_ACCEPT;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	rcu_read_lock();
	ct_hook = rcu_dereference(nf_ct_hook);
	if (ct_hook && ct_hook->confirm)
		ret = ct_hook->confirm(skb);
	rcu_read_unlock();
	return ret;
#else
	return NF_ACCEPT;
#endif
}

static bool xfrm_owned_out(const struct sk_buff *skb)
{
	const struct dst_entry *dst = skb_dst(skb);

	return dst && dst->xfrm;
}

static unsigned int out4(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	if (IPCB(skb)->flags & IPSKB_XFRM_TRANSFORMED || xfrm_owned_out(skb))
		return NF_ACCEPT;
	return kame_output_hook(state->net, skb, AF_INET);
}

static unsigned int out6(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	if (IP6CB(skb)->flags & IP6SKB_XFRM_TRANSFORMED ||
	    xfrm_owned_out(skb))
		return NF_ACCEPT;
	return kame_output_hook(state->net, skb, AF_INET6);
}

static unsigned int in4(void *priv, struct sk_buff *skb,
			const struct nf_hook_state *state)
{
	return kame_input_hook(state->net, skb, AF_INET);
}

static unsigned int in6(void *priv, struct sk_buff *skb,
			const struct nf_hook_state *state)
{
	return kame_input_hook(state->net, skb, AF_INET6);
}

static unsigned int fwd4(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	return kame_forward_hook(state->net, skb, AF_INET);
}

static unsigned int fwd6(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	return kame_forward_hook(state->net, skb, AF_INET6);
}

static const struct nf_hook_ops kame_nf_ops[] = {
	{ .hook = out4, .pf = NFPROTO_IPV4, .hooknum = NF_INET_POST_ROUTING,
	  .priority = KAME_HOOK_PRIO },
	{ .hook = in4, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN,
	  .priority = KAME_HOOK_PRIO },
	{ .hook = fwd4, .pf = NFPROTO_IPV4, .hooknum = NF_INET_FORWARD,
	  .priority = KAME_HOOK_PRIO },
	{ .hook = out6, .pf = NFPROTO_IPV6, .hooknum = NF_INET_POST_ROUTING,
	  .priority = KAME_HOOK_PRIO },
	{ .hook = in6, .pf = NFPROTO_IPV6, .hooknum = NF_INET_LOCAL_IN,
	  .priority = KAME_HOOK_PRIO },
	{ .hook = fwd6, .pf = NFPROTO_IPV6, .hooknum = NF_INET_FORWARD,
	  .priority = KAME_HOOK_PRIO },
};

int kame_hooks_net_init(struct net *net)
{
	int err = nf_register_net_hooks(net, kame_nf_ops,
					ARRAY_SIZE(kame_nf_ops));

	kame_engine_net(net)->hooks_registered = !err;
	return err;
}

void kame_hooks_net_exit(struct net *net)
{
	struct kame_engine_net *en = kame_engine_net(net);

	if (en->hooks_registered)
		nf_unregister_net_hooks(net, kame_nf_ops,
					ARRAY_SIZE(kame_nf_ops));
	en->hooks_registered = false;
}
