// SPDX-License-Identifier: BSD-3-Clause
/*
 * ipsec_set_policy(3): the KAME policy grammar, hand-written.
 *
 *   policy  := dir [prio] [action [request...]]
 *   dir     := in | out | fwd
 *   prio    := (prio|priority) (N | (low|def|high) [(+|-) N])
 *   action  := discard | none | ipsec | entrust | bypass
 *   request := proto/mode[/[src-dst][/level]]      (only after ipsec)
 *   level   := default | use | require | unique | unique:N
 *
 * Tokens are separated by blanks; a request is one token. The result is a
 * malloc'd sadb_x_policy followed by Linux-ABI sadb_x_ipsecrequests.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

#define MAX_TOKEN 256

struct plex {
	const char *p;
	const char *end;
	char tok[MAX_TOKEN];
};

/* Next blank-separated token into lx->tok; returns 0 at the end. */
static int plex_next(struct plex *lx)
{
	size_t n = 0;

	while (lx->p < lx->end && isspace((unsigned char)*lx->p))
		lx->p++;
	if (lx->p >= lx->end || !*lx->p)
		return 0;
	while (lx->p < lx->end && *lx->p && !isspace((unsigned char)*lx->p)) {
		if (n + 1 >= sizeof(lx->tok)) {
			/* a caller's error message may still print it */
			lx->tok[n] = '\0';
			ipsec_set_error(EIPSEC_INVAL_POLICY, "token too long");
			return -1;
		}
		lx->tok[n++] = *lx->p++;
	}
	lx->tok[n] = '\0';
	return 1;
}

/* Unsigned decimal or 0x-hex number that fits in max. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_priority(struct plex *lx, uint32_t *prio)
{
	static const struct { const char *name; uint32_t base; } bases[] = {
		{ "low", PRIORITY_LOW }, { "def", PRIORITY_DEFAULT },
		{ "high", PRIORITY_HIGH },
	};
	unsigned long off;
	const char *num;
	int64_t v;
	int sign = 1, r;
	size_t i;

	r = plex_next(lx);
	if (r <= 0)
		goto bad;
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (!strcmp(lx->tok, bases[i].name))
			break;
	if (i == sizeof(bases) / sizeof(bases[0])) {
		/* plain number: the distance above the default priority */
		num = lx->tok;
		if (*num == '-' || *num == '+') {
			sign = *num == '-' ? -1 : 1;
			num++;
		}
		if (parse_ulong(num, 0x7fffffffUL, &off))
			goto bad;
		*prio = PRIORITY_DEFAULT - sign * (int64_t)off;
		return 0;
	}
	v = bases[i].base;
	/* optional "+ N", "+N", "- N", "-N" */
	{
		const char *save = lx->p;

		r = plex_next(lx);
		if (r < 0)
			return -1;
		if (r == 0 || (lx->tok[0] != '+' && lx->tok[0] != '-')) {
			lx->p = save;
			*prio = v;
			return 0;
		}
	}
	sign = lx->tok[0] == '-' ? -1 : 1;
	num = lx->tok + 1;
	if (!*num) {
		r = plex_next(lx);
		if (r <= 0)
			goto bad;
		num = lx->tok;
	}
	if (parse_ulong(num, 0x3fffffffUL, &off))
		goto bad;
	/* "+" means preferred, i.e. a smaller kernel value */
	v -= sign * (int64_t)off;
	*prio = (uint32_t)v;
	return 0;
bad:
	if (r < 0)	/* plex_next said why */
		return -1;
	ipsec_set_error(EIPSEC_INVAL_POLICY, "bad priority '%s'",
			r > 0 ? lx->tok : "");
	return -1;
}

/* addr[port], numeric only; "any"/"me" give the unspecified address. */
static int parse_endpoint(const char *s, size_t n, struct sockaddr_storage *ss,
			  int *wild)
{
	char host[INET6_ADDRSTRLEN + 32];
	const char *br = memchr(s, '[', n);
	unsigned long port = 0;
	struct addrinfo hints, *res;
	size_t hl = br ? (size_t)(br - s) : n;

	*wild = 0;
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (br) {
		char pbuf[16];
		size_t pl = n - hl;

		if (pl < 3 || pl - 2 >= sizeof(pbuf) || s[n - 1] != ']')
			return -1;
		memcpy(pbuf, br + 1, pl - 2);
		pbuf[pl - 2] = '\0';
		if (strcmp(pbuf, "any") && parse_ulong(pbuf, 65535, &port))
			return -1;
	}
	memset(ss, 0, sizeof(*ss));
	if (!strcmp(host, "any") || !strcmp(host, "me")) {
		*wild = 1;
		return 0;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_family = AF_UNSPEC;
	if (getaddrinfo(host, NULL, &hints, &res) || !res)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		return -1;
	return 0;
}

static void make_wild(struct sockaddr_storage *ss, int family)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = family;
}

static int parse_level(const char *s, size_t n, unsigned int *level,
		       uint32_t *reqid)
{
	static const char *const names[] = { "default", "use", "require",
					     "unique" };
	char buf[32];
	unsigned long v;
	unsigned int i;

	*reqid = 0;
	if (n == 0) {
		*level = IPSEC_LEVEL_DEFAULT;
		return 0;
	}
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!strncmp(buf, "unique:", 7)) {
		if (parse_ulong(buf + 7, IPSEC_MANUAL_REQID_MAX, &v) || v == 0) {
			ipsec_set_error(EIPSEC_INVAL_LEVEL,
					"reqid in '%s' must be 1..%u", buf,
					IPSEC_MANUAL_REQID_MAX);
			return -2;
		}
		*level = IPSEC_LEVEL_UNIQUE;
		*reqid = v;
		return 0;
	}
	for (i = 0; i < 4; i++)
		if (!strcmp(buf, names[i])) {
			*level = i;
			return 0;
		}
	return -1;
}

static int add_request(struct pfkey_msgbuf *mb, const char *tok)
{
	const char *f[5];
	size_t fl[5];
	unsigned int nf = 0, proto, mode, level;
	const char *p = tok, *slash;
	struct sadb_x_ipsecrequest *rq;
	struct sockaddr_storage src, dst;
	int have_addr = 0, wsrc = 0, wdst = 0, r;
	size_t slen = 0, dlen = 0;
	uint32_t reqid;
	uint8_t addrs[2 * sizeof(struct sockaddr_in6)];

	/* split on '/' into at most 4 fields */
	for (;;) {
		slash = strchr(p, '/');
		if (nf == 4) {
			ipsec_set_error(EIPSEC_INVAL_REQUESTS,
					"too many '/' in '%s'", tok);
			return -1;
		}
		f[nf] = p;
		fl[nf] = slash ? (size_t)(slash - p) : strlen(p);
		nf++;
		if (!slash)
			break;
		p = slash + 1;
	}
	if (nf < 2) {
		ipsec_set_error(EIPSEC_INVAL_REQUESTS,
				"'%s' is not protocol/mode/src-dst/level", tok);
		return -1;
	}
	if (fl[0] == 3 && !strncmp(f[0], "esp", 3))
		proto = IPPROTO_ESP;
	else if (fl[0] == 2 && !strncmp(f[0], "ah", 2))
		proto = IPPROTO_AH;
	else if (fl[0] == 6 && !strncmp(f[0], "ipcomp", 6))
		proto = IPPROTO_COMP;
	else {
		ipsec_set_error(EIPSEC_INVAL_PROTO,
				"'%.*s' is not esp, ah or ipcomp", (int)fl[0], f[0]);
		return -1;
	}
	if (fl[1] == 9 && !strncmp(f[1], "transport", 9))
		mode = IPSEC_MODE_TRANSPORT;
	else if (fl[1] == 6 && !strncmp(f[1], "tunnel", 6))
		mode = IPSEC_MODE_TUNNEL;
	else {
		ipsec_set_error(EIPSEC_INVAL_MODE,
				"'%.*s' is not transport or tunnel", (int)fl[1],
				f[1]);
		return -1;
	}
	if (nf >= 3 && fl[2] > 0) {
		const char *dash = memchr(f[2], '-', fl[2]);

		if (!dash || parse_endpoint(f[2], dash - f[2], &src, &wsrc) ||
		    parse_endpoint(dash + 1, f[2] + fl[2] - dash - 1, &dst,
				   &wdst) || (wsrc && wdst)) {
			ipsec_set_error(EIPSEC_INVAL_ADDRESS,
					"bad endpoints '%.*s' (want addr-addr)",
					(int)fl[2], f[2]);
			return -1;
		}
		if (wsrc)
			make_wild(&src, dst.ss_family);
		if (wdst)
			make_wild(&dst, src.ss_family);
		if (src.ss_family != dst.ss_family) {
			ipsec_set_error(EIPSEC_FAMILY_MISMATCH,
					"endpoints '%.*s'", (int)fl[2], f[2]);
			return -1;
		}
		slen = pfkey_sockaddr_len((struct sockaddr *)&src);
		dlen = pfkey_sockaddr_len((struct sockaddr *)&dst);
		memcpy(addrs, &src, slen);
		memcpy(addrs + slen, &dst, dlen);
		have_addr = 1;
	}
	r = parse_level(nf == 4 ? f[3] : "", nf == 4 ? fl[3] : 0, &level,
			&reqid);
	if (r == -1) {
		ipsec_set_error(EIPSEC_INVAL_LEVEL,
				"'%.*s' is not default, use, require, unique or unique:N",
				(int)fl[3], f[3]);
		return -1;
	}
	if (r)
		return -1;
	rq = pfkey_mb_ext(mb, 0, sizeof(*rq), have_addr ? addrs : NULL,
			  have_addr ? slen + dlen : 0);
	if (!rq) {
		ipsec_set_error(EIPSEC_NO_BUFS, NULL);
		return -1;
	}
	/* pfkey_mb_ext wrote an ext header; a request has its own layout. */
	rq->sadb_x_ipsecrequest_len =
		PFKEY_ALIGN8(sizeof(*rq) + (have_addr ? slen + dlen : 0));
	rq->sadb_x_ipsecrequest_proto = proto;
	rq->sadb_x_ipsecrequest_mode = mode;
	rq->sadb_x_ipsecrequest_level = level;
	rq->sadb_x_ipsecrequest_reserved1 = 0;
	rq->sadb_x_ipsecrequest_reqid = reqid;
	rq->sadb_x_ipsecrequest_reserved2 = 0;
	return 0;
}

static int lookup_word(const char *tok, const char *const *words, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (words[i] && !strcmp(tok, words[i]))
			return i;
	return -1;
}

caddr_t ipsec_set_policy(const char *policy, int len)
{
	static const char *const dirs[] = { NULL, "in", "out", "fwd" };
	static const char *const actions[] = { "discard", "none", "ipsec",
					       "entrust", "bypass" };
	struct plex lx;
	struct pfkey_msgbuf mb;
	struct sadb_x_policy *xp;
	uint32_t prio = PRIORITY_DEFAULT;
	int dir, type = IPSEC_POLICY_DISCARD, r;
	size_t plen;

	ipsec_set_error(EIPSEC_NO_ERROR, NULL);
	if (!policy || len < 0) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, NULL);
		return NULL;
	}
	lx.p = policy;
	lx.end = policy + len;
	r = plex_next(&lx);
	if (r <= 0) {
		if (r == 0)
			ipsec_set_error(EIPSEC_INVAL_POLICY, "empty policy");
		return NULL;
	}
	dir = lookup_word(lx.tok, dirs, 4);
	if (dir < 0) {
		ipsec_set_error(EIPSEC_INVAL_DIR, "'%s' is not in, out or fwd",
				lx.tok);
		return NULL;
	}
	r = plex_next(&lx);
	if (r > 0 && (!strcmp(lx.tok, "prio") || !strcmp(lx.tok, "priority"))) {
		if (parse_priority(&lx, &prio))
			return NULL;
		r = plex_next(&lx);
	}
	if (r < 0)
		return NULL;
	if (r > 0) {
		type = lookup_word(lx.tok, actions, 5);
		if (type < 0) {
			ipsec_set_error(EIPSEC_INVAL_POLICY,
					"'%s' is not discard, none, ipsec, entrust or bypass",
					lx.tok);
			return NULL;
		}
	}
	/* the policy header is built as an ordinary extension */
	memset(&mb, 0, sizeof(mb));
	xp = pfkey_mb_ext(&mb, SADB_X_EXT_POLICY, sizeof(*xp), NULL, 0);
	if (!xp) {
		ipsec_set_error(EIPSEC_NO_BUFS, NULL);
		return NULL;
	}
	while ((r = plex_next(&lx)) > 0) {
		if (type != IPSEC_POLICY_IPSEC) {
			ipsec_set_error(EIPSEC_INVAL_POLICY,
					"'%s': requests are only allowed after ipsec",
					lx.tok);
			goto fail;
		}
		if (add_request(&mb, lx.tok))
			goto fail;
	}
	if (r < 0 || mb.err)
		goto fail;
	plen = mb.len;
	xp = (struct sadb_x_policy *)mb.buf;
	xp->sadb_x_policy_len = PFKEY_UNIT64(plen);
	xp->sadb_x_policy_exttype = SADB_X_EXT_POLICY;
	xp->sadb_x_policy_type = type;
	xp->sadb_x_policy_dir = dir;
	xp->sadb_x_policy_priority = prio;
	__ipsec_errcode = EIPSEC_NO_ERROR;
	return (caddr_t)mb.buf;
fail:
	if (mb.err && !__ipsec_errcode)
		ipsec_set_error(mb.err, NULL);
	pfkey_mb_free(&mb);
	return NULL;
}

int ipsec_get_policylen(const void *policy)
{
	const struct sadb_x_policy *xp = policy;

	return xp ? (int)PFKEY_UNUNIT64(xp->sadb_x_policy_len) : -1;
}
