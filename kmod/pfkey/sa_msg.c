// SPDX-License-Identifier: GPL-2.0
/*
 * Converting between struct kame_sa and PF_KEY SA messages. Which
 * extensions a message carries is chosen by the caller (PFKEY_SA_*):
 * keys go only to the requester of a GET or DUMP, never in broadcasts.
 */
#include <linux/slab.h>
#include <linux/in.h>

#include "netns.h"
#include "sad.h"
#include "pfkey_internal.h"
#include "algs.h"

static void put_key(struct sk_buff *skb, u16 type, const u8 *key, u16 bits)
{
	size_t bytes = DIV_ROUND_UP(bits, 8);
	struct sadb_key *k = pfkey_put_ext(skb, type, sizeof(*k) + bytes);

	k->sadb_key_bits = bits;
	memcpy(k + 1, key, bytes);
}

static size_t ident_size(const void *ident)
{
	return ident ? ((const struct sadb_ext *)ident)->sadb_ext_len * 8 : 0;
}

static size_t sa_msg_max(const struct kame_sa *sa)
{
	return sizeof(struct sadb_msg) + sizeof(struct sadb_sa) +
	       sizeof(struct sadb_x_sa2) + 3 * sizeof(struct sadb_lifetime) +
	       3 * pfkey_address_size(AF_INET6) +
	       2 * sizeof(struct sadb_key) + 16 +
	       DIV_ROUND_UP(sa->key_auth_bits, 8) +
	       DIV_ROUND_UP(sa->key_enc_bits, 8) +
	       ident_size(sa->ident_src) + ident_size(sa->ident_dst) +
	       sizeof(struct sadb_x_nat_t_type) +
	       2 * sizeof(struct sadb_x_nat_t_port);
}

struct sk_buff *pfkey_sa_msg(const struct kame_sa *sa, u8 type, u32 seq,
			     u32 pid, unsigned int parts, gfp_t gfp)
{
	u8 full = kame_family_bits(sa->family);
	struct sk_buff *skb;
	struct sadb_sa *e;

	skb = pfkey_msg_new(sa_msg_max(sa), type, sa->satype, seq, pid, gfp);
	if (!skb)
		return NULL;

	e = pfkey_put_ext(skb, SADB_EXT_SA, sizeof(*e));
	e->sadb_sa_spi = sa->spi;
	if (!(parts & PFKEY_SA_SPI_ONLY)) {
		e->sadb_sa_replay = sa->replay;
		e->sadb_sa_state = READ_ONCE(sa->state);
		e->sadb_sa_auth = sa->auth_alg;
		e->sadb_sa_encrypt = sa->enc_alg;
		e->sadb_sa_flags = sa->sadb_flags;
	}
	if (parts & PFKEY_SA_SA2) {
		struct sadb_x_sa2 *sa2 = pfkey_put_ext(skb, SADB_X_EXT_SA2,
						       sizeof(*sa2));

		sa2->sadb_x_sa2_mode = sa->mode;
		sa2->sadb_x_sa2_reqid = sa->reqid;
	}
	if (parts & PFKEY_SA_CUR) {
		struct kame_lifetime cur = {
			.allocations = atomic64_read(&sa->cur.packets),
			.bytes = atomic64_read(&sa->cur.bytes),
			.addtime = sa->cur.add_real,
			.usetime = READ_ONCE(sa->cur.use_real),
		};

		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_CURRENT, &cur);
	}
	/* A hard EXPIRE says so even without a limit (sequence used up). */
	if ((parts & PFKEY_SA_HARD) &&
	    (kame_lifetime_set(&sa->hard) || type == SADB_EXPIRE))
		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_HARD, &sa->hard);
	if ((parts & PFKEY_SA_SOFT) && kame_lifetime_set(&sa->soft))
		pfkey_put_lifetime(skb, SADB_EXT_LIFETIME_SOFT, &sa->soft);
	pfkey_put_address(skb, SADB_EXT_ADDRESS_SRC, sa->family, &sa->saddr, 0,
			  sa->sprefix ?: full, sa->ulproto);
	pfkey_put_address(skb, SADB_EXT_ADDRESS_DST, sa->family, &sa->daddr, 0,
			  sa->dprefix ?: full, sa->ulproto);
	if (parts & PFKEY_SA_KEYS) {
		if (sa->key_auth)
			put_key(skb, SADB_EXT_KEY_AUTH, sa->key_auth,
				sa->key_auth_bits);
		if (sa->key_enc)
			put_key(skb, SADB_EXT_KEY_ENCRYPT, sa->key_enc,
				sa->key_enc_bits);
	}
	if (parts & PFKEY_SA_IDENT) {
		if (sa->ident_src)
			skb_put_data(skb, sa->ident_src, ident_size(sa->ident_src));
		if (sa->ident_dst)
			skb_put_data(skb, sa->ident_dst, ident_size(sa->ident_dst));
	}
	if ((parts & PFKEY_SA_NATT) && sa->natt_type) {
		struct sadb_x_nat_t_type *t;
		struct sadb_x_nat_t_port *p;

		t = pfkey_put_ext(skb, SADB_X_EXT_NAT_T_TYPE, sizeof(*t));
		t->sadb_x_nat_t_type_type = sa->natt_type;
		p = pfkey_put_ext(skb, SADB_X_EXT_NAT_T_SPORT, sizeof(*p));
		p->sadb_x_nat_t_port_port = sa->natt_sport;
		p = pfkey_put_ext(skb, SADB_X_EXT_NAT_T_DPORT, sizeof(*p));
		p->sadb_x_nat_t_port_port = sa->natt_dport;
		if (sa->natt_oa_family)
			pfkey_put_address(skb, SADB_X_EXT_NAT_T_OA,
					  sa->natt_oa_family, &sa->natt_oa, 0,
					  kame_family_bits(sa->natt_oa_family),
					  IPSEC_ULPROTO_ANY);
	}
	return skb;
}

static int copy_key(const struct kame_msg *m, u16 type, u8 **key, u16 *bits)
{
	unsigned int b;
	size_t bytes;
	const u8 *k = kame_msg_key(m, type, &b, &bytes);

	/* An empty key is no key: setkey sends one for the null algorithms. */
	if (!k || !b)
		return 0;
	*key = kmemdup(k, bytes, KAME_GFP_USER);
	if (!*key)
		return -ENOMEM;
	*bits = b;
	return 0;
}

static int copy_ident(const struct kame_msg *m, u16 type, void **to)
{
	const struct sadb_ext *e = m->ext[type];

	if (!e)
		return 0;
	/* At most the message: 64 KiB (PFKEY_MSG_MAX) for both identities. */
	*to = kmemdup(e, e->sadb_ext_len * 8, KAME_GFP_USER);
	return *to ? 0 : -ENOMEM;
}

/*
 * Every SA field a GETSPI, ADD or UPDATE message sets; with @check_algs
 * (ADD, UPDATE) the algorithms and keys must be usable.
 */
int pfkey_sa_from_msg(struct pfkey_req *r, struct kame_sa *sa, bool check_algs)
{
	const struct kame_msg *m = r->m;
	const struct sadb_sa *e = kame_msg_sa(m);
	const struct sadb_x_sa2 *sa2 = kame_msg_sa2(m);
	const struct sadb_address *src, *dst;
	const struct sockaddr *addr;
	u16 family;
	int err;

	sa->satype = r->hdr->sadb_msg_satype;
	sa->proto = kame_satype_to_proto(sa->satype);
	sa->seq = r->hdr->sadb_msg_seq;
	sa->pid = r->hdr->sadb_msg_pid;
	src = kame_msg_addr_ext(m, SADB_EXT_ADDRESS_SRC);
	dst = kame_msg_addr_ext(m, SADB_EXT_ADDRESS_DST);
	addr = kame_msg_addr(m, SADB_EXT_ADDRESS_SRC, &family);
	sa->family = family;
	pfkey_sockaddr_get(addr, family, &sa->saddr, NULL);
	addr = kame_msg_addr(m, SADB_EXT_ADDRESS_DST, &family);
	pfkey_sockaddr_get(addr, family, &sa->daddr, NULL);
	sa->sprefix = src->sadb_address_prefixlen;
	sa->dprefix = dst->sadb_address_prefixlen;
	sa->ulproto = src->sadb_address_proto;

	if (e) {
		sa->spi = e->sadb_sa_spi;
		sa->replay = e->sadb_sa_replay;
		sa->auth_alg = e->sadb_sa_auth;
		sa->enc_alg = e->sadb_sa_encrypt;
		sa->sadb_flags = e->sadb_sa_flags;
	}
	if (sa2) {
		sa->mode = sa2->sadb_x_sa2_mode;
		sa->reqid = sa2->sadb_x_sa2_reqid;
		/* KAME's "lowermost 32 bits of the sequence number". */
		sa->seq_out_start = sa2->sadb_x_sa2_sequence;
	}
	pfkey_get_lifetime(m, SADB_EXT_LIFETIME_HARD, &sa->hard);
	pfkey_get_lifetime(m, SADB_EXT_LIFETIME_SOFT, &sa->soft);

	if (m->ext[SADB_X_EXT_NAT_T_TYPE]) {
		const struct sadb_x_nat_t_type *t =
			(const void *)m->ext[SADB_X_EXT_NAT_T_TYPE];

		sa->natt_type = t->sadb_x_nat_t_type_type;
		kame_msg_natt_port(m, SADB_X_EXT_NAT_T_SPORT, &sa->natt_sport);
		kame_msg_natt_port(m, SADB_X_EXT_NAT_T_DPORT, &sa->natt_dport);
		addr = kame_msg_addr(m, SADB_X_EXT_NAT_T_OA, &family);
		if (addr) {
			sa->natt_oa_family = family;
			pfkey_sockaddr_get(addr, family, &sa->natt_oa, NULL);
		}
	}

	err = copy_key(m, SADB_EXT_KEY_AUTH, &sa->key_auth, &sa->key_auth_bits);
	if (!err)
		err = copy_key(m, SADB_EXT_KEY_ENCRYPT, &sa->key_enc,
			       &sa->key_enc_bits);
	if (!err)
		err = copy_ident(m, SADB_EXT_IDENTITY_SRC, &sa->ident_src);
	if (!err)
		err = copy_ident(m, SADB_EXT_IDENTITY_DST, &sa->ident_dst);
	if (err || !check_algs)
		return err;
	err = pfkey_alg_check(sa->satype, sa->auth_alg, sa->enc_alg,
			      sa->key_auth_bits, sa->key_enc_bits,
			      sa->key_auth != NULL, sa->key_enc != NULL);
	if (err)
		return err;
	/* Cycling would repeat the nonce of a seqiv cipher under its key. */
	if ((sa->sadb_flags & KAME_SADB_X_EXT_CYCSEQ) &&
	    sa->proto == IPPROTO_ESP && kame_alg_seq_nonce(sa->enc_alg))
		return -EINVAL;
	return 0;
}
