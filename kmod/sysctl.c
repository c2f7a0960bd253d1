// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns sysctls:
 *   net.key.*           KAME's key engine knobs (FreeBSD/KAME names)
 *   net.inet.ipsec.*    KAME's IPv4 IPsec defaults
 *   net.inet6.ipsec6.*  KAME's IPv6 IPsec defaults
 * Each netns gets its own copy of the tables pointing at its kame_net.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <linux/capability.h>
#include <net/net_namespace.h>

#include "netns.h"
#include "sysctl.h"

/*
 * A cap (net.key.max_*). Any user can own a netns (unshare -Urn) and so
 * write its knobs: without CAP_NET_ADMIN in the initial user namespace a
 * cap may be lowered, not raised above the initial netns's value, which
 * register_copy() puts in extra2 for every other netns.
 */
static int proc_cap(struct ctl_table *table, int write, void *buffer,
		    size_t *lenp, loff_t *ppos)
{
	struct ctl_table t = *table;

	if (!write || capable(CAP_NET_ADMIN) || !t.extra2)
		t.extra2 = SYSCTL_INT_MAX;
	return proc_dointvec_minmax(&t, write, buffer, lenp, ppos);
}

/* An int knob at @_field of struct @_struct (an offset: see register_copy()). */
#define KNOB_HANDLER(_name, _struct, _field, _min, _max, _handler) {	\
	.procname = _name,					\
	.data = (void *)offsetof(struct _struct, _field),	\
	.maxlen = sizeof(int),					\
	.mode = 0644,						\
	.proc_handler = _handler,				\
	.extra1 = _min,						\
	.extra2 = _max,						\
}

#define KNOB(_name, _struct, _field, _min, _max)		\
	KNOB_HANDLER(_name, _struct, _field, _min, _max, proc_dointvec_minmax)

/* A cap: no ceiling here (register_copy() sets it outside init_net). */
#define CAP_KNOB(_name, _field)					\
	KNOB_HANDLER(_name, kame_key_knobs, _field, SYSCTL_ZERO, NULL, proc_cap)

static const struct ctl_table key_table[] = {
	KNOB("debug", kame_key_knobs, debug, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("spi_trycnt", kame_key_knobs, spi_trycnt, SYSCTL_ONE, SYSCTL_INT_MAX),
	KNOB("spi_minval", kame_key_knobs, spi_minval, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("spi_maxval", kame_key_knobs, spi_maxval, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("int_random", kame_key_knobs, int_random, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("larval_lifetime", kame_key_knobs, larval_lifetime, SYSCTL_ONE, SYSCTL_INT_MAX),
	KNOB("blockacq_count", kame_key_knobs, blockacq_count, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("blockacq_lifetime", kame_key_knobs, blockacq_lifetime, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("esp_keymin", kame_key_knobs, esp_keymin, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("esp_auth", kame_key_knobs, esp_auth, SYSCTL_ZERO, SYSCTL_ONE),
	KNOB("ah_keymin", kame_key_knobs, ah_keymin, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("preferred_oldsa", kame_key_knobs, preferred_oldsa, SYSCTL_ZERO, SYSCTL_ONE),
	/* KAME's own spelling, the same knob. */
	KNOB("prefered_oldsa", kame_key_knobs, preferred_oldsa, SYSCTL_ZERO, SYSCTL_ONE),
	KNOB("sha256_icv96", kame_key_knobs, sha256_icv96, SYSCTL_ZERO, SYSCTL_ONE),
	CAP_KNOB("max_sas", max_sas),
	CAP_KNOB("max_policies", max_policies),
	CAP_KNOB("max_sockpolicies", max_sockpolicies),
	{ }
};

static const struct ctl_table ipsec_table[] = {
	KNOB("def_policy", kame_ipsec_knobs, def_policy, SYSCTL_ZERO, SYSCTL_ONE),
	KNOB("esp_trans_deflev", kame_ipsec_knobs, esp_trans_deflev, SYSCTL_ONE, SYSCTL_TWO),
	KNOB("esp_net_deflev", kame_ipsec_knobs, esp_net_deflev, SYSCTL_ONE, SYSCTL_TWO),
	KNOB("ah_trans_deflev", kame_ipsec_knobs, ah_trans_deflev, SYSCTL_ONE, SYSCTL_TWO),
	KNOB("ah_net_deflev", kame_ipsec_knobs, ah_net_deflev, SYSCTL_ONE, SYSCTL_TWO),
	KNOB("ecn", kame_ipsec_knobs, ecn, SYSCTL_NEG_ONE, SYSCTL_ONE),
	KNOB("debug", kame_ipsec_knobs, debug, SYSCTL_ZERO, SYSCTL_INT_MAX),
	/* IPv4 only from here (the IPv6 table stops before). */
	KNOB("ah_cleartos", kame_ipsec_knobs, ah_cleartos, SYSCTL_ZERO, SYSCTL_ONE),
	KNOB("ah_offsetmask", kame_ipsec_knobs, ah_offsetmask, SYSCTL_ZERO, SYSCTL_INT_MAX),
	KNOB("dfbit", kame_ipsec_knobs, dfbit, SYSCTL_ZERO, SYSCTL_TWO),
	KNOB("ah_pad8", kame_ipsec_knobs, ah_pad8, SYSCTL_ZERO, SYSCTL_ONE),
	{ }
};

#define IPSEC6_ENTRIES	7	/* def_policy .. debug */

void kame_sysctl_defaults(struct kame_net *kn)
{
	const struct kame_key_knobs *init = &kame_net(&init_net)->key;

	kn->key = (struct kame_key_knobs) {
		.spi_trycnt = 1000,
		.spi_minval = 0x100,
		.spi_maxval = 0x0fffffff,
		.int_random = 60,
		.larval_lifetime = 30,
		.blockacq_count = 10,
		.blockacq_lifetime = 20,
		.esp_keymin = 256,
		.ah_keymin = 128,
		/*
		 * Far above any real set-up (a gateway with 100,000 tunnels
		 * and rekeying holds about 400,000 SAs); what a netns holds
		 * is charged to its writers' memory cgroups anyway. The caps
		 * bound what is not: crypto transforms, hash tables, walks.
		 */
		.max_sas = 1000000,
		.max_policies = 1000000,
		.max_sockpolicies = 100000,
	};
	/* The initial netns's caps (set before any other netns exists). */
	if (!net_eq(kn->net, &init_net)) {
		kn->key.max_sas = READ_ONCE(init->max_sas);
		kn->key.max_policies = READ_ONCE(init->max_policies);
		kn->key.max_sockpolicies = READ_ONCE(init->max_sockpolicies);
	}
	kn->ipsec4 = (struct kame_ipsec_knobs) {
		.def_policy = 1,
		.esp_trans_deflev = IPSEC_LEVEL_USE,
		.esp_net_deflev = IPSEC_LEVEL_USE,
		.ah_trans_deflev = IPSEC_LEVEL_USE,
		.ah_net_deflev = IPSEC_LEVEL_USE,
		.ah_cleartos = 1,
		.dfbit = 2,
	};
	kn->ipsec6 = kn->ipsec4;
}

static struct ctl_table_header *
register_copy(struct kame_net *kn, const char *path, const struct ctl_table *tmpl,
	      size_t n, void *base)
{
	struct ctl_table_header *hdr;
	struct ctl_table *t;
	size_t i;

	t = kcalloc(n + 1, sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	for (i = 0; i < n; i++) {
		t[i] = tmpl[i];
		t[i].data = base + (uintptr_t)tmpl[i].data;
		/* The initial netns outlives every other: its value is the ceiling. */
		if (tmpl[i].proc_handler == proc_cap && !net_eq(kn->net, &init_net))
			t[i].extra2 = (void *)&kame_net(&init_net)->key +
				      (uintptr_t)tmpl[i].data;
	}
	hdr = register_net_sysctl(kn->net, path, t);
	if (!hdr)
		kfree(t);
	return hdr;
}

int kame_sysctl_net_init(struct kame_net *kn)
{
	kn->sysctl_hdr[0] = register_copy(kn, "net/key", key_table,
					  ARRAY_SIZE(key_table) - 1, &kn->key);
	kn->sysctl_hdr[1] = register_copy(kn, "net/inet/ipsec", ipsec_table,
					  ARRAY_SIZE(ipsec_table) - 1, &kn->ipsec4);
	kn->sysctl_hdr[2] = register_copy(kn, "net/inet6/ipsec6", ipsec_table,
					  IPSEC6_ENTRIES, &kn->ipsec6);
	if (!kn->sysctl_hdr[0] || !kn->sysctl_hdr[1] || !kn->sysctl_hdr[2]) {
		kame_sysctl_net_exit(kn);
		return -ENOMEM;
	}
	return 0;
}

void kame_sysctl_net_exit(struct kame_net *kn)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kn->sysctl_hdr); i++) {
		struct ctl_table_header *hdr = kn->sysctl_hdr[i];
		struct ctl_table *t;

		if (!hdr)
			continue;
		t = hdr->ctl_table_arg;
		unregister_net_sysctl_table(hdr);
		kfree(t);
		kn->sysctl_hdr[i] = NULL;
	}
}
