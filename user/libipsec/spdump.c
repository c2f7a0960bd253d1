// SPDX-License-Identifier: BSD-3-Clause
/* setkey -DP: one policy message in the KAME/ipsec-tools text format. */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

/*
 * Protocol names as setkey prints them. Fixed table first so dumps do not
 * depend on /etc/protocols; ipsec-tools spells 4 and 58 this way too.
 */
static const char *ulproto_name(unsigned int p, char *buf, size_t len)
{
	static const struct { unsigned int num; const char *name; } names[] = {
		{ IPPROTO_ICMP, "icmp" }, { IPPROTO_IGMP, "igmp" },
		{ IPPROTO_IPIP, "ip4" }, { IPPROTO_TCP, "tcp" },
		{ IPPROTO_UDP, "udp" }, { IPPROTO_IPV6, "ipv6" },
		{ IPPROTO_GRE, "gre" }, { IPPROTO_ESP, "esp" },
		{ IPPROTO_AH, "ah" }, { IPPROTO_ICMPV6, "icmp6" },
		{ IPPROTO_COMP, "ipcomp" }, { 135, "mobility-header" },
		{ IPPROTO_SCTP, "sctp" }, { IPPROTO_UDPLITE, "udplite" },
	};
	struct protoent *pe;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == p)
			return names[i].name;
	if (p != IPSEC_ULPROTO_ANY) {
		pe = getprotobynumber(p);
		if (pe) {
			snprintf(buf, len, "%s", pe->p_name);
			endprotoent();
			return buf;
		}
		endprotoent();
	}
	snprintf(buf, len, "%u", p);
	return buf;
}

/* Protocols whose "ports" carry something else (type/code, GRE key). */
static int ports_are_special(unsigned int ulp)
{
	return ulp == IPPROTO_ICMP || ulp == IPPROTO_ICMPV6 || ulp == 135 ||
	       ulp == IPPROTO_GRE;
}

static void print_selector(FILE *out, const struct sadb_address *a,
			   const struct sockaddr *sa)
{
	char ab[INET6_ADDRSTRLEN + 32];
	unsigned int port = pfkey_sockaddr_port(sa);

	fputs(kame_str_addr(sa, ab, sizeof(ab)), out);
	if (a->sadb_address_prefixlen != pfkey_sockaddr_maxprefix(sa))
		fprintf(out, "/%u", a->sadb_address_prefixlen);
	if (!ports_are_special(a->sadb_address_proto)) {
		if (port == IPSEC_PORT_ANY)
			fputs("[any]", out);
		else
			fprintf(out, "[%u]", port);
	}
	fputc(' ', out);
}

static void print_upper(FILE *out, unsigned int ulp, unsigned int p1,
			unsigned int p2)
{
	char nb[64];

	fputs(ulproto_name(ulp, nb, sizeof(nb)), out);
	if (!ports_are_special(ulp) || (p1 == 0 && p2 == 0))
		return;
	if (ulp == IPPROTO_GRE)
		fprintf(out, " %u", (p1 << 16) | p2);
	else
		fprintf(out, " %u,%u", p1, p2);
}

int pfkey_spdump_opts(const struct sadb_msg *m, const struct pfkey_dump_opts *o)
{
	caddr_t mhp[SADB_EXT_MAX + 1];
	FILE *out = o->out;
	const struct sadb_address *sa, *da;
	const struct sockaddr *ss, *ds;
	const struct sadb_x_policy *xp;
	const struct sadb_lifetime *c, *h;
	int per_socket;
	char tb[21];
	char *text;

	if (pfkey_align((struct sadb_msg *)m, mhp) || pfkey_check(mhp)) {
		fprintf(out, "%s\n", ipsec_strerror());
		return -1;
	}
	sa = (const void *)mhp[SADB_EXT_ADDRESS_SRC];
	da = (const void *)mhp[SADB_EXT_ADDRESS_DST];
	ss = kame_ext_sockaddr(sa);
	ds = kame_ext_sockaddr(da);
	xp = (const void *)mhp[SADB_X_EXT_POLICY];
	/* Linux encodes per-socket policies as id % 8 >= 3 */
	per_socket = xp && xp->sadb_x_policy_id && xp->sadb_x_policy_id % 8 >= 3;

	if (per_socket) {
		fputs("(per-socket policy) ", out);
	} else if (sa && da) {
		if (!ss || !ds) {
			fputs("unknown-af ", out);
		} else {
			print_selector(out, sa, ss);
			print_selector(out, da, ds);
			if (sa->sadb_address_proto != da->sadb_address_proto) {
				fputs("upper layer protocol mismatched.\n", out);
				return -1;
			}
			print_upper(out, sa->sadb_address_proto,
				    pfkey_sockaddr_port(ss),
				    pfkey_sockaddr_port(ds));
		}
	} else {
		fputs("(no selector, probably per-socket policy) ", out);
	}

	if (!xp) {
		fputs("no X_POLICY extension.\n", out);
		return -1;
	}
	text = kame_dump_policy(xp, PFKEY_EXTLEN(xp), "\n\t", o->withports,
				per_socket);
	if (!text)
		fprintf(out, "\n\tPolicy:[%s]\n", ipsec_strerror());
	else
		fprintf(out, "\n\t%s\n", text);
	free(text);

	c = (const void *)mhp[SADB_EXT_LIFETIME_CURRENT];
	h = (const void *)mhp[SADB_EXT_LIFETIME_HARD];
	if (c) {
		fprintf(out, "\tcreated: %s  ",
			kame_str_time(c->sadb_lifetime_addtime, tb));
		fprintf(out, "lastused: %s\n",
			kame_str_time(c->sadb_lifetime_usetime, tb));
	}
	if (h) {
		fprintf(out, "\tlifetime: %llu(s) ",
			(unsigned long long)h->sadb_lifetime_addtime);
		fprintf(out, "validtime: %llu(s)\n",
			(unsigned long long)h->sadb_lifetime_usetime);
	}
	if (mhp[SADB_X_EXT_SEC_CTX])
		kame_print_sec_ctx(out, (const void *)mhp[SADB_X_EXT_SEC_CTX]);
	fprintf(out, "\tspid=%u seq=%u pid=%u\n", xp->sadb_x_policy_id,
		m->sadb_msg_seq, m->sadb_msg_pid);
	fprintf(out, "\trefcnt=%u\n", m->sadb_msg_reserved);
	return 0;
}

void pfkey_spdump(struct sadb_msg *m)
{
	struct pfkey_dump_opts o = { stdout, time(NULL), 0, 1 };

	pfkey_spdump_opts(m, &o);
}

void pfkey_spdump_withports(struct sadb_msg *m)
{
	struct pfkey_dump_opts o = { stdout, time(NULL), 1, 1 };

	pfkey_spdump_opts(m, &o);
}
