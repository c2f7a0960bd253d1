// SPDX-License-Identifier: BSD-3-Clause
/*
 * kernel.c against a scripted "kernel" on the other end of a socketpair:
 * the exact PF_KEY messages racoon-lite sends (GETSPI, UPDATE, ADD) and
 * how it reads ACQUIRE + SPDGET.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>

#include "kselftest_harness.h"
#include "../kernel.h"
#include "../log.h"
#include "../../../kmod/pfkey/msg_parse.h"
#include "../../libipsec/pfkey_msg.h"

/* What the scripted kernel sends, built with libipsec's builder in place. */
struct msg {
	uint8_t b[1024] __attribute__((aligned(8)));
	size_t len;
	struct pfkey_msgbuf pm;
};

static void m_init(struct msg *m, uint8_t type, uint8_t satype, uint32_t seq,
		   uint32_t pid)
{
	memset(m, 0, sizeof(*m));
	pfkey_mb_init_buf(&m->pm, m->b, sizeof(m->b), type, satype, seq, pid);
	pfkey_mb_finish(&m->pm, &m->len);
}

static void *m_ext(struct msg *m, uint16_t type, size_t len)
{
	void *e = m->b + m->len;

	m->pm.len = m->len;
	pfkey_mb_ext(&m->pm, type, len, NULL, 0);
	pfkey_mb_finish(&m->pm, &m->len);
	return e;
}

static void m_addr(struct msg *m, uint16_t type, const char *ip,
		   uint8_t prefix, uint8_t proto)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	m->pm.len = m->len;
	pfkey_mb_address(&m->pm, type, (struct sockaddr *)&sin, prefix, proto);
	pfkey_mb_finish(&m->pm, &m->len);
}

/* The SA and addresses every kernel answer about an SA carries. */
static void m_sa_addrs(struct msg *m, uint32_t spi)
{
	struct sadb_sa *sa = m_ext(m, SADB_EXT_SA, sizeof(*sa));

	sa->sadb_sa_spi = htonl(spi);
	m_addr(m, SADB_EXT_ADDRESS_SRC, "10.0.0.2", 32, 0);
	m_addr(m, SADB_EXT_ADDRESS_DST, "10.0.0.1", 32, 0);
}

static struct sockaddr_storage sa4(const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
	return ss;
}

FIXTURE(pfkey) {
	int sv[2];
	struct kernel *k;
};

FIXTURE_SETUP(pfkey)
{
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, self->sv));
	self->k = kernel_wrap(self->sv[0]);
	log_set_level(LLV_DEBUG);
}

FIXTURE_TEARDOWN(pfkey)
{
	kernel_close(self->k);
	close(self->sv[1]);
}

/*
 * Reads what racoon-lite sent, checks it as the module does
 * (kame_msg_parse) and splits it into extensions.
 */
static ssize_t sent(int fd, uint8_t *buf, const struct sadb_ext *ext[])
{
	ssize_t n = recv(fd, buf, 4096, MSG_DONTWAIT);
	struct kame_msg km;

	if (n <= 0 || kame_msg_parse(buf, (size_t)n, &km))
		return -1;
	memcpy(ext, km.ext, sizeof(km.ext));
	return n;
}

TEST_F(pfkey, getspi)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	struct sockaddr_storage peer = sa4("10.0.0.2", 500);
	struct sockaddr_storage me = sa4("10.0.0.1", 500);
	const struct sadb_address *a;
	const struct sadb_spirange *r;
	const struct sadb_x_sa2 *s2;
	struct sadb_msg *h;
	struct sadb_sa *sa;
	uint8_t buf[4096];
	struct msg m;
	uint32_t spi = 0;

	m_init(&m, SADB_GETSPI, SADB_SATYPE_ESP, 42, (uint32_t)getpid());
	sa = m_ext(&m, SADB_EXT_SA, sizeof(*sa));
	sa->sadb_sa_spi = htonl(0xc0ffee);
	m_addr(&m, SADB_EXT_ADDRESS_SRC, "10.0.0.2", 32, 0);
	m_addr(&m, SADB_EXT_ADDRESS_DST, "10.0.0.1", 32, 0);
	ASSERT_EQ((ssize_t)m.len, send(self->sv[1], m.b, m.len, 0));
	ASSERT_EQ(0, pfkey_kernel_ops.getspi(self->k, (struct sockaddr *)&peer,
					     (struct sockaddr *)&me,
					     SADB_SATYPE_ESP,
					     IPSEC_MODE_TRANSPORT, 0, 42, &spi));
	ASSERT_EQ(0xc0ffee, spi);
	ASSERT_LT(0, sent(self->sv[1], buf, ext));
	h = (struct sadb_msg *)buf;
	ASSERT_EQ(SADB_GETSPI, h->sadb_msg_type);
	ASSERT_EQ(SADB_SATYPE_ESP, h->sadb_msg_satype);
	ASSERT_EQ(42, h->sadb_msg_seq);	/* the ACQUIRE's sequence */
	s2 = (const void *)ext[SADB_X_EXT_SA2];
	ASSERT_NE(NULL, s2);
	ASSERT_EQ(IPSEC_MODE_TRANSPORT, s2->sadb_x_sa2_mode);
	a = (const void *)ext[SADB_EXT_ADDRESS_SRC];
	ASSERT_NE(NULL, a);
	ASSERT_EQ(32, a->sadb_address_prefixlen);
	ASSERT_EQ(0, memcmp(&((struct sockaddr_in *)&peer)->sin_addr,
			    &((struct sockaddr_in *)(a + 1))->sin_addr, 4));
	ASSERT_EQ(0, ((struct sockaddr_in *)(a + 1))->sin_port);
	r = (const void *)ext[SADB_EXT_SPIRANGE];
	ASSERT_NE(NULL, r);
	ASSERT_EQ(0x100, r->sadb_spirange_min);
	ASSERT_EQ(0x0fffffff, r->sadb_spirange_max);
}

static struct child_sa test_sa(void)
{
	struct child_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.satype = SADB_SATYPE_ESP;
	sa.mode = IPSEC_MODE_TUNNEL;
	sa.reqid = 9;
	sa.seq = 77;
	sa.src = sa4("10.0.0.2", 500);
	sa.dst = sa4("10.0.0.1", 500);
	sa.spi = 0x1234;
	sa.ealg = SADB_EALG_3DESCBC;
	sa.aalg = SADB_AALG_SHA1HMAC;
	sa.enckeylen = 24;
	sa.authkeylen = 20;
	memset(sa.enckey, 0xee, 24);
	memset(sa.authkey, 0xaa, 20);
	sa.life_sec = 3600;
	sa.life_bytes = 1 << 20;
	return sa;
}

TEST_F(pfkey, update_inbound_with_lifetimes_and_keys)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	const struct sadb_lifetime *hard, *soft;
	const struct sadb_key *ek, *ak;
	const struct sadb_sa *s;
	const struct sadb_x_sa2 *s2;
	struct child_sa sa = test_sa();
	uint8_t buf[4096];
	struct msg m;

	m_init(&m, SADB_UPDATE, SADB_SATYPE_ESP, 77, (uint32_t)getpid());
	m_sa_addrs(&m, 0x1234);
	ASSERT_EQ((ssize_t)m.len, send(self->sv[1], m.b, m.len, 0));
	ASSERT_EQ(0, pfkey_kernel_ops.install(self->k, &sa, true));
	ASSERT_LT(0, sent(self->sv[1], buf, ext));
	ASSERT_EQ(SADB_UPDATE, ((struct sadb_msg *)buf)->sadb_msg_type);
	ASSERT_EQ(77, ((struct sadb_msg *)buf)->sadb_msg_seq);
	s = (const void *)ext[SADB_EXT_SA];
	ASSERT_EQ(htonl(0x1234), s->sadb_sa_spi);
	ASSERT_EQ(SADB_SASTATE_MATURE, s->sadb_sa_state);
	ASSERT_EQ(SADB_EALG_3DESCBC, s->sadb_sa_encrypt);
	ASSERT_EQ(SADB_AALG_SHA1HMAC, s->sadb_sa_auth);
	s2 = (const void *)ext[SADB_X_EXT_SA2];
	ASSERT_EQ(IPSEC_MODE_TUNNEL, s2->sadb_x_sa2_mode);
	ASSERT_EQ(9, s2->sadb_x_sa2_reqid);
	hard = (const void *)ext[SADB_EXT_LIFETIME_HARD];
	soft = (const void *)ext[SADB_EXT_LIFETIME_SOFT];
	ASSERT_EQ(3600, hard->sadb_lifetime_addtime);
	ASSERT_EQ(2880, soft->sadb_lifetime_addtime);	/* 80 % */
	ASSERT_EQ(1 << 20, hard->sadb_lifetime_bytes);
	ASSERT_EQ((1 << 20) * 8 / 10, soft->sadb_lifetime_bytes);
	ek = (const void *)ext[SADB_EXT_KEY_ENCRYPT];
	ak = (const void *)ext[SADB_EXT_KEY_AUTH];
	ASSERT_EQ(192, ek->sadb_key_bits);
	ASSERT_EQ(160, ak->sadb_key_bits);
	ASSERT_EQ(0xee, ((const uint8_t *)(ek + 1))[23]);
	ASSERT_EQ(0xaa, ((const uint8_t *)(ak + 1))[19]);
	ASSERT_EQ(4, ek->sadb_key_len);	/* 8 + 24 bytes */
}

/* An ESP-in-UDP SA: Linux's NAT-T extensions, NAT-OA in the SA's family. */
TEST_F(pfkey, natt_extensions)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	const struct sadb_x_nat_t_type *t;
	const struct sadb_x_nat_t_port *sp, *dp;
	const struct sadb_address *oa;
	struct child_sa sa = test_sa();
	uint8_t buf[4096];
	struct msg m;

	sa.natt_type = 2;
	sa.natt_sport = 14500;
	sa.natt_dport = 4500;
	sa.natt_oa = sa4("192.168.1.2", 0);
	m_init(&m, SADB_UPDATE, SADB_SATYPE_ESP, 77, (uint32_t)getpid());
	m_sa_addrs(&m, 0x1234);
	ASSERT_EQ((ssize_t)m.len, send(self->sv[1], m.b, m.len, 0));
	ASSERT_EQ(0, pfkey_kernel_ops.install(self->k, &sa, true));
	ASSERT_LT(0, sent(self->sv[1], buf, ext));
	t = (const void *)ext[SADB_X_EXT_NAT_T_TYPE];
	sp = (const void *)ext[SADB_X_EXT_NAT_T_SPORT];
	dp = (const void *)ext[SADB_X_EXT_NAT_T_DPORT];
	oa = (const void *)ext[SADB_X_EXT_NAT_T_OA];
	ASSERT_TRUE(t && sp && dp && oa);
	ASSERT_EQ(1, t->sadb_x_nat_t_type_len);
	ASSERT_EQ(2, t->sadb_x_nat_t_type_type);
	ASSERT_EQ(htons(14500), sp->sadb_x_nat_t_port_port);
	ASSERT_EQ(htons(4500), dp->sadb_x_nat_t_port_port);
	ASSERT_EQ(htonl(0xc0a80102),
		  ((const struct sockaddr_in *)(oa + 1))->sin_addr.s_addr);
	/* an OA of the other family is left out; plain SAs have none */
	sa.natt_oa.ss_family = AF_INET6;
	m_init(&m, SADB_UPDATE, SADB_SATYPE_ESP, 77, (uint32_t)getpid());
	m_sa_addrs(&m, 0x1234);
	ASSERT_EQ((ssize_t)m.len, send(self->sv[1], m.b, m.len, 0));
	ASSERT_EQ(0, pfkey_kernel_ops.install(self->k, &sa, true));
	ASSERT_LT(0, sent(self->sv[1], buf, ext));
	ASSERT_NE(NULL, ext[SADB_X_EXT_NAT_T_TYPE]);
	ASSERT_EQ(NULL, ext[SADB_X_EXT_NAT_T_OA]);
	sa = test_sa();
	m_init(&m, SADB_UPDATE, SADB_SATYPE_ESP, 77, (uint32_t)getpid());
	m_sa_addrs(&m, 0x1234);
	ASSERT_EQ((ssize_t)m.len, send(self->sv[1], m.b, m.len, 0));
	ASSERT_EQ(0, pfkey_kernel_ops.install(self->k, &sa, true));
	ASSERT_LT(0, sent(self->sv[1], buf, ext));
	ASSERT_EQ(NULL, ext[SADB_X_EXT_NAT_T_TYPE]);
	ASSERT_EQ(NULL, ext[SADB_X_EXT_NAT_T_SPORT]);
}

TEST_F(pfkey, add_refused_by_kernel)
{
	struct child_sa sa = test_sa();
	struct sadb_msg *h;
	struct msg m;

	/* ADD uses the next sequence number of its own */
	m_init(&m, SADB_ADD, SADB_SATYPE_ESP, kernel_next_seq(self->k),
	       (uint32_t)getpid());
	h = (struct sadb_msg *)m.b;
	h->sadb_msg_errno = EEXIST;
	h->sadb_msg_len = (uint16_t)(m.len / 8);
	ASSERT_EQ((ssize_t)m.len, send(self->sv[1], m.b, m.len, 0));
	ASSERT_EQ(-1, pfkey_kernel_ops.install(self->k, &sa, false));
}

static void policy_reply(struct msg *m, uint32_t seq, uint8_t level)
{
	struct sadb_x_policy *p;
	struct sadb_x_ipsecrequest *r;
	struct sockaddr_in *ends;

	m_init(m, SADB_X_SPDGET, 0, seq, (uint32_t)getpid());
	m_addr(m, SADB_EXT_ADDRESS_SRC, "10.1.0.0", 16, IPPROTO_TCP);
	m_addr(m, SADB_EXT_ADDRESS_DST, "10.2.0.0", 16, IPPROTO_TCP);
	m_ext(m, SADB_EXT_LIFETIME_CURRENT, sizeof(struct sadb_lifetime));
	p = m_ext(m, SADB_X_EXT_POLICY, sizeof(*p) + sizeof(*r) + 32);
	p->sadb_x_policy_type = IPSEC_POLICY_IPSEC;
	p->sadb_x_policy_dir = IPSEC_DIR_OUTBOUND;
	p->sadb_x_policy_id = 5;
	r = (struct sadb_x_ipsecrequest *)(p + 1);
	r->sadb_x_ipsecrequest_len = sizeof(*r) + 32;
	r->sadb_x_ipsecrequest_proto = IPPROTO_ESP;
	r->sadb_x_ipsecrequest_mode = IPSEC_MODE_TUNNEL;
	r->sadb_x_ipsecrequest_level = level;
	r->sadb_x_ipsecrequest_reqid = 7;
	ends = (struct sockaddr_in *)(r + 1);	/* the tunnel's endpoints */
	ends[0].sin_family = ends[1].sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &ends[0].sin_addr);
	inet_pton(AF_INET, "192.0.2.2", &ends[1].sin_addr);
}

static void acquire_msg(struct msg *m)
{
	struct sadb_x_policy *p;

	m_init(m, SADB_ACQUIRE, SADB_SATYPE_ESP, 1234, 0);
	m_addr(m, SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32, 0);
	m_addr(m, SADB_EXT_ADDRESS_DST, "192.0.2.2", 32, 0);
	p = m_ext(m, SADB_X_EXT_POLICY, sizeof(*p));
	p->sadb_x_policy_type = IPSEC_POLICY_IPSEC;
	p->sadb_x_policy_dir = IPSEC_DIR_OUTBOUND;
	p->sadb_x_policy_id = 5;
}

TEST_F(pfkey, parse_acquire_with_policy)
{
	struct msg m, pol;
	struct acquire acq;

	acquire_msg(&m);
	policy_reply(&pol, 1, IPSEC_LEVEL_UNIQUE);
	ASSERT_EQ(0, kernel_parse_acquire((struct sadb_msg *)m.b, m.len,
					  (struct sadb_msg *)pol.b, pol.len,
					  &acq));
	ASSERT_EQ(1234, acq.seq);
	ASSERT_EQ(5, acq.policy_id);
	ASSERT_EQ(SADB_SATYPE_ESP, acq.satype);
	ASSERT_EQ(IPSEC_MODE_TUNNEL, acq.mode);
	ASSERT_EQ(7, acq.reqid);
	ASSERT_EQ(16, acq.src.prefix);
	ASSERT_EQ(IPPROTO_TCP, acq.dst.proto);
	/* without a policy: host selectors, transport, reqid 0 */
	ASSERT_EQ(0, kernel_parse_acquire((struct sadb_msg *)m.b, m.len, NULL,
					  0, &acq));
	ASSERT_EQ(IPSEC_MODE_TRANSPORT, acq.mode);
	ASSERT_EQ(32, acq.dst.prefix);
	ASSERT_EQ(0, acq.reqid);
	/* "require" level: no reqid */
	policy_reply(&pol, 1, IPSEC_LEVEL_REQUIRE);
	ASSERT_EQ(0, kernel_parse_acquire((struct sadb_msg *)m.b, m.len,
					  (struct sadb_msg *)pol.b, pol.len,
					  &acq));
	ASSERT_EQ(0, acq.reqid);
}

TEST_F(pfkey, malformed_messages)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	struct msg m;
	struct acquire acq;

	acquire_msg(&m);
	/* an extension that claims to run past the message */
	((struct sadb_ext *)(m.b + sizeof(struct sadb_msg)))->sadb_ext_len = 200;
	ASSERT_EQ(-1, pfkey_parse_exts((struct sadb_msg *)m.b, m.len, ext));
	ASSERT_EQ(-1, kernel_parse_acquire((struct sadb_msg *)m.b, m.len, NULL,
					   0, &acq));
	/* zero-length extension */
	acquire_msg(&m);
	((struct sadb_ext *)(m.b + sizeof(struct sadb_msg)))->sadb_ext_len = 0;
	ASSERT_EQ(-1, pfkey_parse_exts((struct sadb_msg *)m.b, m.len, ext));
	/* message length field disagreeing with the datagram */
	acquire_msg(&m);
	ASSERT_EQ(-1, pfkey_parse_exts((struct sadb_msg *)m.b, m.len - 8, ext));
	/* an SA extension of 8 bytes (its struct is 16) */
	m_init(&m, SADB_GETSPI, SADB_SATYPE_ESP, 42, 1);
	m_ext(&m, SADB_EXT_SA, 8);
	ASSERT_EQ(-1, pfkey_parse_exts((struct sadb_msg *)m.b, m.len, ext));
	ASSERT_EQ(NULL, ext[SADB_EXT_SA]);
	/* an IPv4 address with a 33-bit prefix */
	m_init(&m, SADB_UPDATE, SADB_SATYPE_ESP, 42, 1);
	m_ext(&m, SADB_EXT_SA, sizeof(struct sadb_sa));
	m_addr(&m, SADB_EXT_ADDRESS_SRC, "10.0.0.1", 33, 0);
	ASSERT_EQ(-1, pfkey_parse_exts((struct sadb_msg *)m.b, m.len, ext));
	/*
	 * Not kameipsec's shapes but a PF_KEY kernel's (Linux af_key): an
	 * UPDATE broadcast with keys in it, a GETSPI answer without addresses.
	 * Taken: racoon-lite reads what it needs and checks that itself.
	 */
	m_init(&m, SADB_UPDATE, SADB_SATYPE_ESP, 42, 1);
	m_sa_addrs(&m, 0x1234);
	m_ext(&m, SADB_EXT_KEY_ENCRYPT, sizeof(struct sadb_key));
	ASSERT_EQ(0, pfkey_parse_exts((struct sadb_msg *)m.b, m.len, ext));
	ASSERT_NE(NULL, ext[SADB_EXT_ADDRESS_DST]);
	m_init(&m, SADB_GETSPI, SADB_SATYPE_ESP, 42, 1);
	m_ext(&m, SADB_EXT_SA, sizeof(struct sadb_sa));
	ASSERT_EQ(0, pfkey_parse_exts((struct sadb_msg *)m.b, m.len, ext));
	/* an ACQUIRE whose addresses are of two families */
	acquire_msg(&m);
	((struct sockaddr_in *)(m.b + sizeof(struct sadb_msg) +
				sizeof(struct sadb_address)))->sin_family = AF_INET6;
	ASSERT_EQ(-1, kernel_parse_acquire((struct sadb_msg *)m.b, m.len, NULL,
					   0, &acq));
}

TEST_F(pfkey, register_and_plain_sha256)
{
	const struct sadb_ext *ext[SADB_EXT_MAX + 1];
	static const uint8_t types[] = { SADB_SATYPE_ESP, SADB_SATYPE_AH,
					 SADB_X_SATYPE_IPCOMP };
	struct child_sa sa = test_sa();
	uint32_t seq = kernel_next_seq(self->k);
	uint8_t buf[4096];
	struct msg m;

	for (int i = 0; i < 3; i++) {
		m_init(&m, SADB_REGISTER, types[i], seq + i,
		       (uint32_t)getpid());
		/* a kernel without IPcomp refuses that one: not fatal */
		if (i == 2)
			((struct sadb_msg *)m.b)->sadb_msg_errno = EINVAL;
		if (i < 2) {
			struct sadb_supported *sup;
			struct sadb_alg *a;

			sup = m_ext(&m, SADB_EXT_SUPPORTED_AUTH,
				    sizeof(*sup) + 2 * sizeof(*a));
			a = (struct sadb_alg *)(sup + 1);
			a[0].sadb_alg_id = SADB_AALG_SHA1HMAC;
			/* HMAC-SHA-256-128 (kameipsec) in ESP's list only */
			a[1].sadb_alg_id = i == 0 ? 12 : SADB_AALG_MD5HMAC;
			m_ext(&m, SADB_EXT_SUPPORTED_ENCRYPT, sizeof(*sup));
		}
		send(self->sv[1], m.b, m.len, 0);
	}
	ASSERT_EQ(0, kernel_register(self->k));
	for (int i = 0; i < 3; i++) {
		ASSERT_LT(0, sent(self->sv[1], buf, ext));
		ASSERT_EQ(SADB_REGISTER, ((struct sadb_msg *)buf)->sadb_msg_type);
		ASSERT_EQ(types[i], ((struct sadb_msg *)buf)->sadb_msg_satype);
	}
	sa.aalg = SADB_X_AALG_SHA2_256HMAC;
	m_init(&m, SADB_ADD, SADB_SATYPE_ESP, kernel_next_seq(self->k),
	       (uint32_t)getpid());
	m_sa_addrs(&m, 0x1234);
	send(self->sv[1], m.b, m.len, 0);
	ASSERT_EQ(0, pfkey_kernel_ops.install(self->k, &sa, false));
	ASSERT_LT(0, sent(self->sv[1], buf, ext));
	/* the plain id, as racoon sends it: the kernel picks the ICV */
	ASSERT_EQ(SADB_X_AALG_SHA2_256HMAC,
		  ((const struct sadb_sa *)ext[SADB_EXT_SA])->sadb_sa_auth);
}

static void dump_entry(struct msg *m, uint32_t seq, const char *src,
		       const char *dst, uint8_t dir, uint32_t reqid)
{
	struct sadb_x_policy *p;
	struct sadb_x_ipsecrequest *r;

	m_init(m, SADB_X_SPDDUMP, 0, seq, (uint32_t)getpid());
	m_addr(m, SADB_EXT_ADDRESS_SRC, src, 16, IPPROTO_TCP);
	m_addr(m, SADB_EXT_ADDRESS_DST, dst, 16, IPPROTO_TCP);
	m_ext(m, SADB_EXT_LIFETIME_CURRENT, sizeof(struct sadb_lifetime));
	p = m_ext(m, SADB_X_EXT_POLICY, sizeof(*p) + sizeof(*r));
	p->sadb_x_policy_type = IPSEC_POLICY_IPSEC;
	p->sadb_x_policy_dir = dir;
	r = (struct sadb_x_ipsecrequest *)(p + 1);
	r->sadb_x_ipsecrequest_len = sizeof(*r);
	r->sadb_x_ipsecrequest_proto = IPPROTO_ESP;
	r->sadb_x_ipsecrequest_mode = IPSEC_MODE_TRANSPORT;
	r->sadb_x_ipsecrequest_level = IPSEC_LEVEL_UNIQUE;
	r->sadb_x_ipsecrequest_reqid = reqid;
}

static struct selector sel16(const char *ip)
{
	struct selector s;

	memset(&s, 0, sizeof(s));
	s.addr = sa4(ip, 0);
	s.prefix = 16;
	s.proto = IPPROTO_TCP;
	return s;
}

TEST_F(pfkey, policy_reqid_from_spddump)
{
	struct selector a = sel16("10.1.0.0"), b = sel16("10.2.0.0");
	uint32_t reqid = 0;
	struct msg m;

	/* Linux order: seq counts up and the last one is 0 */
	dump_entry(&m, 1, "10.1.0.0", "10.2.0.0", IPSEC_DIR_OUTBOUND, 8);
	send(self->sv[1], m.b, m.len, 0);
	dump_entry(&m, 0, "10.2.0.0", "10.1.0.0", IPSEC_DIR_INBOUND, 9);
	send(self->sv[1], m.b, m.len, 0);
	ASSERT_EQ(0, pfkey_kernel_ops.policy_reqid(self->k, SADB_SATYPE_ESP,
						   &b, &a, IPSEC_DIR_INBOUND,
						   &reqid));
	ASSERT_EQ(9, reqid);
	dump_entry(&m, 1, "10.1.0.0", "10.2.0.0", IPSEC_DIR_OUTBOUND, 8);
	send(self->sv[1], m.b, m.len, 0);
	dump_entry(&m, 0, "10.2.0.0", "10.1.0.0", IPSEC_DIR_INBOUND, 9);
	send(self->sv[1], m.b, m.len, 0);
	ASSERT_EQ(0, pfkey_kernel_ops.policy_reqid(self->k, SADB_SATYPE_ESP,
						   &a, &b, IPSEC_DIR_OUTBOUND,
						   &reqid));
	ASSERT_EQ(8, reqid);
	/* a selector that is not in the dump */
	b.prefix = 24;
	dump_entry(&m, 0, "10.2.0.0", "10.1.0.0", IPSEC_DIR_INBOUND, 9);
	send(self->sv[1], m.b, m.len, 0);
	ASSERT_EQ(-1, pfkey_kernel_ops.policy_reqid(self->k, SADB_SATYPE_ESP,
						    &b, &a, IPSEC_DIR_INBOUND,
						    &reqid));
}

static int sent_to_port;

static int capture_send(void *arg, const struct sockaddr *local,
			const struct sockaddr *remote, const uint8_t *buf,
			size_t len)
{
	(void)arg; (void)local; (void)buf;
	sent_to_port = ntohs(((const struct sockaddr_in *)remote)->sin_port);
	return (int)len;
}

TEST_F(pfkey, acquire_starts_main_mode)
{
	char err[256];
	struct config *c = conf_parse_string("t.conf",
		"remote anonymous { proposal { encryption_algorithm 3des; "
		"hash_algorithm sha1; authentication_method pre_shared_key; "
		"dh_group 2; } }\n"
		"sainfo anonymous { encryption_algorithm 3des; "
		"authentication_algorithm hmac_sha1; }\n", err, sizeof(err));
	struct psk_table psk = { NULL };
	struct ike *ike;
	struct msg m, pol;

	ASSERT_NE(NULL, c);
	ike = ike_new(c, &psk, &pfkey_kernel_ops, self->k, capture_send, NULL);
	kernel_set_ike(self->k, ike);
	kernel_set_port(self->k, 4500);
	acquire_msg(&m);
	/* the SPDGET kernel.c sends next gets this answer */
	policy_reply(&pol, kernel_next_seq(self->k), IPSEC_LEVEL_UNIQUE);
	ASSERT_EQ((ssize_t)m.len, send(self->sv[1], m.b, m.len, 0));
	ASSERT_EQ((ssize_t)pol.len, send(self->sv[1], pol.b, pol.len, 0));
	kernel_input(self->k);
	ASSERT_NE(NULL, ike->ph2s);
	ASSERT_EQ(1234, ike->ph2s->acq.seq);
	ASSERT_EQ(7, ike->ph2s->acq.reqid);
	ASSERT_EQ(IPSEC_MODE_TUNNEL, ike->ph2s->acq.mode);
	ASSERT_EQ(PH2_WAIT_PH1, ike->ph2s->state);
	ASSERT_NE(NULL, ike->ph1s);
	ASSERT_EQ(PH1_I_MSG1, ike->ph1s->state);
	ASSERT_EQ(4500, sent_to_port);
	/* a second ACQUIRE for the same policy is ignored */
	acquire_msg(&m);
	policy_reply(&pol, kernel_next_seq(self->k), IPSEC_LEVEL_UNIQUE);
	send(self->sv[1], m.b, m.len, 0);
	send(self->sv[1], pol.b, pol.len, 0);
	kernel_input(self->k);
	ASSERT_EQ(NULL, ike->ph2s->next);
	ike_free(ike);
	conf_free(c);
}

TEST_F(pfkey, messages_during_a_wait_are_kept)
{
	char err[256];
	struct config *c = conf_parse_string("t.conf",
		"remote anonymous { proposal { encryption_algorithm 3des; "
		"hash_algorithm sha1; authentication_method pre_shared_key; "
		"dh_group 2; } }\n", err, sizeof(err));
	struct sockaddr_storage peer = sa4("10.0.0.2", 500);
	struct sockaddr_storage me = sa4("10.0.0.1", 500);
	struct psk_table psk = { NULL };
	struct msg acq, rep, pol;
	struct sadb_sa *sa;
	struct ike *ike;
	uint32_t spi;

	ASSERT_NE(NULL, c);
	ike = ike_new(c, &psk, &pfkey_kernel_ops, self->k, capture_send, NULL);
	kernel_set_ike(self->k, ike);
	/* an ACQUIRE arrives before the GETSPI answer */
	acquire_msg(&acq);
	send(self->sv[1], acq.b, acq.len, 0);
	m_init(&rep, SADB_GETSPI, SADB_SATYPE_ESP, 42, (uint32_t)getpid());
	sa = m_ext(&rep, SADB_EXT_SA, sizeof(*sa));
	sa->sadb_sa_spi = htonl(0x4242);
	m_addr(&rep, SADB_EXT_ADDRESS_SRC, "10.0.0.2", 32, 0);
	m_addr(&rep, SADB_EXT_ADDRESS_DST, "10.0.0.1", 32, 0);
	send(self->sv[1], rep.b, rep.len, 0);
	ASSERT_EQ(0, pfkey_kernel_ops.getspi(self->k, (struct sockaddr *)&peer,
					     (struct sockaddr *)&me,
					     SADB_SATYPE_ESP,
					     IPSEC_MODE_TRANSPORT, 0, 42, &spi));
	ASSERT_EQ(0x4242, spi);
	ASSERT_EQ(NULL, ike->ph2s);	/* not handled inside the wait */
	policy_reply(&pol, kernel_next_seq(self->k), IPSEC_LEVEL_REQUIRE);
	send(self->sv[1], pol.b, pol.len, 0);
	kernel_input(self->k);		/* now it is */
	ASSERT_NE(NULL, ike->ph2s);
	ASSERT_EQ(1234, ike->ph2s->acq.seq);
	ike_free(ike);
	conf_free(c);
}

TEST_HARNESS_MAIN
