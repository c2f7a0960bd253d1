// SPDX-License-Identifier: GPL-2.0
/*
 * kameipsec: the KAME IPsec stack (PF_KEY v2, SPD, SAD, ESP/AH/IPcomp) as a
 * loadable module. This file only runs the parts' initialisers in order and
 * unwinds them. Whatever the packet path uses (the SAD and SPD, the socket
 * policy table) exists before the engine registers its hooks, and is freed
 * only after the engine's exit has unregistered them and drained its
 * packets (asynchronous crypto included). Socket policies are accepted
 * once the engine applies them. The "kameipsec" generic netlink family
 * (counters, drop events) comes after the engine whose counters it reads. The PF_KEY family is registered last, so
 * no user can reach a half-built module; teardown is the mirror order.
 */

#include <linux/module.h>
#include <linux/net.h>

#include "algs.h"
#include "netns.h"
#include "sad.h"
#include "spd.h"
#include "pfkey/af_pfkey.h"
#include "engine/engine.h"
#include "xfrm_compat/sockpolicy.h"
#include "genl/genl.h"

static int __init kame_init(void)
{
	int err;

	/* PF_KEY's REGISTER and the engine's transforms both read it. */
	err = kame_algs_init();
	if (err)
		return err;

	err = kame_netns_init();
	if (err)
		goto err_netns;

	err = kame_sockpol_init();
	if (err)
		goto err_sockpol;

	err = kame_engine_init();
	if (err)
		goto err_engine;

	kame_sockpol_km_init();

	/* Reads the engine's counters; tells of its drops from now on. */
	err = kame_genl_init();
	if (err)
		goto err_genl;

	err = kame_pfkey_init();
	if (err)
		goto err_pfkey;

	pr_info("KAME IPsec loaded: PF_KEY v2 served by kameipsec\n");
	return 0;

err_pfkey:
	kame_genl_exit();
err_genl:
	kame_sockpol_km_exit();
	kame_engine_exit();
err_engine:
	kame_sockpol_exit();
err_sockpol:
	kame_netns_exit();
err_netns:
	kame_algs_exit();
	return err;
}

static void __exit kame_exit(void)
{
	kame_pfkey_exit();
	kame_genl_exit();	/* no drop event after this */
	kame_sockpol_km_exit();
	kame_engine_exit();	/* hooks gone, packets drained */
	kame_sockpol_exit();
	kame_netns_exit();
	kame_algs_exit();	/* no SA left to free its transforms */
	/*
	 * Every SA and policy of every netns is gone by now; a count left
	 * is a leak (the selftests fail on this warning at each rmmod).
	 */
	rcu_barrier();
	WARN(atomic_read(&kame_sa_objects) || atomic_read(&kame_policy_objects),
	     "kameipsec: unloaded with %d SA and %d policy objects not freed\n",
	     atomic_read(&kame_sa_objects), atomic_read(&kame_policy_objects));
	pr_info("KAME IPsec unloaded\n");
}

module_init(kame_init);
module_exit(kame_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KAME IPsec stack: PF_KEY v2, SPD/SAD, ESP/AH/IPcomp");
MODULE_AUTHOR("kameipsec developers");
/* "net-pf-15": the first PF_KEY socket loads us, as it loads af_key */
MODULE_ALIAS_NETPROTO(PF_KEY);
