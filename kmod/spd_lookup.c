// SPDX-License-Identifier: GPL-2.0
/*
 * SPD lookups for the packet path: one hash probe per distinct (dir,
 * family, src prefix length, dst prefix length) group, keeping the matching
 * policy that comes first in (priority, insertion order). See spd.h for
 * why this equals KAME's first match over the ordered list.
 */
#include <linux/rhashtable.h>
#include <linux/in.h>
#include <linux/random.h>

#include "netns.h"
#include "spd.h"
#include "spd_internal.h"

const struct rhashtable_params kame_spd_key_params = {
	.head_offset = offsetof(struct kame_policy, by_key),
	.key_offset = offsetof(struct kame_policy, key),
	.key_len = sizeof(struct kame_spd_key),
	.automatic_shrinking = true,
};

void kame_addr_mask(xfrm_address_t *out, const xfrm_address_t *in,
		    u16 family, u8 plen)
{
	unsigned int i, words = family == AF_INET ? 1 : 4;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < words; i++) {
		int bits = clamp_t(int, (int)plen - 32 * (int)i, 0, 32);
		u32 mask = bits ? ~0U << (32 - bits) : 0;

		out->a6[i] = in->a6[i] & htonl(mask);
	}
}

bool kame_addr_prefix_eq(const xfrm_address_t *a, const xfrm_address_t *b,
			 u16 family, u8 plen)
{
	xfrm_address_t ma, mb;

	kame_addr_mask(&ma, a, family, plen);
	kame_addr_mask(&mb, b, family, plen);
	return !memcmp(&ma, &mb, sizeof(ma));
}

u8 kame_spd_wild(const struct kame_selector *sel)
{
	return (sel->sport ? 0 : KAME_SPD_WILD_SPORT) |
	       (sel->dport ? 0 : KAME_SPD_WILD_DPORT) |
	       (sel->ulproto != IPSEC_ULPROTO_ANY ? 0 : KAME_SPD_WILD_PROTO);
}

void kame_spd_key_init(struct kame_spd_key *k, u8 dir,
		       const struct kame_selector *sel, u8 sprefix, u8 dprefix,
		       u8 wild)
{
	memset(k, 0, sizeof(*k));
	kame_addr_mask(&k->saddr, &sel->saddr, sel->family, sprefix);
	kame_addr_mask(&k->daddr, &sel->daddr, sel->family, dprefix);
	k->family = sel->family;
	k->dir = dir;
	k->sprefix = sprefix;
	k->dprefix = dprefix;
	k->wild = wild;
	k->sport = wild & KAME_SPD_WILD_SPORT ? 0 : sel->sport;
	k->dport = wild & KAME_SPD_WILD_DPORT ? 0 : sel->dport;
	k->ulproto = wild & KAME_SPD_WILD_PROTO ? IPSEC_ULPROTO_ANY : sel->ulproto;
}

/* Ports and upper-layer protocol (the addresses matched through the key). */
static bool ports_match(const struct kame_selector *sel,
			const struct kame_selector *pkt)
{
	if (sel->ulproto != IPSEC_ULPROTO_ANY && sel->ulproto != pkt->ulproto)
		return false;
	if (sel->sport && sel->sport != pkt->sport)
		return false;
	if (sel->dport && sel->dport != pkt->dport)
		return false;
	return true;
}

bool kame_selector_match(const struct kame_selector *sel,
			 const struct kame_selector *pkt)
{
	return sel->family == pkt->family &&
	       kame_addr_prefix_eq(&sel->saddr, &pkt->saddr, sel->family,
				   sel->sprefix) &&
	       kame_addr_prefix_eq(&sel->daddr, &pkt->daddr, sel->family,
				   sel->dprefix) &&
	       ports_match(sel, pkt);
}

struct kame_policy *kame_spd_lookup(struct kame_net *kn, u8 dir,
				    const struct kame_selector *pkt)
{
	struct kame_spd_groups *groups = rcu_dereference(kn->spd.groups);
	struct kame_policy *pol, *best = NULL;
	struct rhlist_head *list, *pos;
	struct kame_spd_key key;
	unsigned int i;

	if (!groups)
		return NULL;
	for (i = 0; i < groups->n; i++) {
		const struct kame_spd_group *g = &groups->g[i];

		if (g->dir != dir || g->family != pkt->family)
			continue;
		kame_spd_key_init(&key, dir, pkt, g->sprefix, g->dprefix,
				  g->wild);
		list = rhltable_lookup(&kn->spd.key_ht, &key,
				       kame_spd_key_params);
		rhl_for_each_entry_rcu(pol, pos, list, by_key) {
			if (READ_ONCE(pol->dead) || !ports_match(&pol->sel, pkt))
				continue;
			if (!best || kame_policy_before(pol, best))
				best = pol;
		}
	}
	if (best && !refcount_inc_not_zero(&best->refcnt))
		best = NULL;
	return best;
}

u8 kame_sp_req_level(struct kame_net *kn, u16 family,
		     const struct kame_sp_req *r)
{
	const struct kame_ipsec_knobs *k = kame_ipsec_knobs_of(kn, family);
	bool tunnel = r->mode == IPSEC_MODE_TUNNEL;
	int lev;

	if (r->level != IPSEC_LEVEL_DEFAULT)
		return r->level;
	switch (r->proto) {
	case IPPROTO_ESP:
		lev = tunnel ? READ_ONCE(k->esp_net_deflev) : READ_ONCE(k->esp_trans_deflev);
		break;
	case IPPROTO_AH:
		lev = tunnel ? READ_ONCE(k->ah_net_deflev) : READ_ONCE(k->ah_trans_deflev);
		break;
	default:
		return IPSEC_LEVEL_USE;
	}
	/* KAME coerces anything but use/require to use. */
	return lev == IPSEC_LEVEL_REQUIRE ? IPSEC_LEVEL_REQUIRE : IPSEC_LEVEL_USE;
}

#ifdef DEBUG
/*
 * Self-test: random policies and packets, the indexed lookup against a
 * naive first match over a sorted array. Run once at load in DEBUG builds.
 */
static u32 rnd(u32 n)
{
	return get_random_u32() % n;
}

int kame_spd_selftest(struct kame_net *kn)
{
	static const u8 plens[] = { 0, 8, 16, 24, 30, 32 };
	struct kame_policy **v;
	unsigned int i, j, n = 300, bad = 0;
	int err = 0;

	v = kcalloc(n, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	mutex_lock(&kn->spd.lock);
	for (i = 0; i < n; i++) {
		struct kame_policy *p = kame_policy_alloc(GFP_KERNEL);

		if (!p) {
			err = -ENOMEM;
			break;
		}
		p->dir = 1 + rnd(3);
		p->type = IPSEC_POLICY_NONE;
		p->priority = rnd(3);
		p->sel.family = AF_INET;
		p->sel.saddr.a4 = htonl(0x0a000000 | rnd(4) << 8 | rnd(4));
		p->sel.daddr.a4 = htonl(0x0a000000 | rnd(4) << 8 | rnd(4));
		p->sel.sprefix = plens[rnd(ARRAY_SIZE(plens))];
		p->sel.dprefix = plens[rnd(ARRAY_SIZE(plens))];
		p->sel.ulproto = rnd(2) ? IPSEC_ULPROTO_ANY : IPPROTO_UDP;
		p->sel.sport = rnd(2) ? 0 : htons(500 + rnd(2));
		p->sel.dport = rnd(2) ? 0 : htons(4500 + rnd(2));
		if (kame_spd_insert(kn, p, false, NULL)) {
			kame_policy_free_unpublished(p);
			continue;
		}
		v[i] = p;
	}
	for (j = 0; !err && j < 20000; j++) {
		struct kame_selector pkt = {
			.family = AF_INET,
			.ulproto = rnd(2) ? IPPROTO_UDP : IPPROTO_TCP,
			.sport = htons(500 + rnd(3)),
			.dport = htons(4500 + rnd(3)),
		};
		struct kame_policy *want = NULL, *got;
		u8 dir = 1 + rnd(3);

		pkt.saddr.a4 = htonl(0x0a000000 | rnd(4) << 8 | rnd(4));
		pkt.daddr.a4 = htonl(0x0a000000 | rnd(4) << 8 | rnd(4));
		for (i = 0; i < n; i++)
			if (v[i] && v[i]->dir == dir &&
			    kame_selector_match(&v[i]->sel, &pkt) &&
			    (!want || kame_policy_before(v[i], want)))
				want = v[i];
		rcu_read_lock();
		got = kame_spd_lookup(kn, dir, &pkt);
		rcu_read_unlock();
		if (got != want)
			bad++;
		if (got)
			kame_policy_put(got);
	}
	kame_spd_flush(kn);
	mutex_unlock(&kn->spd.lock);
	kfree(v);
	if (!err && bad)
		err = -EINVAL;
	pr_info("SPD lookup self-test: %s (%u mismatches)\n",
		err ? "FAIL" : "pass", bad);
	return err;
}
#endif
