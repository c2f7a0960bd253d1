// SPDX-License-Identifier: BSD-3-Clause
/* Small formatting helpers shared by the setkey -D/-DP/-x printers. */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>
#include "ipsec_internal.h"

/* ctime() without the weekday: "Nov 26 10:00:00 2026"; 0 -> 20 blanks. */
const char *kame_str_time(time_t t, char buf[21])
{
	char tmp[32];
	struct tm tm;

	if (t == 0 || !localtime_r(&t, &tm) || !asctime_r(&tm, tmp) ||
	    strlen(tmp) < 24) {
		memset(buf, ' ', 20);
	} else {
		memcpy(buf, tmp + 4, 20);
	}
	buf[20] = '\0';
	return buf;
}

const char *kame_str_addr(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in6 *s6;
	size_t n;

	if (!sa)
		goto bad;
	if (sa->sa_family == AF_INET) {
		if (!inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			       buf, len))
			goto bad;
		return buf;
	}
	if (sa->sa_family != AF_INET6)
		goto bad;
	s6 = (const struct sockaddr_in6 *)sa;
	if (!inet_ntop(AF_INET6, &s6->sin6_addr, buf, len))
		goto bad;
	n = strlen(buf);
	if (s6->sin6_scope_id && n + 2 + IF_NAMESIZE < len) {
		char ifn[IF_NAMESIZE];

		/* names only where the resolver takes them back (link-local) */
		if ((IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) ||
		     IN6_IS_ADDR_MC_LINKLOCAL(&s6->sin6_addr)) &&
		    if_indextoname(s6->sin6_scope_id, ifn))
			snprintf(buf + n, len - n, "%%%s", ifn);
		else
			snprintf(buf + n, len - n, "%%%u", s6->sin6_scope_id);
	}
	return buf;
bad:
	snprintf(buf, len, "?");
	return buf;
}

/* Groups of 4 bytes, each preceded by a blank; a newline every 32 bytes. */
void kame_hexdump(FILE *out, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i != 0 && i % 32 == 0)
			fputc('\n', out);
		if (i % 4 == 0)
			fputc(' ', out);
		fprintf(out, "%02x", p[i]);
	}
}

void ipsec_hexdump(const void *buf, int len)
{
	if (len > 0)
		kame_hexdump(stdout, buf, len);
}

const char *kame_str_satype(unsigned int satype)
{
	static const char *const names[] = {
		"unspec", "unknown", "ah", "esp", "unknown", "rsvp", "ospfv2",
		"ripv2", "mip", "ipcomp", "policy", "tcp",
	};

	return satype < sizeof(names) / sizeof(names[0]) ? names[satype] :
	       "unknown";
}

const char *kame_str_mode(unsigned int mode)
{
	static const char *const names[] = { "any", "transport", "tunnel",
					     "beet" };

	return mode < 4 ? names[mode] : "unknown";
}

const char *kame_str_dir(unsigned int dir)
{
	switch (dir) {
	case IPSEC_DIR_ANY:
		return "any";
	case IPSEC_DIR_INBOUND:
		return "in";
	case IPSEC_DIR_OUTBOUND:
		return "out";
	case IPSEC_DIR_FWD:
		return "fwd";
	}
	return "invalid";
}

const char *kame_str_state(unsigned int state)
{
	static const char *const names[] = { "larval", "mature", "dying",
					     "dead" };

	return state < 4 ? names[state] : "unknown";
}

/* The sockaddr in an address extension, if the extension can hold it. */
const struct sockaddr *kame_ext_sockaddr(const void *ext)
{
	const struct sadb_address *a = ext;
	const struct sockaddr *sa;
	size_t room;

	if (!a)
		return NULL;
	room = PFKEY_EXTLEN(a);
	if (room < sizeof(*a) + sizeof(sa->sa_family))
		return NULL;
	room -= sizeof(*a);
	sa = (const struct sockaddr *)(a + 1);
	if (sa->sa_family == AF_INET && room >= sizeof(struct sockaddr_in))
		return sa;
	if (sa->sa_family == AF_INET6 && room >= sizeof(struct sockaddr_in6))
		return sa;
	return NULL;
}
