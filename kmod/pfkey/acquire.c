// SPDX-License-Identifier: GPL-2.0
/*
 * PF_KEY's key-manager events from the packet path (kmod/km.h): SADB_ACQUIRE
 * (KAME key_acquire's message, with its proposal) and
 * SADB_X_NAT_T_NEW_MAPPING, to the registered sockets. Which requests are
 * sent and their sequence numbers are the core's (kmod/acquire.c); this
 * file only formats and delivers. Under rcu_read_lock(), softirq or
 * process context: GFP_ATOMIC.
 */
#include <linux/in.h>
#include <net/xfrm.h>

#include "netns.h"
#include "pfkey_internal.h"
#include "algs.h"

#define ACQ_ALGS	32	/* algorithms of one kind in a proposal */

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

void pfkey_km_acquire(struct kame_net *kn, u32 seq,
		      const struct kame_policy *pol, const struct kame_sp_req *r,
		      u16 family, const xfrm_address_t *src,
		      const xfrm_address_t *dst)
{
	u8 satype = kame_proto_to_satype(r->proto), full = kame_family_bits(family);
	struct sadb_x_policy *x;
	struct sadb_prop *prop;
	struct sk_buff *skb;
	unsigned int n;

	n = pfkey_alg_ready() ? build_combs(kn, r->proto, NULL, 256) : 0;
	skb = pfkey_msg_new(sizeof(struct sadb_msg) + 2 * pfkey_address_size(family) +
			    sizeof(*x) + sizeof(*prop) + n * sizeof(struct sadb_comb),
			    SADB_ACQUIRE, satype, seq, 0, GFP_ATOMIC);
	if (!skb)
		return;
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
}

void pfkey_km_new_mapping(struct kame_sa *sa, u32 seq,
			  const xfrm_address_t *addr, __be16 port)
{
	u8 full = kame_family_bits(sa->family);
	struct sadb_x_nat_t_port *p;
	struct sk_buff *skb;
	struct sadb_sa *e;

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
	pfkey_send(sa->kn, pfkey_msg_done(skb), PFKEY_REGISTERED, NULL);
}
