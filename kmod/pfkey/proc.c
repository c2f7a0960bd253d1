// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/kame_pfkey: this netns's PF_KEY sockets, SAD and SPD sizes,
 * dumps in progress and messages queued on its sockets and not yet freed.
 * The initial netns also shows the module-wide count of SA and policy
 * objects not yet freed (they fall back to 0 once everything is flushed and
 * the grace periods have passed; the leak checks in the selftests rely on
 * it); other netns do not see them, nor anything else of their neighbours.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "netns.h"
#include "pfkey_internal.h"

static int pfkey_proc_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct kame_net *kn = kame_net(net);
	struct pfkey_net *pn = pfkey_net(net);

	seq_printf(seq, "sockets %d\n", atomic_read(&pn->nsockets));
	seq_printf(seq, "sad %u\n", READ_ONCE(kn->sad.count));
	seq_printf(seq, "spd %u\n", READ_ONCE(kn->spd.count));
	seq_printf(seq, "dumps %d\n", atomic_read(&pn->dumps));
	seq_printf(seq, "queued %d\n", atomic_read(&pn->queued));
	if (net_eq(net, &init_net)) {
		seq_printf(seq, "sa_objects %d\n",
			   atomic_read(&kame_sa_objects));
		seq_printf(seq, "policy_objects %d\n",
			   atomic_read(&kame_policy_objects));
	}
	return 0;
}

int pfkey_proc_net_init(struct net *net)
{
	if (!proc_create_net_single("kame_pfkey", 0444, net->proc_net,
				    pfkey_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

void pfkey_proc_net_exit(struct net *net)
{
	remove_proc_entry("kame_pfkey", net->proc_net);
}
