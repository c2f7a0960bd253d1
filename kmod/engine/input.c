// SPDX-License-Identifier: GPL-2.0
/*
 * Inbound processing (LOCAL_IN and FORWARD).
 *
 * ESP/AH/IPComp addressed to us: SA by (destination, SPI or CPI, protocol),
 * replay check, verify/decrypt (possibly asynchronous), replay advance,
 * decapsulate; a result that is again IPsec to this host (transport mode,
 * or the next SA of a nested tunnel bundle) continues with the next SA in
 * the same pass, at most KAME_PKT_MAXSA of them. IP-in-IP from the far end
 * of a tunnel-mode IPComp SA is that SA's uncompressed packet. ESP in UDP
 * comes in through natt.c.
 *
 * Here: the pipeline that finds and applies the SAs. Elsewhere: the outer
 * header's strip (tunnel.c), reassembly of IPv6 fragments at LOCAL_IN and
 * of fragments after decapsulation (defrag.c), the inbound policy check
 * (policy_check.c; clear local and forwarded packets get it with no SAs),
 * and the re-injection of the checked packet (reinject.c).
 */

#include <linux/netfilter.h>
#include <linux/netdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/addrconf.h>
#include <net/xfrm.h>

#include "netns.h"
#include "hooks.h"
#include "input.h"
#include "tunnel.h"
#include "policy_check.h"
#include "reinject.h"
#include "defrag.h"
#include "pktsel.h"
#include "pkt.h"
#include "esp.h"
#include "ah.h"
#include "ipcomp.h"
#include "natt.h"
#include "xform.h"
#include "fault.h"

static void in_run(struct sk_buff *skb);
static void in_next(struct sk_buff *skb, struct kame_pkt *p, int nh);

/* The SA just verified/decrypted the packet: finish with it. */
static void in_applied(struct sk_buff *skb, struct kame_pkt *p)
{
	struct kame_sa *sa = p->sa[p->n - 1];
	struct kame_xform *xf = kame_xf(sa);
	bool ah = p->proto == IPPROTO_AH;
	int nh;

	if (kame_replay_advance(&xf->replay, p->seq)) {
		kame_pkt_drop(skb, p, ah ? KAME_DROP_IN_AH_REPLAY :
			      KAME_DROP_IN_ESP_REPLAY, sa->spi);
		return;
	}
	/* Authenticated and not a replay: its UDP source may be believed. */
	if (p->n == 1 && p->natt.udp && xf->icvlen)
		kame_natt_check_mapping(p, sa);
	if (ah) {
		kame_stat_inc(p->net, p->orig_family, KAME_STAT_IN_AHAUTHSUCC);
		kame_hist_inc(p->net, p->orig_family, KAME_HIST_IN_AH,
			      sa->auth_alg);
	} else {
		if (xf->icvlen)
			kame_stat_inc(p->net, p->orig_family,
				      KAME_STAT_IN_ESPAUTHSUCC);
		kame_hist_inc(p->net, p->orig_family, KAME_HIST_IN_ESP,
			      sa->enc_alg);
	}
	if (!kame_sa_charge(sa, skb->len)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_SA_STATE, sa->spi);
		return;
	}
	nh = ah ? kame_ah_input_done(skb, p->hoff) :
		  kame_esp_input_done(skb, sa, p->hoff);
	if (nh < 0) {
		kame_pkt_drop(skb, p, nh == -EBADMSG ? KAME_DROP_IN_BAD_PADDING :
			      KAME_DROP_IN_TRUNCATED, sa->spi);
		return;
	}
	in_next(skb, p, nh);
}

/* The last SA's header is gone and @nh follows it: decapsulate or go on. */
/*
 * The header after the IP header (IPv6: after its extension headers) of the
 * packet at skb->data: its type *@proto, its offset *@hoff and the offset
 * *@nhoff of the byte that names it. *@frag: a fragment header of a real
 * IPv6 fragment stopped the walk (*@proto is its next header, *@hoff not
 * set). 0, or -EINVAL when the IPv6 headers cannot be read.
 */
static int next_header(const struct sk_buff *skb, unsigned short family,
		       u8 *proto, unsigned int *hoff, unsigned int *nhoff,
		       bool *frag)
{
	int off;

	*frag = false;
	if (family == AF_INET) {
		*proto = ip_hdr(skb)->protocol;
		*hoff = ip_hdr(skb)->ihl * 4;
		*nhoff = offsetof(struct iphdr, protocol);
		return 0;
	}
	off = kame_ipv6_walk(skb, proto, nhoff, frag);
	if (off < 0)
		return off;
	if (!*frag)
		*hoff = off;
	return 0;
}

/*
 * After a tunnel: is the inner packet ESP/AH/IPComp to this host, the next
 * SA of a nested bundle (esp/tunnel/A-B ah/tunnel/A-B)? Then it continues
 * here, so that the policy check sees every SA of the bundle at once.
 */
static bool inner_ipsec(struct sk_buff *skb, struct kame_pkt *p)
{
	unsigned int hoff, nhoff;
	bool frag;
	u8 proto;

	if (next_header(skb, p->family, &proto, &hoff, &nhoff, &frag) || frag)
		return false;
	if (proto != IPPROTO_ESP && proto != IPPROTO_AH && proto != IPPROTO_COMP)
		return false;
	if (p->family == AF_INET ?
	    inet_addr_type(p->net, ip_hdr(skb)->daddr) != RTN_LOCAL :
	    !ipv6_chk_addr(p->net, &ipv6_hdr(skb)->daddr, NULL, 0))
		return false;
	p->proto = proto;
	p->hoff = hoff;
	p->nhoff = nhoff;
	return true;
}

/*
 * A packet one SA decapsulated: made whole if it is a fragment, then the
 * next SA if it is IPsec to this host again, else the policy check and
 * delivery.
 */
static void in_inner(struct sk_buff *skb, struct kame_pkt *p)
{
	if (kame_is_fragment(skb, p->family) && kame_in_defrag(skb, p))
		return;
	if (inner_ipsec(skb, p))
		in_run(skb);
	else
		kame_in_reinject(skb, p);
}

static void in_next(struct sk_buff *skb, struct kame_pkt *p, int nh)
{
	struct kame_sa *sa = p->sa[p->n - 1];

	if ((nh == IPPROTO_IPIP || nh == IPPROTO_IPV6) &&
	    sa->mode != IPSEC_MODE_TRANSPORT) {
		if (kame_tunnel_decap(skb, p, nh)) {
			kame_pkt_drop(skb, p, KAME_DROP_IN_BAD_INNER, sa->spi);
			return;
		}
		in_inner(skb, p);
		return;
	}
	if (sa->mode == IPSEC_MODE_TUNNEL || nh == NEXTHDR_NONE) {
		/* A tunnel SA carrying no packet, or a dummy packet. */
		kame_pkt_drop(skb, p, KAME_DROP_IN_BAD_NEXTHDR, sa->spi);
		return;
	}
	/* Transport mode: the header that named ESP/AH now names @nh. */
	skb->data[p->nhoff] = nh;
	kame_ip_fix_lengths(skb, p->family);
	/*
	 * RFC 3948 3.1.2: behind a NAT the inner TCP/UDP checksum covers
	 * addresses the packet no longer carries. Its ESP ICV verified it:
	 * the checksum is not checked again (as Linux XFRM).
	 */
	if (p->n == 1 && p->natt.udp && kame_xf(sa)->icvlen)
		p->csum_ok = true;
	if (nh == IPPROTO_ESP || nh == IPPROTO_AH || nh == IPPROTO_COMP ||
	    nh == IPPROTO_IPIP || nh == IPPROTO_IPV6) {
		p->proto = nh;
		in_run(skb);	/* nested: the next header is at the same place */
		return;
	}
	/* IPv6: a fragment header may follow; IPv4 was whole at LOCAL_IN. */
	if (p->family == AF_INET6 && ipv6_ext_hdr(nh))
		in_inner(skb, p);
	else
		kame_in_reinject(skb, p);
}

static void in_resume(struct sk_buff *skb, int err)
{
	struct kame_pkt *p = kame_pkt(skb);
	__be32 spi = p->sa[p->n - 1]->spi;

	if (err) {
		kame_pkt_drop(skb, p, err != -EBADMSG ? KAME_DROP_IN_CRYPTO :
			      p->proto == IPPROTO_AH ? KAME_DROP_IN_AH_ICV :
			      KAME_DROP_IN_ESP_ICV, spi);
		return;
	}
	in_applied(skb, p);
}

static const xfrm_address_t *outer_daddr(struct sk_buff *skb,
					 unsigned short family)
{
	if (family == AF_INET)
		return (const xfrm_address_t *)&ip_hdr(skb)->daddr;
	return (const xfrm_address_t *)&ipv6_hdr(skb)->daddr;
}

/* SPI and sequence number of the ESP or AH header at @hoff. */
static bool read_spi_seq(struct sk_buff *skb, u8 proto, unsigned int hoff,
			 __be32 *spi, __be32 *seq)
{
	unsigned int off = proto == IPPROTO_AH ? 4 : 0;
	__be32 *w;

	if (proto == IPPROTO_COMP) {
		*seq = 0;	/* IPComp has none */
		return kame_ipcomp_read_cpi(skb, hoff, spi);
	}
	if (!pskb_may_pull(skb, hoff + off + 8))
		return false;
	w = (__be32 *)(skb->data + hoff + off);
	*spi = w[0];
	*seq = w[1];
	return true;
}

/* IPComp (ipcomp.c): no sequence number, synchronous. */
static void in_comp(struct sk_buff *skb, struct kame_pkt *p,
		    struct kame_sa *sa)
{
	int nh;

	if (!kame_sa_charge(sa, skb->len)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_SA_STATE, sa->spi);
		return;
	}
	nh = kame_ipcomp_input(skb, p, sa, p->hoff);
	if (nh < 0) {
		kame_pkt_drop(skb, p, kame_ipcomp_drop_reason(nh), sa->spi);
		return;
	}
	in_next(skb, p, nh);
}

/*
 * IP-in-IP at p->hoff: if its endpoints are those of one of our tunnel-mode
 * IPComp SAs, a packet the peer sent uncompressed (Linux XFRM does so for
 * small packets: its "ipip" state); decapsulate it as that SA. Other IP-in-IP
 * goes on as it is.
 */
static void in_ipip(struct sk_buff *skb, struct kame_pkt *p)
{
	struct kame_sa *sa = NULL;

	if (p->n < KAME_PKT_MAXSA)
		sa = kame_ipcomp_ipip_sa(kame_net(p->net), skb, p->family);
	if (!sa) {
		kame_in_reinject(skb, p);
		return;
	}
	p->sa[p->n++] = sa;
	if (!kame_sa_charge(sa, skb->len)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_SA_STATE, sa->spi);
		return;
	}
	if (kame_tunnel_decap(skb, p, p->proto)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_BAD_INNER, sa->spi);
		return;
	}
	kame_ipcomp_ipip_accepted(p);
	in_inner(skb, p);
}

/* Look up, check and start verifying the ESP/AH header at p->hoff. */
static void in_run(struct sk_buff *skb)
{
	struct kame_pkt *p = kame_pkt(skb);
	struct kame_net *kn = kame_net(p->net);
	bool ah = p->proto == IPPROTO_AH;
	struct kame_sa *sa;
	__be32 spi, seq;
	int err;

	if (p->proto == IPPROTO_IPIP || p->proto == IPPROTO_IPV6) {
		in_ipip(skb, p);
		return;
	}
	if (p->n == KAME_PKT_MAXSA) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_TOO_DEEP, 0);
		return;
	}
	if (!read_spi_seq(skb, p->proto, p->hoff, &spi, &seq)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_TRUNCATED, 0);
		return;
	}
	rcu_read_lock();
	sa = kame_sa_lookup_in(kn, p->family, outer_daddr(skb, p->family),
			       spi, p->proto);
	rcu_read_unlock();
	if (!sa) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_NOSA, spi);
		return;
	}
	p->sa[p->n++] = sa;
	if (!sa->xform || !kame_sa_usable(sa)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_SA_STATE, sa->spi);
		return;
	}
	/* Only the outermost SA may be NAT-T, and then only in UDP. */
	if (!!sa->natt_type != (p->n == 1 && p->natt.udp)) {
		kame_pkt_drop(skb, p, KAME_DROP_IN_NATT_MISMATCH, sa->spi);
		return;
	}
	if (p->proto == IPPROTO_COMP) {
		in_comp(skb, p, sa);
		return;
	}
	p->seq = ntohl(seq);
	if (kame_replay_check(&kame_xf(sa)->replay, p->seq)) {
		kame_pkt_drop(skb, p, ah ? KAME_DROP_IN_AH_REPLAY :
			      KAME_DROP_IN_ESP_REPLAY, sa->spi);
		return;
	}
	if (kame_fault(KAME_FAULT_IN_CRYPTO))
		err = -EIO;
	else if (ah)
		err = kame_ah_input(skb, sa, p->family, p->hoff, in_resume);
	else
		err = kame_esp_input(skb, sa, p->hoff, in_resume);
	if (err == -EINPROGRESS)
		return;
	if (err) {
		kame_pkt_drop(skb, p, err == -EBADMSG ? (ah ? KAME_DROP_IN_AH_ICV :
							 KAME_DROP_IN_ESP_ICV) :
			      err == -EMSGSIZE ? KAME_DROP_IN_TRUNCATED :
			      err == -ENOMEM ? KAME_DROP_IN_NOMEM :
			      err == -EPROTONOSUPPORT ? KAME_DROP_IN_BAD_INNER :
			      KAME_DROP_IN_CRYPTO, sa->spi);
		return;
	}
	in_applied(skb, p);
}

/* Is there an SA for this ESP/AH packet, ours or (else) possibly XFRM's? */
static bool have_sa(struct kame_net *kn, struct sk_buff *skb,
		    unsigned short family, unsigned int hoff, u8 proto)
{
	__be32 spi, seq;
	struct kame_sa *sa;

	if (proto == IPPROTO_IPIP || proto == IPPROTO_IPV6)
		return true;	/* the caller found our IPComp SA */
	if (!read_spi_seq(skb, proto, hoff, &spi, &seq))
		return true;	/* let in_run count it as truncated */
	rcu_read_lock();
	sa = kame_sa_lookup_in(kn, family, outer_daddr(skb, family), spi,
			       proto);
	rcu_read_unlock();
	if (!sa)
		return false;
	kame_sa_put(sa);
	return true;
}

static unsigned int in_ipsec(struct net *net, struct sk_buff *skb,
			     unsigned short family, unsigned int hoff,
			     unsigned int nhoff, u8 proto,
			     const struct kame_natt_rx *natt)
{
	struct kame_net *kn = kame_net(net);
	struct kame_pkt *p;
	unsigned int verdict;

	/* Not ours: leave it to Linux XFRM if it has states here. */
	if (!natt && !have_sa(kn, skb, family, hoff, proto) &&
	    READ_ONCE(net->xfrm.state_num))
		return NF_ACCEPT;
	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	if (!p) {
		kame_drop(net, family, KAME_DROP_IN_NOMEM, 0, 0, skb, NULL);
		return NF_DROP;
	}
	verdict = kame_ct_confirm(skb);
	if (verdict != NF_ACCEPT) {
		kfree(p);
		return verdict;
	}
	p->net = net;
	p->family = p->orig_family = family;
	p->hoff = hoff;
	p->nhoff = nhoff;
	p->proto = proto;
	if (natt)
		p->natt = *natt;
	/* Asynchronous crypto may outlive "ip link del": hold the device. */
	p->dev = skb->dev;
	dev_hold(p->dev);
	*kame_pkt_slot(skb) = p;
	in_run(skb);
	return NF_STOLEN;
}

/* IP-in-IP from the far end of one of our tunnel-mode IPComp SAs? */
static bool ipcomp_peer(struct net *net, struct sk_buff *skb,
			unsigned short family)
{
	struct kame_sa *sa = kame_ipcomp_ipip_sa(kame_net(net), skb, family);

	if (!sa)
		return false;
	kame_sa_put(sa);
	return true;
}

unsigned int kame_input_hook(struct net *net, struct sk_buff *skb,
			     unsigned short family)
{
	unsigned int hoff, nhoff;
	bool frag;
	u8 proto;

	if (skb_sec_path(skb))
		return NF_ACCEPT;	/* Linux XFRM's */
	kame_skb_to_network(skb);
	if (next_header(skb, family, &proto, &hoff, &nhoff, &frag)) {
		kame_drop(net, family, KAME_DROP_IN_TRUNCATED, 0, 0, skb, NULL);
		return NF_DROP;
	}
	if (frag)
		return kame_in_frag6(net, skb, proto);
	if (proto == IPPROTO_ESP || proto == IPPROTO_AH ||
	    proto == IPPROTO_COMP)
		return in_ipsec(net, skb, family, hoff, nhoff, proto, NULL);
	if ((proto == IPPROTO_IPIP || proto == IPPROTO_IPV6) &&
	    !kame_checked_by_us(skb, family) && ipcomp_peer(net, skb, family))
		return in_ipsec(net, skb, family, hoff, nhoff, proto, NULL);
	/* ESP in UDP (RFC 3948), taken before UDP delivery: natt.c. */
	if (proto == IPPROTO_UDP && !kame_checked_by_us(skb, family)) {
		struct kame_natt_rx rx;

		switch (kame_natt_input(net, skb, family, hoff, nhoff, &rx)) {
		case KAME_NATT_TAKEN:
			return NF_STOLEN;
		case KAME_NATT_ESP:
			return in_ipsec(net, skb, family, hoff, nhoff,
					IPPROTO_ESP, &rx);
		case KAME_NATT_PASS:
			break;
		}
	}
	if (kame_checked_by_us(skb, family))
		return NF_ACCEPT;
	return kame_policy_check_clear(net, skb, family, false);
}

unsigned int kame_forward_hook(struct net *net, struct sk_buff *skb,
			       unsigned short family)
{
	if (skb_sec_path(skb) || kame_checked_by_us(skb, family))
		return NF_ACCEPT;	/* XFRM's, or checked at decapsulation */
	return kame_policy_check_clear(net, skb, family, true);
}
