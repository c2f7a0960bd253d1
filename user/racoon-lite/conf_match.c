// SPDX-License-Identifier: BSD-3-Clause
/* Which remote and sainfo section applies to a peer or a flow. */
#include <netinet/in.h>
#include <string.h>

#include "conf.h"

static bool addr_equal(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

struct remote_conf *conf_find_remote(const struct config *c,
				     const struct sockaddr *peer)
{
	struct remote_conf *r, *anon = NULL;

	for (r = c->remotes; r; r = r->next) {
		if (r->anonymous) {
			if (!anon)
				anon = r;
			continue;
		}
		if (addr_equal(&r->addr, peer))
			return r;
	}
	return anon;
}

static bool prefix_match(const struct sockaddr_storage *a,
			 const struct sockaddr_storage *b, unsigned int plen)
{
	const uint8_t *x, *y;
	unsigned int bytes = plen / 8, bits = plen % 8;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		x = (const uint8_t *)&((const struct sockaddr_in *)a)->sin_addr;
		y = (const uint8_t *)&((const struct sockaddr_in *)b)->sin_addr;
	} else {
		x = (const uint8_t *)&((const struct sockaddr_in6 *)a)->sin6_addr;
		y = (const uint8_t *)&((const struct sockaddr_in6 *)b)->sin6_addr;
	}
	if (memcmp(x, y, bytes))
		return false;
	return !bits || ((x[bytes] ^ y[bytes]) & (0xff00 >> bits)) == 0;
}

static bool id_match(const struct sa_id *conf, const struct sa_id *id)
{
	if (conf->any)
		return true;
	if (id->any)
		return false;
	return conf->prefix == id->prefix && conf->port == id->port &&
	       (conf->proto == id->proto) &&
	       prefix_match(&conf->addr, &id->addr, conf->prefix);
}

struct sainfo_conf *conf_find_sainfo(const struct config *c,
				     const struct sa_id *src,
				     const struct sa_id *dst)
{
	struct sainfo_conf *s, *anon = NULL;

	for (s = c->sainfos; s; s = s->next) {
		if (s->src.any && s->dst.any) {
			if (!anon)
				anon = s;
			continue;
		}
		if (id_match(&s->src, src) && id_match(&s->dst, dst))
			return s;
	}
	return anon;
}
