// SPDX-License-Identifier: GPL-2.0
/*
 * SADB_ACQUIRE from the packet path (KAME key_acquire): ask the registered
 * key daemons for SAs, with KAME's suppression. One "acquire block" per
 * (family, addresses, protocol, mode, reqid) lives net.key.blockacq_lifetime
 * seconds; while it lives, only every (blockacq_count + 1)th request is
 * sent, always with the block's sequence number (the one GETSPI/ACQUIRE
 * replies refer to). An ACQUIRE error from the daemon ends the block.
 */
#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/in.h>
#include <net/xfrm.h>

#include "netns.h"
#include "af_pfkey.h"
#include "pfkey_internal.h"
#include "algs.h"

#define ACQ_MAX		1024	/* blocks per netns: beyond, oldest reused */
#define ACQ_ALGS	32	/* algorithms of one kind in a proposal */

struct acq_block {
	struct list_head list;
	u16 family;
	u8 proto, mode;
	u32 reqid;
	xfrm_address_t src, dst;
	u32 seq;
	u32 count;
	time64_t created;
};

static bool same_flow(const struct acq_block *b, u16 family, u8 proto, u8 mode,
		      u32 reqid, const xfrm_address_t *src,
		      const xfrm_address_t *dst)
{
	size_t alen = family == AF_INET ? 4 : 16;

	return b->family == family && b->proto == proto && b->mode == mode &&
	       b->reqid == reqid && !memcmp(&b->src, src, alen) &&
	       !memcmp(&b->dst, dst, alen);
}

/* The sequence to send with, or 0 when this request is suppressed. */
static u32 acq_block_check(struct kame_net *kn, u16 family, u8 proto, u8 mode,
			   u32 reqid, const xfrm_address_t *src,
			   const xfrm_address_t *dst)
{
	time64_t now = ktime_get_seconds();
	time64_t life = READ_ONCE(kn->key.blockacq_lifetime);
	u32 limit = READ_ONCE(kn->key.blockacq_count);
	struct acq_block *b, *tmp, *found = NULL;
	u32 seq = 0;

	spin_lock_bh(&kn->acq_lock);
	list_for_each_entry_safe(b, tmp, &kn->acq_list, list) {
		if (now - b->created >= life) {
			list_del(&b->list);
			kfree(b);
			kn->acq_count--;
			continue;
		}
		if (!found && same_flow(b, family, proto, mode, reqid, src, dst))
			found = b;
	}
	if (found) {
		if (found->count >= limit) {
			found->count = 0;
			seq = found->seq;
		} else {
			found->count++;
		}
		goto out;
	}
	if (kn->acq_count >= ACQ_MAX) {
		b = list_first_entry(&kn->acq_list, struct acq_block, list);
		list_del(&b->list);
		kn->acq_count--;
		memset(b, 0, sizeof(*b));
	} else {
		b = kzalloc(sizeof(*b), GFP_ATOMIC);
		if (!b)
			goto out;
	}
	b->family = family;
	b->proto = proto;
	b->mode = mode;
	b->reqid = reqid;
	memcpy(&b->src, src, family == AF_INET ? 4 : 16);
	memcpy(&b->dst, dst, family == AF_INET ? 4 : 16);
	b->created = now;
	kn->acq_seq = kn->acq_seq == U32_MAX ? 1 : kn->acq_seq + 1;
	b->seq = seq = kn->acq_seq;
	list_add_tail(&b->list, &kn->acq_list);
	kn->acq_count++;
out:
	spin_unlock_bh(&kn->acq_lock);
	return seq;
}

void kame_pfkey_acquire_reset(struct kame_net *kn, u32 seq)
{
	struct acq_block *b, *tmp;

	spin_lock_bh(&kn->acq_lock);
	list_for_each_entry_safe(b, tmp, &kn->acq_list, list) {
		if (b->seq == seq) {
			list_del(&b->list);
			kfree(b);
			kn->acq_count--;
		}
	}
	spin_unlock_bh(&kn->acq_lock);
}

void kame_pfkey_acquire_net_exit(struct kame_net *kn)
{
	struct acq_block *b, *tmp;

	list_for_each_entry_safe(b, tmp, &kn->acq_list, list) {
		list_del(&b->list);
		kfree(b);
	}
	kn->acq_count = 0;
}

/* KAME's proposal lifetimes: a day added, 8 hours used, soft at 80%. */
static void comb_lifetimes(struct sadb_comb *c)
{
	c->sadb_comb_hard_addtime = 86400;
	c->sadb_comb_soft_addtime = 86400 * 80 / 100;
	c->sadb_comb_hard_usetime = 28800;
	c->sadb_comb_soft_usetime = 28800 * 80 / 100;
}

/* The available algorithms of @kind worth proposing (keys >= @keymin). */
static unsigned int usable(enum kame_alg_kind kind, struct sadb_alg *v,
			   int keymin)
{
	u8 null = kind == KAME_ALG_ENC ? SADB_EALG_NULL : SADB_X_AALG_NULL;
	unsigned int i, k = 0, n = kame_alg_list(kind, v, ACQ_ALGS);

	for (i = 0; i < n; i++)
		if (v[i].sadb_alg_id != null && v[i].sadb_alg_maxbits >= keymin)
			v[k++] = v[i];
	return k;
}

static void fill_comb(struct sadb_comb *c, const struct sadb_alg *e,
		      const struct sadb_alg *a, int keymin)
{
	if (e) {
		c->sadb_comb_encrypt = e->sadb_alg_id;
		c->sadb_comb_encrypt_minbits = max_t(int, e->sadb_alg_minbits, keymin);
		c->sadb_comb_encrypt_maxbits = e->sadb_alg_maxbits;
	}
	if (a) {
		c->sadb_comb_auth = a->sadb_alg_id;
		c->sadb_comb_auth_minbits = max_t(int, a->sadb_alg_minbits,
						  e ? 0 : keymin);
		c->sadb_comb_auth_maxbits = a->sadb_alg_maxbits;
	}
	comb_lifetimes(c);
}

/*
 * Combinations for @proto into @c (NULL: count only), from the algorithm
 * table REGISTER advertises: AH, one per authenticator; ESP, each cipher
 * with each authenticator (AEADs alone) when net.key.esp_auth is set, else
 * each cipher alone (KAME's net.key.esp_auth). Never the null algorithms.
 */
static unsigned int build_combs(struct kame_net *kn, u8 proto,
				struct sadb_comb *c, unsigned int max)
{
	int esp_keymin = READ_ONCE(kn->key.esp_keymin);
	int ah_keymin = READ_ONCE(kn->key.ah_keymin);
	bool esp_auth = READ_ONCE(kn->key.esp_auth);
	struct sadb_alg e[ACQ_ALGS], a[ACQ_ALGS];
	unsigned int ne, na, i, j, n = 0;

	if (proto == IPPROTO_AH) {
		na = usable(KAME_ALG_AUTH, a, ah_keymin);
		for (i = 0; i < na && n < max; i++, n++)
			if (c)
				fill_comb(&c[n], NULL, &a[i], ah_keymin);
		return n;
	}
	if (proto != IPPROTO_ESP)
		return 0;
	ne = usable(KAME_ALG_ENC, e, esp_keymin);
	na = esp_auth ? usable(KAME_ALG_AUTH, a, 0) : 0;
	for (i = 0; i < ne && n < max; i++) {
		if (!na || kame_alg_is_aead(e[i].sadb_alg_id)) {
			if (c)
				fill_comb(&c[n], &e[i], NULL, esp_keymin);
			n++;
			continue;
		}
		for (j = 0; j < na && n < max; j++, n++)
			if (c)
				fill_comb(&c[n], &e[i], &a[j], esp_keymin);
	}
	return n;
}

u32 kame_pfkey_acquire(struct kame_net *kn, const struct kame_policy *pol,
		       const struct kame_sp_req *r, u16 family,
		       const xfrm_address_t *src, const xfrm_address_t *dst)
{
	u8 satype = kame_proto_to_satype(r->proto), full = kame_family_bits(family);
	u32 reqid = r->level == IPSEC_LEVEL_UNIQUE ? r->reqid : 0;
	struct sadb_x_policy *x;
	struct sadb_prop *prop;
	struct sk_buff *skb;
	unsigned int n;
	u32 seq;

	seq = acq_block_check(kn, family, r->proto, r->mode, reqid, src, dst);
	if (!seq)
		return 0;
	n = pfkey_alg_ready() ? build_combs(kn, r->proto, NULL, 256) : 0;
	skb = pfkey_msg_new(sizeof(struct sadb_msg) + 2 * pfkey_address_size(family) +
			    sizeof(*x) + sizeof(*prop) + n * sizeof(struct sadb_comb),
			    SADB_ACQUIRE, satype, seq, 0, GFP_ATOMIC);
	if (!skb)
		return seq;
	pfkey_put_address(skb, SADB_EXT_ADDRESS_SRC, family, src, 0, full,
			  IPSEC_ULPROTO_ANY);
	pfkey_put_address(skb, SADB_EXT_ADDRESS_DST, family, dst, 0, full,
			  IPSEC_ULPROTO_ANY);
	x = pfkey_put_ext(skb, SADB_X_EXT_POLICY, sizeof(*x));
	x->sadb_x_policy_type = IPSEC_POLICY_IPSEC;
	x->sadb_x_policy_dir = IPSEC_DIR_OUTBOUND;
	if (pol) {
		x->sadb_x_policy_dir = pol->dir;
		x->sadb_x_policy_id = pol->id;
		x->sadb_x_policy_priority = pol->priority;
	}
	if (n) {
		prop = pfkey_put_ext(skb, SADB_EXT_PROPOSAL,
				     sizeof(*prop) + n * sizeof(struct sadb_comb));
		prop->sadb_prop_replay = 32;
		build_combs(kn, r->proto, (struct sadb_comb *)(prop + 1), n);
	}
	pfkey_send(kn, pfkey_msg_done(skb), PFKEY_REGISTERED, NULL);
	return seq;
}

void kame_pfkey_new_mapping(struct kame_sa *sa, const xfrm_address_t *addr,
			    __be16 port)
{
	struct kame_net *kn = sa->kn;
	u8 full = kame_family_bits(sa->family);
	struct sadb_x_nat_t_port *p;
	struct sk_buff *skb;
	struct sadb_sa *e;
	u32 seq;

	/* A sequence number of its own, from the ACQUIRE space (as Linux). */
	spin_lock_bh(&kn->acq_lock);
	kn->acq_seq = kn->acq_seq == U32_MAX ? 1 : kn->acq_seq + 1;
	seq = kn->acq_seq;
	spin_unlock_bh(&kn->acq_lock);
	skb = pfkey_msg_new(sizeof(struct sadb_msg) + sizeof(*e) +
			    2 * pfkey_address_size(sa->family) + 2 * sizeof(*p),
			    SADB_X_NAT_T_NEW_MAPPING, SADB_SATYPE_ESP, seq, 0,
			    GFP_ATOMIC);
	if (!skb)
		return;
	e = pfkey_put_ext(skb, SADB_EXT_SA, sizeof(*e));
	e->sadb_sa_spi = sa->spi;
	pfkey_put_address(skb, SADB_EXT_ADDRESS_SRC, sa->family, &sa->saddr, 0,
			  full, IPSEC_ULPROTO_ANY);
	p = pfkey_put_ext(skb, SADB_X_EXT_NAT_T_SPORT, sizeof(*p));
	p->sadb_x_nat_t_port_port = sa->natt_sport;
	pfkey_put_address(skb, SADB_EXT_ADDRESS_DST, sa->family, addr, 0, full,
			  IPSEC_ULPROTO_ANY);
	p = pfkey_put_ext(skb, SADB_X_EXT_NAT_T_DPORT, sizeof(*p));
	p->sadb_x_nat_t_port_port = port;
	pfkey_send(kn, pfkey_msg_done(skb), PFKEY_REGISTERED, NULL);
}
