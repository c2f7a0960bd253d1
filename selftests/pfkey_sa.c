// SPDX-License-Identifier: GPL-2.0
/*
 * SAD messages through raw PF_KEY: GETSPI, UPDATE, ADD, DELETE, GET,
 * ACQUIRE, REGISTER, FLUSH, DUMP, each checked field by field, and their
 * error cases.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"

FIXTURE(sa) {
	int fd;
	struct pk_msg m;
	struct pk_reply r;
};

FIXTURE_SETUP(sa)
{
	self->fd = pk_open();
	ASSERT_LE(0, self->fd);
	pk_init(&self->m, SADB_FLUSH, SADB_SATYPE_UNSPEC, 1);
	ASSERT_EQ(0, pk_call(self->fd, &self->m, &self->r));
	pk_drain(self->fd);
}

FIXTURE_TEARDOWN(sa)
{
	close(self->fd);
}

static struct sadb_sa *sa_ext(struct pk_reply *r)
{
	return (struct sadb_sa *)r->ext[SADB_EXT_SA];
}

static int do_get(int fd, struct pk_msg *m, struct pk_reply *r, uint32_t spi,
		  const char *src, const char *dst)
{
	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 77);
	pk_sa(m, spi, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, src, 0, 32, IPSEC_ULPROTO_ANY);
	pk_addr(m, SADB_EXT_ADDRESS_DST, dst, 0, 32, IPSEC_ULPROTO_ANY);
	return pk_call(fd, m, r);
}

/*
 * First: the first REGISTER asks the crypto API about every algorithm,
 * which loads their modules (a minute under QEMU without KVM).
 */
TEST_F_TIMEOUT(sa, register_lists_algorithms, PK_REGISTER_TIMEOUT)
{
	struct pk_msg *m = &self->m;
	struct sadb_supported *s;
	struct sadb_alg *a;
	int n, i, sha1 = 0, aes = 0, gcm = 0, des3 = 0;

	pk_init(m, SADB_REGISTER, SADB_SATYPE_ESP, 80);
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	s = (struct sadb_supported *)self->r.ext[SADB_EXT_SUPPORTED_AUTH];
	ASSERT_NE(NULL, s);
	EXPECT_EQ(0, s->sadb_supported_reserved);
	n = (s->sadb_supported_len * 8 - sizeof(*s)) / sizeof(*a);
	a = (struct sadb_alg *)(s + 1);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, a[i].sadb_alg_reserved);
		if (a[i].sadb_alg_id == SADB_AALG_SHA1HMAC) {
			sha1 = 1;
			EXPECT_EQ(160, a[i].sadb_alg_minbits);
			EXPECT_EQ(160, a[i].sadb_alg_maxbits);
		}
	}
	s = (struct sadb_supported *)self->r.ext[SADB_EXT_SUPPORTED_ENCRYPT];
	ASSERT_NE(NULL, s);
	n = (s->sadb_supported_len * 8 - sizeof(*s)) / sizeof(*a);
	a = (struct sadb_alg *)(s + 1);
	for (i = 0; i < n; i++) {
		if (a[i].sadb_alg_id == SADB_X_EALG_AESCBC) {
			aes = 1;
			EXPECT_EQ(16, a[i].sadb_alg_ivlen);
			EXPECT_EQ(128, a[i].sadb_alg_minbits);
			EXPECT_EQ(256, a[i].sadb_alg_maxbits);
		}
		if (a[i].sadb_alg_id == SADB_X_EALG_AES_GCM_ICV16) {
			gcm = 1;
			EXPECT_EQ(160, a[i].sadb_alg_minbits);
			EXPECT_EQ(288, a[i].sadb_alg_maxbits);
		}
		if (a[i].sadb_alg_id == SADB_EALG_3DESCBC)
			des3 = 1;
	}
	EXPECT_EQ(1, sha1);
	EXPECT_EQ(1, aes);
	EXPECT_EQ(1, gcm);
	EXPECT_EQ(1, des3);
	/* Registering twice for one satype: EEXIST. */
	EXPECT_EQ(EEXIST, pk_call(self->fd, m, &self->r));
	/* satype beyond the SA types: EINVAL. */
	pk_init(m, SADB_REGISTER, 10, 81);
	EXPECT_EQ(EINVAL, pk_call(self->fd, m, &self->r));
}

TEST_F(sa, add_reply_has_no_keys_and_get_returns_them)
{
	struct sadb_key *k;
	struct sadb_lifetime *cur;

	pk_build_add(&self->m, SADB_ADD, 10, 0x1234, "10.1.0.1", "10.1.0.2");
	ASSERT_EQ(0, pk_call(self->fd, &self->m, &self->r));
	ASSERT_NE(NULL, sa_ext(&self->r));
	EXPECT_EQ(htonl(0x1234), sa_ext(&self->r)->sadb_sa_spi);
	EXPECT_EQ(SADB_AALG_SHA1HMAC, sa_ext(&self->r)->sadb_sa_auth);
	EXPECT_EQ(SADB_EALG_3DESCBC, sa_ext(&self->r)->sadb_sa_encrypt);
	EXPECT_EQ(32, sa_ext(&self->r)->sadb_sa_replay);
	EXPECT_EQ(SADB_SATYPE_ESP, self->r.hdr->sadb_msg_satype);
	EXPECT_EQ(self->r.len, self->r.hdr->sadb_msg_len * 8);
	ASSERT_NE(NULL, self->r.ext[SADB_X_EXT_SA2]);
	EXPECT_EQ(IPSEC_MODE_TRANSPORT,
		  ((struct sadb_x_sa2 *)self->r.ext[SADB_X_EXT_SA2])->sadb_x_sa2_mode);
	ASSERT_NE(NULL, self->r.ext[SADB_EXT_ADDRESS_SRC]);
	ASSERT_NE(NULL, self->r.ext[SADB_EXT_ADDRESS_DST]);
	EXPECT_EQ(0x0a010001, pk_addr4(self->r.ext[SADB_EXT_ADDRESS_SRC]));
	EXPECT_EQ(0x0a010002, pk_addr4(self->r.ext[SADB_EXT_ADDRESS_DST]));
	/* KAME: keys are stripped from the ADD notification. */
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_AUTH]);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_ENCRYPT]);

	ASSERT_EQ(0, do_get(self->fd, &self->m, &self->r, 0x1234, "10.1.0.1",
			    "10.1.0.2"));
	EXPECT_EQ(SADB_SASTATE_MATURE, sa_ext(&self->r)->sadb_sa_state);
	/* KAME: sadb_msg_reserved = refcount; idle SA: the SAD's only. */
	EXPECT_EQ(1, self->r.hdr->sadb_msg_reserved);
	k = (struct sadb_key *)self->r.ext[SADB_EXT_KEY_AUTH];
	ASSERT_NE(NULL, k);
	EXPECT_EQ(160, k->sadb_key_bits);
	EXPECT_EQ(0xaa, ((uint8_t *)(k + 1))[19]);
	k = (struct sadb_key *)self->r.ext[SADB_EXT_KEY_ENCRYPT];
	ASSERT_NE(NULL, k);
	EXPECT_EQ(192, k->sadb_key_bits);
	EXPECT_EQ(0xee, ((uint8_t *)(k + 1))[23]);
	cur = (struct sadb_lifetime *)self->r.ext[SADB_EXT_LIFETIME_CURRENT];
	ASSERT_NE(NULL, cur);
	EXPECT_LT(1000000000ULL, cur->sadb_lifetime_addtime);
	EXPECT_EQ(0, cur->sadb_lifetime_bytes);
}

TEST_F(sa, add_duplicate_is_eexist)
{
	pk_build_add(&self->m, SADB_ADD, 11, 0x2000, "10.1.1.1", "10.1.1.2");
	ASSERT_EQ(0, pk_call(self->fd, &self->m, &self->r));
	ASSERT_EQ(EEXIST, pk_call(self->fd, &self->m, &self->r));
	/* KAME error reply: the whole request comes back with the errno. */
	EXPECT_EQ(self->m.len, (size_t)self->r.len);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_KEY_AUTH]);
}

TEST_F(sa, add_ipv6)
{
	pk_build_add(&self->m, SADB_ADD, 12, 0x2001, "2001:db8::1", "2001:db8::2");
	ASSERT_EQ(0, pk_call(self->fd, &self->m, &self->r));
	ASSERT_NE(NULL, self->r.ext[SADB_EXT_ADDRESS_DST]);
	EXPECT_EQ(5, self->r.ext[SADB_EXT_ADDRESS_DST]->sadb_ext_len);
}

TEST_F(sa, add_errors)
{
	/* Unknown encryption algorithm: KAME EINVAL (Linux ENOSYS). */
	pk_build_add(&self->m, SADB_ADD, 13, 0x3000, "10.1.2.1", "10.1.2.2");
	((struct sadb_sa *)(self->m.buf + 16))->sadb_sa_encrypt = 200;
	EXPECT_EQ(EINVAL, pk_call(self->fd, &self->m, &self->r));
	/* Wrong key length for 3DES. */
	pk_init(&self->m, SADB_ADD, SADB_SATYPE_ESP, 14);
	pk_sa(&self->m, 0x3001, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.1.2.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.1.2.2", 0, 32, 255);
	pk_key(&self->m, SADB_EXT_KEY_AUTH, 160, 1);
	pk_key(&self->m, SADB_EXT_KEY_ENCRYPT, 128, 2);
	EXPECT_EQ(EINVAL, pk_call(self->fd, &self->m, &self->r));
	/* ESP without an encryption key. */
	pk_init(&self->m, SADB_ADD, SADB_SATYPE_ESP, 15);
	pk_sa(&self->m, 0x3002, SADB_AALG_NONE, SADB_EALG_3DESCBC, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.1.2.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.1.2.2", 0, 32, 255);
	EXPECT_EQ(EINVAL, pk_call(self->fd, &self->m, &self->r));
	/* AH with an encryption algorithm. */
	pk_init(&self->m, SADB_ADD, SADB_SATYPE_AH, 16);
	pk_sa(&self->m, 0x3003, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.1.2.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.1.2.2", 0, 32, 255);
	pk_key(&self->m, SADB_EXT_KEY_AUTH, 160, 1);
	EXPECT_EQ(EINVAL, pk_call(self->fd, &self->m, &self->r));
	/* Missing SA extension. */
	pk_init(&self->m, SADB_ADD, SADB_SATYPE_ESP, 17);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.1.2.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.1.2.2", 0, 32, 255);
	EXPECT_EQ(EINVAL, pk_call(self->fd, &self->m, &self->r));
	/* Mismatched address families. */
	pk_init(&self->m, SADB_ADD, SADB_SATYPE_ESP, 18);
	pk_sa(&self->m, 0x3004, SADB_AALG_SHA1HMAC, SADB_EALG_NULL, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.1.2.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "2001:db8::2", 0, 128, 255);
	pk_key(&self->m, SADB_EXT_KEY_AUTH, 160, 1);
	EXPECT_EQ(EINVAL, pk_call(self->fd, &self->m, &self->r));
	/* AH with hmac-sha256 and a good key is accepted. */
	pk_init(&self->m, SADB_ADD, SADB_SATYPE_AH, 19);
	pk_sa(&self->m, 0x3005, SADB_X_AALG_SHA2_256HMAC, 0, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.1.2.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.1.2.2", 0, 32, 255);
	pk_key(&self->m, SADB_EXT_KEY_AUTH, 256, 1);
	EXPECT_EQ(0, pk_call(self->fd, &self->m, &self->r));
	/* ESP aes-gcm-16 with a 160-bit key (128 + 32-bit salt). */
	pk_init(&self->m, SADB_ADD, SADB_SATYPE_ESP, 20);
	pk_sa(&self->m, 0x3006, 0, SADB_X_EALG_AES_GCM_ICV16, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.1.2.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.1.2.2", 0, 32, 255);
	pk_key(&self->m, SADB_EXT_KEY_ENCRYPT, 160, 1);
	EXPECT_EQ(0, pk_call(self->fd, &self->m, &self->r));
}

TEST_F(sa, getspi_then_update)
{
	struct pk_msg *m = &self->m;
	uint32_t spi;

	pk_init(m, SADB_GETSPI, SADB_SATYPE_ESP, 21);
	pk_sa2(m, IPSEC_MODE_TRANSPORT, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.2.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.2.0.2", 0, 32, 255);
	pk_spirange(m, 0x1000, 0x1fff);
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	ASSERT_NE(NULL, sa_ext(&self->r));
	spi = ntohl(sa_ext(&self->r)->sadb_sa_spi);
	EXPECT_LE(0x1000, spi);
	EXPECT_GE(0x1fff, spi);
	EXPECT_EQ(21, self->r.hdr->sadb_msg_seq);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_ADDRESS_SRC]);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_ADDRESS_DST]);

	ASSERT_EQ(0, do_get(self->fd, m, &self->r, spi, "10.2.0.1", "10.2.0.2"));
	EXPECT_EQ(SADB_SASTATE_LARVAL, sa_ext(&self->r)->sadb_sa_state);

	/* Another pid may not UPDATE it (KAME). */
	pk_build_add(m, SADB_UPDATE, 22, spi, "10.2.0.1", "10.2.0.2");
	((struct sadb_msg *)m->buf)->sadb_msg_pid = getpid() + 1;
	pk_finish(m);
	ASSERT_EQ(m->len, (size_t)write(self->fd, m->buf, m->len));
	ASSERT_LT(0, pk_recv_type(self->fd, &self->r, SADB_UPDATE, 2000));
	EXPECT_EQ(EINVAL, self->r.hdr->sadb_msg_errno);

	pk_build_add(m, SADB_UPDATE, 22, spi, "10.2.0.1", "10.2.0.2");
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	EXPECT_EQ(htonl(spi), sa_ext(&self->r)->sadb_sa_spi);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_ENCRYPT]);
	ASSERT_EQ(0, do_get(self->fd, m, &self->r, spi, "10.2.0.1", "10.2.0.2"));
	EXPECT_EQ(SADB_SASTATE_MATURE, sa_ext(&self->r)->sadb_sa_state);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_KEY_ENCRYPT]);
}

TEST_F(sa, getspi_fixed_spi_taken_is_einval)
{
	struct pk_msg *m = &self->m;

	pk_init(m, SADB_GETSPI, SADB_SATYPE_ESP, 23);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.2.1.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.2.1.2", 0, 32, 255);
	pk_spirange(m, 0x5000, 0x5000);
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	EXPECT_EQ(htonl(0x5000), sa_ext(&self->r)->sadb_sa_spi);
	EXPECT_EQ(EINVAL, pk_call(self->fd, m, &self->r));
}

TEST_F(sa, spi_range_exhaustion)
{
	struct pk_msg *m = &self->m;
	uint32_t seen = 0;
	int i;

	for (i = 0; i < 4; i++) {
		pk_init(m, SADB_GETSPI, SADB_SATYPE_AH, 30 + i);
		pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.2.2.1", 0, 32, 255);
		pk_addr(m, SADB_EXT_ADDRESS_DST, "10.2.2.2", 0, 32, 255);
		pk_spirange(m, 0x7000, 0x7003);
		ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
		seen |= 1U << (ntohl(sa_ext(&self->r)->sadb_sa_spi) - 0x7000);
	}
	EXPECT_EQ(0xf, seen);
	/* The range is used up. */
	EXPECT_EQ(EINVAL, pk_call(self->fd, m, &self->r));
	/* Another destination has its own SPI space. */
	pk_init(m, SADB_GETSPI, SADB_SATYPE_AH, 40);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.2.2.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.2.2.3", 0, 32, 255);
	pk_spirange(m, 0x7000, 0x7003);
	EXPECT_EQ(0, pk_call(self->fd, m, &self->r));
}

TEST_F(sa, delete_one_and_delete_all)
{
	struct pk_msg *m = &self->m;
	uint32_t spi;

	for (spi = 0x100; spi < 0x103; spi++) {
		pk_build_add(m, SADB_ADD, 50, spi, "10.3.0.1", "10.3.0.2");
		ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	}
	pk_init(m, SADB_DELETE, SADB_SATYPE_ESP, 51);
	pk_sa(m, 0x100, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.3.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.3.0.2", 0, 32, 255);
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	ASSERT_NE(NULL, sa_ext(&self->r));
	EXPECT_EQ(htonl(0x100), sa_ext(&self->r)->sadb_sa_spi);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_AUTH]);
	EXPECT_EQ(ENOENT, do_get(self->fd, m, &self->r, 0x100, "10.3.0.1", "10.3.0.2"));
	EXPECT_EQ(0, do_get(self->fd, m, &self->r, 0x101, "10.3.0.1", "10.3.0.2"));

	/* Deleting it again: KAME ENOENT (Linux ESRCH). */
	pk_init(m, SADB_DELETE, SADB_SATYPE_ESP, 52);
	pk_sa(m, 0x100, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.3.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.3.0.2", 0, 32, 255);
	EXPECT_EQ(ENOENT, pk_call(self->fd, m, &self->r));

	/* No SA extension: every SA between the two addresses goes. */
	pk_init(m, SADB_DELETE, SADB_SATYPE_ESP, 53);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.3.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.3.0.2", 0, 32, 255);
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	EXPECT_EQ(NULL, sa_ext(&self->r));
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_ADDRESS_DST]);
	EXPECT_EQ(ENOENT, do_get(self->fd, m, &self->r, 0x101, "10.3.0.1", "10.3.0.2"));
	EXPECT_EQ(ENOENT, do_get(self->fd, m, &self->r, 0x102, "10.3.0.1", "10.3.0.2"));
}

TEST_F(sa, get_and_update_unknown)
{
	struct pk_msg *m = &self->m;

	EXPECT_EQ(ENOENT, do_get(self->fd, m, &self->r, 0x999, "10.4.0.1", "10.4.0.2"));
	pk_build_add(m, SADB_UPDATE, 60, 0x999, "10.4.0.1", "10.4.0.2");
	EXPECT_EQ(ENOENT, pk_call(self->fd, m, &self->r));
}

TEST_F(sa, dump_counts_down_and_flush_empties)
{
	struct pk_msg *m = &self->m;
	uint32_t spi, expect = 4;

	for (spi = 0x200; spi < 0x205; spi++) {
		pk_build_add(m, SADB_ADD, 70, spi, "10.5.0.1", "10.5.0.2");
		ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	}
	pk_init(m, SADB_DUMP, SADB_SATYPE_ESP, 71);
	ASSERT_LT(0, pk_send(self->fd, m));
	for (;;) {
		ASSERT_LT(0, pk_recv_type(self->fd, &self->r, SADB_DUMP, 2000));
		EXPECT_EQ(0, self->r.hdr->sadb_msg_errno);
		EXPECT_EQ(expect, self->r.hdr->sadb_msg_seq);
		EXPECT_EQ((uint32_t)getpid(), self->r.hdr->sadb_msg_pid);
		/* Dumps carry keys to the requester. */
		EXPECT_NE(NULL, self->r.ext[SADB_EXT_KEY_ENCRYPT]);
		/* refcnt= in setkey -D: the SAD's reference, not the dump's. */
		EXPECT_EQ(1, self->r.hdr->sadb_msg_reserved);
		if (!self->r.hdr->sadb_msg_seq)
			break;
		expect--;
	}
	EXPECT_EQ(0, expect);

	pk_init(m, SADB_FLUSH, SADB_SATYPE_ESP, 72);
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	EXPECT_EQ(16, self->r.len);
	pk_init(m, SADB_DUMP, SADB_SATYPE_ESP, 73);
	EXPECT_EQ(ENOENT, pk_call(self->fd, m, &self->r));
}

/*
 * SADB_DUMP with Linux's SADB_X_EXT_FILTER: only SAs whose source and
 * destination lie in the given prefixes, the SPIs found (ENOENT: none).
 */
static int dump_filtered(int fd, struct pk_msg *m, struct pk_reply *r,
			 const char *src, uint8_t splen, const char *dst,
			 uint8_t dplen, uint16_t family, uint32_t *spis, int max)
{
	struct sadb_x_filter *f;
	int n = 0;

	pk_init(m, SADB_DUMP, SADB_SATYPE_ESP, 74);
	f = pk_ext(m, SADB_X_EXT_FILTER, sizeof(*f));
	inet_pton(AF_INET, src, f->sadb_x_filter_saddr);
	inet_pton(AF_INET, dst, f->sadb_x_filter_daddr);
	f->sadb_x_filter_family = family;
	f->sadb_x_filter_splen = splen;
	f->sadb_x_filter_dplen = dplen;
	if (pk_send(fd, m) < 0)
		return -errno;
	while (pk_recv_type(fd, r, SADB_DUMP, 2000) > 0) {
		if (r->hdr->sadb_msg_errno)
			return -r->hdr->sadb_msg_errno;
		if (n < max)
			spis[n] = ntohl(sa_ext(r)->sadb_sa_spi);
		n++;
		if (!r->hdr->sadb_msg_seq)
			return n;
	}
	return -ETIMEDOUT;
}

TEST_F(sa, dump_filter_by_prefixes)
{
	static const struct { uint32_t spi; const char *src, *dst; } sas[] = {
		{ 0x300, "10.6.1.1", "10.6.2.1" },
		{ 0x301, "10.6.1.2", "10.6.3.1" },
		{ 0x302, "10.7.1.1", "10.6.2.1" },
	};
	/* Filter, then the SPIs it lets through in order (ENOENT: none). */
	static const struct {
		const char *src; uint8_t splen; const char *dst; uint8_t dplen;
		uint16_t family; int n; uint32_t spi[3];
	} cases[] = {
		{ "10.6.1.0", 24, "10.6.0.0", 16, AF_INET, 2, { 0x300, 0x301 } },
		/* A prefix that ends inside a byte: .0/31 holds .1, not .2. */
		{ "10.6.1.0", 31, "10.6.0.0", 16, AF_INET, 1, { 0x300 } },
		/* Both prefixes count. */
		{ "10.0.0.0", 8, "10.6.2.0", 24, AF_INET, 2, { 0x300, 0x302 } },
		/* Length 0: every address of the family, none of another. */
		{ "0.0.0.0", 0, "0.0.0.0", 0, AF_INET, 3, { 0x300, 0x301, 0x302 } },
		{ "0.0.0.0", 0, "0.0.0.0", 0, AF_INET6, -ENOENT, { 0 } },
	};
	struct pk_msg *m = &self->m;
	uint32_t spis[4];
	unsigned int i;
	int j, n;

	for (i = 0; i < sizeof(sas) / sizeof(sas[0]); i++) {
		pk_build_add(m, SADB_ADD, 75, sas[i].spi, sas[i].src, sas[i].dst);
		ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	}
	pk_drain(self->fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = dump_filtered(self->fd, m, &self->r, cases[i].src,
				  cases[i].splen, cases[i].dst, cases[i].dplen,
				  cases[i].family, spis, 4);
		EXPECT_EQ(cases[i].n, n) TH_LOG("filter %s/%u %s/%u",
						cases[i].src, cases[i].splen,
						cases[i].dst, cases[i].dplen);
		for (j = 0; j < n && j < cases[i].n; j++)
			EXPECT_EQ(cases[i].spi[j], spis[j]);
	}
}

TEST_F(sa, acquire_error_form_drops_larval)
{
	struct pk_msg *m = &self->m;
	uint32_t spi;

	pk_init(m, SADB_GETSPI, SADB_SATYPE_ESP, 4242);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "10.6.0.1", 0, 32, 255);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "10.6.0.2", 0, 32, 255);
	ASSERT_EQ(0, pk_call(self->fd, m, &self->r));
	spi = ntohl(sa_ext(&self->r)->sadb_sa_spi);
	EXPECT_LE(0x100, spi);
	EXPECT_GE(0x0fffffff, spi);

	pk_init(m, SADB_ACQUIRE, SADB_SATYPE_ESP, 4242);
	((struct sadb_msg *)m->buf)->sadb_msg_errno = ENOENT;
	ASSERT_EQ(16, pk_send(self->fd, m));
	EXPECT_EQ(ENOENT, do_get(self->fd, m, &self->r, spi, "10.6.0.1", "10.6.0.2"));

	/* Without errno and extensions it means nothing: EINVAL. */
	pk_init(m, SADB_ACQUIRE, SADB_SATYPE_ESP, 4243);
	EXPECT_EQ(EINVAL, pk_call(self->fd, m, &self->r));
}

TEST_F(sa, kernel_only_types_rejected_by_reply)
{
	struct pk_msg *m = &self->m;

	pk_init(m, SADB_EXPIRE, SADB_SATYPE_ESP, 90);
	EXPECT_EQ(EINVAL, pk_call(self->fd, m, &self->r));
	pk_init(m, SADB_X_SPDEXPIRE, 0, 91);
	EXPECT_EQ(EINVAL, pk_call(self->fd, m, &self->r));
}

TEST_HARNESS_MAIN
