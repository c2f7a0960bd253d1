// SPDX-License-Identifier: BSD-3-Clause
/*
 * The linter's end-state checks, one function each, run from a table.
 * Each message says what to change. The model holds what the script
 * leaves loaded, policies in insertion order (KAME's first match).
 */
#include <string.h>
#include <netinet/in.h>
#include "lint.h"

const char *sk_lint_polstr(const struct sk_mpol *p, char *buf, size_t len)
{
	char s[80], d[80], proto[16];

	if (p->proto == IPSEC_ULPROTO_ANY)
		snprintf(proto, sizeof(proto), "any");
	else if (p->proto == IPPROTO_TCP)
		snprintf(proto, sizeof(proto), "tcp");
	else if (p->proto == IPPROTO_UDP)
		snprintf(proto, sizeof(proto), "udp");
	else
		snprintf(proto, sizeof(proto), "%u", p->proto);
	snprintf(buf, len, "%s %s %s %s", kame_str_dir(p->dir),
		 sk_addr_str(&p->src, p->sprefix, 1, s, sizeof(s)),
		 sk_addr_str(&p->dst, p->dprefix, 1, d, sizeof(d)), proto);
	return buf;
}

static const char *sastr(const struct sk_msa *s, char *buf, size_t len)
{
	char a[64], b[64];

	snprintf(buf, len, "%s %s->%s SPI %u", kame_str_satype(s->satype),
		 sk_addr_str(&s->src, sk_addr_maxprefix(&s->src), 0, a, sizeof(a)),
		 sk_addr_str(&s->dst, sk_addr_maxprefix(&s->dst), 0, b, sizeof(b)),
		 s->spi);
	return buf;
}

/* p's selector matches every packet q's does: p covers q. */
static int sel_covers(const struct sk_mpol *p, const struct sk_mpol *q)
{
	return sk_prefix_covers(&p->src, p->sprefix, &q->src, q->sprefix) &&
	       sk_prefix_covers(&p->dst, p->dprefix, &q->dst, q->dprefix) &&
	       (!sk_addr_port(&p->src) || sk_addr_port(&p->src) == sk_addr_port(&q->src)) &&
	       (!sk_addr_port(&p->dst) || sk_addr_port(&p->dst) == sk_addr_port(&q->dst)) &&
	       (p->proto == IPSEC_ULPROTO_ANY || p->proto == q->proto);
}

static const struct sk_msa *find_sa_for(const struct sk_model *m,
					const struct sk_mpol *p,
					const struct sk_mreq *r)
{
	size_t i;

	for (i = 0; i < m->nsa; i++)
		if (sk_req_uses_sa(p, r, &m->sa[i]))
			return &m->sa[i];
	return NULL;
}

/* The SA request r would use if its unique:N were not there. */
static const struct sk_msa *find_sa_any_reqid(const struct sk_model *m,
					      const struct sk_mpol *p,
					      const struct sk_mreq *r)
{
	struct sk_mreq loose = *r;

	loose.level = IPSEC_LEVEL_REQUIRE;
	return find_sa_for(m, p, &loose);
}

/* The seed: "The order of the policy is highly important." */
static void check_shadowed(struct sk_lint *l)
{
	char a[160];
	size_t i, j;

	for (j = 0; j < l->m.npol; j++)
		for (i = 0; i < j; i++) {
			const struct sk_mpol *p = &l->m.pol[i], *q = &l->m.pol[j];

			if (p->dir != q->dir || p->priority != q->priority ||
			    !sel_covers(p, q))
				continue;
			sk_lint_report(l, q->line, SK_WARNING,
				       "this policy can never match: the policy at line %d (%s) comes first and covers it; move this one above line %d, or give it a higher priority (prio high)",
				       p->line, sk_lint_polstr(p, a, sizeof(a)), p->line);
			break;
		}
}

static void check_mirror(struct sk_lint *l)
{
	char a[160], s[80], d[80];
	size_t i, j;

	for (i = 0; i < l->m.npol; i++) {
		const struct sk_mpol *p = &l->m.pol[i];
		struct sk_mpol want = *p;
		unsigned int other;

		if (p->type != IPSEC_POLICY_IPSEC ||
		    (p->dir != IPSEC_DIR_INBOUND && p->dir != IPSEC_DIR_OUTBOUND))
			continue;
		other = p->dir == IPSEC_DIR_INBOUND ? IPSEC_DIR_OUTBOUND :
						      IPSEC_DIR_INBOUND;
		want.src = p->dst;
		want.dst = p->src;
		want.sprefix = p->dprefix;
		want.dprefix = p->sprefix;
		for (j = 0; j < l->m.npol; j++)
			if (l->m.pol[j].dir == other && sel_covers(&l->m.pol[j], &want))
				break;
		if (j < l->m.npol)
			continue;
		sk_lint_report(l, p->line, SK_WARNING,
			       "no %s policy mirrors this one (%s): the %s cannot be protected the same way; add 'spdadd %s %s ... -P %s ipsec ...'",
			       kame_str_dir(other), sk_lint_polstr(p, a, sizeof(a)),
			       p->dir == IPSEC_DIR_OUTBOUND ? "replies" : "traffic back",
			       sk_addr_str(&p->dst, p->dprefix, 1, s, sizeof(s)),
			       sk_addr_str(&p->src, p->sprefix, 1, d, sizeof(d)),
			       kame_str_dir(other));
	}
}

/*
 * A tunnel request whose endpoints name no SA: the nearest SA, one that
 * shares an endpoint in place first, then one written the other way round.
 */
static const struct sk_msa *near_tunnel_sa(const struct sk_model *m,
					   const struct sk_mreq *r)
{
	int pass;
	size_t i;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < m->nsa; i++) {
			const struct sk_msa *s = &m->sa[i];

			if (s->satype != sk_req_satype(r))
				continue;
			if (pass == 0 ? sk_addr_eq(&s->src, &r->tsrc) ||
					sk_addr_eq(&s->dst, &r->tdst) :
					sk_addr_eq(&s->src, &r->tdst) ||
					sk_addr_eq(&s->dst, &r->tsrc))
				return s;
		}
	return NULL;
}

/* Each request against the SAs: mode, tunnel endpoints, missing SAs. */
static void check_requests(struct sk_lint *l)
{
	char a[80], b[80], c[96];
	size_t i, k;

	for (i = 0; i < l->m.npol; i++) {
		const struct sk_mpol *p = &l->m.pol[i];

		if (p->type != IPSEC_POLICY_IPSEC)
			continue;
		for (k = 0; k < p->nreq; k++) {
			const struct sk_mreq *r = &p->req[k];
			const struct sk_msa *s = find_sa_for(&l->m, p, r);

			if (s && s->mode != IPSEC_MODE_ANY && r->mode != IPSEC_MODE_ANY &&
			    s->mode != r->mode) {
				sk_lint_report(l, p->line, SK_WARNING,
					       "mode mismatch: this policy asks for %s/%s but the SA at line %d (%s) is -m %s; write -m %s on line %d (or leave -m out)",
					       sk_ipproto_name(r->proto), kame_str_mode(r->mode),
					       s->line, sastr(s, c, sizeof(c)),
					       kame_str_mode(s->mode), kame_str_mode(r->mode), s->line);
				continue;
			}
			if (s)
				continue;
			if (r->level == IPSEC_LEVEL_UNIQUE && r->reqid &&
			    (s = find_sa_any_reqid(&l->m, p, r))) {
				sk_lint_report(l, p->line, SK_WARNING,
					       "unique:%u, but the SA at line %d (%s) has reqid %u, so this policy cannot use it; write -u %u on line %d",
					       r->reqid, s->line, sastr(s, c, sizeof(c)),
					       s->reqid, r->reqid, s->line);
				continue;
			}
			if (r->tunnel && (s = near_tunnel_sa(&l->m, r))) {
				sk_lint_report(l, p->line, SK_WARNING,
					       "tunnel endpoints %s-%s are not the addresses of any %s SA (the SA at line %d is %s); write the SA's source-destination in the request, or fix the SA",
					       sk_addr_str(&r->tsrc, sk_addr_maxprefix(&r->tsrc), 0, a, sizeof(a)),
					       sk_addr_str(&r->tdst, sk_addr_maxprefix(&r->tdst), 0, b, sizeof(b)),
					       sk_ipproto_name(r->proto), s->line,
					       sastr(s, c, sizeof(c)));
				continue;
			}
			/* a script with no SAs at all is keyed by IKE */
			if (r->level < IPSEC_LEVEL_REQUIRE || l->ike || !l->m.sa_adds)
				continue;
			sk_lint_report(l, p->line, SK_NOTE,
				       "%s/%s/%s: no SA in this script fits and no IKE daemon runs, so these packets are dropped until one is added; add the %s SA or start racoon",
				       sk_ipproto_name(r->proto), kame_str_mode(r->mode),
				       r->level == IPSEC_LEVEL_UNIQUE ? "unique" : "require",
				       sk_ipproto_name(r->proto));
		}
	}
}

static void check_unused_sa(struct sk_lint *l)
{
	char c[96];
	size_t i, j, k;

	if (!l->m.npol)
		return;	/* an SA-only script: policies live elsewhere */
	for (i = 0; i < l->m.nsa; i++) {
		const struct sk_msa *s = &l->m.sa[i];
		int used = 0;

		for (j = 0; j < l->m.npol && !used; j++)
			for (k = 0; k < l->m.pol[j].nreq && !used; k++)
				used = l->m.pol[j].type == IPSEC_POLICY_IPSEC &&
				       sk_req_uses_sa(&l->m.pol[j], &l->m.pol[j].req[k], s);
		if (!used)
			sk_lint_report(l, s->line, SK_WARNING,
				       "no policy uses this SA (%s); add an spdadd whose request names %s (and, for tunnel mode, these endpoints), or delete the SA",
				       sastr(s, c, sizeof(c)), kame_str_satype(s->satype));
	}
}

static void check_one_way_sa(struct sk_lint *l)
{
	char c[96], a[64], b[64];
	size_t i, j;

	for (i = 0; i < l->m.nsa; i++) {
		const struct sk_msa *s = &l->m.sa[i];

		for (j = 0; j < l->m.nsa; j++)
			if (l->m.sa[j].satype == s->satype &&
			    sk_addr_eq(&l->m.sa[j].src, &s->dst) &&
			    sk_addr_eq(&l->m.sa[j].dst, &s->src))
				break;
		if (j < l->m.nsa)
			continue;
		sk_lint_report(l, s->line, SK_WARNING,
			       "SA in one direction only (%s): add the %s SA from %s to %s, or the other side's packets have none",
			       sastr(s, c, sizeof(c)), kame_str_satype(s->satype),
			       sk_addr_str(&s->dst, sk_addr_maxprefix(&s->dst), 0, a, sizeof(a)),
			       sk_addr_str(&s->src, sk_addr_maxprefix(&s->src), 0, b, sizeof(b)));
	}
}

/* Weak or deprecated algorithms (RFC 8221): kind, id, what to use instead. */
static const struct {
	char kind;
	unsigned int id;
	const char *why;
} weak_algs[] = {
	{ KAME_ALG_ENC, SADB_EALG_DESCBC,
	  "des-cbc has a 56-bit key and is broken (RFC 8221: MUST NOT); use aes-cbc with -A hmac-sha256, or aes-gcm-16" },
	{ KAME_ALG_AUTH, SADB_AALG_MD5HMAC,
	  "hmac-md5 is deprecated (RFC 8221: MUST NOT); use hmac-sha256 (a 256-bit key)" },
	{ KAME_ALG_AUTH, 249,
	  "keyed-md5 is obsolete (RFC 1828); use hmac-sha256" },
	{ KAME_ALG_AUTH, 250,
	  "keyed-sha1 is obsolete; use hmac-sha256" },
};

static void check_weak_algs(struct sk_lint *l)
{
	size_t i, w;

	for (i = 0; i < l->m.nsa; i++) {
		const struct sk_msa *s = &l->m.sa[i];

		if (s->satype == SADB_X_SATYPE_IPCOMP)
			continue;
		for (w = 0; w < sizeof(weak_algs) / sizeof(weak_algs[0]); w++)
			if ((weak_algs[w].kind == KAME_ALG_ENC ?
			     s->satype == SADB_SATYPE_ESP && s->ealg == weak_algs[w].id :
			     s->aalg == weak_algs[w].id))
				sk_lint_report(l, s->line, SK_WARNING, "%s",
					       weak_algs[w].why);
		if (s->satype == SADB_SATYPE_ESP && s->ealg == SADB_EALG_NULL &&
		    s->aalg == SADB_AALG_NONE && !(s->flags & SADB_X_EXT_OLD))
			sk_lint_report(l, s->line, SK_WARNING,
				       "esp with -E null and no -A protects nothing (no secrecy, no integrity); add -A hmac-sha256 KEY, or use a real cipher");
	}
}

static void check_ah_tunnel(struct sk_lint *l)
{
	size_t i, k;

	for (i = 0; i < l->m.npol; i++)
		for (k = 0; k < l->m.pol[i].nreq; k++)
			if (l->m.pol[i].type == IPSEC_POLICY_IPSEC &&
			    l->m.pol[i].req[k].proto == IPPROTO_AH &&
			    l->m.pol[i].req[k].mode == IPSEC_MODE_TUNNEL)
				sk_lint_report(l, l->m.pol[i].line, SK_NOTE,
					       "ah/tunnel authenticates the outer IP header too, so it breaks behind NAT and hides nothing; esp/tunnel with -E null -A gives the same integrity and crosses NAT-T");
}

static void check_port_any(struct sk_lint *l)
{
	size_t i;

	for (i = 0; i < l->m.npol; i++) {
		const struct sk_mpol *p = &l->m.pol[i];

		if (p->proto == IPSEC_ULPROTO_ANY &&
		    (sk_addr_port(&p->src) || sk_addr_port(&p->dst)))
			sk_lint_report(l, p->line, SK_WARNING,
				       "a port with upper-layer protocol 'any': only TCP, UDP and SCTP packets have ports, and what the others match differs between stacks; write tcp or udp instead of any (one spdadd each)");
	}
}

static const struct {
	const char *name;
	void (*check)(struct sk_lint *l);
} checks[] = {
	{ "shadowed", check_shadowed },
	{ "mirror", check_mirror },
	{ "requests", check_requests },
	{ "unused-sa", check_unused_sa },
	{ "one-way-sa", check_one_way_sa },
	{ "weak-alg", check_weak_algs },
	{ "ah-tunnel", check_ah_tunnel },
	{ "port-any", check_port_any },
};

void sk_lint_run_checks(struct sk_lint *l)
{
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		checks[i].check(l);
}
