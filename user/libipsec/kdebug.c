// SPDX-License-Identifier: BSD-3-Clause
/* setkey -x / -v: every field of a PF_KEY message, numbers not names. */
#include <string.h>
#include <netinet/in.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

static void kd_sockaddr(FILE *out, const struct sockaddr *sa, size_t room)
{
	char ab[INET6_ADDRSTRLEN + 32];

	if (room < sizeof(sa->sa_family) || !pfkey_sockaddr_len(sa) ||
	    room < pfkey_sockaddr_len(sa)) {
		fprintf(out, "  sockaddr{ family=%u (unknown) }\n",
			room >= 2 ? sa->sa_family : 0);
		return;
	}
	fprintf(out, "  sockaddr{ family=%u port=%u\n    %s }\n", sa->sa_family,
		pfkey_sockaddr_port(sa), kame_str_addr(sa, ab, sizeof(ab)));
}

static void kd_key(FILE *out, const struct sadb_key *k, size_t elen)
{
	size_t n = k->sadb_key_bits / 8;

	if (n > elen - sizeof(*k))
		n = elen - sizeof(*k);
	fprintf(out, "sadb_key{ bits=%u reserved=%u\n  key=", k->sadb_key_bits,
		k->sadb_key_reserved);
	kame_hexdump(out, k + 1, n);
	fputs(" }\n", out);
}

static void kd_policy(FILE *out, const struct sadb_x_policy *xp, size_t elen)
{
	const uint8_t *p = (const uint8_t *)(xp + 1), *end = (const uint8_t *)xp + elen;

	fprintf(out, "sadb_x_policy{ type=%u dir=%u id=%x priority=%u }\n",
		xp->sadb_x_policy_type, xp->sadb_x_policy_dir,
		xp->sadb_x_policy_id, xp->sadb_x_policy_priority);
	while ((size_t)(end - p) >= sizeof(struct sadb_x_ipsecrequest)) {
		const struct sadb_x_ipsecrequest *rq = (const void *)p;
		size_t rl = rq->sadb_x_ipsecrequest_len;

		fprintf(out, " { len=%u proto=%u mode=%u level=%u reqid=%u\n",
			rq->sadb_x_ipsecrequest_len, rq->sadb_x_ipsecrequest_proto,
			rq->sadb_x_ipsecrequest_mode, rq->sadb_x_ipsecrequest_level,
			rq->sadb_x_ipsecrequest_reqid);
		if (rl < sizeof(*rq) || rl % 8 || rl > (size_t)(end - p)) {
			fputs("   invalid request length }\n", out);
			return;
		}
		if (rl > sizeof(*rq)) {
			const struct sockaddr *s = (const void *)(rq + 1);
			size_t room = rl - sizeof(*rq), sl = pfkey_sockaddr_len(s);

			kd_sockaddr(out, s, room);
			if (sl && room >= 2 * sl)
				kd_sockaddr(out, (const void *)((const uint8_t *)s + sl),
					    room - sl);
		}
		fputs(" }\n", out);
		p += rl;
	}
}

static void kd_supported(FILE *out, const struct sadb_supported *s, size_t elen)
{
	const struct sadb_alg *a = (const void *)(s + 1);
	size_t n = (elen - sizeof(*s)) / sizeof(*a), i;

	fputs("sadb_sup{\n", out);
	for (i = 0; i < n; i++)
		fprintf(out, "  { id=%u ivlen=%u min=%u max=%u }\n",
			a[i].sadb_alg_id, a[i].sadb_alg_ivlen,
			a[i].sadb_alg_minbits, a[i].sadb_alg_maxbits);
	fputs("}\n", out);
}

static void kd_prop(FILE *out, const struct sadb_prop *pr, size_t elen)
{
	const struct sadb_comb *c = (const void *)(pr + 1);
	size_t n = (elen - sizeof(*pr)) / sizeof(*c), i;

	fprintf(out, "sadb_prop{ replay=%u\n", pr->sadb_prop_replay);
	for (i = 0; i < n; i++)
		fprintf(out, "  sadb_comb{ auth=%u encrypt=%u flags=0x%04x reserved=0x%08x\n"
			"    auth_minbits=%u auth_maxbits=%u encrypt_minbits=%u encrypt_maxbits=%u\n"
			"    soft_alloc=%u hard_alloc=%u soft_bytes=%llu hard_bytes=%llu\n"
			"    soft_addtime=%llu hard_addtime=%llu soft_usetime=%llu hard_usetime=%llu }\n",
			c[i].sadb_comb_auth, c[i].sadb_comb_encrypt,
			c[i].sadb_comb_flags, c[i].sadb_comb_reserved,
			c[i].sadb_comb_auth_minbits, c[i].sadb_comb_auth_maxbits,
			c[i].sadb_comb_encrypt_minbits, c[i].sadb_comb_encrypt_maxbits,
			c[i].sadb_comb_soft_allocations, c[i].sadb_comb_hard_allocations,
			(unsigned long long)c[i].sadb_comb_soft_bytes,
			(unsigned long long)c[i].sadb_comb_hard_bytes,
			(unsigned long long)c[i].sadb_comb_soft_addtime,
			(unsigned long long)c[i].sadb_comb_hard_addtime,
			(unsigned long long)c[i].sadb_comb_soft_usetime,
			(unsigned long long)c[i].sadb_comb_hard_usetime);
	fputs("}\n", out);
}

static void kd_ext(FILE *out, const struct sadb_ext *e, size_t elen)
{
	if (elen < kame_ext_minlen(e->sadb_ext_type)) {
		fputs("extension too short\n", out);
		return;
	}
	switch (e->sadb_ext_type) {
	case SADB_EXT_SA: {
		const struct sadb_sa *sa = (const void *)e;

		if (elen < sizeof(*sa))
			break;
		fprintf(out, "sadb_sa{ spi=%u replay=%u state=%u\n"
			"  auth=%u encrypt=%u flags=0x%08x }\n",
			ntohl(sa->sadb_sa_spi), sa->sadb_sa_replay,
			sa->sadb_sa_state, sa->sadb_sa_auth,
			sa->sadb_sa_encrypt, sa->sadb_sa_flags);
		return;
	}
	case SADB_EXT_LIFETIME_CURRENT:
	case SADB_EXT_LIFETIME_HARD:
	case SADB_EXT_LIFETIME_SOFT: {
		const struct sadb_lifetime *l = (const void *)e;

		if (elen < sizeof(*l))
			break;
		fprintf(out, "sadb_lifetime{ alloc=%u, bytes=%llu\n"
			"  addtime=%llu, usetime=%llu }\n",
			l->sadb_lifetime_allocations,
			(unsigned long long)l->sadb_lifetime_bytes,
			(unsigned long long)l->sadb_lifetime_addtime,
			(unsigned long long)l->sadb_lifetime_usetime);
		return;
	}
	case SADB_EXT_ADDRESS_SRC:
	case SADB_EXT_ADDRESS_DST:
	case SADB_EXT_ADDRESS_PROXY:
	case SADB_X_EXT_NAT_T_OA: {
		const struct sadb_address *a = (const void *)e;

		fprintf(out, "sadb_address{ proto=%u prefixlen=%u reserved=0x%x }\n",
			a->sadb_address_proto, a->sadb_address_prefixlen,
			a->sadb_address_reserved);
		kd_sockaddr(out, (const void *)(a + 1), elen - sizeof(*a));
		return;
	}
	case SADB_EXT_KEY_AUTH:
	case SADB_EXT_KEY_ENCRYPT:
		kd_key(out, (const void *)e, elen);
		return;
	case SADB_EXT_IDENTITY_SRC:
	case SADB_EXT_IDENTITY_DST: {
		const struct sadb_ident *id = (const void *)e;

		fprintf(out, "sadb_ident_%s{ type=%u id=%llu }\n",
			e->sadb_ext_type == SADB_EXT_IDENTITY_SRC ? "src" : "dst",
			id->sadb_ident_type,
			(unsigned long long)id->sadb_ident_id);
		return;
	}
	case SADB_EXT_PROPOSAL:
		kd_prop(out, (const void *)e, elen);
		return;
	case SADB_EXT_SUPPORTED_AUTH:
	case SADB_EXT_SUPPORTED_ENCRYPT:
		kd_supported(out, (const void *)e, elen);
		return;
	case SADB_EXT_SPIRANGE: {
		const struct sadb_spirange *r = (const void *)e;

		fprintf(out, "sadb_spirange{ min=0x%08x max=0x%08x }\n",
			r->sadb_spirange_min, r->sadb_spirange_max);
		return;
	}
	case SADB_X_EXT_POLICY:
		kd_policy(out, (const void *)e, elen);
		return;
	case SADB_X_EXT_SA2: {
		const struct sadb_x_sa2 *s2 = (const void *)e;

		fprintf(out, "sadb_x_sa2{ mode=%u reqid=%u\n"
			"  reserved1=%u reserved2=%u sequence=%u }\n",
			s2->sadb_x_sa2_mode, s2->sadb_x_sa2_reqid,
			s2->sadb_x_sa2_reserved1, s2->sadb_x_sa2_reserved2,
			s2->sadb_x_sa2_sequence);
		return;
	}
	case SADB_X_EXT_NAT_T_TYPE:
		fprintf(out, "sadb_x_nat_t_type{ type=%u }\n",
			((const struct sadb_x_nat_t_type *)e)->sadb_x_nat_t_type_type);
		return;
	case SADB_X_EXT_NAT_T_SPORT:
	case SADB_X_EXT_NAT_T_DPORT:
		fprintf(out, "sadb_x_nat_t_port{ port=%u }\n",
			ntohs(((const struct sadb_x_nat_t_port *)e)->sadb_x_nat_t_port_port));
		return;
	case SADB_X_EXT_SEC_CTX: {
		const struct sadb_x_sec_ctx *c = (const void *)e;

		fprintf(out, "sadb_x_sec_ctx{ alg=%u doi=%u len=%u }\n",
			c->sadb_x_ctx_alg, c->sadb_x_ctx_doi, c->sadb_x_ctx_len);
		return;
	}
	case SADB_X_EXT_KMADDRESS:
		fputs("sadb_x_kmaddress{ }\n", out);
		return;
	}
	fprintf(out, "sadb_ext{ (not decoded) }\n");
}

void kdebug_sadb_fp(FILE *out, const struct sadb_msg *m)
{
	const uint8_t *p, *end;

	if (!m) {
		fputs("sadb_msg{ NULL }\n", out);
		return;
	}
	fprintf(out, "sadb_msg{ version=%u type=%u errno=%u satype=%u\n"
		"  len=%u reserved=%u seq=%u pid=%u\n",
		m->sadb_msg_version, m->sadb_msg_type, m->sadb_msg_errno,
		m->sadb_msg_satype, m->sadb_msg_len, m->sadb_msg_reserved,
		m->sadb_msg_seq, m->sadb_msg_pid);
	p = (const uint8_t *)(m + 1);
	end = (const uint8_t *)m + PFKEY_UNUNIT64((size_t)m->sadb_msg_len);
	while ((size_t)(end - p) >= sizeof(struct sadb_ext) && end > p) {
		const struct sadb_ext *e = (const void *)p;
		size_t elen = PFKEY_EXTLEN(e);

		fprintf(out, "sadb_ext{ len=%u type=%u }\n", e->sadb_ext_len,
			e->sadb_ext_type);
		if (elen < sizeof(*e) || elen > (size_t)(end - p)) {
			fputs("invalid extension length\n", out);
			break;
		}
		kd_ext(out, e, elen);
		p += elen;
	}
	fputs("}\n", out);
}

void kdebug_sadb(struct sadb_msg *m)
{
	kdebug_sadb_fp(stdout, m);
}
