// SPDX-License-Identifier: BSD-3-Clause
/*
 * setkey --from-xfrm: "ip xfrm state" and/or "ip xfrm policy" output (as
 * iproute2 prints it, -s or not) back to a setkey script. A record starts
 * at an unindented "src" line; its words are read as keyword/value pairs.
 * Lines starting with '#' are comments.
 * ip lists newest first, so each kind is printed in reverse, which is the
 * order it was added in (KAME's first match depends on it). What has no
 * setkey form is left as a "# skipped:" comment.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "translate.h"
#include "xfrm_algs.h"

#define MAXW 256

struct rec {
	int line;
	char *w[MAXW];
	int n;
	char *buf;
};

struct recs {
	struct rec *r;
	size_t n;
};

struct fx {
	FILE *out, *err;
	int rc;
};

static int add_words(struct rec *r, char *line)
{
	char *save, *t;

	for (t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (r->n == MAXW)
			return -1;
		r->w[r->n++] = t;
	}
	return 0;
}

/* Splits the input into records; every word points into rec.buf. */
static int read_records(FILE *in, struct recs *rs, FILE *err)
{
	char *line = NULL, *text = NULL;
	size_t cap = 0, tl = 0, i;
	ssize_t len;
	int lineno = 0, start = 0;
	int *starts = NULL;
	size_t *offs = NULL, nrec = 0;

	/* first pass: the whole text, and where each record begins */
	while ((len = getline(&line, &cap, in)) >= 0) {
		char *nt;

		lineno++;
		if (line[0] == '#')
			continue;	/* comments, as in setkey scripts */
		nt = realloc(text, tl + len + 2);
		if (!nt)
			goto oom;
		text = nt;
		if (line[0] && !strchr(" \t\r\n", line[0])) {
			int *ns = realloc(starts, (nrec + 1) * sizeof(*ns));
			size_t *no = ns ? realloc(offs, (nrec + 1) * sizeof(*no)) : NULL;

			if (ns)
				starts = ns;
			if (!no)
				goto oom;
			offs = no;
			starts[nrec] = lineno;
			offs[nrec] = tl;
			nrec++;
			text[tl++] = '\0';	/* ends the previous record */
		} else if (!nrec && strspn(line, " \t\r\n") != (size_t)len) {
			fprintf(err, "stdin:%d: expected a record starting with src\n",
				lineno);
			start = -1;
		}
		memcpy(text + tl, line, len);
		tl += len;
		text[tl] = '\0';
	}
	free(line);
	line = NULL;
	rs->r = calloc(nrec ? nrec : 1, sizeof(*rs->r));
	if (!rs->r)
		goto oom;
	for (i = 0; i < nrec; i++) {
		struct rec *r = &rs->r[i];
		size_t from = offs[i] + 1, to = i + 1 < nrec ? offs[i + 1] : tl;

		r->line = starts[i];
		r->buf = malloc(to - from + 1);
		if (!r->buf)
			goto oom;
		memcpy(r->buf, text + from, to - from);
		r->buf[to - from] = '\0';
		rs->n++;
		if (add_words(r, r->buf)) {
			fprintf(err, "stdin:%d: record too long\n", r->line);
			start = -1;
		}
	}
	free(text);
	free(starts);
	free(offs);
	return start;
oom:
	free(line);
	free(text);
	free(starts);
	free(offs);
	fprintf(err, "setkey: out of memory\n");
	return -1;
}

static void free_records(struct recs *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		/* state records hold keys */
		explicit_bzero(rs->r[i].buf, strlen(rs->r[i].buf));
		free(rs->r[i].buf);
	}
	free(rs->r);
}

/* The value after keyword k (the first one from position from), or NULL. */
static const char *val(const struct rec *r, int from, const char *k)
{
	int i;

	for (i = from; i + 1 < r->n; i++)
		if (!strcmp(r->w[i], k))
			return r->w[i + 1];
	return NULL;
}

static int has(const struct rec *r, const char *k)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->w[i], k))
			return 1;
	return 0;
}

static int idx(const struct rec *r, int from, const char *k)
{
	int i;

	for (i = from; i < r->n; i++)
		if (!strcmp(r->w[i], k))
			return i;
	return -1;
}

static void skipped(struct fx *x, const struct rec *r, const char *why)
{
	fprintf(x->out, "# skipped: stdin:%d: %s\n", r->line, why);
}

static int is_key(const char *w)
{
	return w && (!strncmp(w, "0x", 2) || !strcmp(w, "\"\""));
}

/* "0.0.0.0" / "::" (any) */
static int unspec(const char *a)
{
	return !strcmp(a, "0.0.0.0") || !strcmp(a, "::");
}

static void state(struct fx *x, const struct rec *r)
{
	const char *src = val(r, 0, "src"), *dst = val(r, 0, "dst");
	const char *proto = val(r, 0, "proto"), *spi = val(r, 0, "spi");
	const char *mode = val(r, 0, "mode"), *reqid = val(r, 0, "reqid");
	const char *win = val(r, 0, "replay-window");
	const struct sk_xalg *e = NULL, *a = NULL;
	const char *ekey = NULL, *akey = NULL;
	int i, natt = 0;
	const char *sport = NULL, *dport = NULL;

	if (!src || !dst || !proto || !spi || !mode) {
		fprintf(x->err, "stdin:%d: a state needs src, dst, proto, spi and mode\n",
			r->line);
		x->rc = 1;
		return;
	}
	if (!strcmp(proto, "4") || !strcmp(proto, "41")) {
		skipped(x, r, "the IP-in-IP state XFRM adds for an IPComp tunnel; setkey needs none");
		return;
	}
	if (strcmp(proto, "esp") && strcmp(proto, "ah") && strcmp(proto, "comp")) {
		skipped(x, r, "only esp, ah and comp states have a setkey form");
		return;
	}
	if (strcmp(mode, "transport") && strcmp(mode, "tunnel")) {
		skipped(x, r, "only transport and tunnel modes have a setkey form");
		return;
	}
	for (i = 0; i < r->n; i++) {
		const char *w = r->w[i], *name = i + 1 < r->n ? r->w[i + 1] : NULL;
		const char *k = i + 2 < r->n ? r->w[i + 2] : NULL;
		const char *bits = i + 3 < r->n ? r->w[i + 3] : NULL;

		if (!name)
			break;
		if (i > 0 && !strcmp(r->w[i - 1], "proto"))
			continue;	/* "proto comp" is not the comp algorithm */
		if (!strcmp(w, "enc")) {
			e = sk_xalg_by_name(SK_X_ENC, name, 0);
			ekey = is_key(k) ? k : NULL;
		} else if (!strcmp(w, "aead") && is_key(k) && bits) {
			e = sk_xalg_by_name(SK_X_AEAD, name, atoi(bits));
			ekey = k;
		} else if (!strcmp(w, "comp")) {
			e = sk_xalg_by_name(SK_X_COMP, name, 0);
		} else if (!strcmp(w, "auth-trunc") && is_key(k) && bits) {
			a = sk_xalg_by_name(SK_X_AUTH, name, atoi(bits));
			akey = k;
		} else if (!strcmp(w, "auth") && is_key(k)) {
			a = sk_xalg_by_name(SK_X_AUTH, name, 0);
			akey = k;
		} else if (!strcmp(w, "encap") && !strcmp(name, "type")) {
			natt = k && !strcmp(k, "espinudp");
			sport = val(r, i, "sport");
			dport = val(r, i, "dport");
		} else {
			continue;
		}
		if ((!strcmp(w, "auth") || !strcmp(w, "auth-trunc")) ? !a :
		    !strcmp(w, "encap") ? !natt : !e) {
			char why[160];

			if (a == NULL && !strcmp(name, "hmac(sha256)") && bits &&
			    atoi(bits) == 96)
				snprintf(why, sizeof(why), "%s %s %s is setkey's "
					 "hmac-sha256 only with sysctl "
					 "net.key.sha256_icv96=1", w, name, bits);
			else
				snprintf(why, sizeof(why), "%s %s has no setkey name", w,
					 !strcmp(w, "encap") ? (k ? k : "?") : name);
			skipped(x, r, why);
			return;
		}
	}
	if (!strcmp(proto, "ah") ? !a : !e) {
		skipped(x, r, "no algorithm that setkey knows");
		return;
	}
	fprintf(x->out, "add %s%s%s%s %s%s%s%s %s %s -m %s", src,
		natt ? "[" : "", natt ? sport : "", natt ? "]" : "", dst,
		natt ? "[" : "", natt ? dport : "", natt ? "]" : "",
		natt ? "esp-udp" : !strcmp(proto, "comp") ? "ipcomp" : proto,
		spi, mode);
	if (reqid && strcmp(reqid, "0"))
		fprintf(x->out, " -u %s", reqid);
	if (win && strcmp(win, "0"))
		fprintf(x->out, " -r %s", win);
	if (e && e->how == SK_X_COMP)
		fprintf(x->out, " -C %s", kame_alg_name(KAME_ALG_COMP, e->id));
	else if (e)
		fprintf(x->out, " -E %s%s%s", kame_alg_name(KAME_ALG_ENC, e->id),
			ekey && strcmp(ekey, "\"\"") ? " " : "",
			ekey && strcmp(ekey, "\"\"") ? ekey : "");
	if (a)
		fprintf(x->out, " -A %s %s", kame_alg_name(KAME_ALG_AUTH, a->id), akey);
	fprintf(x->out, ";\n");
}

static void upper(struct fx *x, const struct rec *r, int end, char *buf, size_t len)
{
	const char *p = val(r, 0, "proto");
	const char *type, *code, *key;

	if (!p || idx(r, 0, "proto") >= end) {
		snprintf(buf, len, "any");
		return;
	}
	type = val(r, 0, "type");
	code = val(r, 0, "code");
	key = val(r, 0, "key");
	if (!strcmp(p, "icmp") || !strcmp(p, "ipv6-icmp") ||
	    !strcmp(p, "mobility-header")) {
		const char *n = !strcmp(p, "icmp") ? "icmp" :
				!strcmp(p, "ipv6-icmp") ? "icmp6" : "mh";

		if (type || code)
			snprintf(buf, len, "%s %s,%s", n, type ? type : "0",
				 code ? code : "0");
		else
			snprintf(buf, len, "%s", n);
	} else if (!strcmp(p, "gre") && key) {
		snprintf(buf, len, "gre %s", key);
	} else {
		snprintf(buf, len, "%s", p);
	}
}

/*
 * KAME writes priorities relative to high/def/low, at most 0x3fffffff
 * away; XFRM's 0 (ip's default) is left out, as KAME's def.
 */
static void print_prio(struct fx *x, unsigned long p)
{
	static const struct { const char *name; unsigned long v; } base[] = {
		{ "high", PRIORITY_HIGH }, { "def", PRIORITY_DEFAULT },
		{ "low", PRIORITY_LOW },
	};
	unsigned long best = 0, off, boff = ~0UL;
	size_t i;

	for (i = 0; i < 3; i++) {
		off = p > base[i].v ? p - base[i].v : base[i].v - p;
		if (off < boff) {
			boff = off;
			best = i;
		}
	}
	fprintf(x->out, " prio %s", base[best].name);
	if (boff)
		fprintf(x->out, " %c %lu", p > base[best].v ? '-' : '+', boff);
}

static void policy(struct fx *x, const struct rec *r)
{
	int d = idx(r, 0, "dir"), i;
	const char *dir = val(r, 0, "dir"), *src = val(r, 0, "src");
	const char *dst = val(r, 0, "dst"), *prio = val(r, d, "priority");
	const char *action = val(r, d, "action"), *ptype = val(r, d, "ptype");
	const char *sport = NULL, *dport = NULL;
	char up[64];
	int t;

	if (d < 0 || !src || !dst || idx(r, 0, "src") > d || idx(r, 0, "dst") > d) {
		fprintf(x->err, "stdin:%d: a policy needs src, dst and dir\n", r->line);
		x->rc = 1;
		return;
	}
	if (!strcmp(dir, "socket") || !strcmp(dir, "in") + !strcmp(dir, "out") +
	    !strcmp(dir, "fwd") == 0) {
		skipped(x, r, "a per-socket policy; setsockopt(IP_IPSEC_POLICY) sets those");
		return;
	}
	if (ptype && strcmp(ptype, "main")) {
		skipped(x, r, "a sub policy (MIGRATE) has no setkey form");
		return;
	}
	for (i = 0; i < d; i++) {
		if (!strcmp(r->w[i], "sport") && i + 1 < d)
			sport = r->w[i + 1];
		if (!strcmp(r->w[i], "dport") && i + 1 < d)
			dport = r->w[i + 1];
		if (!strcmp(r->w[i], "dev") || !strcmp(r->w[i], "mark") ||
		    !strcmp(r->w[i], "if_id")) {
			skipped(x, r, "dev, mark and if_id selectors have no setkey form");
			return;
		}
	}
	upper(x, r, d, up, sizeof(up));
	fprintf(x->out, "spdadd %s%s%s%s %s%s%s%s %s -P %s", src,
		sport ? "[" : "", sport ? sport : "", sport ? "]" : "", dst,
		dport ? "[" : "", dport ? dport : "", dport ? "]" : "", up, dir);
	if (prio && strcmp(prio, "0"))
		print_prio(x, strtoul(prio, NULL, 0));
	if (action && !strcmp(action, "block")) {
		fprintf(x->out, " discard;\n");
		return;
	}
	if (idx(r, d, "tmpl") < 0) {
		fprintf(x->out, " none;\n");
		return;
	}
	fprintf(x->out, " ipsec");
	for (t = idx(r, d, "tmpl"); t >= 0; t = idx(r, t + 1, "tmpl")) {
		int next = idx(r, t + 1, "tmpl");
		int lim = next < 0 ? r->n : next;
		const char *ts = NULL, *td = NULL, *tp = NULL, *tm = NULL;
		const char *rq = NULL, *lv = NULL;

		for (i = t + 1; i + 1 < lim; i++) {
			const char *k = r->w[i], *v = r->w[i + 1];

			if (!strcmp(k, "src"))
				ts = v;
			else if (!strcmp(k, "dst"))
				td = v;
			else if (!strcmp(k, "proto"))
				tp = v;
			else if (!strcmp(k, "mode"))
				tm = v;
			else if (!strcmp(k, "reqid"))
				rq = v;
			else if (!strcmp(k, "level"))
				lv = v;
		}
		if (!tp || !tm || (strcmp(tm, "transport") && strcmp(tm, "tunnel"))) {
			fprintf(x->out, ";\n");
			skipped(x, r, "a template without proto, or not transport/tunnel mode: the policy above is incomplete");
			x->rc = 1;
			return;
		}
		fprintf(x->out, " %s/%s/", !strcmp(tp, "comp") ? "ipcomp" : tp, tm);
		if (!strcmp(tm, "tunnel") && ts && td && !unspec(ts))
			fprintf(x->out, "%s-%s", ts, td);
		if (lv && !strcmp(lv, "use"))
			fprintf(x->out, "/use");
		else if (rq && strcmp(rq, "0"))
			fprintf(x->out, "/unique:%s", rq);
		else
			fprintf(x->out, "/require");
	}
	fprintf(x->out, ";\n");
}

int sk_from_xfrm(FILE *in, FILE *out, FILE *err)
{
	struct recs rs = { 0 };
	struct fx x = { .out = out, .err = err };
	size_t i;
	int pass;

	if (read_records(in, &rs, err) < 0)
		x.rc = 1;
	fprintf(out, "# setkey script from ip xfrm output (setkey --from-xfrm)\n");
	fprintf(out, "flush;\nspdflush;\n");
	/* states, then policies, each oldest first */
	for (pass = 0; pass < 2; pass++)
		for (i = rs.n; i-- > 0;) {
			int pol = has(&rs.r[i], "dir");

			if (pol != pass)
				continue;
			if (pol)
				policy(&x, &rs.r[i]);
			else
				state(&x, &rs.r[i]);
		}
	free_records(&rs);
	return x.rc;
}
