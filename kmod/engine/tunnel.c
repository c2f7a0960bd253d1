// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel mode, both directions: the outer IPv4/IPv6 header an SA puts in
 * front of a packet (RFC 4301 5.1.2: DS field and ECN as RFC 6040, DF as
 * the dfbit knob says, same or mixed families), the route to the outermost
 * tunnel's far end, and on input the strip of the outer header with the
 * checks the inner one must pass. Separate from output.c and input.c,
 * which only decide when a tunnel applies.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/inet_ecn.h>
#include <net/dsfield.h>

#include "netns.h"
#include "pkt.h"
#include "tunnel.h"

static u8 inner_dsfield(struct sk_buff *skb, unsigned short family)
{
	return family == AF_INET ? ipv4_get_dsfield(ip_hdr(skb)) :
				   ipv6_get_dsfield(ipv6_hdr(skb));
}

/* Push the outer header; returns its length or a negative errno. */
int kame_tunnel_encap(struct sk_buff *skb, struct kame_pkt *p,
		      struct kame_sa *sa, u8 *nexthdr)
{
	struct kame_net *kn = kame_net(p->net);
	u8 ds = inner_dsfield(skb, p->family);
	int ecn = READ_ONCE(kame_ipsec_knobs_of(kn, sa->family)->ecn);

	/* KAME ecn=0 ("forbidden"): the outer ECN field is not-ECT. */
	if (ecn == 0)
		ds &= ~INET_ECN_MASK;
	*nexthdr = p->family == AF_INET ? IPPROTO_IPIP : IPPROTO_IPV6;

	if (sa->family == AF_INET) {
		int dfbit = READ_ONCE(kn->ipsec4.dfbit);
		__be16 df = 0;
		struct iphdr *iph;

		if (dfbit == 1 || (dfbit == 2 && p->family == AF_INET &&
				   (ip_hdr(skb)->frag_off & htons(IP_DF))))
			df = htons(IP_DF);
		if (skb_cow_head(skb, sizeof(*iph) + 32))
			return -ENOMEM;
		iph = skb_push(skb, sizeof(*iph));
		skb_reset_network_header(skb);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = ds;
		iph->tot_len = htons(skb->len);
		iph->frag_off = df;
		iph->ttl = ip4_dst_hoplimit(p->dst);
		iph->protocol = sa->proto;
		iph->saddr = sa->saddr.a4;
		iph->daddr = sa->daddr.a4;
		__ip_select_ident(p->net, iph, 1);
		p->family = AF_INET;
		p->nhoff = offsetof(struct iphdr, protocol);
		return sizeof(*iph);
	} else {
		struct ipv6hdr *ip6;

		if (skb_cow_head(skb, sizeof(*ip6) + 32))
			return -ENOMEM;
		ip6 = skb_push(skb, sizeof(*ip6));
		skb_reset_network_header(skb);
		ip6_flow_hdr(ip6, ds, 0);
		ip6->payload_len = htons(skb->len - sizeof(*ip6));
		ip6->nexthdr = sa->proto;
		ip6->hop_limit = ip6_dst_hoplimit(p->dst);
		ip6->saddr = sa->saddr.in6;
		ip6->daddr = sa->daddr.in6;
		p->family = AF_INET6;
		p->nhoff = offsetof(struct ipv6hdr, nexthdr);
		return sizeof(*ip6);
	}
}

/* Route of the outermost tunnel's destination (or NULL: keep skb's). */
int kame_tunnel_route(struct kame_pkt *p, struct sk_buff *skb)
{
	int i;

	for (i = p->n - 1; i >= 0; i--) {
		struct kame_sa *sa = p->sa[i];

		if (p->mode[i] != IPSEC_MODE_TUNNEL)
			continue;
		if (sa->family == AF_INET) {
			struct flowi4 fl4 = {
				.daddr = sa->daddr.a4,
				.saddr = sa->saddr.a4,
				.flowi4_mark = skb->mark,
				.flowi4_proto = sa->natt_type ? IPPROTO_UDP :
								sa->proto,
				.fl4_sport = sa->natt_sport,
				.fl4_dport = sa->natt_dport,
			};
			struct rtable *rt = ip_route_output_key(p->net, &fl4);

			if (IS_ERR(rt))
				return PTR_ERR(rt);
			p->dst = &rt->dst;
		} else {
			struct flowi6 fl6 = {
				.daddr = sa->daddr.in6,
				.saddr = sa->saddr.in6,
				.flowi6_mark = skb->mark,
				.flowi6_proto = sa->natt_type ? IPPROTO_UDP :
								sa->proto,
				.fl6_sport = sa->natt_sport,
				.fl6_dport = sa->natt_dport,
			};
			struct dst_entry *dst = ip6_route_output(p->net, NULL,
								 &fl6);

			if (dst->error) {
				int err = dst->error;

				dst_release(dst);
				return err;
			}
			p->dst = dst;
		}
		return 0;
	}
	p->dst = dst_clone(skb_dst(skb));
	return 0;
}

/* Tunnel mode: strip the outer header; the inner one must be sound. */
int kame_tunnel_decap(struct sk_buff *skb, struct kame_pkt *p, u8 nh)
{
	__skb_pull(skb, p->hoff);
	skb_reset_network_header(skb);
	if (nh == IPPROTO_IPIP) {
		struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return -EINVAL;
		iph = ip_hdr(skb);
		if (iph->version != 4 || iph->ihl < 5 ||
		    ntohs(iph->tot_len) > skb->len ||
		    ntohs(iph->tot_len) < iph->ihl * 4 ||
		    !pskb_may_pull(skb, iph->ihl * 4) ||
		    ip_fast_csum((u8 *)ip_hdr(skb), ip_hdr(skb)->ihl))
			return -EINVAL;
		if (pskb_trim(skb, ntohs(ip_hdr(skb)->tot_len)))
			return -EINVAL;
		p->family = AF_INET;
	} else {
		struct ipv6hdr *ip6;

		if (!pskb_may_pull(skb, sizeof(*ip6)))
			return -EINVAL;
		ip6 = ipv6_hdr(skb);
		if (ip6->version != 6 ||
		    ntohs(ip6->payload_len) + sizeof(*ip6) > skb->len)
			return -EINVAL;
		if (pskb_trim(skb, ntohs(ip6->payload_len) + sizeof(*ip6)))
			return -EINVAL;
		p->family = AF_INET6;
	}
	skb_set_transport_header(skb, p->family == AF_INET ?
				 ip_hdr(skb)->ihl * 4 : sizeof(struct ipv6hdr));
	return 0;
}
