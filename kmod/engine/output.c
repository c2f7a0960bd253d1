// SPDX-License-Identifier: GPL-2.0
/*
 * Outbound processing (POST_ROUTING): SPD lookup -> one SA per request
 * (KAME levels) -> transforms in order, innermost first -> route of the
 * result -> ip_local_out()/ip6_local_out(), marked as transformed.
 *
 * Here: the policy and SA choice and the pipeline that runs the transforms
 * (resuming after asynchronous crypto). Tunnel mode's outer header and the
 * route of the result are tunnel.c's; the path MTU check and the sizing of
 * GSO segments, pmtu.c's.
 */

#include <linux/netfilter.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>

#include "netns.h"
#include "engine.h"
#include "hooks.h"
#include "output.h"
#include "tunnel.h"
#include "pmtu.h"
#include "pktsel.h"
#include "pkt.h"
#include "esp.h"
#include "ah.h"
#include "ipcomp.h"
#include "natt.h"
#include "xform.h"
#include "km.h"
#include "xfrm_compat/sockpolicy.h"
#include "fault.h"

/*
 * Transport mode: where the new header goes, and take its next header;
 * p->nhoff becomes the offset of the byte that names the new header.
 */
static int transport_point(struct sk_buff *skb, struct kame_pkt *p, u8 proto,
			   u8 *nexthdr)
{
	if (p->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		*nexthdr = iph->protocol;
		iph->protocol = proto;
		p->nhoff = offsetof(struct iphdr, protocol);
		return iph->ihl * 4;
	} else {
		u8 *prevhdr;
		int off = ip6_find_1stfragopt(skb, &prevhdr);

		if (off < 0)
			return off;
		*nexthdr = *prevhdr;
		*prevhdr = proto;
		p->nhoff = prevhdr - skb->data;
		return off;
	}
}

static void out_run(struct sk_buff *skb);

/* SA p->i is applied: finish its packet (false: dropped and counted). */
static bool out_applied(struct sk_buff *skb, struct kame_pkt *p)
{
	struct kame_sa *sa = p->sa[p->i];

	if (sa->proto == IPPROTO_ESP && sa->natt_type) {
		int err = kame_natt_encap(skb, sa, p->family, p->hoff, p->nhoff);

		if (err) {
			kame_pkt_drop(skb, p, err == -ENOMEM ? KAME_DROP_OUT_NOMEM :
				      KAME_DROP_OUT_MALFORMED, sa->spi);
			return false;
		}
		kame_natt_stat_inc(p->net, p->orig_family, KAME_NATT_OUT_ESP);
	}
	kame_ip_fix_lengths(skb, p->family);
	if (sa->proto == IPPROTO_AH)
		kame_hist_inc(p->net, p->orig_family, KAME_HIST_OUT_AH,
			      sa->auth_alg);
	else if (sa->proto == IPPROTO_ESP)	/* IPComp counts its own */
		kame_hist_inc(p->net, p->orig_family, KAME_HIST_OUT_ESP,
			      sa->enc_alg);
	p->i++;
	return true;
}

static void out_resume(struct sk_buff *skb, int err)
{
	struct kame_pkt *p = kame_pkt(skb);

	if (err) {
		kame_pkt_drop(skb, p, KAME_DROP_OUT_CRYPTO, p->sa[p->i]->spi);
		return;
	}
	if (out_applied(skb, p))
		out_run(skb);
}

/* Apply SA p->i: 0 when done, -EINPROGRESS, or a drop was done (< 0). */
static int out_one(struct sk_buff *skb, struct kame_pkt *p)
{
	struct kame_sa *sa = p->sa[p->i];
	enum kame_drop why;
	u8 nexthdr;
	int hoff, err;

	if (!kame_sa_charge(sa, skb->len)) {
		why = KAME_DROP_OUT_SA_STATE;
		goto drop;
	}
	if (p->mode[p->i] == IPSEC_MODE_TUNNEL)
		hoff = kame_tunnel_encap(skb, p, sa, &nexthdr);
	else
		hoff = transport_point(skb, p, sa->proto, &nexthdr);
	if (hoff >= 0 && kame_fault(KAME_FAULT_OUT_MALFORMED))
		hoff = -EINVAL;
	if (hoff < 0) {
		why = hoff == -ENOMEM ? KAME_DROP_OUT_NOMEM :
					KAME_DROP_OUT_MALFORMED;
		goto drop;
	}
	p->hoff = hoff;		/* for NAT-T, after the transform */
	if (sa->proto != IPPROTO_COMP && kame_fault(KAME_FAULT_OUT_CRYPTO))
		err = -EIO;
	else if (sa->proto == IPPROTO_AH)
		err = kame_ah_output(skb, sa, p->family, hoff, nexthdr,
				     out_resume);
	else if (sa->proto == IPPROTO_COMP)
		err = kame_ipcomp_output(skb, p, sa, hoff, nexthdr);
	else
		err = kame_esp_output(skb, sa, hoff, nexthdr, out_resume);
	if (err == -EINPROGRESS)
		return err;
	if (err) {
		why = err == -EOVERFLOW ? KAME_DROP_OUT_SEQ_OVERFLOW :
		      err == -ENOMEM ? KAME_DROP_OUT_NOMEM :
				       KAME_DROP_OUT_CRYPTO;
		goto drop;
	}
	return out_applied(skb, p) ? 0 : -EPERM;
drop:
	kame_pkt_drop(skb, p, why, sa->spi);
	return -EPERM;
}

/* Every transform applied: send the result as a local packet. */
static void out_finish(struct sk_buff *skb, struct kame_pkt *p)
{
	struct net *net = p->net;
	int fam = p->family;

	if (p->dst) {
		skb_dst_drop(skb);
		skb_dst_set(skb, dst_clone(p->dst));
	}
	/* Too big for the path: let IP fragment the result (documented). */
	skb->ignore_df = 1;
	memset(skb->cb, 0, sizeof(skb->cb));
	if (fam == AF_INET) {
		IPCB(skb)->flags |= IPSKB_XFRM_TRANSFORMED;
		skb->protocol = htons(ETH_P_IP);
	} else {
		IP6CB(skb)->flags |= IP6SKB_XFRM_TRANSFORMED;
		skb->protocol = htons(ETH_P_IPV6);
	}
	kame_stat_inc(net, p->orig_family, KAME_STAT_OUT_SUCCESS);
	kame_pkt_free(p);
	if (fam == AF_INET)
		ip_local_out(net, skb->sk, skb);
	else
		ip6_local_out(net, skb->sk, skb);
}

static void out_run(struct sk_buff *skb)
{
	struct kame_pkt *p = kame_pkt(skb);

	while (p->i < p->n) {
		if (out_one(skb, p))
			return;		/* in progress, or dropped */
	}
	out_finish(skb, p);
}

/* Start one (non-GSO) packet with its own copy of the state. */
static void out_start(struct sk_buff *skb, const struct kame_pkt *tmpl)
{
	struct kame_pkt *p = kmemdup(tmpl, sizeof(*tmpl), GFP_ATOMIC);
	unsigned int i;

	if (!p) {
		kame_drop(tmpl->net, tmpl->orig_family, KAME_DROP_OUT_NOMEM, 0,
			  tmpl->policy_id, skb, NULL);
		kfree_skb(skb);
		return;
	}
	for (i = 0; i < p->n; i++)
		kame_sa_hold(p->sa[i]);
	if (p->dst)
		dst_hold(p->dst);
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kame_pkt_drop(skb, p, KAME_DROP_OUT_MALFORMED, 0);
		return;
	}
	kame_skb_to_network(skb);
	/*
	 * Transport mode rewrites the IP header in place: a clone's (TCP
	 * keeps the original for retransmission) must become our own first.
	 */
	if (skb_cow_head(skb, 0)) {
		kame_pkt_drop(skb, p, KAME_DROP_OUT_NOMEM, 0);
		return;
	}
	*kame_pkt_slot(skb) = p;
	out_run(skb);
}

/*
 * One SA per request. Transport requests use the current address pair
 * (the packet's, or the last tunnel's endpoints). A missing SA asks for
 * keys; level use then goes on without that transform, require/unique
 * drop. Returns 0 to continue (p->n may be 0 for level use) or the drop
 * reason. An "ipsec" policy with nothing to apply fails closed (KAME's
 * ipsec_checkpolicy), as does an SA the engine has no transform for.
 */
static enum kame_drop find_sas(struct kame_net *kn, struct kame_pkt *p,
			       const struct kame_policy *pol,
			       const struct kame_selector *sel)
{
	xfrm_address_t src = sel->saddr, dst = sel->daddr;
	u16 fam = sel->family;
	unsigned int i;

	if (!pol->nreq)
		return KAME_DROP_OUT_POLICY_NOREQ;
	for (i = 0; i < pol->nreq; i++) {
		const struct kame_sp_req *r = &pol->req[i];
		u8 level = kame_sp_req_level(kn, sel->family, r);
		xfrm_address_t s = src, d = dst;
		u16 f = fam;
		struct kame_sa *sa;

		if (r->mode == IPSEC_MODE_TUNNEL) {
			s = r->src;
			d = r->dst;
			f = r->family;
		}
		rcu_read_lock();
		sa = kame_sa_lookup_out(kn, f, &s, &d, r->proto, r->mode,
					level == IPSEC_LEVEL_UNIQUE ? r->reqid : 0);
		rcu_read_unlock();
		if (sa && !sa->xform) {
			kame_sa_put(sa);
			return KAME_DROP_OUT_SA_STATE;
		}
		if (!sa) {
			/* Ask the key daemons (rate-limited by blockacq_*). */
			kame_km_acquire(kn, pol, r, f, &s, &d);
			if (level == IPSEC_LEVEL_USE)
				continue;
			return KAME_DROP_OUT_NOSA;
		}
		p->mode[p->n] = r->mode;
		p->sa[p->n++] = sa;
		src = s;
		dst = d;
		fam = f;
	}
	return 0;
}

unsigned int kame_output_hook(struct net *net, struct sk_buff *skb,
			      unsigned short family)
{
	struct kame_net *kn = kame_net(net);
	struct kame_pkt tmpl = { .net = net, .family = family,
				 .orig_family = family };
	struct kame_selector sel;
	struct kame_policy *pol;
	struct sk_buff *segs, *seg, *next;
	unsigned int verdict;
	enum kame_drop why;
	unsigned int i;

	if (!READ_ONCE(kn->spd.count) &&
	    READ_ONCE(kame_ipsec_knobs_of(kn, family)->def_policy) != 0 &&
	    !kame_sock_may_have_policy(skb->sk, IPSEC_DIR_OUTBOUND))
		return NF_ACCEPT;
	if (kame_pkt_selector(skb, family, &sel)) {
		kame_drop(net, family, KAME_DROP_OUT_MALFORMED, 0, 0, skb, NULL);
		return NF_DROP;
	}
	/* KAME: the socket's own policy first, then the SPD. */
	pol = kame_sock_policy(skb->sk, IPSEC_DIR_OUTBOUND);
	rcu_read_lock();
	if (!pol)
		pol = kame_spd_lookup(kn, IPSEC_DIR_OUTBOUND, &sel);
	rcu_read_unlock();
	if (!pol) {
		if (READ_ONCE(kame_ipsec_knobs_of(kn, family)->def_policy) != 0)
			return NF_ACCEPT;
		kame_drop(net, family, KAME_DROP_OUT_POLICY_DISCARD, 0, 0, skb,
			  NULL);
		return NF_DROP;
	}
	kame_policy_touch(pol);
	tmpl.policy_id = pol->id;
	switch (pol->type) {
	case IPSEC_POLICY_DISCARD:
		kame_drop(net, family, KAME_DROP_OUT_POLICY_DISCARD, 0, pol->id,
			  skb, NULL);
		kame_policy_put(pol);
		return NF_DROP;
	case IPSEC_POLICY_IPSEC:
		break;
	default:
		kame_policy_put(pol);
		return NF_ACCEPT;
	}
	why = find_sas(kn, &tmpl, pol, &sel);
	kame_policy_put(pol);
	if (why) {
		kame_drop(net, family, why, 0, tmpl.policy_id, skb, NULL);
		verdict = NF_DROP;
		/*
		 * Keys are being negotiated: KAME's ip_output hides this from
		 * the sender ("don't show these error codes to the user"), as
		 * XFRM does; a program that exits on the first EPERM (busybox
		 * ping) would never see the SA come up.
		 */
		if (why == KAME_DROP_OUT_NOSA) {
			kfree_skb(skb);
			verdict = NF_STOLEN;
		}
		goto out_put;
	}
	verdict = NF_ACCEPT;
	if (!tmpl.n)
		goto out_put;
	if (kame_tunnel_route(&tmpl, skb)) {
		kame_drop(net, family, KAME_DROP_OUT_NOROUTE, 0, tmpl.policy_id,
			  skb, NULL);
		verdict = NF_DROP;
		goto out_put;
	}
	if (kame_pmtu_too_big(skb, &tmpl, &sel)) {
		verdict = NF_DROP;
		goto out_put;
	}
	/* We take the packet: do what conntrack's confirm would have. */
	verdict = kame_ct_confirm(skb);
	if (verdict != NF_ACCEPT)
		goto out_put;
	nf_reset_ct(skb);

	if (!skb_is_gso(skb)) {
		out_start(skb, &tmpl);
	} else {
		kame_pmtu_fit_gso(skb, &tmpl);
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			kame_drop(net, family, KAME_DROP_OUT_MALFORMED, 0,
				  tmpl.policy_id, skb, NULL);
			kfree_skb(skb);
		} else {
			consume_skb(skb);
			skb_list_walk_safe(segs, seg, next) {
				skb_mark_not_on_list(seg);
				out_start(seg, &tmpl);
			}
		}
	}
	verdict = NF_STOLEN;
out_put:
	for (i = 0; i < tmpl.n; i++)
		kame_sa_put(tmpl.sa[i]);
	dst_release(tmpl.dst);
	return verdict;
}
