// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed messages through the socket: each comes back as the whole
 * request with the documented sadb_msg_errno (kmod/pfkey/msg_tables.c),
 * or fails the write() when not even the header frames it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"

FIXTURE(err) {
	int fd;
	struct pk_msg m;
	struct pk_reply r;
};

FIXTURE_SETUP(err)
{
	self->fd = pk_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(err)
{
	close(self->fd);
}

static void sa_msg(struct pk_msg *m, uint8_t type)
{
	pk_init(m, type, SADB_SATYPE_ESP, 9);
	pk_sa(m, 0x100, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 255);
}

/* Send; expect a reply echoing the whole message with @err. */
static int reply_errno(struct __test_metadata *_metadata, int fd,
		       struct pk_msg *m, struct pk_reply *r)
{
	int e = pk_call(fd, m, r);

	if (e > 0)
		EXPECT_EQ((ssize_t)m->len, r->len);
	return e;
}

TEST_F(err, extension_framing)
{
	struct pk_msg *m = &self->m;
	struct sadb_ext *e;

	/* Extension length 0. */
	sa_msg(m, SADB_ADD);
	e = pk_ext(m, SADB_EXT_KEY_AUTH, 8);
	e->sadb_ext_len = 0;
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Extension running past the message. */
	sa_msg(m, SADB_ADD);
	e = pk_ext(m, SADB_EXT_KEY_AUTH, 8);
	e->sadb_ext_len = 3;
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Unknown extension type. */
	sa_msg(m, SADB_ADD);
	pk_ext(m, 30, 8);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Duplicate extension. */
	sa_msg(m, SADB_GET);
	pk_sa(m, 0x101, 0, 0, 0);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Extension not allowed in this message type (SPIRANGE in ADD). */
	sa_msg(m, SADB_ADD);
	pk_spirange(m, 1, 2);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* SA extension one word too long. */
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_ext(m, SADB_EXT_SA, 24);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 255);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Trailing bytes that are no extension header. */
	sa_msg(m, SADB_GET);
	e = pk_ext(m, SADB_EXT_KEY_AUTH, 8);
	e->sadb_ext_len = 0;
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
}

TEST_F(err, every_type_rejects_unknown_extensions)
{
	static const uint8_t types[] = {
		SADB_GETSPI, SADB_UPDATE, SADB_ADD, SADB_DELETE, SADB_GET,
		SADB_ACQUIRE, SADB_REGISTER, SADB_FLUSH, SADB_DUMP,
		SADB_X_SPDUPDATE, SADB_X_SPDADD, SADB_X_SPDDELETE,
		SADB_X_SPDGET, SADB_X_SPDDUMP, SADB_X_SPDFLUSH,
		SADB_X_SPDSETIDX, SADB_X_SPDDELETE2,
	};
	unsigned int i;

	for (i = 0; i < sizeof(types); i++) {
		pk_init(&self->m, types[i], types[i] >= SADB_X_SPDUPDATE ? 0 :
			SADB_SATYPE_ESP, 100 + i);
		pk_ext(&self->m, 29, 8);
		EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, &self->m,
					      &self->r));
	}
}

TEST_F(err, addresses)
{
	struct pk_msg *m = &self->m;
	struct sadb_address *a;

	/* AF_UNIX sockaddr: EAFNOSUPPORT. */
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_sa(m, 0x100, 0, 0, 0);
	a = pk_ext(m, SADB_EXT_ADDRESS_SRC, sizeof(*a) + 16);
	((struct sockaddr *)(a + 1))->sa_family = AF_UNIX;
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 255);
	EXPECT_EQ(EAFNOSUPPORT, reply_errno(_metadata, self->fd, m, &self->r));
	/* Prefix 33 for IPv4, 129 for IPv6. */
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_sa(m, 0x100, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 33, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 255);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_sa(m, 0x100, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "2001:db8::1", 0, 129, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "2001:db8::2", 0, 128, 255);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* IPv4 sockaddr in an IPv6-sized extension. */
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_sa(m, 0x100, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 255)->sadb_address_len = 5;
	m->len += 16;
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 255);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Source and destination of different families or protocols. */
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_sa(m, 0x100, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "2001:db8::2", 0, 128, 255);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_sa(m, 0x100, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 6);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 17);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
}

TEST_F(err, required_extensions_and_satypes)
{
	struct pk_msg *m = &self->m;

	/* GET without SA; GETSPI without destination. */
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 9);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 255);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	pk_init(m, SADB_GETSPI, SADB_SATYPE_ESP, 9);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 255);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Key bits beyond the extension. */
	sa_msg(m, SADB_ADD);
	pk_key(m, SADB_EXT_KEY_AUTH, 64, 1)->sadb_key_bits = 160;
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Only one of the hard/soft lifetimes. */
	sa_msg(m, SADB_ADD);
	pk_lifetime(m, SADB_EXT_LIFETIME_HARD, 0, 0, 10, 0);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* RSVP: EOPNOTSUPP; UNSPEC on an SA message; 4 is no satype. */
	sa_msg(m, SADB_GET);
	((struct sadb_msg *)m->buf)->sadb_msg_satype = SADB_SATYPE_RSVP;
	EXPECT_EQ(EOPNOTSUPP, reply_errno(_metadata, self->fd, m, &self->r));
	sa_msg(m, SADB_GET);
	((struct sadb_msg *)m->buf)->sadb_msg_satype = SADB_SATYPE_UNSPEC;
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	sa_msg(m, SADB_GET);
	((struct sadb_msg *)m->buf)->sadb_msg_satype = 4;
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* GETSPI range min > max. */
	pk_init(m, SADB_GETSPI, SADB_SATYPE_ESP, 9);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.14.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.14.0.2", 0, 32, 255);
	pk_spirange(m, 0x2000, 0x1000);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
}

TEST_F(err, policies)
{
	struct pk_msg *m = &self->m;
	int i;

	/* Direction 4, type 5. */
	pk_build_spd(m, SADB_X_SPDADD, 9, 4, "10.14.1.1", 32, "10.14.1.2", 32,
		     IPSEC_POLICY_NONE);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	pk_build_spd(m, SADB_X_SPDADD, 9, IPSEC_DIR_OUTBOUND, "10.14.1.1", 32,
		     "10.14.1.2", 32, 5);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Seven requests: ELOOP. */
	pk_build_spd(m, SADB_X_SPDADD, 9, IPSEC_DIR_OUTBOUND, "10.14.1.1", 32,
		     "10.14.1.2", 32, IPSEC_POLICY_IPSEC);
	for (i = 0; i < 7; i++)
		pk_ipsecreq(m, IPPROTO_ESP, IPSEC_MODE_TRANSPORT,
			    IPSEC_LEVEL_USE, 0, NULL, NULL);
	EXPECT_EQ(ELOOP, reply_errno(_metadata, self->fd, m, &self->r));
	/* A request shorter than its header. */
	pk_build_spd(m, SADB_X_SPDADD, 9, IPSEC_DIR_OUTBOUND, "10.14.1.1", 32,
		     "10.14.1.2", 32, IPSEC_POLICY_IPSEC);
	pk_ipsecreq(m, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_USE, 0,
		    NULL, NULL);
	((struct sadb_x_ipsecrequest *)(m->pol + 1))->sadb_x_ipsecrequest_len = 8;
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* Tunnel mode without endpoints; level 4. */
	pk_build_spd(m, SADB_X_SPDADD, 9, IPSEC_DIR_OUTBOUND, "10.14.1.1", 32,
		     "10.14.1.2", 32, IPSEC_POLICY_IPSEC);
	pk_ipsecreq(m, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_USE, 0,
		    NULL, NULL);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	pk_build_spd(m, SADB_X_SPDADD, 9, IPSEC_DIR_OUTBOUND, "10.14.1.1", 32,
		     "10.14.1.2", 32, IPSEC_POLICY_IPSEC);
	pk_ipsecreq(m, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, 4, 0, NULL, NULL);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* SPDGET without a policy extension. */
	pk_init(m, SADB_X_SPDGET, 0, 9);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
	/* SPDFLUSH must be a bare header (KAME). */
	pk_init(m, SADB_X_SPDFLUSH, 0, 9);
	pk_policy(m, 0, 0, 0, 0);
	EXPECT_EQ(EINVAL, reply_errno(_metadata, self->fd, m, &self->r));
}

TEST_F(err, write_level_failures)
{
	static uint8_t big[65536 + 16];
	struct sadb_msg *h = (void *)big;

	/* Unknown type 25: no reply, write() fails. */
	pk_init(&self->m, 25, 0, 9);
	EXPECT_EQ(-1, pk_send(self->fd, &self->m));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pk_recv(self->fd, &self->r, 100));
	/* Beyond the 64 KiB limit. */
	h->sadb_msg_version = PF_KEY_V2;
	h->sadb_msg_type = SADB_DUMP;
	h->sadb_msg_len = sizeof(big) / 8;
	EXPECT_EQ(-1, write(self->fd, big, sizeof(big)));
	EXPECT_EQ(EMSGSIZE, errno);
}

TEST_HARNESS_MAIN
