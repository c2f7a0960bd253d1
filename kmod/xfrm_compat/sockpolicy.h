/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-socket IPsec policies: what setsockopt(IP_IPSEC_POLICY) and
 * setsockopt(IPV6_IPSEC_POLICY) with an ipsec_set_policy(3) buffer set, as
 * the engine sees them. See Documentation/xfrm-compat.md.
 *
 * The engine asks for a socket's policy before its SPD lookup (KAME: the
 * socket policy comes first):
 *
 *	pol = kame_sock_policy(sk, IPSEC_DIR_OUTBOUND);
 *	if (!pol)
 *		pol = kame_spd_lookup(kn, IPSEC_DIR_OUTBOUND, &sel);
 *
 * and applies a returned policy exactly like an SPD entry, by pol->type:
 *  - IPSEC_POLICY_IPSEC: the request chain pol->req[0..nreq) (the selector
 *    pol->sel is empty: a socket policy covers all of the socket's traffic);
 *  - IPSEC_POLICY_DISCARD: drop;
 *  - IPSEC_POLICY_BYPASS or IPSEC_POLICY_NONE: pass without IPsec, even if
 *    the SPD has a policy for the packet.
 * "entrust" (defer to the SPD) is never returned: it is NULL, as is a socket
 * without a kameipsec policy. The result is referenced: kame_policy_put()
 * it when done. pol->id is unique among socket policies and, as Linux's
 * socket policy indexes, has id & 7 = 3 (in) or 4 (out).
 */
#ifndef KAME_XFRM_COMPAT_SOCKPOLICY_H
#define KAME_XFRM_COMPAT_SOCKPOLICY_H

#include <linux/types.h>
#include <net/sock.h>
#include <net/inet_sock.h>

struct kame_policy;
struct kame_selector;
struct sk_buff;
struct net;

/*
 * The kameipsec policy of socket @sk (any socket pointer found on an skb:
 * request and time-wait sockets are handled) for @dir, IPSEC_DIR_INBOUND or
 * IPSEC_DIR_OUTBOUND; NULL if none or entrust. Any context (takes
 * rcu_read_lock() itself); @sk may be NULL.
 */
struct kame_policy *kame_sock_policy(const struct sock *sk, u8 dir);

/*
 * Inbound: the policy of the local socket @skb is for (skb->sk if early
 * demux set it, else the TCP or UDP socket the transport layer will find
 * for @sel, the packet's selector as kame_pkt_selector() builds it:
 * saddr = the peer). NULL as above, and at once when the netns has no
 * socket policy. For LOCAL_IN packets only (not forwarded ones). Any
 * context.
 */
struct kame_policy *kame_sock_policy_in(struct net *net, struct sk_buff *skb,
					const struct kame_selector *sel);

/*
 * True while some socket of @net carries a kameipsec policy (or did in the
 * last seconds): the inbound fast path "no SPD entry, default policy
 * none: accept" is only valid when this is false.
 */
bool kame_sock_policies_in_use(const struct net *net);

/*
 * Cheap test for a fast path: false when @sk certainly has no socket policy
 * in @dir (then kame_sock_policy() would return NULL).
 */
static inline bool kame_sock_may_have_policy(const struct sock *sk, u8 dir)
{
#ifdef CONFIG_XFRM
	sk = sk_const_to_full_sk(sk);
	if (!sk || !sk_fullsock(sk))
		return false;
	return rcu_access_pointer(sk->sk_policy[dir == IPSEC_DIR_INBOUND ? 0 : 1]);
#else
	return false;
#endif
}

/*
 * Module init/exit (kmod/main.c), in two parts around the engine, whose
 * hooks read the table and the per-netns state:
 *  - kame_sockpol_init(): the table and its per-netns state, before the
 *    engine; kame_sockpol_exit() frees them after the engine's hooks are
 *    gone and its packets drained;
 *  - kame_sockpol_km_init(): the XFRM key manager (setsockopt() policies),
 *    once the engine applies them; kame_sockpol_km_exit(), before the
 *    engine goes, unregisters it and blocks the sockets' "ipsec" policies.
 */
int kame_sockpol_init(void);
void kame_sockpol_exit(void);
void kame_sockpol_km_init(void);
void kame_sockpol_km_exit(void);

#endif /* KAME_XFRM_COMPAT_SOCKPOLICY_H */
