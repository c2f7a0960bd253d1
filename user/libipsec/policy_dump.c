// SPDX-License-Identifier: BSD-3-Clause
/*
 * ipsec_dump_policy(3): a policy buffer back to the KAME text,
 * e.g. "out prio def ipsec<delim>esp/transport//require".
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "pfkey_msg.h"
#include "ipsec_internal.h"

struct sbuf {
	char *s;
	size_t len, cap;
	int err;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	if (!b->s) {
		b->cap = 128;
		b->s = malloc(b->cap);
		if (!b->s) {
			b->err = 1;
			return;
		}
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->err = 1;
			return;
		}
		if (b->len + n < b->cap)
			break;
		b->cap = (b->cap + n) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s) {
			b->err = 1;
			return;
		}
	}
	b->len += n;
}

static const char *type_name(unsigned int type)
{
	static const char *const names[] = { "discard", "none", "ipsec",
					     "entrust", "bypass" };

	return type < 5 ? names[type] : NULL;
}

/* "prio def + 5": the nearest base and the user-facing offset. */
static void dump_priority(struct sbuf *b, uint32_t prio)
{
	const char *base;
	int64_t off;

	if (prio == 0)
		return;
	if (prio < PRIORITY_DEFAULT / 4 * 3) {
		base = "high";
		off = (int64_t)PRIORITY_HIGH - prio;
	} else if (prio < PRIORITY_DEFAULT / 4 * 5) {
		base = "def";
		off = (int64_t)PRIORITY_DEFAULT - prio;
	} else {
		base = "low";
		off = (int64_t)PRIORITY_LOW - prio;
	}
	if (off == 0)
		sb_printf(b, "prio %s ", base);
	else
		sb_printf(b, "prio %s %c %lld ", base, off > 0 ? '+' : '-',
			  (long long)(off > 0 ? off : -off));
}

static void dump_endpoint(struct sbuf *b, const struct sockaddr *sa,
			  int withports)
{
	char buf[INET6_ADDRSTRLEN + 16];

	sb_printf(b, "%s", kame_str_addr(sa, buf, sizeof(buf)));
	if (withports)
		sb_printf(b, "[%u]", pfkey_sockaddr_port(sa));
}

static int dump_request(struct sbuf *b, const struct sadb_x_ipsecrequest *rq,
			size_t len, int withports)
{
	static const char *const levels[] = { "default", "use", "require",
					      "unique" };
	const char *proto, *mode;
	const uint8_t *a = (const uint8_t *)(rq + 1);
	size_t left = len - sizeof(*rq);

	switch (rq->sadb_x_ipsecrequest_proto) {
	case IPPROTO_ESP:
		proto = "esp";
		break;
	case IPPROTO_AH:
		proto = "ah";
		break;
	case IPPROTO_COMP:
		proto = "ipcomp";
		break;
	default:
		ipsec_set_error(EIPSEC_INVAL_PROTO, "protocol %u",
				rq->sadb_x_ipsecrequest_proto);
		return -1;
	}
	switch (rq->sadb_x_ipsecrequest_mode) {
	case IPSEC_MODE_ANY:
		mode = "any";
		break;
	case IPSEC_MODE_TRANSPORT:
		mode = "transport";
		break;
	case IPSEC_MODE_TUNNEL:
		mode = "tunnel";
		break;
	case IPSEC_MODE_BEET:
		mode = "beet";
		break;
	default:
		ipsec_set_error(EIPSEC_INVAL_MODE, "mode %u",
				rq->sadb_x_ipsecrequest_mode);
		return -1;
	}
	if (rq->sadb_x_ipsecrequest_level > IPSEC_LEVEL_UNIQUE) {
		ipsec_set_error(EIPSEC_INVAL_LEVEL, "level %u",
				rq->sadb_x_ipsecrequest_level);
		return -1;
	}
	sb_printf(b, "%s/%s/", proto, mode);
	if (left >= sizeof(struct sockaddr_in)) {
		const struct sockaddr *s = (const struct sockaddr *)a;
		size_t sl = pfkey_sockaddr_len(s);
		const struct sockaddr *d;

		if (!sl || left < 2 * sl) {
			ipsec_set_error(EIPSEC_INVAL_ADDRESS, "request endpoints");
			return -1;
		}
		d = (const struct sockaddr *)(a + sl);
		if (pfkey_sockaddr_len(d) != sl) {
			ipsec_set_error(EIPSEC_FAMILY_MISMATCH, "request endpoints");
			return -1;
		}
		dump_endpoint(b, s, withports);
		sb_printf(b, "-");
		dump_endpoint(b, d, withports);
	}
	sb_printf(b, "/%s", levels[rq->sadb_x_ipsecrequest_level]);
	if (rq->sadb_x_ipsecrequest_level == IPSEC_LEVEL_UNIQUE &&
	    rq->sadb_x_ipsecrequest_reqid)
		sb_printf(b, "%c%u",
			  rq->sadb_x_ipsecrequest_reqid > IPSEC_MANUAL_REQID_MAX ?
			  '#' : ':', rq->sadb_x_ipsecrequest_reqid);
	return 0;
}

char *kame_dump_policy(const void *policy, size_t len, const char *delim,
		       int withports, int per_socket)
{
	const struct sadb_x_policy *xp = policy;
	const uint8_t *p, *end;
	struct sbuf b = { 0 };
	const char *type;

	if (!delim)
		delim = " ";
	if (!xp || len < sizeof(*xp) ||
	    PFKEY_UNUNIT64((size_t)xp->sadb_x_policy_len) > len ||
	    xp->sadb_x_policy_len < PFKEY_UNIT64(sizeof(*xp))) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, "policy length");
		return NULL;
	}
	type = type_name(xp->sadb_x_policy_type);
	if (!type) {
		ipsec_set_error(EIPSEC_INVAL_POLICY, "type %u",
				xp->sadb_x_policy_type);
		return NULL;
	}
	sb_printf(&b, "%s%s ", kame_str_dir(xp->sadb_x_policy_dir),
		  per_socket ? "(socket)" : "");
	dump_priority(&b, xp->sadb_x_policy_priority);
	sb_printf(&b, "%s", type);
	p = (const uint8_t *)(xp + 1);
	end = (const uint8_t *)xp + PFKEY_UNUNIT64(xp->sadb_x_policy_len);
	while (p < end) {
		const struct sadb_x_ipsecrequest *rq = (const void *)p;
		size_t rl;

		if ((size_t)(end - p) < sizeof(*rq))
			goto bad;
		rl = rq->sadb_x_ipsecrequest_len;
		if (rl < sizeof(*rq) || rl % 8 || rl > (size_t)(end - p))
			goto bad;
		sb_printf(&b, "%s", delim);
		if (dump_request(&b, rq, rl, withports))
			goto fail;
		p += rl;
	}
	if (b.err) {
		ipsec_set_error(EIPSEC_NO_BUFS, NULL);
		goto fail;
	}
	__ipsec_errcode = EIPSEC_NO_ERROR;
	return b.s;
bad:
	ipsec_set_error(EIPSEC_INVAL_REQUESTS, "request length");
fail:
	free(b.s);
	return NULL;
}

/* The ipsec-tools API has no buffer length: trust the policy header. */
char *ipsec_dump_policy(const void *policy, const char *delimiter)
{
	const struct sadb_x_policy *xp = policy;

	if (!xp) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, NULL);
		return NULL;
	}
	return kame_dump_policy(policy, PFKEY_UNUNIT64(xp->sadb_x_policy_len),
				delimiter, 0, 0);
}

char *ipsec_dump_policy_withports(const void *policy, const char *delimiter)
{
	const struct sadb_x_policy *xp = policy;

	if (!xp) {
		ipsec_set_error(EIPSEC_INVAL_ARGUMENT, NULL);
		return NULL;
	}
	return kame_dump_policy(policy, PFKEY_UNUNIT64(xp->sadb_x_policy_len),
				delimiter, 1, 0);
}
