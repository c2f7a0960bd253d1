// SPDX-License-Identifier: GPL-2.0
/*
 * NAT traversal: ESP in UDP (RFC 3948) for SAs whose PF_KEY ADD/UPDATE
 * carried SADB_X_EXT_NAT_T_TYPE (kame_sa.natt_*).
 *
 * Output: after ESP, a UDP header with the SA's ports goes between the IP
 * header and the ESP header (transport and tunnel mode alike, since the
 * tunnel's outer header is the "IP header" then).
 *
 * Input: the engine's LOCAL_IN hook runs before ip_local_deliver_finish()
 * hands the datagram to UDP, so an ESP-in-UDP packet for one of our SAs is
 * taken there and never reaches the socket. A key daemon's port-4500
 * socket may have UDP_ENCAP_ESPINUDP set (racoon and charon do, for Linux
 * XFRM): its encap_rcv (XFRM's) then only ever sees what we leave, i.e.
 * IKE with the zero non-ESP marker, which it hands to the daemon as it
 * always does (marker included). Which UDP packets are ours:
 *
 *  - the destination port is in a bucket of NAT-T SA ports (kame_sad
 *    .natt_ports, a lockless counter array): nothing else is looked at;
 *  - payload 0xFF alone: NAT-keepalive (RFC 3948 2.3), consumed and counted
 *    unless a socket without UDP_ENCAP listens there (then it is that
 *    socket's, as for any datagram);
 *  - first four bytes zero: IKE (RFC 3948 2.2), the socket's, counted;
 *  - else the first four bytes are an SPI: an SA of ours for (destination,
 *    SPI, ESP) with NAT-T on this destination port takes the packet: the
 *    UDP header is removed and it goes on as plain ESP. An SA without NAT-T
 *    or with another port, or no SA at all, is counted as a drop
 *    (in_natt_mismatch, in_nosa), except where a socket without UDP_ENCAP
 *    listens (an application's datagram that merely looks like ESP) or,
 *    for an unknown SPI, when Linux XFRM has states in the netns (its own
 *    ESP-in-UDP, through its encap socket).
 */
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ip6_checksum.h>
#include <net/udp.h>
#include <net/xfrm.h>

#include "netns.h"
#include "km.h"
#include "engine.h"
#include "natt.h"
#include "xform.h"

int kame_natt_encap(struct sk_buff *skb, const struct kame_sa *sa,
		    unsigned short family, unsigned int hoff,
		    unsigned int nhoff)
{
	unsigned int ulen = skb->len - hoff + sizeof(struct udphdr);
	struct udphdr *uh;

	if (ulen > 0xffff)
		return -EMSGSIZE;
	if (skb_cow_head(skb, sizeof(*uh)))
		return -ENOMEM;
	__skb_push(skb, sizeof(*uh));
	memmove(skb->data, skb->data + sizeof(*uh), hoff);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hoff);
	uh = udp_hdr(skb);
	uh->source = sa->natt_sport;
	uh->dest = sa->natt_dport;
	uh->len = htons(ulen);
	uh->check = 0;		/* IPv4: RFC 3948 2.1, SHOULD be zero */
	skb->data[nhoff] = IPPROTO_UDP;
	if (family == AF_INET6) {
		/* IPv6 has no zero UDP checksum (RFC 8200 8.1). */
		uh->check = csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					    &ipv6_hdr(skb)->daddr, ulen,
					    IPPROTO_UDP,
					    skb_checksum(skb, hoff, ulen, 0));
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* Who listens on the packet's UDP port: none, plain socket, encap socket. */
enum natt_sock { NATT_SOCK_NONE, NATT_SOCK_PLAIN, NATT_SOCK_ENCAP };

/*
 * The lookup needs no reference: only encap_type is read, under RCU. And
 * the __ variants are what vmlinux always exports (udp4_lib_lookup() only
 * with NF_SOCKET or NF_TPROXY configured: issue #12's portability rule).
 */
static enum natt_sock natt_socket(struct net *net, struct sk_buff *skb,
				  unsigned short family,
				  const struct udphdr *uh)
{
	int dif = skb->dev ? skb->dev->ifindex : 0;
	enum natt_sock ret = NATT_SOCK_NONE;
	struct sock *sk;
	int type;

	rcu_read_lock();
	if (family == AF_INET)
		sk = __udp4_lib_lookup(net, ip_hdr(skb)->saddr, uh->source,
				       ip_hdr(skb)->daddr, uh->dest, dif, 0,
				       &udp_table, NULL);
#if IS_ENABLED(CONFIG_IPV6)
	else
		sk = __udp6_lib_lookup(net, &ipv6_hdr(skb)->saddr, uh->source,
				       &ipv6_hdr(skb)->daddr, uh->dest, dif, 0,
				       &udp_table, NULL);
#else
	else
		sk = NULL;
#endif
	if (sk) {
		type = READ_ONCE(udp_sk(sk)->encap_type);
		ret = type == UDP_ENCAP_ESPINUDP ||
		      type == UDP_ENCAP_ESPINUDP_NON_IKE ?
		      NATT_SOCK_ENCAP : NATT_SOCK_PLAIN;
	}
	rcu_read_unlock();
	return ret;
}

/* Remove the UDP header at @hoff: plain ESP from then on. */
static int strip_udp(struct sk_buff *skb, unsigned short family,
		     unsigned int hoff, unsigned int nhoff, unsigned int ulen)
{
	if (pskb_trim(skb, hoff + ulen) ||
	    skb_ensure_writable(skb, hoff + sizeof(struct udphdr)))
		return -ENOMEM;
	skb_orphan(skb);	/* UDP early demux may have set a socket */
	memmove(skb->data + sizeof(struct udphdr), skb->data, hoff);
	__skb_pull(skb, sizeof(struct udphdr));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hoff);
	skb->data[nhoff] = IPPROTO_ESP;
	if (family == AF_INET) {
		ip_hdr(skb)->tot_len = htons(skb->len);
		ip_send_check(ip_hdr(skb));
	} else {
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

enum kame_natt_verdict kame_natt_input(struct net *net, struct sk_buff *skb,
				       unsigned short family,
				       unsigned int hoff, unsigned int nhoff,
				       struct kame_natt_rx *rx)
{
	struct kame_net *kn = kame_net(net);
	const xfrm_address_t *saddr, *daddr;
	const struct udphdr *uh;
	unsigned int ulen, plen;
	enum kame_drop why;
	struct kame_sa *sa;
	u8 head[8];
	__be32 spi;

	/* SAs are unicast; GRO'd datagrams are UDP's to segment. */
	if (skb->pkt_type != PACKET_HOST || skb_is_gso(skb) ||
	    !pskb_may_pull(skb, hoff + sizeof(*uh)))
		return KAME_NATT_PASS;
	uh = (const struct udphdr *)(skb->data + hoff);
	if (!kame_sad_natt_port(&kn->sad, uh->dest))
		return KAME_NATT_PASS;
	ulen = ntohs(uh->len);
	if (ulen <= sizeof(*uh) || ulen > skb->len - hoff)
		return KAME_NATT_PASS;	/* empty or bad: the UDP layer's */
	plen = ulen - sizeof(*uh);
	if (skb_copy_bits(skb, hoff + sizeof(*uh), head, min(plen, 8u)))
		return KAME_NATT_PASS;
	if (plen == 1 && head[0] == 0xff) {
		if (natt_socket(net, skb, family, uh) == NATT_SOCK_PLAIN)
			return KAME_NATT_PASS;
		kame_natt_stat_inc(net, family, KAME_NATT_IN_KEEPALIVE);
		consume_skb(skb);
		return KAME_NATT_TAKEN;
	}
	if (plen < sizeof(spi))
		return KAME_NATT_PASS;
	memcpy(&spi, head, sizeof(spi));
	if (!spi) {
		kame_natt_stat_inc(net, family, KAME_NATT_IN_IKE);
		return KAME_NATT_PASS;
	}
	if (family == AF_INET) {
		saddr = (const xfrm_address_t *)&ip_hdr(skb)->saddr;
		daddr = (const xfrm_address_t *)&ip_hdr(skb)->daddr;
	} else {
		saddr = (const xfrm_address_t *)&ipv6_hdr(skb)->saddr;
		daddr = (const xfrm_address_t *)&ipv6_hdr(skb)->daddr;
	}
	rcu_read_lock();
	sa = kame_sa_lookup_in(kn, family, daddr, spi, IPPROTO_ESP);
	rcu_read_unlock();
	if (sa && sa->natt_type && sa->natt_dport == uh->dest) {
		kame_sa_put(sa);
		if (plen < 2 * sizeof(spi)) {	/* no room for the sequence */
			why = KAME_DROP_IN_TRUNCATED;
			goto drop;
		}
		memset(rx, 0, sizeof(*rx));
		memcpy(&rx->saddr, saddr, family == AF_INET ? 4 : 16);
		rx->sport = uh->source;
		rx->dport = uh->dest;
		rx->udp = true;
		if (strip_udp(skb, family, hoff, nhoff, ulen)) {
			why = KAME_DROP_IN_NOMEM;
			goto drop;
		}
		kame_natt_stat_inc(net, family, KAME_NATT_IN_ESP);
		return KAME_NATT_ESP;
	}
	if (sa)
		kame_sa_put(sa);
	if (natt_socket(net, skb, family, uh) == NATT_SOCK_PLAIN)
		return KAME_NATT_PASS;
	if (sa) {
		why = KAME_DROP_IN_NATT_MISMATCH;
	} else {
		if (READ_ONCE(net->xfrm.state_num))
			return KAME_NATT_PASS;	/* XFRM's own ESP in UDP? */
		why = KAME_DROP_IN_NOSA;
	}
drop:
	kame_drop(net, family, why, spi, 0, skb, NULL);
	kfree_skb(skb);
	return KAME_NATT_TAKEN;
}

void kame_natt_check_mapping(struct kame_pkt *p, struct kame_sa *sa)
{
	struct kame_xform *xf = kame_xf(sa);
	unsigned long now = jiffies, next;

	if (p->natt.sport == sa->natt_sport &&
	    xfrm_addr_equal(&p->natt.saddr, &sa->saddr, sa->family))
		return;
	/* At most one message a second per SA, whatever the traffic. */
	next = READ_ONCE(xf->natt_next_mapping);
	if ((next && time_before(now, next)) ||
	    cmpxchg(&xf->natt_next_mapping, next, (now + HZ) ?: 1) != next) {
		kame_natt_stat_inc(p->net, p->orig_family,
				   KAME_NATT_MAPPING_LIMITED);
		return;
	}
	kame_km_new_mapping(sa, &p->natt.saddr, p->natt.sport);
	kame_natt_stat_inc(p->net, p->orig_family, KAME_NATT_NEW_MAPPING);
}
