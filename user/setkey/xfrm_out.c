// SPDX-License-Identifier: BSD-3-Clause
/*
 * setkey -X xfrm: a setkey script as ip xfrm commands (iproute2 syntax),
 * statement by statement. Where XFRM cannot say what KAME says, the
 * nearest form is printed after a "# approx:" comment, and what has no
 * form at all after "# skipped:".
 */
#include <string.h>
#include <netinet/in.h>
#include "translate.h"
#include "xfrm_algs.h"

struct xout {
	FILE *out;
	const struct sk_model *end;	/* the script's end state */
	int priorities;		/* some policy has a non-default priority */
	int approx;		/* approximations and skips printed */
};

static void hexkey(FILE *out, const uint8_t *k, size_t len)
{
	size_t i;

	if (!len) {
		fputs("\"\"", out);
		return;
	}
	fputs("0x", out);
	for (i = 0; i < len; i++)
		fprintf(out, "%02x", k[i]);
}

static const char *addr(const struct sockaddr_storage *a, char *buf, size_t len)
{
	return sk_addr_str(a, sk_addr_maxprefix(a), 0, buf, len);
}

static const char *xproto(unsigned int satype)
{
	return satype == SADB_X_SATYPE_IPCOMP ? "comp" : kame_str_satype(satype);
}

static const char *xmode(unsigned int mode)
{
	return mode == IPSEC_MODE_TUNNEL ? "tunnel" : "transport";
}

static void note(struct xout *x, const char *what, int line, const char *text)
{
	fprintf(x->out, "# %s: line %d: %s\n", what, line, text);
	x->approx++;
}

/* KAME's mode any: the mode of the first policy that uses the SA. */
static unsigned int sa_mode(struct xout *x, const struct sk_msa *s, int *from)
{
	size_t i, k;

	*from = 0;
	if (s->mode != IPSEC_MODE_ANY)
		return s->mode;
	for (i = 0; i < x->end->npol; i++)
		for (k = 0; k < x->end->pol[i].nreq; k++)
			if (x->end->pol[i].type == IPSEC_POLICY_IPSEC &&
			    sk_req_uses_sa(&x->end->pol[i], &x->end->pol[i].req[k], s)) {
				*from = x->end->pol[i].line;
				return x->end->pol[i].req[k].mode == IPSEC_MODE_TUNNEL ?
				       IPSEC_MODE_TUNNEL : IPSEC_MODE_TRANSPORT;
			}
	return IPSEC_MODE_TRANSPORT;
}

static void state_add(struct xout *x, const struct sadb_msg *m, int line)
{
	char a[64], b[64], why[160];
	const struct sk_xalg *e = NULL, *au = NULL;
	struct sk_msa s;
	unsigned int mode;
	int from;

	if (sk_msa_decode(m, line, &s)) {
		note(x, "skipped", line, "unreadable SA message");
		return;
	}
	if (s.flags & SADB_X_EXT_OLD) {
		note(x, "skipped", line, "esp-old/ah-old (RFC 1827/1826) have no XFRM form");
		goto out;
	}
	if (s.satype == SADB_X_SATYPE_IPCOMP)
		e = sk_xalg_by_id(KAME_ALG_COMP, s.ealg);
	else if (s.satype == SADB_SATYPE_ESP)
		e = sk_xalg_by_id(KAME_ALG_ENC, s.ealg);
	if (s.aalg && s.aalg != SADB_X_AALG_NULL)
		au = sk_xalg_by_id(KAME_ALG_AUTH, s.aalg);
	if ((s.satype != SADB_SATYPE_AH && !e) ||
	    (s.aalg && s.aalg != SADB_X_AALG_NULL && !au)) {
		snprintf(why, sizeof(why), "algorithm %s has no XFRM name",
			 !e && s.satype != SADB_SATYPE_AH ?
			 kame_alg_name(s.satype == SADB_X_SATYPE_IPCOMP ?
				       KAME_ALG_COMP : KAME_ALG_ENC, s.ealg) :
			 kame_alg_name(KAME_ALG_AUTH, s.aalg));
		note(x, "skipped", line, why);
		goto out;
	}
	mode = sa_mode(x, &s, &from);
	if (s.mode == IPSEC_MODE_ANY) {
		snprintf(why, sizeof(why),
			 "no -m (KAME mode any); an XFRM SA has one mode: %s%s",
			 xmode(mode), from ? ", as the policy using it asks" :
			 ", no policy uses it");
		note(x, "approx", line, why);
	}
	if ((s.flags & SADB_X_EXT_PMASK) != SADB_X_EXT_PSEQ)
		note(x, "approx", line, "-f random-pad/zero-pad: XFRM pads with 1, 2, 3, ... only");
	fprintf(x->out, "ip xfrm state %s src %s dst %s proto %s spi 0x%08x",
		m->sadb_msg_type == SADB_UPDATE ? "update" : "add",
		addr(&s.src, a, sizeof(a)), addr(&s.dst, b, sizeof(b)),
		xproto(s.satype), s.spi);
	if (s.reqid)
		fprintf(x->out, " reqid %u", s.reqid);
	fprintf(x->out, " mode %s", xmode(mode));
	if (s.replay)
		fprintf(x->out, " replay-window %u", s.replay);
	if (e && e->how == SK_X_COMP) {
		fprintf(x->out, " comp %s", e->xname);
	} else if (e && e->how == SK_X_AEAD) {
		fprintf(x->out, " aead '%s' ", e->xname);
		hexkey(x->out, s.ekey, s.ekeylen);
		fprintf(x->out, " %u", e->bits);
	} else if (e) {
		fprintf(x->out, " enc '%s' ", e->xname);
		hexkey(x->out, s.ekey, s.ekeylen);
	}
	if (au) {
		fprintf(x->out, " auth-trunc '%s' ", au->xname);
		hexkey(x->out, s.akey, s.akeylen);
		fprintf(x->out, " %u", au->bits);
	}
	if (s.natt)
		fprintf(x->out, " encap espinudp %u %u 0.0.0.0", s.natt_sport,
			s.natt_dport);
	if (s.lh)
		fprintf(x->out, " limit time-hard %llu", (unsigned long long)s.lh);
	if (s.ls)
		fprintf(x->out, " limit time-soft %llu", (unsigned long long)s.ls);
	if (s.bh)
		fprintf(x->out, " limit byte-hard %llu", (unsigned long long)s.bh);
	if (s.bs)
		fprintf(x->out, " limit byte-soft %llu", (unsigned long long)s.bs);
	fputc('\n', x->out);
out:
	sk_msa_free(&s);
}

static void state_id(struct xout *x, const struct sadb_msg *m, int line,
		     const char *verb)
{
	struct sockaddr_storage src, dst;
	char a[64], b[64];
	uint32_t spi;
	int has = sk_msg_ids(m, &src, &dst, &spi);

	if (has < 0) {
		note(x, "skipped", line, "unreadable message");
		return;
	}
	fprintf(x->out, "ip xfrm state %s src %s dst %s proto %s",
		has ? verb : "deleteall", addr(&src, a, sizeof(a)),
		addr(&dst, b, sizeof(b)), xproto(m->sadb_msg_satype));
	if (has)
		fprintf(x->out, " spi 0x%08x", spi);
	fputc('\n', x->out);
}

static void selector(struct xout *x, const struct sk_mpol *p)
{
	char a[80], b[80];
	unsigned int sp = sk_addr_port(&p->src), dp = sk_addr_port(&p->dst);

	fprintf(x->out, " src %s/%u dst %s/%u",
		sk_addr_str(&p->src, sk_addr_maxprefix(&p->src), 0, a, sizeof(a)),
		p->sprefix,
		sk_addr_str(&p->dst, sk_addr_maxprefix(&p->dst), 0, b, sizeof(b)),
		p->dprefix);
	switch (p->proto) {
	case IPSEC_ULPROTO_ANY:
		return;
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		fprintf(x->out, " proto %s", p->proto == IPPROTO_TCP ? "tcp" :
			p->proto == IPPROTO_UDP ? "udp" : "sctp");
		if (sp)
			fprintf(x->out, " sport %u", sp);
		if (dp)
			fprintf(x->out, " dport %u", dp);
		return;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
	case 135:
		fprintf(x->out, " proto %s", p->proto == IPPROTO_ICMP ? "icmp" :
			p->proto == 135 ? "mobility-header" : "ipv6-icmp");
		if (sp || dp)
			fprintf(x->out, " type %u code %u", sp, dp);
		return;
	case IPPROTO_GRE:
		fprintf(x->out, " proto gre");
		if (sp || dp)
			fprintf(x->out, " key %u", sp << 16 | dp);
		return;
	}
	fprintf(x->out, " proto %u", p->proto);
}

static void tmpl(struct xout *x, const struct sk_mreq *r)
{
	char a[64], b[64];

	fputs(" tmpl", x->out);
	if (r->tunnel)
		fprintf(x->out, " src %s dst %s", addr(&r->tsrc, a, sizeof(a)),
			addr(&r->tdst, b, sizeof(b)));
	fprintf(x->out, " proto %s", r->proto == IPPROTO_COMP ? "comp" :
		sk_ipproto_name(r->proto));
	if (r->reqid)
		fprintf(x->out, " reqid %u", r->reqid);
	fprintf(x->out, " mode %s level %s", xmode(r->mode),
		r->level >= IPSEC_LEVEL_REQUIRE ? "required" : "use");
}

static void policy_line(struct xout *x, const char *verb, const struct sk_mpol *p,
			unsigned int dir)
{
	size_t k;

	fprintf(x->out, "ip xfrm policy %s", verb);
	selector(x, p);
	fprintf(x->out, " dir %s", kame_str_dir(dir));
	if (x->priorities)
		fprintf(x->out, " priority %u", p->priority);
	if (!strcmp(verb, "delete")) {
		fputc('\n', x->out);
		return;
	}
	fprintf(x->out, " action %s", p->type == IPSEC_POLICY_DISCARD ?
		"block" : "allow");
	if (p->type == IPSEC_POLICY_IPSEC)
		for (k = 0; k < p->nreq; k++)
			tmpl(x, &p->req[k]);
	fputc('\n', x->out);
}

/* The script also has a fwd policy for this selector. */
static int has_fwd(const struct sk_model *m, const struct sk_mpol *p)
{
	size_t i;

	for (i = 0; i < m->npol; i++)
		if (m->pol[i].dir == IPSEC_DIR_FWD &&
		    m->pol[i].sprefix == p->sprefix && m->pol[i].dprefix == p->dprefix &&
		    sk_prefix_covers(&m->pol[i].src, m->pol[i].sprefix, &p->src, p->sprefix) &&
		    sk_prefix_covers(&m->pol[i].dst, m->pol[i].dprefix, &p->dst, p->dprefix))
			return 1;
	return 0;
}

static void policy(struct xout *x, const struct sadb_msg *m, int line)
{
	const char *verb = m->sadb_msg_type == SADB_X_SPDADD ? "add" :
			   m->sadb_msg_type == SADB_X_SPDUPDATE ? "update" : "delete";
	struct sk_mpol p;
	size_t k;
	int tunnel = 0;

	if (sk_mpol_decode(m, line, &p)) {
		note(x, "skipped", line, "unreadable policy message");
		return;
	}
	if (p.proto == IPSEC_ULPROTO_ANY &&
	    (sk_addr_port(&p.src) || sk_addr_port(&p.dst)))
		note(x, "approx", line, "ip xfrm takes ports only with tcp, udp or sctp; the ports are left out");
	if (!strcmp(verb, "delete")) {
		policy_line(x, verb, &p, p.dir);
		return;
	}
	if (p.type == IPSEC_POLICY_ENTRUST) {
		note(x, "skipped", line, "entrust (ask the socket policy) has no XFRM form");
		return;
	}
	if (p.type == IPSEC_POLICY_BYPASS)
		note(x, "approx", line, "bypass: action allow");
	for (k = 0; k < p.nreq; k++) {
		if (p.req[k].level == IPSEC_LEVEL_DEFAULT)
			note(x, "approx", line, "level default (the system-wide sysctl): XFRM has none, level use");
		if (p.req[k].level == IPSEC_LEVEL_UNIQUE && !p.req[k].reqid)
			note(x, "approx", line, "unique without an id: XFRM shares SAs between policies; give unique:N and -u N on the SAs to keep them apart");
		if (p.req[k].mode == IPSEC_MODE_TUNNEL)
			tunnel = 1;
	}
	policy_line(x, verb, &p, p.dir);
	/* decapsulated packets to other hosts meet XFRM's fwd check, not in */
	if (p.dir == IPSEC_DIR_INBOUND && tunnel && p.type == IPSEC_POLICY_IPSEC &&
	    !has_fwd(x->end, &p)) {
		note(x, "approx", line, "KAME's in policy also covers forwarded packets; XFRM checks those against dir fwd, so a fwd copy follows");
		policy_line(x, verb, &p, IPSEC_DIR_FWD);
	}
}

static void one_msg(struct xout *x, const struct sk_cmd *c, const struct sadb_msg *m)
{
	switch (m->sadb_msg_type) {
	case SADB_ADD:
	case SADB_UPDATE:
		state_add(x, m, c->line);
		break;
	case SADB_DELETE:
		state_id(x, m, c->line, "delete");
		break;
	case SADB_GET:
		state_id(x, m, c->line, "get");
		break;
	case SADB_GETSPI:
		note(x, "skipped", c->line, "getspi: ip xfrm state allocspi makes a larval SA the same way; write it by hand");
		break;
	case SADB_FLUSH:
		if (m->sadb_msg_satype == SADB_SATYPE_UNSPEC)
			fprintf(x->out, "ip xfrm state flush\n");
		else
			fprintf(x->out, "ip xfrm state flush proto %s\n",
				xproto(m->sadb_msg_satype));
		break;
	case SADB_DUMP:
		fprintf(x->out, "ip xfrm state list\n");
		break;
	case SADB_X_SPDADD:
	case SADB_X_SPDUPDATE:
	case SADB_X_SPDDELETE:
		policy(x, m, c->line);
		break;
	case SADB_X_SPDFLUSH:
		fprintf(x->out, "ip xfrm policy flush\n");
		break;
	case SADB_X_SPDDUMP:
		fprintf(x->out, "ip xfrm policy list\n");
		break;
	}
}

static int any_priority(const struct sk_cmd *cmds, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < cmds[i].nmsgs; j++) {
			const struct sadb_msg *m = cmds[i].msgs[j].m;
			struct sk_mpol p;

			if ((m->sadb_msg_type == SADB_X_SPDADD ||
			     m->sadb_msg_type == SADB_X_SPDUPDATE) &&
			    !sk_mpol_decode(m, 0, &p) && p.priority != PRIORITY_DEFAULT)
				return 1;
		}
	return 0;
}

int sk_xfrm_print(FILE *out, const char *file, const struct sk_cmd *cmds,
		  size_t n, const struct sk_model *end)
{
	struct xout x = { .out = out, .end = end };
	size_t i, j;

	x.priorities = any_priority(cmds, n);
	fprintf(out, "#!/bin/sh\n# ip xfrm commands from %s (setkey -X xfrm)\n", file);
	if (x.priorities)
		fprintf(out, "# priorities as KAME's: XFRM too matches the lowest value first\n");
	for (i = 0; i < n; i++) {
		if (cmds[i].kind == SK_EXIT)
			break;
		fprintf(out, "# %s:%d: %s\n", file, cmds[i].line, cmds[i].name);
		for (j = 0; j < cmds[i].nmsgs; j++)
			one_msg(&x, &cmds[i], cmds[i].msgs[j].m);
	}
	return 0;
}
