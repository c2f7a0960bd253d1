// SPDX-License-Identifier: BSD-3-Clause
/*
 * setkey -X swanctl: the policies a script leaves loaded as strongSwan
 * swanctl.conf connections, for moving a manually keyed (or racoon)
 * setup to IKEv2. One connection per ipsec "out" policy (its "in" mirror
 * is the same CHILD_SA), proposals from the manual SAs the policy would
 * use, "none"/"discard" policies as pass/drop shunts. Manual SAs have no
 * swanctl form: each is named in a comment.
 */
#include <string.h>
#include <netinet/in.h>
#include "translate.h"

struct sout {
	FILE *out;
	const struct sk_model *m;
	int n;			/* connections written */
};

/*
 * strongSwan's proposal keywords. Encryption: a format given the key bits
 * less the salt (AES-CTR/GCM 32, CCM 24); authentication: by name.
 */
static const struct {
	unsigned int id;
	const char *fmt;
	unsigned int salt;
} swan_enc[] = {
	{ SADB_EALG_3DESCBC, "3des", 0 },
	{ SADB_EALG_NULL, "null", 0 },
	{ SADB_X_EALG_AESCBC, "aes%u", 0 },
	{ SADB_X_EALG_AESCTR, "aes%uctr", 32 },
	{ SADB_X_EALG_CAMELLIACBC, "camellia%u", 0 },
	{ SADB_X_EALG_AES_GCM_ICV16, "aes%ugcm16", 32 },
	{ SADB_X_EALG_AES_GCM_ICV12, "aes%ugcm12", 32 },
	{ SADB_X_EALG_AES_GCM_ICV8, "aes%ugcm8", 32 },
	{ SADB_X_EALG_AES_CCM_ICV16, "aes%uccm16", 24 },
	{ SADB_X_EALG_AES_CCM_ICV12, "aes%uccm12", 24 },
	{ SADB_X_EALG_AES_CCM_ICV8, "aes%uccm8", 24 },
	{ KAME_EALG_CHACHA20_POLY1305, "chacha20poly1305", 0 },
};

static const struct {
	unsigned int id;
	const char *name;
} swan_auth[] = {
	{ SADB_AALG_MD5HMAC, "md5" },
	{ SADB_AALG_SHA1HMAC, "sha1" },
	{ SADB_X_AALG_SHA2_256HMAC, "sha256" },	/* RFC 4868 (sha256_icv96 = 0) */
	{ KAME_AALG_SHA2_256HMAC_128, "sha256" },
	{ SADB_X_AALG_SHA2_384HMAC, "sha384" },
	{ SADB_X_AALG_SHA2_512HMAC, "sha512" },
	{ SADB_X_AALG_AES_XCBC_MAC, "aesxcbc" },
};

static const char *enc_kw(const struct sk_msa *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(swan_enc) / sizeof(swan_enc[0]); i++)
		if (swan_enc[i].id == s->ealg) {
			snprintf(buf, len, swan_enc[i].fmt,
				 (unsigned int)(s->ekeylen * 8 - swan_enc[i].salt));
			return buf;
		}
	return NULL;
}

static const char *auth_kw(unsigned int aalg)
{
	size_t i;

	for (i = 0; i < sizeof(swan_auth) / sizeof(swan_auth[0]); i++)
		if (swan_auth[i].id == aalg)
			return swan_auth[i].name;
	return NULL;
}

static const char *ts(const struct sockaddr_storage *a, unsigned int prefix,
		      unsigned int proto, char *buf, size_t len)
{
	char h[80];
	unsigned int port = sk_addr_port(a);
	size_t n;

	n = snprintf(buf, len, "%s", sk_addr_str(a, sk_addr_maxprefix(a), 0, h, sizeof(h)));
	if (n < len)
		n += snprintf(buf + n, len - n, "/%u", prefix);
	if (proto != IPSEC_ULPROTO_ANY && n < len) {
		const char *pn = proto == IPPROTO_TCP ? "tcp" :
				 proto == IPPROTO_UDP ? "udp" :
				 proto == IPPROTO_ICMP ? "icmp" :
				 proto == IPPROTO_ICMPV6 ? "ipv6-icmp" : NULL;

		if (pn)
			n += snprintf(buf + n, len - n, "[%s", pn);
		else
			n += snprintf(buf + n, len - n, "[%u", proto);
		if (port && n < len)
			n += snprintf(buf + n, len - n, "/%u", port);
		if (n < len)
			snprintf(buf + n, len - n, "]");
	} else if (port && n < len) {
		snprintf(buf + n, len - n, "[%%any/%u]", port);
	}
	return buf;
}

/* A transport peer: the host, or %any for a range (IKE learns it). */
static const char *host_or_any(const struct sockaddr_storage *a,
			       unsigned int prefix, char *buf, size_t len)
{
	if (prefix != sk_addr_maxprefix(a))
		return "%any";
	return sk_addr_str(a, prefix, 0, buf, len);
}

/* The policy of direction dir for the traffic back, if there is one. */
static const struct sk_mpol *mirror(const struct sk_model *m,
				    const struct sk_mpol *p, unsigned int dir)
{
	size_t i;

	for (i = 0; i < m->npol; i++) {
		const struct sk_mpol *q = &m->pol[i];

		if (q->dir == dir && q->type == p->type &&
		    q->proto == p->proto && q->sprefix == p->dprefix &&
		    q->dprefix == p->sprefix &&
		    sk_prefix_covers(&q->src, q->sprefix, &p->dst, p->dprefix) &&
		    sk_prefix_covers(&q->dst, q->dprefix, &p->src, p->sprefix))
			return q;
	}
	return NULL;
}

static void proposals(struct sout *x, const struct sk_mpol *p,
		      const struct sk_mreq *r)
{
	const struct sk_msa *s = NULL;
	char eb[32];
	const char *e = NULL, *a = NULL;
	size_t i;

	for (i = 0; i < x->m->nsa && !s; i++)
		if (sk_req_uses_sa(p, r, &x->m->sa[i]))
			s = &x->m->sa[i];
	if (s) {
		e = r->proto == IPPROTO_ESP ? enc_kw(s, eb, sizeof(eb)) : NULL;
		a = s->aalg ? auth_kw(s->aalg) : NULL;
	}
	if (!s || (r->proto == IPPROTO_ESP && !e) || (s->aalg && !a)) {
		fprintf(x->out, "\t\t\t\t# %s: no manual SA with algorithms strongSwan names; its defaults\n",
			sk_ipproto_name(r->proto));
		fprintf(x->out, "\t\t\t\t%s_proposals = default\n",
			r->proto == IPPROTO_AH ? "ah" : "esp");
		return;
	}
	fprintf(x->out, "\t\t\t\t# from the SA at line %d\n", s->line);
	if (r->proto == IPPROTO_AH)
		fprintf(x->out, "\t\t\t\tah_proposals = %s\n", a);
	else
		fprintf(x->out, "\t\t\t\tesp_proposals = %s%s%s\n", e, a ? "-" : "",
			a ? a : "");
}

static void connection(struct sout *x, const struct sk_mpol *p)
{
	const struct sk_mpol *back = mirror(x->m, p, IPSEC_DIR_INBOUND);
	const struct sk_mreq *r = NULL, *tun = NULL;
	char l[96], rm[96], a[64], b[64];
	size_t k;
	int comp = 0;

	for (k = 0; k < p->nreq; k++) {
		if (p->req[k].proto == IPPROTO_COMP) {
			comp = 1;
			continue;
		}
		if (!r)
			r = &p->req[k];
		else
			fprintf(x->out, "# approx: line %d: a CHILD_SA has one protocol: %s used, %s left out\n",
				p->line, sk_ipproto_name(r->proto),
				sk_ipproto_name(p->req[k].proto));
		if (p->req[k].tunnel && !tun)
			tun = &p->req[k];
	}
	if (!r) {
		fprintf(x->out, "# skipped: line %d: IPComp alone has no swanctl form\n",
			p->line);
		return;
	}
	x->n++;
	fprintf(x->out, "\tkame-%d {\n", x->n);
	fprintf(x->out, "\t\t# setkey line %d (out)%s\n", p->line,
		back ? "" : ", no in policy back: the peer's traffic stays unprotected here");
	if (back)
		fprintf(x->out, "\t\t# and line %d (in)\n", back->line);
	fprintf(x->out, "\t\tversion = 2\n");
	fprintf(x->out, "\t\tlocal_addrs = %s\n", tun ?
		sk_addr_str(&tun->tsrc, sk_addr_maxprefix(&tun->tsrc), 0, a, sizeof(a)) :
		host_or_any(&p->src, p->sprefix, a, sizeof(a)));
	fprintf(x->out, "\t\tremote_addrs = %s\n", tun ?
		sk_addr_str(&tun->tdst, sk_addr_maxprefix(&tun->tdst), 0, b, sizeof(b)) :
		host_or_any(&p->dst, p->dprefix, b, sizeof(b)));
	fprintf(x->out, "\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n");
	fprintf(x->out, "\t\tremote {\n\t\t\tauth = psk\n\t\t}\n");
	fprintf(x->out, "\t\tchildren {\n\t\t\tkame-%d {\n", x->n);
	fprintf(x->out, "\t\t\t\tlocal_ts = %s\n",
		ts(&p->src, p->sprefix, p->proto, l, sizeof(l)));
	fprintf(x->out, "\t\t\t\tremote_ts = %s\n",
		ts(&p->dst, p->dprefix, p->proto, rm, sizeof(rm)));
	fprintf(x->out, "\t\t\t\tmode = %s\n", tun ? "tunnel" : "transport");
	proposals(x, p, r);
	if (comp)
		fprintf(x->out, "\t\t\t\tipcomp = yes\n");
	if (r->level == IPSEC_LEVEL_UNIQUE && r->reqid)
		fprintf(x->out, "\t\t\t\treqid = %u\n", r->reqid);
	if (r->level < IPSEC_LEVEL_REQUIRE)
		fprintf(x->out, "\t\t\t\t# approx: level use: strongSwan's policies always require the SA\n");
	fprintf(x->out, "\t\t\t\tstart_action = trap\n");
	fprintf(x->out, "\t\t\t}\n\t\t}\n\t}\n");
}

static void shunt(struct sout *x, const struct sk_mpol *p)
{
	char l[96], r[96];

	x->n++;
	fprintf(x->out, "\tkame-%d {\n\t\t# setkey line %d (%s %s)\n", x->n,
		p->line, kame_str_dir(p->dir),
		p->type == IPSEC_POLICY_DISCARD ? "discard" : "none");
	fprintf(x->out, "\t\tchildren {\n\t\t\tkame-%d {\n", x->n);
	fprintf(x->out, "\t\t\t\tlocal_ts = %s\n", p->dir == IPSEC_DIR_OUTBOUND ?
		ts(&p->src, p->sprefix, p->proto, l, sizeof(l)) :
		ts(&p->dst, p->dprefix, p->proto, l, sizeof(l)));
	fprintf(x->out, "\t\t\t\tremote_ts = %s\n", p->dir == IPSEC_DIR_OUTBOUND ?
		ts(&p->dst, p->dprefix, p->proto, r, sizeof(r)) :
		ts(&p->src, p->sprefix, p->proto, r, sizeof(r)));
	fprintf(x->out, "\t\t\t\tmode = %s\n\t\t\t\tstart_action = trap\n",
		p->type == IPSEC_POLICY_DISCARD ? "drop" : "pass");
	fprintf(x->out, "\t\t\t}\n\t\t}\n\t}\n");
}

int sk_swanctl_print(FILE *out, const char *file, const struct sk_cmd *cmds,
		     size_t n, const struct sk_model *end)
{
	struct sout x = { .out = out, .m = end };
	char c[96], a[64], b[64];
	size_t i;

	fprintf(out, "# swanctl.conf from %s (setkey -X swanctl): IKEv2 negotiates\n"
		"# the keys the script wrote by hand. Give each connection a\n"
		"# secret (secrets { ike-NAME { secret = ... } }) or certificates.\n",
		file);
	for (i = 0; i < end->nsa; i++) {
		const struct sk_msa *s = &end->sa[i];

		snprintf(c, sizeof(c), "%s %s->%s SPI %u", kame_str_satype(s->satype),
			 sk_addr_str(&s->src, sk_addr_maxprefix(&s->src), 0, a, sizeof(a)),
			 sk_addr_str(&s->dst, sk_addr_maxprefix(&s->dst), 0, b, sizeof(b)),
			 s->spi);
		fprintf(out, "# skipped: line %d: manual SA %s: no swanctl form, IKE makes the SAs\n",
			s->line, c);
	}
	fprintf(out, "connections {\n");
	for (i = 0; i < end->npol; i++) {
		const struct sk_mpol *p = &end->pol[i];

		if (p->type == IPSEC_POLICY_NONE || p->type == IPSEC_POLICY_DISCARD ||
		    p->type == IPSEC_POLICY_BYPASS) {
			/* one shunt covers both directions: skip the in mirror */
			if (p->dir == IPSEC_DIR_INBOUND && mirror(end, p, IPSEC_DIR_OUTBOUND))
				continue;
			if (p->dir != IPSEC_DIR_FWD)
				shunt(&x, p);
			continue;
		}
		if (p->type != IPSEC_POLICY_IPSEC)
			continue;
		if (p->dir == IPSEC_DIR_OUTBOUND)
			connection(&x, p);
		else if (p->dir == IPSEC_DIR_INBOUND && !mirror(end, p, IPSEC_DIR_OUTBOUND))
			fprintf(out, "# skipped: line %d: an in policy with no out policy: strongSwan's CHILD_SAs go both ways; write the out policy\n",
				p->line);
	}
	fprintf(out, "}\n");
	return 0;
}
