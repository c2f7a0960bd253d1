// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pfkey_util.h"

#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)

int pk_open(void)
{
	return socket(PF_KEY, SOCK_RAW, PF_KEY_V2);
}

void pk_init(struct pk_msg *m, uint8_t type, uint8_t satype, uint32_t seq)
{
	struct sadb_msg *h = (void *)m->buf;

	memset(m->buf, 0, sizeof(m->buf));
	h->sadb_msg_version = PF_KEY_V2;
	h->sadb_msg_type = type;
	h->sadb_msg_satype = satype;
	h->sadb_msg_seq = seq;
	h->sadb_msg_pid = getpid();
	m->len = sizeof(*h);
	m->pol = NULL;
}

void *pk_ext(struct pk_msg *m, uint16_t type, size_t len)
{
	struct sadb_ext *e = (void *)(m->buf + m->len);

	len = ALIGN8(len);
	e->sadb_ext_len = len / 8;
	e->sadb_ext_type = type;
	m->len += len;
	return e;
}

static size_t put_sockaddr(void *to, const char *addr, uint16_t port)
{
	struct sockaddr_in *sin = to;
	struct sockaddr_in6 *sin6 = to;

	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	memset(sin6, 0, sizeof(*sin6));
	inet_pton(AF_INET6, addr, &sin6->sin6_addr);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

struct sadb_address *pk_addr(struct pk_msg *m, uint16_t type, const char *addr,
			     uint16_t port, uint8_t plen, uint8_t proto)
{
	bool v6 = strchr(addr, ':') != NULL;
	size_t salen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	struct sadb_address *a = pk_ext(m, type, sizeof(*a) + salen);

	a->sadb_address_proto = proto;
	a->sadb_address_prefixlen = plen;
	put_sockaddr(a + 1, addr, port);
	return a;
}

struct sadb_sa *pk_sa(struct pk_msg *m, uint32_t spi, uint8_t auth,
		      uint8_t enc, uint8_t replay)
{
	struct sadb_sa *sa = pk_ext(m, SADB_EXT_SA, sizeof(*sa));

	sa->sadb_sa_spi = htonl(spi);
	sa->sadb_sa_auth = auth;
	sa->sadb_sa_encrypt = enc;
	sa->sadb_sa_replay = replay;
	return sa;
}

struct sadb_x_sa2 *pk_sa2(struct pk_msg *m, uint8_t mode, uint32_t reqid)
{
	struct sadb_x_sa2 *sa2 = pk_ext(m, SADB_X_EXT_SA2, sizeof(*sa2));

	sa2->sadb_x_sa2_mode = mode;
	sa2->sadb_x_sa2_reqid = reqid;
	return sa2;
}

struct sadb_key *pk_key(struct pk_msg *m, uint16_t type, uint16_t bits,
			uint8_t fill)
{
	struct sadb_key *k = pk_ext(m, type, sizeof(*k) + (bits + 7) / 8);

	k->sadb_key_bits = bits;
	memset(k + 1, fill, (bits + 7) / 8);
	return k;
}

struct sadb_lifetime *pk_lifetime(struct pk_msg *m, uint16_t type,
				  uint32_t alloc, uint64_t bytes,
				  uint64_t addtime, uint64_t usetime)
{
	struct sadb_lifetime *l = pk_ext(m, type, sizeof(*l));

	l->sadb_lifetime_allocations = alloc;
	l->sadb_lifetime_bytes = bytes;
	l->sadb_lifetime_addtime = addtime;
	l->sadb_lifetime_usetime = usetime;
	return l;
}

struct sadb_spirange *pk_spirange(struct pk_msg *m, uint32_t min, uint32_t max)
{
	struct sadb_spirange *r = pk_ext(m, SADB_EXT_SPIRANGE, sizeof(*r));

	r->sadb_spirange_min = min;
	r->sadb_spirange_max = max;
	return r;
}

struct sadb_x_policy *pk_policy(struct pk_msg *m, uint16_t type, uint8_t dir,
				uint32_t id, uint32_t priority)
{
	struct sadb_x_policy *p = pk_ext(m, SADB_X_EXT_POLICY, sizeof(*p));

	p->sadb_x_policy_type = type;
	p->sadb_x_policy_dir = dir;
	p->sadb_x_policy_id = id;
	p->sadb_x_policy_priority = priority;
	m->pol = p;
	return p;
}

void pk_ipsecreq(struct pk_msg *m, uint16_t proto, uint8_t mode, uint8_t level,
		 uint32_t reqid, const char *src, const char *dst)
{
	struct sadb_x_ipsecrequest *rq = (void *)(m->buf + m->len);
	size_t len = sizeof(*rq);

	rq->sadb_x_ipsecrequest_proto = proto;
	rq->sadb_x_ipsecrequest_mode = mode;
	rq->sadb_x_ipsecrequest_level = level;
	rq->sadb_x_ipsecrequest_reqid = reqid;
	if (src) {
		uint8_t *p = (uint8_t *)(rq + 1);

		p += put_sockaddr(p, src, 0);
		p += put_sockaddr(p, dst, 0);
		len = ALIGN8((size_t)(p - (uint8_t *)rq));
	}
	rq->sadb_x_ipsecrequest_len = len;
	m->len += len;
	m->pol->sadb_x_policy_len += len / 8;
}

size_t pk_finish(struct pk_msg *m)
{
	((struct sadb_msg *)m->buf)->sadb_msg_len = m->len / 8;
	return m->len;
}

ssize_t pk_send(int fd, struct pk_msg *m)
{
	return write(fd, m->buf, pk_finish(m));
}

static void split(struct pk_reply *r)
{
	size_t off = sizeof(struct sadb_msg);

	memset(r->ext, 0, sizeof(r->ext));
	r->hdr = (void *)r->buf;
	while (off + sizeof(struct sadb_ext) <= (size_t)r->len) {
		struct sadb_ext *e = (void *)(r->buf + off);

		if (!e->sadb_ext_len)
			break;
		if (e->sadb_ext_type <= SADB_EXT_MAX)
			r->ext[e->sadb_ext_type] = e;
		off += e->sadb_ext_len * 8;
	}
}

ssize_t pk_recv(int fd, struct pk_reply *r, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	r->len = -1;
	if (poll(&p, 1, ms) != 1)
		return -1;
	r->len = recv(fd, r->buf, sizeof(r->buf), MSG_DONTWAIT);
	if (r->len >= (ssize_t)sizeof(struct sadb_msg))
		split(r);
	return r->len;
}

ssize_t pk_recv_type(int fd, struct pk_reply *r, uint8_t type, int ms)
{
	while (pk_recv(fd, r, ms) >= (ssize_t)sizeof(struct sadb_msg)) {
		if (r->hdr->sadb_msg_type == type)
			return r->len;
	}
	r->len = -1;
	return -1;
}

int pk_call(int fd, struct pk_msg *m, struct pk_reply *r)
{
	struct sadb_msg *h = (void *)m->buf;

	if (pk_send(fd, m) < 0)
		return -1;
	while (pk_recv(fd, r, 2000) >= (ssize_t)sizeof(struct sadb_msg)) {
		if (r->hdr->sadb_msg_type == h->sadb_msg_type &&
		    r->hdr->sadb_msg_seq == h->sadb_msg_seq &&
		    r->hdr->sadb_msg_pid == h->sadb_msg_pid)
			return r->hdr->sadb_msg_errno;
	}
	return -1;
}

int pk_drain(int fd)
{
	static struct pk_reply r;
	int n = 0;

	while (pk_recv(fd, &r, 0) >= 0)
		n++;
	return n;
}

void pk_simple(int fd, uint8_t type, uint8_t satype)
{
	struct pk_msg m;

	pk_init(&m, type, satype, 0);
	pk_finish(&m);
	pk_send(fd, &m);
}

void pk_build_add(struct pk_msg *m, uint8_t type, uint32_t seq, uint32_t spi,
		  const char *src, const char *dst)
{
	pk_init(m, type, SADB_SATYPE_ESP, seq);
	pk_sa(m, spi, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC, 32);
	pk_sa2(m, IPSEC_MODE_TRANSPORT, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, src, 0, strchr(src, ':') ? 128 : 32,
		IPSEC_ULPROTO_ANY);
	pk_addr(m, SADB_EXT_ADDRESS_DST, dst, 0, strchr(dst, ':') ? 128 : 32,
		IPSEC_ULPROTO_ANY);
	pk_key(m, SADB_EXT_KEY_AUTH, 160, 0xaa);
	pk_key(m, SADB_EXT_KEY_ENCRYPT, 192, 0xee);
}

void pk_build_spd(struct pk_msg *m, uint8_t type, uint32_t seq, uint8_t dir,
		  const char *src, uint8_t splen, const char *dst,
		  uint8_t dplen, uint16_t ptype)
{
	pk_init(m, type, SADB_SATYPE_UNSPEC, seq);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, src, 0, splen, IPSEC_ULPROTO_ANY);
	pk_addr(m, SADB_EXT_ADDRESS_DST, dst, 0, dplen, IPSEC_ULPROTO_ANY);
	pk_policy(m, ptype, dir, 0, 0x80000000);
}

uint32_t pk_addr4(const struct sadb_ext *e)
{
	const struct sockaddr_in *sin = (const void *)((const uint8_t *)e +
						       sizeof(struct sadb_address));

	return ntohl(sin->sin_addr.s_addr);
}

int pk_sysctl_set(const char *path, long value)
{
	char file[256];
	FILE *f;
	int rc;

	snprintf(file, sizeof(file), "/proc/sys/%s", path);
	f = fopen(file, "w");
	if (!f)
		return -1;
	rc = fprintf(f, "%ld\n", value) > 0 ? 0 : -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

long pk_sysctl_get(const char *path)
{
	char file[256];
	long v = -1;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/sys/%s", path);
	f = fopen(file, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

long pk_proc_value(const char *path, const char *key)
{
	char line[128], k[64];
	long v, ret = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", k, &v) == 2 && !strcmp(k, key))
			ret = v;
	fclose(f);
	return ret;
}
