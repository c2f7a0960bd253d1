// SPDX-License-Identifier: BSD-3-Clause
/*
 * SPD statements: spdadd, spdupdate, spddelete, spdflush, spddump.
 *
 *   spdadd [-46n] src_range dst_range upperspec [-ctx doi alg "ctx"] -P policy ;
 *   src_range := addr[/prefix][[port]]      ([any] = port 0)
 *   upperspec := any | tcp | udp | icmp6 [type,code] | gre [key] | N | name
 *
 * The policy text after -P goes to ipsec_set_policy() unchanged.
 */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "parse.h"
#include "../libipsec/pfkey_msg.h"

static int parse_upper(struct sk_parser *p, const char *w, unsigned int *proto)
{
	static const struct { const char *name; unsigned int num; } names[] = {
		{ "any", IPSEC_ULPROTO_ANY }, { "icmp", IPPROTO_ICMP },
		{ "icmp6", IPPROTO_ICMPV6 }, { "ipv6-icmp", IPPROTO_ICMPV6 },
		{ "ip4", IPPROTO_IPIP }, { "ipencap", IPPROTO_IPIP },
		{ "ipip", IPPROTO_IPIP }, { "tcp", IPPROTO_TCP },
		{ "udp", IPPROTO_UDP }, { "gre", IPPROTO_GRE },
		{ "ipv6", IPPROTO_IPV6 }, { "esp", IPPROTO_ESP },
		{ "ah", IPPROTO_AH }, { "ipcomp", IPPROTO_COMP },
		{ "sctp", IPPROTO_SCTP }, { "udplite", IPPROTO_UDPLITE },
		{ "mh", 135 }, { "ipv6-mh", 135 }, { "mobility-header", 135 },
	};
	struct protoent *pe;
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(w, names[i].name)) {
			*proto = names[i].num;
			return 0;
		}
	if (!sk_parse_number(w, 255, &v)) {
		*proto = v;
		return 0;
	}
	pe = getprotobyname(w);
	endprotoent();
	if (pe) {
		*proto = pe->p_proto;
		return 0;
	}
	return sk_error(p, "unknown upper-layer protocol '%s'", w);
}

static int special_ports(unsigned int proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6 || proto == 135 ||
	       proto == IPPROTO_GRE;
}

/* "type,code" for ICMP/ICMPv6/MH; a key (N or a.b.c.d) for GRE. */
static int parse_upper_misc(struct sk_parser *p, unsigned int proto,
			    const char *w, unsigned int *sp, unsigned int *dp)
{
	uint64_t a, b;

	if (proto == IPPROTO_GRE) {
		struct in_addr in;

		if (inet_pton(AF_INET, w, &in) == 1)
			a = ntohl(in.s_addr);
		else if (sk_parse_number(w, 0xffffffffu, &a))
			return sk_error(p, "gre: bad key '%s'", w);
		*sp = a >> 16;
		*dp = a & 0xffff;
		return 0;
	}
	{
		const char *comma = strchr(w, ',');
		char tb[16];
		size_t tl = comma ? (size_t)(comma - w) : 0;

		if (!comma || tl == 0 || tl >= sizeof(tb))
			return sk_error(p, "'%s': expected type,code", w);
		memcpy(tb, w, tl);
		tb[tl] = '\0';
		if (sk_parse_number(tb, 255, &a) || sk_parse_number(comma + 1, 255, &b))
			return sk_error(p, "'%s': type and code are 0..255", w);
	}
	*sp = a;
	*dp = b;
	return 0;
}

static void set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* Reads "-P ..." up to ';' and returns the policy buffer. */
static caddr_t parse_policy(struct sk_parser *p, int *len)
{
	char *text = NULL;
	size_t tl = 0;
	caddr_t pol;
	enum sk_tok t;

	for (;;) {
		t = sk_next(p);
		if (t == SK_TOK_SEMI)
			break;
		if (t == SK_TOK_ERROR)
			goto fail;
		if (t == SK_TOK_EOF) {
			sk_error(p, "missing ';' at end of input");
			goto fail;
		}
		if (t == SK_TOK_STRING) {
			sk_error(p, "unexpected string in policy");
			goto fail;
		}
		{
			char *n = realloc(text, tl + p->lx.textlen + 2);

			if (!n) {
				sk_error(p, "out of memory");
				goto fail;
			}
			text = n;
			if (tl)
				text[tl++] = ' ';
			memcpy(text + tl, p->lx.text, p->lx.textlen + 1);
			tl += p->lx.textlen;
		}
	}
	if (!text) {
		sk_error(p, "-P needs a policy (in|out|fwd ...)");
		return NULL;
	}
	pol = ipsec_set_policy(text, tl);
	if (!pol) {
		sk_error(p, "bad policy \"%s\": %s", text, ipsec_strerror());
		free(text);
		return NULL;
	}
	free(text);
	*len = ipsec_get_policylen(pol);
	return pol;
fail:
	free(text);
	return NULL;
}

/* The -r (RFC mode) copy of an "in" policy for forwarded traffic. */
static caddr_t make_fwd_copy(const void *pol, int len)
{
	struct sadb_x_policy *xp;
	uint8_t *p, *end;
	caddr_t c = malloc(len);

	if (!c)
		return NULL;
	memcpy(c, pol, len);
	xp = (struct sadb_x_policy *)c;
	xp->sadb_x_policy_dir = IPSEC_DIR_FWD;
	p = (uint8_t *)(xp + 1);
	end = (uint8_t *)c + len;
	while (p + sizeof(struct sadb_x_ipsecrequest) <= end) {
		struct sadb_x_ipsecrequest *rq = (void *)p;

		if (rq->sadb_x_ipsecrequest_len < sizeof(*rq))
			break;
		if (rq->sadb_x_ipsecrequest_level == IPSEC_LEVEL_UNIQUE) {
			rq->sadb_x_ipsecrequest_level = IPSEC_LEVEL_REQUIRE;
			rq->sadb_x_ipsecrequest_reqid = 0;
		}
		p += rq->sadb_x_ipsecrequest_len;
	}
	return c;
}

static unsigned int spd_type(const char *cmd)
{
	if (!strcmp(cmd, "spdadd"))
		return SADB_X_SPDADD;
	if (!strcmp(cmd, "spdupdate"))
		return SADB_X_SPDUPDATE;
	return SADB_X_SPDDELETE;
}

static int add_spd_msg(struct sk_parser *p, struct sk_cmd *c, const char *cmd,
		       const struct sk_addr *s, const struct sk_addr *d,
		       unsigned int proto, const char *ctx, unsigned int doi,
		       unsigned int calg, const void *pol, int plen)
{
	struct pfkey_msgbuf mb;

	pfkey_mb_init(&mb, spd_type(cmd), SADB_SATYPE_UNSPEC, ++p->seq, p->pid);
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_SRC, (const void *)&s->ss,
			 s->prefix, proto);
	pfkey_mb_address(&mb, SADB_EXT_ADDRESS_DST, (const void *)&d->ss,
			 d->prefix, proto);
	if (ctx)
		pfkey_mb_sec_ctx(&mb, doi, calg, ctx, strlen(ctx) + 1);
	pfkey_mb_policy(&mb, pol, plen);
	return sk_add_msg(p, c, &mb);
}

int sk_parse_spd_cmd(struct sk_parser *p, const char *cmd, struct sk_cmd *c)
{
	struct sk_aiflags af;
	struct sk_addrlist src = { 0 }, dst = { 0 };
	unsigned int proto = 0, sp = 0, dp = 0, doi = 0, calg = 0;
	int have_misc = 0, plen = 0, r = -1;
	char *ctx = NULL;
	caddr_t pol = NULL, fwd = NULL;
	size_t i, j;
	uint64_t v;

	if (!strcmp(cmd, "spdflush") || !strcmp(cmd, "spddump")) {
		struct pfkey_msgbuf mb;

		if (sk_expect_semi(p))
			return -1;
		c->kind = cmd[3] == 'f' ? SK_SEND : SK_SPDDUMP;
		pfkey_mb_init(&mb, cmd[3] == 'f' ? SADB_X_SPDFLUSH : SADB_X_SPDDUMP,
			      SADB_SATYPE_UNSPEC, ++p->seq, p->pid);
		return sk_add_msg(p, c, &mb);
	}
	c->kind = SK_SEND;
	if (sk_parse_aiflags(p, &af))
		goto out;
	if (sk_next(p) != SK_TOK_WORD) {
		sk_error(p, "%s: expected the source range", cmd);
		goto out;
	}
	if (!strcmp(p->lx.text, "tagged")) {
		sk_error(p, "%s tagged: PF tags are a BSD feature, not available here",
			 cmd);
		goto out;
	}
	if (sk_parse_addr(p, p->lx.text, &af, 1, &src))
		goto out;
	if (sk_next(p) != SK_TOK_WORD) {
		sk_error(p, "%s: expected the destination range", cmd);
		goto out;
	}
	if (sk_parse_addr(p, p->lx.text, &af, 1, &dst))
		goto out;
	if (sk_next(p) != SK_TOK_WORD) {
		sk_error(p, "%s: expected the upper-layer protocol (any, tcp, ...)",
			 cmd);
		goto out;
	}
	if (parse_upper(p, p->lx.text, &proto))
		goto out;
	if (special_ports(proto)) {
		if (sk_next(p) == SK_TOK_WORD && p->lx.text[0] != '-') {
			if (parse_upper_misc(p, proto, p->lx.text, &sp, &dp))
				goto out;
			have_misc = 1;
		} else {
			sk_lex_unget(&p->lx);
		}
		for (i = 0; i < src.n; i++)
			if (src.a[i].has_port && pfkey_sockaddr_port((void *)&src.a[i].ss))
				break;
		for (j = 0; j < dst.n; j++)
			if (dst.a[j].has_port && pfkey_sockaddr_port((void *)&dst.a[j].ss))
				break;
		if (i < src.n || j < dst.n) {
			sk_error(p, "ports do not apply to this protocol; give type,code (or a GRE key) after it");
			goto out;
		}
	}
	for (;;) {
		enum sk_tok t = sk_next(p);

		if (t == SK_TOK_WORD && !strcmp(p->lx.text, "-ctx")) {
			if (sk_next(p) != SK_TOK_WORD ||
			    sk_parse_number(p->lx.text, 255, &v)) {
				sk_error(p, "-ctx needs doi alg \"context\"");
				goto out;
			}
			doi = v;
			if (sk_next(p) != SK_TOK_WORD ||
			    sk_parse_number(p->lx.text, 255, &v)) {
				sk_error(p, "-ctx needs doi alg \"context\"");
				goto out;
			}
			calg = v;
			if (sk_next(p) != SK_TOK_STRING) {
				sk_error(p, "-ctx needs doi alg \"context\"");
				goto out;
			}
			free(ctx);
			ctx = strdup(p->lx.text);
			continue;
		}
		if (t == SK_TOK_WORD && !strcmp(p->lx.text, "-P"))
			break;
		if (t != SK_TOK_ERROR)
			sk_error(p, "%s: expected -P policy, got '%s'", cmd,
				 t == SK_TOK_EOF ? "end of input" : p->lx.text);
		goto out;
	}
	pol = parse_policy(p, &plen);
	if (!pol)
		goto out;
	if (p->rfc_mode && ((struct sadb_x_policy *)pol)->sadb_x_policy_dir ==
	    IPSEC_DIR_INBOUND) {
		fwd = make_fwd_copy(pol, plen);
		if (!fwd) {
			sk_error(p, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < src.n; i++)
		for (j = 0; j < dst.n; j++) {
			struct sk_addr s = src.a[i], d = dst.a[j];

			if (s.ss.ss_family != d.ss.ss_family)
				continue;
			if (have_misc) {
				set_port(&s.ss, sp);
				set_port(&d.ss, dp);
			}
			if (add_spd_msg(p, c, cmd, &s, &d, proto, ctx, doi, calg,
					pol, plen))
				goto out;
			if (fwd && add_spd_msg(p, c, cmd, &s, &d, proto, ctx, doi,
					       calg, fwd, plen))
				goto out;
		}
	if (!c->nmsgs) {
		sk_error(p, "%s: source and destination have no address family in common",
			 cmd);
		p->errline = c->line;
		goto out;
	}
	r = 0;
out:
	free(pol);
	free(fwd);
	free(ctx);
	sk_addrlist_free(&src);
	sk_addrlist_free(&dst);
	return r;
}
