// SPDX-License-Identifier: GPL-2.0
/* Packet selectors: what the SPD lookup matches a packet by. */

#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "pktsel.h"

#define IPPROTO_MH_ 135		/* IPv6 mobility header */

/* The walk of kame_ipv6_walk() from header @nh at @off (named at @nho). */
static int ipv6_walk_from(const struct sk_buff *skb, unsigned int off,
			  unsigned int nho, u8 nh, u8 *nexthdr,
			  unsigned int *nhoff, bool *frag)
{
	int guard;

	*frag = false;
	for (guard = 0; guard < 16; guard++) {
		struct ipv6_opt_hdr _h, *h;
		unsigned int len;

		switch (nh) {
		case NEXTHDR_HOP:
		case NEXTHDR_ROUTING:
		case NEXTHDR_DEST:
			h = skb_header_pointer(skb, off, sizeof(_h), &_h);
			if (!h)
				return -EINVAL;
			len = ipv6_optlen(h);
			break;
		case NEXTHDR_FRAGMENT: {
			struct frag_hdr _f, *f;

			f = skb_header_pointer(skb, off, sizeof(_f), &_f);
			if (!f)
				return -EINVAL;
			/* An atomic fragment (RFC 6946) is a whole packet. */
			if (f->frag_off & htons(IP6_OFFSET | IP6_MF)) {
				*frag = true;
				nh = f->nexthdr;
				off += sizeof(*f);
				nho = off - sizeof(*f) +
				      offsetof(struct frag_hdr, nexthdr);
				goto out;
			}
			h = (struct ipv6_opt_hdr *)f;
			len = sizeof(*f);
			break;
		}
		default:
			goto out;
		}
		nho = off + offsetof(struct ipv6_opt_hdr, nexthdr);
		nh = h->nexthdr;
		off += len;
	}
	return -EINVAL;
out:
	*nexthdr = nh;
	*nhoff = nho;
	return off;
}

int kame_ipv6_walk(const struct sk_buff *skb, u8 *nexthdr,
		   unsigned int *nhoff, bool *frag)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);

	return ipv6_walk_from(skb, skb_network_offset(skb) + sizeof(*ip6),
			      skb_network_offset(skb) +
			      offsetof(struct ipv6hdr, nexthdr),
			      ip6->nexthdr, nexthdr, nhoff, frag);
}

/*
 * A first fragment (offset 0) carries the upper-layer header: walk on past
 * the fragment header so its ports are read, as KAME walks to the last
 * header; RFC 7112 wants the whole header chain in the first fragment.
 * Later fragments have no ports: they match only port-less ("any")
 * policies, RFC 4301 7.1's non-initial fragments.
 */
static int ipv6_first_fragment(const struct sk_buff *skb, int off,
			       unsigned int nhoff, u8 *nh)
{
	struct frag_hdr _f;
	const struct frag_hdr *f;
	bool frag;

	/* nhoff names the fragment header's next-header byte: its start. */
	f = skb_header_pointer(skb, nhoff, sizeof(_f), &_f);
	if (!f)
		return -EINVAL;
	if (f->frag_off & htons(IP6_OFFSET))
		return 0;
	off = ipv6_walk_from(skb, off, nhoff, f->nexthdr, nh, &nhoff, &frag);
	if (off < 0 || frag)
		return -EINVAL;
	return off;
}

/* Ports, or ICMP type/code in the port fields (KAME). */
static int read_ports(const struct sk_buff *skb, unsigned int off, u8 proto,
		      struct kame_selector *sel)
{
	u8 _b[4];
	const u8 *b;

	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		b = skb_header_pointer(skb, off, 4, _b);
		if (!b)
			return -EINVAL;
		memcpy(&sel->sport, b, 2);
		memcpy(&sel->dport, b + 2, 2);
		return 0;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
	case IPPROTO_MH_:
		/* MH: type is the third byte; ICMP: type, code first. */
		b = skb_header_pointer(skb, off, 4, _b);
		if (!b)
			return -EINVAL;
		if (proto == IPPROTO_MH_) {
			sel->sport = htons(b[2]);
		} else {
			sel->sport = htons(b[0]);
			sel->dport = htons(b[1]);
		}
		return 0;
	default:
		return 0;
	}
}

int kame_pkt_selector(const struct sk_buff *skb, unsigned short family,
		      struct kame_selector *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = family;
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		sel->saddr.a4 = iph->saddr;
		sel->daddr.a4 = iph->daddr;
		sel->sprefix = sel->dprefix = 32;
		sel->ulproto = iph->protocol;
		if (iph->frag_off & htons(IP_OFFSET))
			return 0;
		return read_ports(skb, skb_network_offset(skb) + iph->ihl * 4,
				  iph->protocol, sel);
	} else {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);
		unsigned int nhoff;
		bool frag;
		u8 nh;
		int off;

		sel->saddr.in6 = ip6->saddr;
		sel->daddr.in6 = ip6->daddr;
		sel->sprefix = sel->dprefix = 128;
		off = kame_ipv6_walk(skb, &nh, &nhoff, &frag);
		if (off < 0)
			return off;
		if (frag) {
			off = ipv6_first_fragment(skb, off, nhoff, &nh);
			if (off <= 0) {
				sel->ulproto = nh;
				return off;
			}
		}
		sel->ulproto = nh;
		return read_ports(skb, off, nh, sel);
	}
}
