// SPDX-License-Identifier: GPL-2.0
/*
 * The transform engine's module and per-netns life cycle: counters, the
 * netfilter hooks, the crypto algorithm tables, and the bookkeeping that
 * lets module exit wait for asynchronous crypto still in flight.
 */

#include <linux/module.h>
#include <linux/wait.h>
#include <net/netns/generic.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "engine.h"
#include "hooks.h"
#include "algs.h"
#include "xform.h"
#include "replay.h"
#include "pkt.h"
#include "fault.h"

static unsigned int kame_engine_net_id __read_mostly;

int (*kame_frag6_gather)(struct net *net, struct sk_buff *skb, u32 user)
	__read_mostly;
static atomic_t inflight = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(inflight_wq);

struct kame_engine_net *kame_engine_net(const struct net *net)
{
	return net_generic(net, kame_engine_net_id);
}

struct net *kame_engine_hold(struct sk_buff *skb)
{
	struct net *net = kame_pkt(skb)->net;

	atomic_inc(&kame_engine_net(net)->inflight);
	atomic_inc(&inflight);
	return net;
}

void kame_engine_release(struct net *net)
{
	/*
	 * Nothing of the netns is touched after its count drops; the RCU
	 * read section lets module exit wait (synchronize_rcu()) for the
	 * wake-ups that follow the last drop.
	 */
	rcu_read_lock();
	if (atomic_dec_and_test(&kame_engine_net(net)->inflight))
		wake_up_all(&inflight_wq);
	if (atomic_dec_and_test(&inflight))
		wake_up_all(&inflight_wq);
	rcu_read_unlock();
}

static int __net_init engine_net_init(struct net *net)
{
	struct kame_engine_net *en = kame_engine_net(net);
	int err;

	en->net = net;
	atomic_set(&en->inflight, 0);
	err = kame_stats_net_init(net);
	if (err)
		return err;
	err = kame_hooks_net_init(net);
	if (err) {
		kame_stats_net_exit(net);
		return err;
	}
	return 0;
}

/*
 * Netns exit (and module unload) in two steps. pre_exit unregisters the
 * hooks: no new packet enters, but a hook already running on another CPU
 * may still be in our code; the netns core then waits for an RCU grace
 * period (one for every netns of the batch), which covers those (hooks run
 * under rcu_read_lock()). exit then waits for the packets still out in
 * asynchronous crypto (they count, send or re-inject in this netns) and
 * only then frees the counters. Our exit runs before the control plane's
 * and the socket policies' (registered before us) and before the devices
 * go (default_device_exit_batch, registered at boot), so SAs, policies,
 * routes and devices are all still there for them.
 */
static void __net_exit engine_net_pre_exit(struct net *net)
{
	kame_hooks_net_exit(net);
}

static void __net_exit engine_net_exit(struct net *net)
{
	struct kame_engine_net *en = kame_engine_net(net);

	wait_event(inflight_wq, atomic_read(&en->inflight) == 0);
	kame_stats_net_exit(net);
}

static struct pernet_operations engine_net_ops = {
	.init = engine_net_init,
	.pre_exit = engine_net_pre_exit,
	.exit = engine_net_exit,
	.id = &kame_engine_net_id,
	.size = sizeof(struct kame_engine_net),
};

int kame_engine_init(void)
{
	int err;

	err = kame_replay_selftest();
	if (err)
		return err;
	kame_xform_register();
	/*
	 * IPv6 fragments reach LOCAL_IN before the stack reassembles them
	 * (IPv4's are reassembled first): we reassemble those ourselves with
	 * nf_defrag_ipv6's queue, loading it (symbol_request) as insmod
	 * would not. Only the fragments addressed to us are touched; no
	 * defrag hook is enabled for the netns.
	 */
	kame_frag6_gather = symbol_request(nf_ct_frag6_gather);
	if (!kame_frag6_gather)
		pr_warn("no nf_defrag_ipv6: IPv6 fragments to this host are not reassembled for IPsec\n");
	kame_fault_init();
	err = register_pernet_subsys(&engine_net_ops);
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	kame_fault_exit();
	if (kame_frag6_gather)
		symbol_put(nf_ct_frag6_gather);
	return err;
}

/*
 * Teardown: 1. unregister the hooks in every netns (no new packets enter)
 * and wait for those running and for crypto completions still in our code
 * (engine_net_pre_exit/exit, then the last wake-ups: synchronize_rcu()).
 * The xform ops stay registered: the control plane frees its remaining SAs
 * after this (netns exit), calling our destroy; the algorithm table
 * (kmod/algs.c) they use stays until main.c's kame_algs_exit(), after the
 * control plane.
 */
void kame_engine_exit(void)
{
	unregister_pernet_subsys(&engine_net_ops);
	wait_event(inflight_wq, atomic_read(&inflight) == 0);
	synchronize_rcu();
	rcu_barrier();
	kame_fault_exit();
	if (kame_frag6_gather)
		symbol_put(nf_ct_frag6_gather);
}
