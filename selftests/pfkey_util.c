// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pfkey_util.h"
#include "msg_parse.h"

int pk_open(void)
{
	return socket(PF_KEY, SOCK_RAW, PF_KEY_V2);
}

void pk_init(struct pk_msg *m, uint8_t type, uint8_t satype, uint32_t seq)
{
	memset(m->buf, 0, sizeof(m->buf));
	pfkey_mb_init_buf(&m->mb, m->buf, sizeof(m->buf), type, satype, seq,
			  getpid());
	m->len = m->mb.len;
	m->pol = NULL;
}

/*
 * Each helper runs libipsec's builder from m->len (the test may have
 * changed it) and returns what it appended, in place in m->buf.
 */
static void *begin(struct pk_msg *m)
{
	if (m->mb.err) {
		fprintf(stderr, "# pk: message too long for %d bytes\n", PK_BUF);
		abort();
	}
	m->mb.len = m->len;
	return m->buf + m->len;
}

static void *end(struct pk_msg *m, void *start)
{
	if (m->mb.err) {
		fprintf(stderr, "# pk: libipsec's builder failed (%d)\n", m->mb.err);
		abort();
	}
	m->len = m->mb.len;
	return start;
}

void *pk_ext(struct pk_msg *m, uint16_t type, size_t len)
{
	void *e = begin(m);

	pfkey_mb_ext(&m->mb, type, len, NULL, 0);
	return end(m, e);
}

/* "10.0.0.1" or "2001:db8::1" with @port. */
static struct sockaddr_storage sockaddr_of(const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return ss;
	}
	inet_pton(AF_INET6, addr, &sin6->sin6_addr);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	return ss;
}

struct sadb_address *pk_addr(struct pk_msg *m, uint16_t type, const char *addr,
			     uint16_t port, uint8_t plen, uint8_t proto)
{
	struct sockaddr_storage ss = sockaddr_of(addr, port);
	void *a = begin(m);

	pfkey_mb_address(&m->mb, type, (struct sockaddr *)&ss, plen, proto);
	return end(m, a);
}

struct sadb_sa *pk_sa(struct pk_msg *m, uint32_t spi, uint8_t auth,
		      uint8_t enc, uint8_t replay)
{
	void *sa = begin(m);

	pfkey_mb_sa(&m->mb, spi, replay, 0, auth, enc, 0);
	return end(m, sa);
}

struct sadb_x_sa2 *pk_sa2(struct pk_msg *m, uint8_t mode, uint32_t reqid)
{
	void *sa2 = begin(m);

	pfkey_mb_sa2(&m->mb, mode, reqid, 0);
	return end(m, sa2);
}

struct sadb_key *pk_key(struct pk_msg *m, uint16_t type, uint16_t bits,
			uint8_t fill)
{
	uint8_t key[(0xffff + 7) / 8];
	struct sadb_key *k = begin(m);

	memset(key, fill, (bits + 7) / 8);
	pfkey_mb_key(&m->mb, type, key, (bits + 7) / 8);
	end(m, k);
	k->sadb_key_bits = bits;	/* not always a whole number of bytes */
	return k;
}

struct sadb_lifetime *pk_lifetime(struct pk_msg *m, uint16_t type,
				  uint32_t alloc, uint64_t bytes,
				  uint64_t addtime, uint64_t usetime)
{
	void *l = begin(m);

	pfkey_mb_lifetime(&m->mb, type, alloc, bytes, addtime, usetime);
	return end(m, l);
}

struct sadb_spirange *pk_spirange(struct pk_msg *m, uint32_t min, uint32_t max)
{
	void *r = begin(m);

	pfkey_mb_spirange(&m->mb, min, max);
	return end(m, r);
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
	struct sockaddr_storage s, d;

	if (src) {
		s = sockaddr_of(src, 0);
		d = sockaddr_of(dst, 0);
	}
	begin(m);
	m->mb.last = (uint8_t *)m->pol - m->buf;
	pfkey_mb_ipsecreq(&m->mb, proto, mode, level, reqid,
			  src ? (struct sockaddr *)&s : NULL,
			  src ? (struct sockaddr *)&d : NULL);
	end(m, NULL);
}

/* The length as pfkey_mb_finish() sets it, from m->len the test may have set. */
size_t pk_finish(struct pk_msg *m)
{
	((struct sadb_msg *)m->buf)->sadb_msg_len = PFKEY_UNIT64(m->len);
	return m->len;
}

ssize_t pk_send(int fd, struct pk_msg *m)
{
	return write(fd, m->buf, pk_finish(m));
}

static void split(struct pk_reply *r)
{
	struct kame_msg km;
	unsigned int t;

	memset(r->ext, 0, sizeof(r->ext));
	r->hdr = (void *)r->buf;
	r->bad = NULL;
	/* No print: pfkey_fuzz gets thousands of raw X_PROMISC payloads. */
	if (kame_msg_parse_out(r->buf, r->len, &km, KAME_OUT_STRICT, &r->bad))
		return;
	if (km.payload && kame_msg_index(r->buf, r->len, &km))
		return;
	for (t = 1; t <= SADB_EXT_MAX; t++)
		r->ext[t] = (struct sadb_ext *)km.ext[t];
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
