// SPDX-License-Identifier: BSD-3-Clause
/*
 * Addresses in setkey statements: "addr", "addr[port]", "addr/prefix",
 * "addr/prefix[port]" ("[any]" = port 0), numeric or a host name (every
 * address it resolves to, restricted by -4/-6, refused with -n).
 */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "parse.h"

void sk_addrlist_free(struct sk_addrlist *l)
{
	free(l->a);
	l->a = NULL;
	l->n = 0;
}

static int set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		return -1;
	return 0;
}

static int parse_port(struct sk_parser *p, const char *s, unsigned int *port)
{
	struct servent *se;
	uint64_t v;

	if (!strcmp(s, "any")) {
		*port = 0;
		return 0;
	}
	if (!sk_parse_number(s, 65535, &v)) {
		*port = v;
		return 0;
	}
	se = p->no_dns ? NULL : getservbyname(s, NULL);
	if (se) {
		*port = ntohs(se->s_port);
		return 0;
	}
	return sk_error(p, "bad port '%s'", s);
}

int sk_parse_addr(struct sk_parser *p, const char *word,
		  const struct sk_aiflags *f, int allow_prefix,
		  struct sk_addrlist *out)
{
	char host[NI_MAXHOST], portbuf[64];
	const char *br, *slash;
	unsigned int port = 0, prefix = -1u;
	int has_port = 0, r;
	size_t hl, n = 0;
	struct addrinfo hints, *res = NULL, *ai;

	memset(out, 0, sizeof(*out));
	br = strchr(word, '[');
	if (br) {
		const char *close = strchr(br, ']');
		size_t pl;

		if (!close || close[1] || close == br + 1)
			return sk_error(p, "bad address '%s' (port must be [N] or [any])",
					word);
		pl = close - br - 1;
		if (pl >= sizeof(portbuf))
			return sk_error(p, "bad port in '%s'", word);
		memcpy(portbuf, br + 1, pl);
		portbuf[pl] = '\0';
		if (parse_port(p, portbuf, &port))
			return -1;
		has_port = 1;
		hl = br - word;
	} else {
		hl = strlen(word);
	}
	slash = memchr(word, '/', hl);
	if (slash) {
		uint64_t v;
		char pb[8];
		size_t pl = hl - (slash - word) - 1;

		if (!allow_prefix)
			return sk_error(p, "'%s': an SA address takes no /prefix",
					word);
		if (pl == 0 || pl >= sizeof(pb))
			return sk_error(p, "bad prefix length in '%s'", word);
		memcpy(pb, slash + 1, pl);
		pb[pl] = '\0';
		if (sk_parse_number(pb, 128, &v) || (pb[0] == '0' && pb[1] == 'x'))
			return sk_error(p, "bad prefix length in '%s'", word);
		prefix = v;
		hl = slash - word;
	}
	if (hl == 0 || hl >= sizeof(host))
		return sk_error(p, "bad address '%s'", word);
	memcpy(host, word, hl);
	host[hl] = '\0';

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = f->family;
	hints.ai_socktype = SOCK_DGRAM;	/* one entry per address */
	hints.ai_flags = AI_NUMERICHOST;
	r = getaddrinfo(host, NULL, &hints, &res);
	if (r && !f->numeric && !p->no_dns) {
		hints.ai_flags = AI_ADDRCONFIG;
		r = getaddrinfo(host, NULL, &hints, &res);
		if (r == EAI_NONAME || r == EAI_ADDRFAMILY || r == EAI_NODATA) {
			hints.ai_flags = 0;
			r = getaddrinfo(host, NULL, &hints, &res);
		}
	}
	if (r)
		return sk_error(p, "cannot resolve '%s': %s", host,
				f->numeric ? "not a numeric address (-n)" :
				gai_strerror(r));
	for (ai = res; ai; ai = ai->ai_next)
		if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
			n++;
	out->a = calloc(n ? n : 1, sizeof(*out->a));
	if (!out->a) {
		freeaddrinfo(res);
		return sk_error(p, "out of memory");
	}
	for (ai = res; ai; ai = ai->ai_next) {
		struct sk_addr *a;
		unsigned int max;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		a = &out->a[out->n++];
		memcpy(&a->ss, ai->ai_addr, ai->ai_addrlen);
		set_port(&a->ss, port);
		max = ai->ai_family == AF_INET ? 32 : 128;
		if (prefix != -1u && prefix > max) {
			freeaddrinfo(res);
			sk_addrlist_free(out);
			return sk_error(p, "prefix length /%u is longer than %u in '%s'",
					prefix, max, word);
		}
		a->prefix = prefix == -1u ? max : prefix;
		a->has_port = has_port;
	}
	freeaddrinfo(res);
	if (!out->n) {
		sk_addrlist_free(out);
		return sk_error(p, "'%s' has no IPv4 or IPv6 address", host);
	}
	return 0;
}
