// SPDX-License-Identifier: GPL-2.0
/*
 * Path MTU on output: how large a clear packet may be so that it still
 * fits the path once every transform of its bundle has grown it. A packet
 * sent with DF that will not fit is dropped and its sender told the limit
 * (ICMP, or the local socket's error), and TCP GSO packets are cut into
 * segments that fit. Separate from output.c because it is the one part of
 * the output path that reasons about sizes and talks back to senders.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/icmp.h>
#include <linux/icmpv6.h>
#include <net/xfrm.h>

#include "pkt.h"
#include "ah.h"
#include "natt.h"
#include "xform.h"
#include "pmtu.h"

static unsigned int iphdr_len(unsigned short family)
{
	return family == AF_INET ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
}

/*
 * The largest clear packet (IP header of @hlen bytes) whose result after
 * every transform in @p still fits in @mtu: each transform's growth is
 * inverted, outermost first. 0 when nothing fits.
 */
static unsigned int max_clear(const struct kame_pkt *p, unsigned int hlen,
			      unsigned int mtu)
{
	unsigned short fam[KAME_PKT_MAXSA];
	unsigned int hl[KAME_PKT_MAXSA];
	unsigned int m = mtu;
	int i;

	/* Family and header length of the packet each SA is applied to. */
	fam[0] = p->family;
	hl[0] = hlen;
	for (i = 1; i < p->n; i++) {
		if (p->mode[i - 1] == IPSEC_MODE_TUNNEL) {
			fam[i] = p->sa[i - 1]->family;
			hl[i] = iphdr_len(fam[i]);
		} else {
			fam[i] = fam[i - 1];
			hl[i] = hl[i - 1];
		}
	}
	for (i = p->n - 1; i >= 0; i--) {
		struct kame_sa *sa = p->sa[i];
		bool tunnel = p->mode[i] == IPSEC_MODE_TUNNEL;
		unsigned int outer = tunnel ? iphdr_len(sa->family) : 0;
		unsigned int h = tunnel ? 0 : hl[i];	/* stays in clear */
		unsigned int fixed;

		if (sa->proto == IPPROTO_COMP) {
			/* IPComp never grows a packet (ipcomp.c) */
			if (m <= outer)
				return 0;
			m -= outer;
		} else if (sa->proto == IPPROTO_AH) {
			fixed = outer + kame_ah_overhead(sa, tunnel ? sa->family :
							 fam[i]);
			if (m <= fixed)
				return 0;
			m -= fixed;
		} else {
			const struct kame_xform *xf = kame_xf(sa);

			fixed = outer + h + kame_natt_overhead(sa) +
				sizeof(struct ip_esp_hdr) + xf->ivlen + xf->icvlen;
			if (m < fixed + xf->padalign)
				return 0;
			/* 2: the pad length and next header bytes */
			m = h + round_down(m - fixed, xf->padalign) - 2;
		}
	}
	return m;
}

/* Path MTU of the result: the outer route's. */
static unsigned int result_mtu(const struct kame_pkt *p)
{
	return p->dst ? dst_mtu(p->dst) : 0;
}

/* Does the outermost destination equal the clear packet's? */
static bool same_daddr(const struct kame_pkt *p, const struct kame_selector *sel)
{
	int i;

	for (i = p->n - 1; i >= 0; i--) {
		struct kame_sa *sa = p->sa[i];

		if (p->mode[i] != IPSEC_MODE_TUNNEL)
			continue;
		return sa->family == sel->family &&
		       xfrm_addr_equal(&sa->daddr, &sel->daddr, sel->family);
	}
	return true;
}

/* The sender asked not to be fragmented (IPv4 DF, IPv6 no local frag). */
static bool dont_fragment(const struct sk_buff *skb, unsigned short family)
{
	if (skb->ignore_df)
		return false;
	return family == AF_INET6 || (ip_hdr(skb)->frag_off & htons(IP_DF));
}

static bool local_sender(const struct sk_buff *skb)
{
	return skb->sk && sk_fullsock(skb->sk);
}

/*
 * A packet that will not fit the path once transformed, sent with DF:
 * tell the sender the limit and drop it (true), as XFRM does through its
 * bundle's smaller MTU. A local sender whose clear route differs from the
 * outer one learns it through the clear route's PMTU and an ICMP error
 * looped back to it (TCP lowers its MSS, ping prints "Frag needed");
 * forwarded packets get the ICMP error sent back to their source. When the
 * outer destination is the clear one (transport mode), lowering that
 * route's PMTU would shrink the ESP packets too: a local socket then gets
 * XFRM's local error (EMSGSIZE with the MTU, "message too long"), except
 * TCP, whose segments are left to be fragmented after encapsulation.
 */
bool kame_pmtu_too_big(struct sk_buff *skb, struct kame_pkt *p,
		       const struct kame_selector *sel)
{
	unsigned int mtu = result_mtu(p), hlen, max;
	unsigned short fam = p->family;
	struct sock *sk = skb->sk;
	bool local;

	if (!mtu || skb_is_gso(skb) || !dont_fragment(skb, fam))
		return false;
	if (fam == AF_INET) {
		hlen = ip_hdr(skb)->ihl * 4;
	} else {
		u8 *prevhdr;
		int off = ip6_find_1stfragopt(skb, &prevhdr);

		hlen = off < 0 ? sizeof(struct ipv6hdr) : off;
	}
	max = max_clear(p, hlen, mtu);
	if (skb->len <= max)
		return false;
	/* Below the minimum MTU nobody can do better: fragment the result. */
	if (max < (fam == AF_INET ? 552 : IPV6_MIN_MTU))
		return false;

	local = local_sender(skb) && same_daddr(p, sel);
	if (local && sk->sk_protocol == IPPROTO_TCP)
		return false;		/* fragmented after encapsulation */
	/* Counted first: the sender may read the counter once told. */
	kame_drop(p->net, p->orig_family, KAME_DROP_OUT_TOO_BIG, p->sa[0]->spi,
		  p->policy_id, skb, p->sa[0]);
	if (local) {
		/* XFRM's own helper: ip_local_error()/ipv6_local_error(). */
		skb->protocol = htons(fam == AF_INET ? ETH_P_IP : ETH_P_IPV6);
		if (sk->sk_family == fam)
			xfrm_local_error(skb, max);
	} else {
		if (local_sender(skb))
			skb_dst_update_pmtu_no_confirm(skb, max);
		if (fam == AF_INET)
			icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
				      htonl(max));
		else
			icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, max);
	}
	return true;
}

/*
 * TCP GSO packets are cut so that each segment still fits the path after
 * the transforms (saves fragmenting every segment of a bulk transfer).
 */
void kame_pmtu_fit_gso(struct sk_buff *skb, struct kame_pkt *p)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int mtu = result_mtu(p), seglen, max;

	if (!(sh->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) || !mtu)
		return;
	seglen = skb_transport_offset(skb) + tcp_hdrlen(skb) + sh->gso_size;
	max = max_clear(p, skb_transport_offset(skb), mtu);
	if (seglen > max && sh->gso_size > seglen - max + 64)
		skb_decrease_gso_size(sh, seglen - max);
}
