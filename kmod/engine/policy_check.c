// SPDX-License-Identifier: GPL-2.0
/*
 * The inbound policy check: does the policy for a received packet (the
 * receiving socket's own, else the SPD's in/fwd policy) accept it as it
 * came, clear or through the SAs input.c used? Stricter than KAME: the SAs
 * must match the policy's requests in order (RFC 4301 5.2). One decision
 * shared by decapsulated, clear local and forwarded packets, kept apart
 * from the pipeline that finds the SAs.
 */

#include <linux/netfilter.h>
#include <net/xfrm.h>

#include "netns.h"
#include "pkt.h"
#include "pktsel.h"
#include "policy_check.h"
#include "xfrm_compat/sockpolicy.h"

static int def_policy(struct kame_net *kn, unsigned short family)
{
	return READ_ONCE(kame_ipsec_knobs_of(kn, family)->def_policy);
}

/* Does SA @sa satisfy request @r (protocol, mode, endpoints, reqid)? */
static bool sa_matches(const struct kame_sa *sa, const struct kame_sp_req *r,
		       u8 level)
{
	if (sa->proto != r->proto)
		return false;
	if (sa->mode != IPSEC_MODE_ANY && sa->mode != r->mode)
		return false;
	if (r->mode == IPSEC_MODE_TUNNEL && r->family &&
	    (sa->family != r->family ||
	     !xfrm_addr_equal(&sa->saddr, &r->src, sa->family) ||
	     !xfrm_addr_equal(&sa->daddr, &r->dst, sa->family)))
		return false;
	if (level == IPSEC_LEVEL_UNIQUE && sa->reqid != r->reqid)
		return false;
	return true;
}

/*
 * The inbound policy check. KAME only asks "was it decrypted /
 * authenticated as the policy requires"; we check, as RFC 4301 5.2 asks,
 * that the SAs used (innermost first) match the policy's requests in
 * order: protocol, mode, tunnel endpoints, and reqid for level unique.
 * Requests at level use may be missing. 0 or the drop reason.
 */
enum kame_drop kame_policy_check(struct kame_net *kn, struct sk_buff *skb,
				 const struct kame_selector *sel,
				 struct kame_sa **sas, unsigned int n,
				 bool forwarded, u32 *pol_id)
{
	struct kame_policy *pol = NULL;
	enum kame_drop why = 0;
	int j = n - 1;		/* sas[] is outermost first */
	unsigned int i;

	/* KAME: the receiving socket's own policy first, then the SPD. */
	if (!forwarded)
		pol = kame_sock_policy_in(kn->net, skb, sel);
	rcu_read_lock();
	if (!pol)
		pol = kame_spd_lookup(kn, forwarded ? IPSEC_DIR_FWD :
					  IPSEC_DIR_INBOUND, sel);
	if (!pol)
		pol = kame_spd_lookup(kn, forwarded ? IPSEC_DIR_INBOUND :
					  IPSEC_DIR_FWD, sel);
	rcu_read_unlock();
	*pol_id = 0;
	if (!pol)
		return def_policy(kn, sel->family) ? 0 :
						     KAME_DROP_IN_POLICY_DISCARD;
	*pol_id = pol->id;
	kame_policy_touch(pol);
	if (pol->type == IPSEC_POLICY_DISCARD) {
		why = KAME_DROP_IN_POLICY_DISCARD;
	} else if (pol->type == IPSEC_POLICY_IPSEC && !pol->nreq) {
		/* "ipsec" with nothing to apply (X_SPDSETIDX): fail closed. */
		why = KAME_DROP_IN_POLICY_NOREQ;
	} else if (pol->type == IPSEC_POLICY_IPSEC) {
		for (i = 0; i < pol->nreq; i++) {
			const struct kame_sp_req *r = &pol->req[i];
			u8 level = kame_sp_req_level(kn, sel->family, r);

			if (j >= 0 && sa_matches(sas[j], r, level)) {
				j--;
				continue;
			}
			/* IPComp is never required (KAME): RFC 3173 2.2. */
			if (level == IPSEC_LEVEL_USE || r->proto == IPPROTO_COMP)
				continue;
			why = n ? KAME_DROP_IN_POLICY_MISMATCH :
				  KAME_DROP_IN_POLICY_CLEAR;
			break;
		}
	}
	kame_policy_put(pol);
	return why;
}

unsigned int kame_policy_check_clear(struct net *net, struct sk_buff *skb,
				     unsigned short family, bool forwarded)
{
	struct kame_net *kn = kame_net(net);
	struct kame_selector sel;
	enum kame_drop why;
	u32 pol_id;

	if (!READ_ONCE(kn->spd.count) && def_policy(kn, family) &&
	    (forwarded || !kame_sock_policies_in_use(net)))
		return NF_ACCEPT;
	if (kame_pkt_selector(skb, family, &sel)) {
		kame_drop(net, family, KAME_DROP_IN_TRUNCATED, 0, 0, skb, NULL);
		return NF_DROP;
	}
	why = kame_policy_check(kn, skb, &sel, NULL, 0, forwarded, &pol_id);
	if (!why)
		return NF_ACCEPT;
	kame_drop(net, family, why, 0, pol_id, skb, NULL);
	return NF_DROP;
}
