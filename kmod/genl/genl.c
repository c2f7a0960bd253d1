// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kameipsec": its registration, the counters
 * (KAME_CMD_GET_STATS) and their reset (KAME_CMD_RESET_STATS). The
 * commands and attributes are documented in linux/kame_ipsecstat.h.
 */

#include <linux/module.h>
#include <linux/socket.h>
#include <linux/capability.h>
#include <net/genetlink.h>
#include <linux/kame_ipsecstat.h>

#include "genl.h"

/*
 * What a request may carry. Strict validation (the family's default): any
 * other attribute is refused, and so are reserved header fields.
 */
static const struct nla_policy kame_genl_policy[KAME_A_MAX + 1] = {
	[KAME_A_FAMILY] = { .type = NLA_U8 },
};

/* The request's address family: AF_INET, AF_INET6, or @dflt if absent. */
static int req_family(struct nlattr **attrs, struct netlink_ext_ack *extack,
		      int dflt)
{
	struct nlattr *a = attrs[KAME_A_FAMILY];

	if (!a)
		return dflt;
	if (nla_get_u8(a) != AF_INET && nla_get_u8(a) != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, a, "family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	return nla_get_u8(a);
}

struct fill_arg {
	struct sk_buff *msg;
	bool priv;
};

static int put_counter(const struct kame_counter_view *c, void *arg)
{
	struct fill_arg *a = arg;
	struct sk_buff *msg = a->msg;
	struct nlattr *nest = nla_nest_start(msg, KAME_A_COUNTER);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, KAME_A_KIND, c->kind) ||
	    nla_put_string(msg, KAME_A_NAME, c->name) ||
	    nla_put_u64_64bit(msg, KAME_A_VALUE, c->value, KAME_A_PAD))
		goto cancel;
	if (c->kind == KAME_KIND_HIST &&
	    nla_put_string(msg, KAME_A_ALG_NAME, c->alg))
		goto cancel;
	if (c->kind == KAME_KIND_DROP) {
		if (nla_put_u32(msg, KAME_A_REASON, c->reason))
			goto cancel;
		/* As in /proc: which SA and policy is the administrator's. */
		if (a->priv &&
		    (nla_put_u32(msg, KAME_A_SPI, be32_to_cpu(c->spi)) ||
		     nla_put_u32(msg, KAME_A_POLICY_ID, c->policy_id) ||
		     nla_put_u32(msg, KAME_A_AGE_MS, c->age_ms)))
			goto cancel;
	}
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/*
 * Every counter fits in one message: at most 18 + 9 KAME/IPComp counters,
 * 6 x 64 histogram slots and the drop reasons, ~64 bytes each.
 */
#define STATS_MSG_SIZE	(64 * (KAME_STAT_MAX + KAME_COMP_MAX + KAME_DROP_MAX + \
			       KAME_HIST_MAX * KAME_HIST_SLOTS) + 64)

static int get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct fill_arg a;
	struct sk_buff *msg;
	void *hdr;
	int family, err;

	family = req_family(info->attrs, info->extack, AF_INET);
	if (family < 0)
		return family;
	msg = genlmsg_new(STATS_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kame_genl_family, 0,
				KAME_CMD_GET_STATS);
	if (!hdr)
		goto too_big;
	a.msg = msg;
	a.priv = netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
	if (nla_put_u8(msg, KAME_A_FAMILY, family) ||
	    nla_put_u64_64bit(msg, KAME_A_SUPPRESSED,
			      atomic64_read(&kame_genl_net(net)->suppressed),
			      KAME_A_PAD) ||
	    nla_put_u64_64bit(msg, KAME_A_UNHEARD,
			      atomic64_read(&kame_genl_net(net)->unheard),
			      KAME_A_PAD))
		goto too_big;
	err = kame_stats_walk(net, family, put_counter, &a);
	if (err)
		goto too_big;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	int family = req_family(info->attrs, info->extack, AF_UNSPEC);

	if (family < 0)
		return family;
	if (family != AF_INET6)
		kame_stats_reset(net, AF_INET);
	if (family != AF_INET)
		kame_stats_reset(net, AF_INET6);
	return 0;
}

static const struct genl_ops kame_genl_ops[] = {
	{
		.cmd = KAME_CMD_GET_STATS,
		.doit = get_stats,
	},
	{
		.cmd = KAME_CMD_RESET_STATS,
		.doit = reset_stats,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KAME_CMD_GET_SA,
		.start = kame_genl_sa_start,
		.dumpit = kame_genl_sa_dump,
		.done = kame_genl_sa_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KAME_CMD_GET_POLICY,
		.start = kame_genl_pol_start,
		.dumpit = kame_genl_pol_dump,
		.done = kame_genl_pol_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KAME_CMD_WATCH,
		.doit = kame_genl_watch,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group kame_genl_mcgrps[] = {
	/* Addresses, SPIs and policy ids of this netns: its admin's. */
	[KAME_GENL_GROUP_DROPS] = { .name = KAME_MCGRP_DROPS,
				    .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family kame_genl_family = {
	.name = KAME_GENL_NAME,
	.version = KAME_GENL_VERSION,
	.maxattr = KAME_A_MAX,
	.policy = kame_genl_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = kame_genl_ops,
	.n_ops = ARRAY_SIZE(kame_genl_ops),
	.mcgrps = kame_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kame_genl_mcgrps),
	.resv_start_op = 0,	/* every command validated strictly */
};

int kame_genl_init(void)
{
	int err = kame_genl_drops_init();

	if (err)
		return err;
	err = genl_register_family(&kame_genl_family);
	if (err) {
		kame_genl_drops_exit();
		return err;
	}
	kame_drop_listen(&kame_genl_drop_listener);
	return 0;
}

void kame_genl_exit(void)
{
	kame_drop_listen(NULL);	/* returns once no drop event is being built */
	genl_unregister_family(&kame_genl_family);
	kame_genl_drops_exit();
}
