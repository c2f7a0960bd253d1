// SPDX-License-Identifier: GPL-2.0
/*
 * Drop accounting: KAME's ipsecstat counters and named drop reasons, per
 * netns and per CPU, shown in /proc/net/kame_ipsecstat (IPv4) and
 * /proc/net/kame_ipsec6stat (IPv6). No packet leaves the engine without
 * being counted here.
 */

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>
#include <linux/socket.h>
#include <linux/capability.h>
#include <net/net_namespace.h>
#include <linux/kame_ipsecstat.h>

#include "engine.h"
#include "algs.h"
#include "sad.h"

static const char *const stat_names[KAME_STAT_MAX] = {
	[KAME_STAT_IN_SUCCESS] = "in_success",
	[KAME_STAT_IN_POLVIO] = "in_polvio",
	[KAME_STAT_IN_NOSA] = "in_nosa",
	[KAME_STAT_IN_INVAL] = "in_inval",
	[KAME_STAT_IN_NOMEM] = "in_nomem",
	[KAME_STAT_IN_BADSPI] = "in_badspi",
	[KAME_STAT_IN_AHREPLAY] = "in_ahreplay",
	[KAME_STAT_IN_ESPREPLAY] = "in_espreplay",
	[KAME_STAT_IN_AHAUTHSUCC] = "in_ahauthsucc",
	[KAME_STAT_IN_AHAUTHFAIL] = "in_ahauthfail",
	[KAME_STAT_IN_ESPAUTHSUCC] = "in_espauthsucc",
	[KAME_STAT_IN_ESPAUTHFAIL] = "in_espauthfail",
	[KAME_STAT_OUT_SUCCESS] = "out_success",
	[KAME_STAT_OUT_POLVIO] = "out_polvio",
	[KAME_STAT_OUT_NOSA] = "out_nosa",
	[KAME_STAT_OUT_INVAL] = "out_inval",
	[KAME_STAT_OUT_NOMEM] = "out_nomem",
	[KAME_STAT_OUT_NOROUTE] = "out_noroute",
};

static const struct {
	const char *name;
	enum kame_stat stat;
} drops[KAME_DROP_MAX] = {
	[KAME_DROP_IN_TRUNCATED] = { "in_truncated", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_BAD_PADDING] = { "in_bad_padding", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_BAD_NEXTHDR] = { "in_bad_nexthdr", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_BAD_INNER] = { "in_bad_inner", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_NOSA] = { "in_nosa", KAME_STAT_IN_NOSA },
	[KAME_DROP_IN_SA_STATE] = { "in_sa_state", KAME_STAT_IN_BADSPI },
	[KAME_DROP_IN_ESP_REPLAY] = { "in_esp_replay", KAME_STAT_IN_ESPREPLAY },
	[KAME_DROP_IN_AH_REPLAY] = { "in_ah_replay", KAME_STAT_IN_AHREPLAY },
	[KAME_DROP_IN_ESP_ICV] = { "in_esp_icv", KAME_STAT_IN_ESPAUTHFAIL },
	[KAME_DROP_IN_AH_ICV] = { "in_ah_icv", KAME_STAT_IN_AHAUTHFAIL },
	[KAME_DROP_IN_CRYPTO] = { "in_crypto", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_NOMEM] = { "in_nomem", KAME_STAT_IN_NOMEM },
	[KAME_DROP_IN_POLICY_DISCARD] = { "in_policy_discard", KAME_STAT_IN_POLVIO },
	[KAME_DROP_IN_POLICY_CLEAR] = { "in_policy_clear", KAME_STAT_IN_POLVIO },
	[KAME_DROP_IN_POLICY_MISMATCH] = { "in_policy_mismatch", KAME_STAT_IN_POLVIO },
	[KAME_DROP_IN_TOO_DEEP] = { "in_too_deep", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_FRAG] = { "in_frag", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_POLICY_NOREQ] = { "in_policy_noreq", KAME_STAT_IN_POLVIO },
	[KAME_DROP_IN_COMP_BAD] = { "in_comp_bad", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_COMP_TOO_BIG] = { "in_comp_too_big", KAME_STAT_IN_INVAL },
	[KAME_DROP_IN_NATT_MISMATCH] = { "in_natt_mismatch", KAME_STAT_IN_INVAL },
	[KAME_DROP_OUT_POLICY_DISCARD] = { "out_policy_discard", KAME_STAT_OUT_POLVIO },
	[KAME_DROP_OUT_NOSA] = { "out_nosa", KAME_STAT_OUT_NOSA },
	[KAME_DROP_OUT_POLICY_NOREQ] = { "out_policy_noreq", KAME_STAT_OUT_POLVIO },
	[KAME_DROP_OUT_SA_STATE] = { "out_sa_state", KAME_STAT_OUT_NOSA },
	[KAME_DROP_OUT_SEQ_OVERFLOW] = { "out_seq_overflow", KAME_STAT_OUT_INVAL },
	[KAME_DROP_OUT_TOO_BIG] = { "out_too_big", KAME_STAT_OUT_INVAL },
	[KAME_DROP_OUT_MALFORMED] = { "out_malformed", KAME_STAT_OUT_INVAL },
	[KAME_DROP_OUT_CRYPTO] = { "out_crypto", KAME_STAT_OUT_INVAL },
	[KAME_DROP_OUT_NOMEM] = { "out_nomem", KAME_STAT_OUT_NOMEM },
	[KAME_DROP_OUT_NOROUTE] = { "out_noroute", KAME_STAT_OUT_NOROUTE },
};

static const char *const comp_names[KAME_COMP_MAX] = {
	[KAME_COMP_INPUT] = "ipcomp_input",
	[KAME_COMP_IBYTES] = "ipcomp_ibytes",
	[KAME_COMP_IBYTES_RAW] = "ipcomp_ibytes_raw",
	[KAME_COMP_IN_UNCOMPR] = "ipcomp_in_uncompr",
	[KAME_COMP_OUTPUT] = "ipcomp_output",
	[KAME_COMP_OBYTES_RAW] = "ipcomp_obytes_raw",
	[KAME_COMP_OBYTES] = "ipcomp_obytes",
	[KAME_COMP_THRESHOLD] = "ipcomp_threshold",
	[KAME_COMP_UNCOMPR] = "ipcomp_uncompr",
};

static const char *const natt_names[KAME_NATT_MAX] = {
	[KAME_NATT_IN_ESP] = "natt_in_esp",
	[KAME_NATT_IN_KEEPALIVE] = "natt_in_keepalive",
	[KAME_NATT_IN_IKE] = "natt_in_ike",
	[KAME_NATT_OUT_ESP] = "natt_out_esp",
	[KAME_NATT_NEW_MAPPING] = "natt_new_mapping",
	[KAME_NATT_MAPPING_LIMITED] = "natt_mapping_limited",
};

static const char *const hist_names[KAME_HIST_MAX] = {
	[KAME_HIST_IN_ESP] = "in_esphist",
	[KAME_HIST_IN_AH] = "in_ahhist",
	[KAME_HIST_IN_COMP] = "in_comphist",
	[KAME_HIST_OUT_ESP] = "out_esphist",
	[KAME_HIST_OUT_AH] = "out_ahhist",
	[KAME_HIST_OUT_COMP] = "out_comphist",
};

const char *kame_drop_name(enum kame_drop reason)
{
	return reason < KAME_DROP_MAX ? drops[reason].name : "?";
}

static unsigned int hist_slot(unsigned int alg)
{
	if (alg < 32)
		return alg;
	if (alg >= 224 && alg < 256)
		return alg - 192;
	return 0;	/* ids 32..223 are unassigned: counted as "other" */
}

static unsigned int slot_alg(unsigned int slot)
{
	return slot < 32 ? slot : slot + 192;
}

static struct kame_stats __percpu *stats_of(struct net *net,
					    unsigned short family)
{
	return kame_engine_net(net)->stats[kame_af_idx(family)];
}

void kame_stat_inc(struct net *net, unsigned short family, enum kame_stat s)
{
	this_cpu_inc(stats_of(net, family)->stat[s]);
}

void kame_hist_inc(struct net *net, unsigned short family, enum kame_hist h,
		   unsigned int alg)
{
	this_cpu_inc(stats_of(net, family)->hist[h][hist_slot(alg)]);
}

void kame_comp_stat_add(struct net *net, unsigned short family,
			enum kame_comp_stat s, u64 n)
{
	this_cpu_add(stats_of(net, family)->comp[s], n);
}

void kame_natt_stat_inc(struct net *net, unsigned short family,
			enum kame_natt_stat s)
{
	this_cpu_inc(stats_of(net, family)->natt[s]);
}

/* The SA's own failure counters, for the reasons that have one. */
static void sa_count_drop(struct kame_sa *sa, enum kame_drop reason)
{
	switch (reason) {
	case KAME_DROP_IN_ESP_REPLAY:
	case KAME_DROP_IN_AH_REPLAY:
		atomic64_inc(&sa->cur.replay_fail);
		break;
	case KAME_DROP_IN_ESP_ICV:
	case KAME_DROP_IN_AH_ICV:
		atomic64_inc(&sa->cur.icv_fail);
		break;
	default:
		break;
	}
}

static const struct kame_drop_listener __rcu *drop_listener;

void kame_drop_listen(const struct kame_drop_listener *l)
{
	rcu_assign_pointer(drop_listener, l);
	if (!l)
		synchronize_rcu();	/* no ->drop of the old one running */
}

void kame_drop(struct net *net, unsigned short family, enum kame_drop reason,
	       __be32 spi, u32 policy_id, const struct sk_buff *skb,
	       struct kame_sa *sa)
{
	const struct kame_drop_listener *l;
	struct kame_engine_net *en = kame_engine_net(net);
	enum kame_af_idx af = kame_af_idx(family);
	struct kame_last_drop *last = &en->last_drop[af][reason];

	this_cpu_inc(en->stats[af]->drop[reason]);
	this_cpu_inc(en->stats[af]->stat[drops[reason].stat]);
	WRITE_ONCE(last->spi, spi);
	WRITE_ONCE(last->policy_id, policy_id);
	WRITE_ONCE(last->when, jiffies);
	if (sa)
		sa_count_drop(sa, reason);
	rcu_read_lock();
	l = rcu_dereference(drop_listener);
	if (l)
		l->drop(net, &(struct kame_drop_info){
			.reason = reason, .family = family, .spi = spi,
			.policy_id = policy_id, .skb = skb, .sa = sa });
	rcu_read_unlock();
}

static u64 sum(struct kame_stats __percpu *st, size_t offset)
{
	u64 total = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		total += *(u64 *)((char *)per_cpu_ptr(st, cpu) + offset);
	return total;
}

/* setkey's name of the algorithm counted in histogram @h's slot for @id. */
static const char *hist_alg_name(enum kame_hist h, unsigned int id)
{
	switch (h) {
	case KAME_HIST_IN_ESP:
	case KAME_HIST_OUT_ESP:
		return kame_alg_name(KAME_ALG_ENC, id);
	case KAME_HIST_IN_AH:
	case KAME_HIST_OUT_AH:
		return kame_alg_name(KAME_ALG_AUTH, id);
	default:
		return kame_comp_name(id);
	}
}

int kame_stats_walk(struct net *net, unsigned short family,
		    int (*visit)(const struct kame_counter_view *c, void *arg),
		    void *arg)
{
	struct kame_engine_net *en = kame_engine_net(net);
	enum kame_af_idx af = kame_af_idx(family);
	struct kame_stats __percpu *st = en->stats[af];
	struct kame_counter_view c;
	unsigned int i, s;
	int err;

	for (i = 0; i < KAME_STAT_MAX; i++) {
		c = (struct kame_counter_view){ .kind = KAME_KIND_STAT,
			.name = stat_names[i],
			.value = sum(st, offsetof(struct kame_stats, stat[i])) };
		err = visit(&c, arg);
		if (err)
			return err;
	}
	for (i = 0; i < KAME_COMP_MAX; i++) {
		c = (struct kame_counter_view){ .kind = KAME_KIND_COMP,
			.name = comp_names[i],
			.value = sum(st, offsetof(struct kame_stats, comp[i])) };
		err = visit(&c, arg);
		if (err)
			return err;
	}
	for (i = 0; i < KAME_NATT_MAX; i++) {
		c = (struct kame_counter_view){ .kind = KAME_KIND_NATT,
			.name = natt_names[i],
			.value = sum(st, offsetof(struct kame_stats, natt[i])) };
		err = visit(&c, arg);
		if (err)
			return err;
	}
	for (i = 0; i < KAME_HIST_MAX; i++) {
		for (s = 0; s < KAME_HIST_SLOTS; s++) {
			u64 n = sum(st, offsetof(struct kame_stats, hist[i][s]));

			if (!n)
				continue;
			c = (struct kame_counter_view){ .kind = KAME_KIND_HIST,
				.name = hist_names[i],
				.alg = hist_alg_name(i, slot_alg(s)),
				.value = n };
			err = visit(&c, arg);
			if (err)
				return err;
		}
	}
	for (i = 0; i < KAME_DROP_MAX; i++) {
		u64 n = sum(st, offsetof(struct kame_stats, drop[i]));
		struct kame_last_drop *last = &en->last_drop[af][i];

		if (!n)
			continue;
		c = (struct kame_counter_view){ .kind = KAME_KIND_DROP,
			.name = drops[i].name, .value = n, .reason = i,
			.spi = READ_ONCE(last->spi),
			.policy_id = READ_ONCE(last->policy_id),
			.age_ms = jiffies_to_msecs(jiffies -
						   READ_ONCE(last->when)) };
		err = visit(&c, arg);
		if (err)
			return err;
	}
	return 0;
}

void kame_stats_reset(struct net *net, unsigned short family)
{
	struct kame_engine_net *en = kame_engine_net(net);
	enum kame_af_idx af = kame_af_idx(family);
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu) {
		u64 *v = (u64 *)per_cpu_ptr(en->stats[af], cpu);

		for (i = 0; i < sizeof(struct kame_stats) / sizeof(u64); i++)
			WRITE_ONCE(v[i], 0);
	}
	for (i = 0; i < KAME_DROP_MAX; i++) {
		WRITE_ONCE(en->last_drop[af][i].spi, 0);
		WRITE_ONCE(en->last_drop[af][i].policy_id, 0);
	}
}

struct show_arg {
	struct seq_file *seq;
	bool priv;
};

static int show_one(const struct kame_counter_view *c, void *arg)
{
	struct show_arg *a = arg;

	switch (c->kind) {
	case KAME_KIND_HIST:
		seq_printf(a->seq, "%s %s %llu\n", c->name, c->alg, c->value);
		break;
	case KAME_KIND_DROP:
		/* Which SA and policy saw drops is for the administrator. */
		if (a->priv)
			seq_printf(a->seq,
				   "drop %s %llu spi 0x%08x policy %u age_ms %u\n",
				   c->name, c->value, be32_to_cpu(c->spi),
				   c->policy_id, c->age_ms);
		else
			seq_printf(a->seq,
				   "drop %s %llu spi - policy - age_ms %u\n",
				   c->name, c->value, c->age_ms);
		break;
	default:
		seq_printf(a->seq, "%s %llu\n", c->name, c->value);
	}
	return 0;
}

/*
 * Format: one "name value" line per ipsecstat counter (all of them, zero
 * or not), the same for the IPComp counters ("ipcomp_...") and the NAT-T
 * ones ("natt_..."), then
 * "<hist> <algorithm> <count>" for non-zero histogram slots, then
 * "drop <reason> <count> spi 0x<spi> policy <id> age_ms <ms>" for every
 * reason that has counted. A reader who opened the file without
 * CAP_NET_ADMIN in the netns's user namespace sees "spi - policy -".
 */
static int ipsecstat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	unsigned long which = (unsigned long)pde_data(file_inode(seq->file));
	unsigned short family = which == KAME_AF_INET6 ? AF_INET6 : AF_INET;
	struct show_arg a = {
		.seq = seq,
		.priv = file_ns_capable(seq->file, net->user_ns, CAP_NET_ADMIN),
	};

	return kame_stats_walk(net, family, show_one, &a);
}

int kame_stats_net_init(struct net *net)
{
	struct kame_engine_net *en = kame_engine_net(net);
	int af;

	for (af = 0; af < KAME_AF_MAX; af++) {
		en->stats[af] = alloc_percpu(struct kame_stats);
		if (!en->stats[af])
			goto err;
	}
	if (!proc_create_net_single("kame_ipsecstat", 0444, net->proc_net,
				    ipsecstat_show,
				    (void *)(unsigned long)KAME_AF_INET))
		goto err;
	if (!proc_create_net_single("kame_ipsec6stat", 0444, net->proc_net,
				    ipsecstat_show,
				    (void *)(unsigned long)KAME_AF_INET6)) {
		remove_proc_entry("kame_ipsecstat", net->proc_net);
		goto err;
	}
	return 0;
err:
	for (af = 0; af < KAME_AF_MAX; af++) {
		free_percpu(en->stats[af]);
		en->stats[af] = NULL;
	}
	return -ENOMEM;
}

void kame_stats_net_exit(struct net *net)
{
	struct kame_engine_net *en = kame_engine_net(net);
	int af;

	remove_proc_entry("kame_ipsec6stat", net->proc_net);
	remove_proc_entry("kame_ipsecstat", net->proc_net);
	for (af = 0; af < KAME_AF_MAX; af++)
		free_percpu(en->stats[af]);
}
