// SPDX-License-Identifier: BSD-3-Clause
/* setkey -D: one SA message in the KAME/ipsec-tools text format. */
#include <string.h>
#include <netinet/in.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

static void print_alg(FILE *out, char kind, unsigned int id)
{
	const char *name = kame_alg_name(kind, id);

	if (name)
		fprintf(out, "%s ", name);
	else
		fprintf(out, "%u ", id);
}

static void print_key(FILE *out, const char *tag, char kind, unsigned int id,
		      const struct sadb_key *k)
{
	size_t bytes = k->sadb_key_bits / 8;

	fprintf(out, "\t%s: ", tag);
	print_alg(out, kind, id);
	if (bytes > PFKEY_EXTLEN(k) - sizeof(*k))
		bytes = PFKEY_EXTLEN(k) - sizeof(*k);
	kame_hexdump(out, k + 1, bytes);
	fputc('\n', out);
}

static void print_bytes(FILE *out, const char *tag,
			const struct sadb_lifetime *l)
{
	fprintf(out, "\t%s: %llu(bytes)", tag,
		(unsigned long long)(l ? l->sadb_lifetime_bytes : 0));
}

static void print_lifetimes(FILE *out, const struct pfkey_dump_opts *o,
			    const struct sadb_lifetime *c,
			    const struct sadb_lifetime *h,
			    const struct sadb_lifetime *s)
{
	char tb[21];
	unsigned long long diff = 0;

	fprintf(out, "\tcreated: %s", kame_str_time(c->sadb_lifetime_addtime, tb));
	fprintf(out, "\tcurrent: %s\n", kame_str_time(o->now, tb));
	if (c->sadb_lifetime_addtime && (uint64_t)o->now > c->sadb_lifetime_addtime)
		diff = o->now - c->sadb_lifetime_addtime;
	fprintf(out, "\tdiff: %llu(s)", diff);
	fprintf(out, "\thard: %llu(s)",
		(unsigned long long)(h ? h->sadb_lifetime_addtime : 0));
	fprintf(out, "\tsoft: %llu(s)\n",
		(unsigned long long)(s ? s->sadb_lifetime_addtime : 0));
	fprintf(out, "\tlast: %s", kame_str_time(c->sadb_lifetime_usetime, tb));
	fprintf(out, "\thard: %llu(s)",
		(unsigned long long)(h ? h->sadb_lifetime_usetime : 0));
	fprintf(out, "\tsoft: %llu(s)\n",
		(unsigned long long)(s ? s->sadb_lifetime_usetime : 0));
	print_bytes(out, "current", c);
	print_bytes(out, "hard", h);
	print_bytes(out, "soft", s);
	fputc('\n', out);
	fprintf(out, "\tallocated: %u", c->sadb_lifetime_allocations);
	fprintf(out, "\thard: %u", h ? h->sadb_lifetime_allocations : 0);
	fprintf(out, "\tsoft: %u\n", s ? s->sadb_lifetime_allocations : 0);
}

void kame_print_sec_ctx(FILE *out, const struct sadb_x_sec_ctx *c)
{
	size_t room = PFKEY_EXTLEN(c) - sizeof(*c);
	size_t n = c->sadb_x_ctx_len < room ? c->sadb_x_ctx_len : room;

	fprintf(out, "\tsecurity context doi: %u\n", c->sadb_x_ctx_doi);
	fprintf(out, "\tsecurity context algorithm: %u\n", c->sadb_x_ctx_alg);
	fprintf(out, "\tsecurity context length: %u\n", c->sadb_x_ctx_len);
	fprintf(out, "\tsecurity context: %.*s\n", (int)n,
		(const char *)(c + 1));
}

int pfkey_sadump_opts(const struct sadb_msg *m, const struct pfkey_dump_opts *o)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	FILE *out = o->out;
	const struct sadb_sa *sa;
	const struct sadb_x_sa2 *sa2;
	const struct sockaddr *src, *dst;
	const struct sadb_x_nat_t_type *natt;
	const struct sadb_x_nat_t_port *nsport, *ndport;
	char ab[INET6_ADDRSTRLEN + 32];

	if (pfkey_align((struct sadb_msg *)m, mhp) || pfkey_check(mhp)) {
		fprintf(out, "%s\n", ipsec_strerror());
		return -1;
	}
	sa = (const void *)mhp[SADB_EXT_SA];
	sa2 = (const void *)mhp[SADB_X_EXT_SA2];
	src = kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_SRC]);
	dst = kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_DST]);
	natt = (const void *)mhp[SADB_X_EXT_NAT_T_TYPE];
	nsport = (const void *)mhp[SADB_X_EXT_NAT_T_SPORT];
	ndport = (const void *)mhp[SADB_X_EXT_NAT_T_DPORT];
	if (!sa) {
		fprintf(out, "no SA extension.\n");
		return -1;
	}
	if (!src) {
		fprintf(out, "no ADDRESS_SRC extension.\n");
		return -1;
	}
	if (!dst) {
		fprintf(out, "no ADDRESS_DST extension.\n");
		return -1;
	}
	if (!o->show_dead && sa->sadb_sa_state == SADB_SASTATE_DEAD)
		return 0;

	/* line 1: addresses, with the NAT-T port or -p port */
	fputs(kame_str_addr(src, ab, sizeof(ab)), out);
	if (natt && nsport)
		fprintf(out, "[%u]", ntohs(nsport->sadb_x_nat_t_port_port));
	else if (o->withports)
		fprintf(out, "[%u]", pfkey_sockaddr_port(src));
	fputc(' ', out);
	fputs(kame_str_addr(dst, ab, sizeof(ab)), out);
	if (natt && ndport)
		fprintf(out, "[%u]", ntohs(ndport->sadb_x_nat_t_port_port));
	else if (o->withports)
		fprintf(out, "[%u]", pfkey_sockaddr_port(dst));
	fputs(" \n", out);

	/* line 2: satype, mode, spi, reqid */
	if (natt && m->sadb_msg_satype == SADB_SATYPE_ESP)
		fputs("\tesp-udp ", out);
	else
		fprintf(out, "\t%s ", kame_str_satype(m->sadb_msg_satype));
	fprintf(out, "mode=%s ", kame_str_mode(sa2 ? sa2->sadb_x_sa2_mode : 0));
	fprintf(out, "spi=%u(0x%08x) reqid=%u(0x%08x)\n",
		ntohl(sa->sadb_sa_spi), ntohl(sa->sadb_sa_spi),
		sa2 ? sa2->sadb_x_sa2_reqid : 0, sa2 ? sa2->sadb_x_sa2_reqid : 0);
	if (mhp[SADB_X_EXT_NAT_T_OA]) {
		const struct sockaddr *oa = kame_ext_sockaddr(mhp[SADB_X_EXT_NAT_T_OA]);

		if (oa)
			fprintf(out, "\tNAT OA=%s\n", kame_str_addr(oa, ab, sizeof(ab)));
	}

	/* keys */
	if (m->sadb_msg_satype == SADB_X_SATYPE_IPCOMP) {
		fputs("\tC: ", out);
		print_alg(out, KAME_ALG_COMP, sa->sadb_sa_encrypt);
		fputc('\n', out);
	} else if (m->sadb_msg_satype == SADB_SATYPE_ESP &&
		   mhp[SADB_EXT_KEY_ENCRYPT]) {
		print_key(out, "E", KAME_ALG_ENC, sa->sadb_sa_encrypt,
			  (const void *)mhp[SADB_EXT_KEY_ENCRYPT]);
	}
	if (mhp[SADB_EXT_KEY_AUTH])
		print_key(out, "A", KAME_ALG_AUTH, sa->sadb_sa_auth,
			  (const void *)mhp[SADB_EXT_KEY_AUTH]);

	fprintf(out, "\tseq=0x%08x replay=%u flags=0x%08x state=%s \n",
		sa2 ? sa2->sadb_x_sa2_sequence : 0, sa->sadb_sa_replay,
		sa->sadb_sa_flags, kame_str_state(sa->sadb_sa_state));

	if (mhp[SADB_EXT_LIFETIME_CURRENT])
		print_lifetimes(out, o,
				(const void *)mhp[SADB_EXT_LIFETIME_CURRENT],
				(const void *)mhp[SADB_EXT_LIFETIME_HARD],
				(const void *)mhp[SADB_EXT_LIFETIME_SOFT]);
	if (mhp[SADB_X_EXT_SEC_CTX])
		kame_print_sec_ctx(out, (const void *)mhp[SADB_X_EXT_SEC_CTX]);
	fprintf(out, "\tsadb_seq=%u pid=%u refcnt=%u\n", m->sadb_msg_seq,
		m->sadb_msg_pid, m->sadb_msg_reserved);
	return 0;
}

/* setkey -l: one line per SA. */
void pfkey_sadump_short(const struct sadb_msg *m, const struct pfkey_dump_opts *o)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	const struct sadb_sa *sa;
	const struct sadb_lifetime *c;
	const struct sockaddr *src, *dst;
	char sb[INET6_ADDRSTRLEN + 32], db[INET6_ADDRSTRLEN + 32];
	unsigned long long age = 0;

	if (pfkey_align((struct sadb_msg *)m, mhp))
		return;
	sa = (const void *)mhp[SADB_EXT_SA];
	c = (const void *)mhp[SADB_EXT_LIFETIME_CURRENT];
	src = kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_SRC]);
	dst = kame_ext_sockaddr(mhp[SADB_EXT_ADDRESS_DST]);
	if (!sa || !src || !dst)
		return;
	if (!o->show_dead && sa->sadb_sa_state == SADB_SASTATE_DEAD)
		return;
	if (c && c->sadb_lifetime_addtime && (uint64_t)o->now > c->sadb_lifetime_addtime)
		age = o->now - c->sadb_lifetime_addtime;
	fprintf(o->out, "%-15s %-15s %-6s %-8s 0x%08x %6llus %10llub\n",
		kame_str_addr(src, sb, sizeof(sb)), kame_str_addr(dst, db, sizeof(db)),
		kame_str_satype(m->sadb_msg_satype),
		kame_str_state(sa->sadb_sa_state), ntohl(sa->sadb_sa_spi), age,
		(unsigned long long)(c ? c->sadb_lifetime_bytes : 0));
}

void pfkey_sadump(struct sadb_msg *m)
{
	struct pfkey_dump_opts o = { stdout, time(NULL), 0, 1 };

	pfkey_sadump_opts(m, &o);
}

void pfkey_sadump_withports(struct sadb_msg *m)
{
	struct pfkey_dump_opts o = { stdout, time(NULL), 1, 1 };

	pfkey_sadump_opts(m, &o);
}
