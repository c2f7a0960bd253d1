// SPDX-License-Identifier: GPL-2.0
/* Per-network-namespace state: created with the netns, freed with it. */

#include <linux/module.h>
#include <net/netns/generic.h>

#include "netns.h"

static unsigned int kame_net_id __read_mostly;

struct kame_net *kame_net(const struct net *net)
{
	return net_generic(net, kame_net_id);
}

static int __net_init kame_net_init(struct net *net)
{
	struct kame_net *kn = kame_net(net);
	int err;

	kn->net = net;
	kame_acquire_net_init(kn);
	kame_sysctl_defaults(kn);

	err = kame_sad_net_init(kn);
	if (err)
		return err;
	err = kame_spd_net_init(kn);
	if (err)
		goto err_spd;
	err = kame_sysctl_net_init(kn);
	if (err)
		goto err_sysctl;
	return 0;

err_sysctl:
	kame_spd_net_exit(kn);
err_spd:
	kame_sad_net_exit(kn);
	return err;
}

static void __net_exit kame_net_exit(struct net *net)
{
	struct kame_net *kn = kame_net(net);

	/*
	 * Key managers' per-netns state went before (registered later, their
	 * pernet exits run first). Knobs first (nothing reads them then),
	 * then the SPD and the SAD.
	 */
	kame_acquire_net_exit(kn);
	kame_sysctl_net_exit(kn);
	kame_spd_net_exit(kn);
	kame_sad_net_exit(kn);
}

static struct pernet_operations kame_net_ops = {
	.init = kame_net_init,
	.exit = kame_net_exit,
	.id = &kame_net_id,
	.size = sizeof(struct kame_net),
};

int kame_netns_init(void)
{
	int err = kame_acquire_selftest();

	if (err)
		return err;
	err = kame_sad_init();
	if (err)
		return err;
	err = kame_spd_cache_init();
	if (err)
		goto out_sad;
	err = register_pernet_subsys(&kame_net_ops);
	if (err)
		goto out_spd;
	return 0;
out_spd:
	kame_spd_cache_exit();
out_sad:
	kame_sad_exit();
	return err;
}

/* After every netns is torn down: the SA and policy slabs, grace periods. */
void kame_netns_exit(void)
{
	unregister_pernet_subsys(&kame_net_ops);
	kame_sad_exit();		/* waits for RCU callbacks (rcu_barrier) */
	kame_spd_cache_exit();
}
