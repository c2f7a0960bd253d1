// SPDX-License-Identifier: GPL-2.0
/*
 * AH's view of the headers in front of it (RFC 4302 section 3.3.3.1 and
 * appendix A): mutable fields are zeroed, mutable-but-predictable ones are
 * set to the values the packet will have at its final destination, so that
 * sender and receiver hash the same bytes. Works on a linear copy of
 * everything from the IP header up to the AH header.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "ah.h"

/* IPv4 options that keep their value across the path (RFC 4302 A.1). */
static bool ipv4_opt_immutable(u8 type)
{
	switch (type) {
	case 130:	/* Security */
	case 133:	/* Extended Security */
	case 134:	/* Commercial Security */
	case 148:	/* Router Alert */
	case 149:	/* Sender Directed Multi-Destination Delivery */
		return true;
	}
	return false;
}

static int clear_ipv4(u8 *hdr, unsigned int hoff)
{
	struct iphdr *iph = (struct iphdr *)hdr;
	unsigned int off = sizeof(*iph), end = iph->ihl * 4;

	if (end < sizeof(*iph) || end > hoff)
		return -EMSGSIZE;
	iph->tos = 0;
	iph->frag_off = 0;
	iph->ttl = 0;
	iph->check = 0;
	while (off < end) {
		u8 type = hdr[off], len;

		if (type == IPOPT_END)
			break;
		if (type == IPOPT_NOOP) {
			off++;
			continue;
		}
		if (off + 2 > end)
			return -EMSGSIZE;
		len = hdr[off + 1];
		if (len < 2 || off + len > end)
			return -EMSGSIZE;
		/* A source route: the destination is its last address. */
		if (type == IPOPT_LSRR || type == IPOPT_SSRR) {
			if (len < 7)
				return -EMSGSIZE;
			memcpy(&iph->daddr, hdr + off + len - 4, 4);
		}
		if (!ipv4_opt_immutable(type))
			memset(hdr + off, 0, len);
		off += len;
	}
	return 0;
}

/* Hop-by-hop and destination options: zero the data of "may change" ones. */
static int clear_ipv6_tlvs(u8 *opt, unsigned int len)
{
	unsigned int off = 2;

	while (off < len) {
		u8 type = opt[off], olen;

		if (type == IPV6_TLV_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > len)
			return -EMSGSIZE;
		olen = opt[off + 1];
		if (off + 2 + olen > len)
			return -EMSGSIZE;
		if (type & 0x20)	/* the option's "may change" bit */
			memset(opt + off + 2, 0, olen);
		off += 2 + olen;
	}
	return 0;
}

/*
 * Type 0 and 2 routing headers: at the destination, the destination is the
 * last listed address, the first hop's address is listed first, and no
 * segments are left.
 */
static int arrange_rthdr(struct ipv6hdr *ip6, u8 *rh, unsigned int len)
{
	struct ipv6_rt_hdr *rt = (struct ipv6_rt_hdr *)rh;
	struct in6_addr *addr = (struct in6_addr *)(rh + 8), final;
	unsigned int n = rt->hdrlen / 2, left = rt->segments_left;

	if (!left)
		return 0;
	if ((rt->type != 0 && rt->type != 2) || left > n ||
	    8 + n * sizeof(*addr) > len)
		return -EPROTONOSUPPORT;
	final = addr[n - 1];
	memmove(addr + n - left + 1, addr + n - left,
		(left - 1) * sizeof(*addr));
	addr[n - left] = ip6->daddr;
	ip6->daddr = final;
	rt->segments_left = 0;
	return 0;
}

static int clear_ipv6(u8 *hdr, unsigned int hoff)
{
	struct ipv6hdr *ip6 = (struct ipv6hdr *)hdr;
	unsigned int off = sizeof(*ip6);
	u8 nh = ip6->nexthdr;
	int err = 0;

	if (hoff < sizeof(*ip6))
		return -EMSGSIZE;
	ip6->priority = 0;
	memset(ip6->flow_lbl, 0, sizeof(ip6->flow_lbl));
	ip6->hop_limit = 0;
	while (off < hoff) {
		unsigned int len;

		if (off + 2 > hoff)
			return -EMSGSIZE;
		len = (hdr[off + 1] + 1) * 8;
		if (off + len > hoff)
			return -EMSGSIZE;
		switch (nh) {
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
			err = clear_ipv6_tlvs(hdr + off, len);
			break;
		case NEXTHDR_ROUTING:
			err = arrange_rthdr(ip6, hdr + off, len);
			break;
		default:	/* a fragment header or worse before AH */
			return -EPROTONOSUPPORT;
		}
		if (err)
			return err;
		nh = hdr[off];
		off += len;
	}
	return off == hoff ? 0 : -EMSGSIZE;
}

int kame_ah_clear_mutable(u8 *hdr, unsigned int hoff, unsigned short family)
{
	return family == AF_INET ? clear_ipv4(hdr, hoff) : clear_ipv6(hdr, hoff);
}
