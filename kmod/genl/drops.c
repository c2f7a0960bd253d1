// SPDX-License-Identifier: GPL-2.0
/*
 * The "drops" multicast group: one KAME_CMD_DROP message per dropped
 * packet, built where the drop is counted (kame_drop(), any context), so
 * the work is bounded and never sleeps: a look at the packet's IP header
 * and ports through skb_header_pointer(), one GFP_ATOMIC message of a
 * fixed size. Nothing is done unless this netns has a watcher (a socket
 * that sent KAME_CMD_WATCH and is still open) and some socket listens on
 * the group. The second test alone would not do: generic netlink's
 * listener bitmap spans all network namespaces, and 6.1's genl_family has
 * no bind/unbind hook to count members per netns, so the watchers are
 * counted here, registered by KAME_CMD_WATCH and forgotten when their
 * socket is released (the NETLINK_URELEASE notifier). At most
 * KAME_DROP_EVENTS_PER_SEC messages a second are built per netns: the
 * drops over the limit are counted, and the next message says how many
 * were not reported (KAME_A_SUPPRESSED).
 */

#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/ipsec.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/kame_ipsecstat.h>

#include "genl.h"
#include "netns.h"
#include "engine/pktsel.h"

static unsigned int kame_genl_net_id __read_mostly;

struct kame_genl_net *kame_genl_net(const struct net *net)
{
	return net_generic(net, kame_genl_net_id);
}

static int __net_init genl_net_init(struct net *net)
{
	struct kame_genl_net *gn = kame_genl_net(net);

	spin_lock_init(&gn->lock);
	gn->begin = jiffies;
	atomic64_set(&gn->suppressed, 0);
	atomic64_set(&gn->unheard, 0);
	mutex_init(&gn->watch_lock);
	gn->nwatch = 0;
	return 0;
}

static struct pernet_operations kame_genl_net_ops = {
	.init = genl_net_init,
	.id = &kame_genl_net_id,
	.size = sizeof(struct kame_genl_net),
};

/* KAME_CMD_WATCH: the sender's socket watches this netns's drops. */
int kame_genl_watch(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_genl_net *gn = kame_genl_net(genl_info_net(info));
	u32 portid = info->snd_portid;
	unsigned int i;
	int err = 0;

	if (!portid) {
		NL_SET_ERR_MSG(info->extack, "kameipsec: a kernel socket cannot watch");
		return -EINVAL;
	}
	mutex_lock(&gn->watch_lock);
	for (i = 0; i < gn->nwatch; i++)
		if (gn->watcher[i] == portid)
			goto out;
	if (gn->nwatch == KAME_WATCHERS_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "kameipsec: too many drop watchers in this netns");
		err = -ENOSPC;
		goto out;
	}
	gn->watcher[gn->nwatch] = portid;
	WRITE_ONCE(gn->nwatch, gn->nwatch + 1);
out:
	mutex_unlock(&gn->watch_lock);
	return err;
}

/* A generic netlink socket is closed: if it was a watcher, forget it. */
static int watch_release(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	const struct netlink_notify *n = ptr;
	struct kame_genl_net *gn;
	unsigned int i;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	gn = kame_genl_net(n->net);
	mutex_lock(&gn->watch_lock);
	for (i = 0; i < gn->nwatch; i++) {
		if (gn->watcher[i] != n->portid)
			continue;
		gn->watcher[i] = gn->watcher[gn->nwatch - 1];
		WRITE_ONCE(gn->nwatch, gn->nwatch - 1);
		break;
	}
	mutex_unlock(&gn->watch_lock);
	return NOTIFY_DONE;
}

static struct notifier_block watch_nb = {
	.notifier_call = watch_release,
};

int kame_genl_drops_init(void)
{
	int err = register_pernet_subsys(&kame_genl_net_ops);

	if (err)
		return err;
	err = netlink_register_notifier(&watch_nb);
	if (err)
		unregister_pernet_subsys(&kame_genl_net_ops);
	return err;
}

/* After the family is gone: no KAME_CMD_WATCH runs any more. */
void kame_genl_drops_exit(void)
{
	netlink_unregister_notifier(&watch_nb);
	unregister_pernet_subsys(&kame_genl_net_ops);
}

/*
 * The rate limit: true if this drop may be reported, with *@missed the
 * drops not reported since the last message. Any context.
 */
static bool may_send(struct kame_genl_net *gn, u64 *missed)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&gn->lock, flags);
	if (time_after_eq(jiffies, gn->begin + HZ)) {
		gn->begin = jiffies;
		gn->sent = 0;
	}
	if (gn->sent < KAME_DROP_EVENTS_PER_SEC) {
		gn->sent++;
		*missed = gn->pending;
		gn->pending = 0;
		ok = true;
	} else {
		gn->pending++;
		atomic64_inc(&gn->suppressed);
	}
	spin_unlock_irqrestore(&gn->lock, flags);
	return ok;
}

/* A message that could not be sent: its drop and those it carried. */
static void unsent(struct kame_genl_net *gn, u64 missed)
{
	unsigned long flags;

	spin_lock_irqsave(&gn->lock, flags);
	gn->pending += missed + 1;
	spin_unlock_irqrestore(&gn->lock, flags);
	atomic64_inc(&gn->suppressed);
}

/* No listener here: drop the count of what was not reported. */
static void forget(struct kame_genl_net *gn)
{
	unsigned long flags;

	spin_lock_irqsave(&gn->lock, flags);
	gn->pending = 0;
	spin_unlock_irqrestore(&gn->lock, flags);
}

static bool has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP;
}

/*
 * The packet's addresses, protocol and ports, as far as its headers can be
 * read; *@ipsec_proto is set when the outermost upper layer is ESP/AH/IPComp,
 * *@family_put when KAME_A_FAMILY was.
 */
static int put_packet(struct sk_buff *msg, const struct sk_buff *skb,
		      u8 *ipsec_proto, bool *family_put)
{
	int off = skb_network_offset(skb);
	union {
		struct iphdr v4;
		struct ipv6hdr v6;
	} _h;
	const u8 *ver;
	unsigned int ulp_off = 0;
	bool ports = false;
	u8 proto;

	ver = skb_header_pointer(skb, off, 1, &_h);
	if (!ver)
		return 0;
	if ((*ver >> 4) == 4) {
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, off, sizeof(_h.v4), &_h.v4);
		if (!iph || iph->ihl < 5)
			return 0;
		*family_put = true;
		if (nla_put_u8(msg, KAME_A_FAMILY, AF_INET) ||
		    nla_put_in_addr(msg, KAME_A_SRC, iph->saddr) ||
		    nla_put_in_addr(msg, KAME_A_DST, iph->daddr))
			return -EMSGSIZE;
		proto = iph->protocol;
		ulp_off = off + iph->ihl * 4;
		ports = !(iph->frag_off & htons(IP_OFFSET));
	} else if ((*ver >> 4) == 6) {
		const struct ipv6hdr *ip6;
		unsigned int nhoff;
		bool frag;
		int o;

		ip6 = skb_header_pointer(skb, off, sizeof(_h.v6), &_h.v6);
		if (!ip6)
			return 0;
		*family_put = true;
		if (nla_put_u8(msg, KAME_A_FAMILY, AF_INET6) ||
		    nla_put_in6_addr(msg, KAME_A_SRC, &ip6->saddr) ||
		    nla_put_in6_addr(msg, KAME_A_DST, &ip6->daddr))
			return -EMSGSIZE;
		proto = ip6->nexthdr;
		/* The extension header walk reads the fixed header in place. */
		if (off >= 0 && skb_headlen(skb) >= off + sizeof(*ip6)) {
			o = kame_ipv6_walk(skb, &proto, &nhoff, &frag);
			if (o < 0)
				proto = ip6->nexthdr;
			else
				ulp_off = o;
			ports = o >= 0 && !frag;
		}
	} else {
		return 0;
	}
	if (nla_put_u8(msg, KAME_A_PROTO, proto))
		return -EMSGSIZE;
	if (proto == IPPROTO_ESP || proto == IPPROTO_AH ||
	    proto == IPPROTO_COMP)
		*ipsec_proto = proto;
	if (ports && has_ports(proto)) {
		__be16 _p[2];
		const __be16 *p = skb_header_pointer(skb, ulp_off, sizeof(_p),
						     _p);

		if (p && (nla_put_u16(msg, KAME_A_SPORT, ntohs(p[0])) ||
			  nla_put_u16(msg, KAME_A_DPORT, ntohs(p[1]))))
			return -EMSGSIZE;
	}
	return 0;
}

/* The policy's action and requests, as the SPD has them now. */
static int put_policy(struct sk_buff *msg, struct net *net, u32 id)
{
	const struct kame_policy *pol = kame_spd_find_id_rcu(kame_net(net), id);
	unsigned int i;

	if (!pol)
		return 0;	/* a socket policy, or deleted meanwhile */
	if (nla_put_u8(msg, KAME_A_POLICY_TYPE, pol->type))
		return -EMSGSIZE;
	for (i = 0; i < pol->nreq; i++)
		if (kame_genl_put_req(msg, &pol->req[i]))
			return -EMSGSIZE;
	return 0;
}

static int fill(struct sk_buff *msg, struct net *net,
		const struct kame_drop_info *d, u64 missed)
{
	const struct kame_sa *sa = d->sa;
	const struct sk_buff *skb = d->skb;
	bool family_put = false;
	u8 ipsec_proto = 0;
	void *hdr;

	hdr = genlmsg_put(msg, 0, 0, &kame_genl_family, 0, KAME_CMD_DROP);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(msg, KAME_A_DIR, kame_drop_is_out(d->reason) ?
		       IPSEC_DIR_OUTBOUND : IPSEC_DIR_INBOUND) ||
	    nla_put_u32(msg, KAME_A_REASON, d->reason) ||
	    nla_put_string(msg, KAME_A_NAME, kame_drop_name(d->reason)) ||
	    nla_put_u64_64bit(msg, KAME_A_SUPPRESSED, missed, KAME_A_PAD))
		return -EMSGSIZE;
	if (skb && put_packet(msg, skb, &ipsec_proto, &family_put))
		return -EMSGSIZE;
	/* No readable header: the family the drop was counted under. */
	if (!family_put && nla_put_u8(msg, KAME_A_FAMILY, d->family))
		return -EMSGSIZE;
	if (sa) {
		ipsec_proto = sa->proto;
		if (nla_put_u8(msg, KAME_A_AUTH_ALG, sa->auth_alg) ||
		    nla_put_u8(msg, KAME_A_ENC_ALG, sa->enc_alg) ||
		    nla_put_u8(msg, KAME_A_MODE, sa->mode))
			return -EMSGSIZE;
	}
	if (d->spi) {
		if (nla_put_u32(msg, KAME_A_SPI, be32_to_cpu(d->spi)))
			return -EMSGSIZE;
		if (ipsec_proto && nla_put_u8(msg, KAME_A_SA_PROTO, ipsec_proto))
			return -EMSGSIZE;
	}
	if (d->policy_id && (nla_put_u32(msg, KAME_A_POLICY_ID, d->policy_id) ||
			     put_policy(msg, net, d->policy_id)))
		return -EMSGSIZE;
	if (skb && skb->dev) {
		const struct net_device *dev = skb->dev;
		char name[IFNAMSIZ];

		/* A rename may race: a torn name, never an unterminated one. */
		memcpy(name, dev->name, sizeof(name));
		name[IFNAMSIZ - 1] = '\0';
		if (nla_put_u32(msg, KAME_A_IFINDEX, dev->ifindex) ||
		    nla_put_string(msg, KAME_A_IFNAME, name))
			return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * Generous for the largest message fill() builds: IPv6, every attribute
 * (~260 bytes) and KAME_SP_MAXREQ requests (76 bytes each with IPv6
 * tunnel endpoints).
 */
#define DROP_MSG_SIZE	1024

/*
 * Tell the "drops" listeners of @net, if any. Any context; no sleeping.
 * kame_drop() calls it under rcu_read_lock(), which covers net_generic().
 */
static void genl_drop(struct net *net, const struct kame_drop_info *d)
{
	struct kame_genl_net *gn;
	struct sk_buff *msg;
	u64 missed;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "genl_drop() outside RCU");
	gn = kame_genl_net(net);
	/* Nobody watches this netns, or nobody listens anywhere. */
	if (!READ_ONCE(gn->nwatch) ||
	    !genl_has_listeners(&kame_genl_family, net, KAME_GENL_GROUP_DROPS))
		return;
	if (!may_send(gn, &missed))
		return;
	msg = genlmsg_new(DROP_MSG_SIZE, GFP_ATOMIC | __GFP_NOWARN);
	if (!msg) {
		unsent(gn, missed);
		return;
	}
	if (fill(msg, net, d, missed)) {
		nlmsg_free(msg);
		unsent(gn, missed);
		return;
	}
	/*
	 * A watcher, but no member of the group in this netns (-ESRCH): what
	 * was held back is nobody's news;
	 * a listener that joins later starts from 0. A full listener's loss
	 * is its own (ENOBUFS on its socket).
	 */
	if (genlmsg_multicast_netns(&kame_genl_family, net, msg, 0,
				    KAME_GENL_GROUP_DROPS, GFP_ATOMIC) == -ESRCH) {
		atomic64_inc(&gn->unheard);
		forget(gn);
	}
}

const struct kame_drop_listener kame_genl_drop_listener = {
	.drop = genl_drop,
};
