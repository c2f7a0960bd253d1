// SPDX-License-Identifier: GPL-2.0
/*
 * The socket an inbound packet is for, so that the engine's inbound policy
 * check can apply that socket's policy. At LOCAL_IN, early demux has already
 * set skb->sk for established TCP and connected UDP sockets; otherwise
 * (a listener's SYN, unconnected UDP) the socket tables are searched as the
 * transport layer will search them. Other protocols have no socket here:
 * the SPD decides for them.
 *
 * UDP is searched with __udp{4,6}_lib_lookup(), which every kernel exports;
 * udp{4,6}_lib_lookup() are only exported when NF_SOCKET or NF_TPROXY is
 * configured, which a minimal kernel need not have.
 */
#include <linux/module.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "sockpol_internal.h"
#include "sockpolicy.h"

/* The UDP socket, referenced, or NULL (as udp{4,6}_lib_lookup() do). */
static struct sock *udp_ref(struct sock *sk)
{
	return sk && refcount_inc_not_zero(&sk->sk_refcnt) ? sk : NULL;
}

/* Referenced socket for @sel (addresses as on the packet), or NULL. */
static struct sock *lookup(struct net *net, const struct sk_buff *skb,
			   const struct kame_selector *sel)
{
	int dif = skb->skb_iif;

	switch (sel->family) {
	case AF_INET:
		if (sel->ulproto == IPPROTO_TCP)
			return inet_lookup(net, &tcp_hashinfo, NULL, 0,
					   sel->saddr.a4, sel->sport,
					   sel->daddr.a4, sel->dport, dif);
		if (sel->ulproto == IPPROTO_UDP)
			return udp_ref(__udp4_lib_lookup(net, sel->saddr.a4,
					sel->sport, sel->daddr.a4, sel->dport,
					dif, 0, &udp_table, NULL));
		break;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		if (sel->ulproto == IPPROTO_TCP)
			return inet6_lookup(net, &tcp_hashinfo, NULL, 0,
					    &sel->saddr.in6, sel->sport,
					    &sel->daddr.in6, sel->dport, dif);
		if (sel->ulproto == IPPROTO_UDP)
			return udp_ref(__udp6_lib_lookup(net, &sel->saddr.in6,
					sel->sport, &sel->daddr.in6, sel->dport,
					dif, 0, &udp_table, NULL));
		break;
#endif
	}
	return NULL;
}

struct kame_policy *kame_sock_policy_in(struct net *net, struct sk_buff *skb,
					const struct kame_selector *sel)
{
	struct kame_policy *pol;
	struct sock *sk;

	/* Nothing to find in a netns without socket policies. */
	if (!atomic_read(&kame_sp_net(net)->live))
		return NULL;
	if (skb->sk)
		return kame_sock_policy(skb->sk, IPSEC_DIR_INBOUND);
	/* The engine may call from a crypto completion: not always in RCU. */
	rcu_read_lock();
	sk = lookup(net, skb, sel);
	rcu_read_unlock();
	if (!sk)
		return NULL;
	pol = kame_sock_policy(sk, IPSEC_DIR_INBOUND);
	sock_gen_put(sk);
	return pol;
}

bool kame_sock_policies_in_use(const struct net *net)
{
	return atomic_read(&kame_sp_net(net)->live) != 0;
}
