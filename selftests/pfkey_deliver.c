// SPDX-License-Identifier: GPL-2.0
/*
 * Who receives what, with several PF_KEY sockets: replies to the writer
 * only, notifications to all (keys stripped), REGISTER and EXPIRE to
 * registered sockets, KAME-wrapped copies to promiscuous sockets; and the
 * timers: larval expiry, soft then hard add-time expiry, never early.
 *
 * Runs after pfkey_sa, whose first REGISTER loads the crypto modules (a
 * minute under QEMU/TCG); run alone in a fresh VM, REGISTER here may
 * exceed the harness's 30 s per test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"

FIXTURE(dl) {
	int a, b, c;
	struct pk_msg m;
	struct pk_reply r;
};

FIXTURE_SETUP(dl)
{
	self->a = pk_open();
	self->b = pk_open();
	self->c = pk_open();
	ASSERT_LE(0, self->a);
	ASSERT_LE(0, self->b);
	ASSERT_LE(0, self->c);
	pk_init(&self->m, SADB_FLUSH, 0, 1);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	pk_drain(self->a);
	pk_drain(self->b);
	pk_drain(self->c);
}

FIXTURE_TEARDOWN(dl)
{
	close(self->a);
	close(self->b);
	close(self->c);
}

static bool silent(int fd)
{
	struct pk_reply r;

	return pk_recv(fd, &r, 200) < 0;
}

TEST_F(dl, add_notifies_all_without_keys)
{
	pk_build_add(&self->m, SADB_ADD, 10, 0x4000, "10.7.0.1", "10.7.0.2");
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_AUTH]);
	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_ADD, 1000));
	EXPECT_EQ(0, self->r.hdr->sadb_msg_errno);
	EXPECT_EQ(10, self->r.hdr->sadb_msg_seq);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_SA]);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_AUTH]);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_ENCRYPT]);
	ASSERT_LT(0, pk_recv_type(self->c, &self->r, SADB_ADD, 1000));
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_ENCRYPT]);

	/* DELETE: to all, SA + addresses, no keys. */
	pk_init(&self->m, SADB_DELETE, SADB_SATYPE_ESP, 11);
	pk_sa(&self->m, 0x4000, 0, 0, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.0.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.0.2", 0, 32, 255);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_DELETE, 1000));
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_SA]);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_AUTH]);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_LIFETIME_CURRENT]);
}

TEST_F(dl, get_and_errors_go_to_the_writer_only)
{
	pk_build_add(&self->m, SADB_ADD, 20, 0x4001, "10.7.1.1", "10.7.1.2");
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	pk_drain(self->b);
	pk_drain(self->c);
	pk_init(&self->m, SADB_GET, SADB_SATYPE_ESP, 21);
	pk_sa(&self->m, 0x4001, 0, 0, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.1.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.1.2", 0, 32, 255);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_KEY_AUTH]);
	EXPECT_TRUE(silent(self->b));
	/* An error reply too. */
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	pk_build_add(&self->m, SADB_ADD, 22, 0x4001, "10.7.1.1", "10.7.1.2");
	ASSERT_EQ(EEXIST, pk_call(self->a, &self->m, &self->r));
	EXPECT_TRUE(silent(self->b));
	EXPECT_TRUE(silent(self->c));
}

TEST_F_TIMEOUT(dl, register_goes_to_registered_sockets, PK_REGISTER_TIMEOUT)
{
	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_ESP, 30);
	ASSERT_EQ(0, pk_call(self->b, &self->m, &self->r));
	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_AH, 31);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_SUPPORTED_AUTH]);
	/* b is registered (for ESP): it sees a's REGISTER reply; c does not. */
	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_REGISTER, 1000));
	EXPECT_EQ(31, self->r.hdr->sadb_msg_seq);
	EXPECT_TRUE(silent(self->c));
	/* UNSPEC: the list, without registering. */
	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_UNSPEC, 32);
	ASSERT_EQ(0, pk_call(self->c, &self->m, &self->r));
	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_UNSPEC, 33);
	ASSERT_EQ(0, pk_call(self->c, &self->m, &self->r));
	pk_drain(self->a);
	pk_drain(self->b);
	pk_build_add(&self->m, SADB_ADD, 34, 0x4002, "10.7.2.1", "10.7.2.2");
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
}

TEST_F(dl, promisc_gets_wrapped_copies)
{
	struct sadb_msg *inner;

	pk_init(&self->m, SADB_X_PROMISC, 1, 40);
	ASSERT_EQ(0, pk_call(self->c, &self->m, &self->r));
	/* The echo went to all. */
	ASSERT_LT(0, pk_recv_type(self->a, &self->r, SADB_X_PROMISC, 1000));
	pk_drain(self->a);
	pk_drain(self->b);
	pk_drain(self->c);

	/* A reply to a alone reaches c wrapped in an X_PROMISC header. */
	pk_init(&self->m, SADB_X_SPDDUMP, 0, 41);
	EXPECT_EQ(ENOENT, pk_call(self->a, &self->m, &self->r));
	ASSERT_LT(0, pk_recv_type(self->c, &self->r, SADB_X_PROMISC, 1000));
	EXPECT_EQ(32, self->r.len);
	EXPECT_EQ(4, self->r.hdr->sadb_msg_len);
	inner = self->r.hdr + 1;
	EXPECT_EQ(SADB_X_SPDDUMP, inner->sadb_msg_type);
	EXPECT_EQ(ENOENT, inner->sadb_msg_errno);
	EXPECT_EQ(41, inner->sadb_msg_seq);
	EXPECT_TRUE(silent(self->b));

	/* Longer X_PROMISC: the inner message goes to everyone as is. */
	pk_init(&self->m, SADB_X_PROMISC, 0, 42);
	memcpy(self->m.buf + 16, self->m.buf, 16);
	((struct sadb_msg *)(self->m.buf + 16))->sadb_msg_type = SADB_FLUSH;
	((struct sadb_msg *)(self->m.buf + 16))->sadb_msg_len = 2;
	self->m.len = 32;
	ASSERT_EQ(32, pk_send(self->a, &self->m));
	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_FLUSH, 1000));
	EXPECT_EQ(16, self->r.len);
	EXPECT_EQ(42, self->r.hdr->sadb_msg_seq);

	/* Off again; satype 2 is not a promisc setting. */
	pk_init(&self->m, SADB_X_PROMISC, 2, 43);
	EXPECT_EQ(EINVAL, pk_call(self->c, &self->m, &self->r));
	pk_init(&self->m, SADB_X_PROMISC, 0, 44);
	ASSERT_EQ(0, pk_call(self->c, &self->m, &self->r));
	pk_drain(self->c);
	pk_init(&self->m, SADB_X_SPDDUMP, 0, 45);
	EXPECT_EQ(ENOENT, pk_call(self->a, &self->m, &self->r));
	EXPECT_TRUE(silent(self->c));
}

TEST_F(dl, larval_expires_after_larval_lifetime)
{
	long saved = pk_sysctl_get("net/key/larval_lifetime");
	uint32_t spi;

	ASSERT_EQ(30, saved);
	ASSERT_EQ(0, pk_sysctl_set("net/key/larval_lifetime", 2));
	pk_init(&self->m, SADB_GETSPI, SADB_SATYPE_ESP, 50);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.3.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.3.2", 0, 32, 255);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	spi = ntohl(((struct sadb_sa *)self->r.ext[SADB_EXT_SA])->sadb_sa_spi);
	pk_init(&self->m, SADB_GET, SADB_SATYPE_ESP, 51);
	pk_sa(&self->m, spi, 0, 0, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.3.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.3.2", 0, 32, 255);
	EXPECT_EQ(0, pk_call(self->a, &self->m, &self->r));
	sleep(4);
	EXPECT_EQ(ENOENT, pk_call(self->a, &self->m, &self->r));
	pk_sysctl_set("net/key/larval_lifetime", saved);
}

TEST_F_TIMEOUT(dl, soft_then_hard_addtime_expire, PK_REGISTER_TIMEOUT)
{
	struct sadb_lifetime *l;
	time_t t0 = time(NULL);

	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_ESP, 60);
	ASSERT_EQ(0, pk_call(self->b, &self->m, &self->r));
	pk_build_add(&self->m, SADB_ADD, 61, 0x4100, "10.7.4.1", "10.7.4.2");
	pk_lifetime(&self->m, SADB_EXT_LIFETIME_HARD, 0, 0, 3, 0);
	pk_lifetime(&self->m, SADB_EXT_LIFETIME_SOFT, 0, 0, 1, 0);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_LIFETIME_HARD]);

	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_EXPIRE, 5000));
	EXPECT_EQ(61, self->r.hdr->sadb_msg_seq);
	EXPECT_EQ(SADB_SATYPE_ESP, self->r.hdr->sadb_msg_satype);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_LIFETIME_SOFT]);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_LIFETIME_HARD]);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_LIFETIME_CURRENT]);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_KEY_ENCRYPT]);
	EXPECT_EQ(SADB_SASTATE_DYING,
		  ((struct sadb_sa *)self->r.ext[SADB_EXT_SA])->sadb_sa_state);
	EXPECT_EQ(htonl(0x4100),
		  ((struct sadb_sa *)self->r.ext[SADB_EXT_SA])->sadb_sa_spi);

	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_EXPIRE, 5000));
	l = (struct sadb_lifetime *)self->r.ext[SADB_EXT_LIFETIME_HARD];
	ASSERT_NE(NULL, l);
	EXPECT_EQ(3, l->sadb_lifetime_addtime);
	EXPECT_EQ(NULL, self->r.ext[SADB_EXT_LIFETIME_SOFT]);
	EXPECT_LE(3, time(NULL) - t0);
	/* The unregistered socket got neither. */
	EXPECT_LT(pk_recv_type(self->c, &self->r, SADB_EXPIRE, 100), 0);

	pk_init(&self->m, SADB_GET, SADB_SATYPE_ESP, 62);
	pk_sa(&self->m, 0x4100, 0, 0, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.4.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.4.2", 0, 32, 255);
	EXPECT_EQ(ENOENT, pk_call(self->a, &self->m, &self->r));
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * An SA lives at least its hard addtime, wherever in a second it was
 * added: 8 SAs added 125 ms apart with a 2 s hard addtime, none expired
 * sooner than 2000 ms after its ADD was sent. (Whole-second clocks ended
 * an SA added late in a second up to 1 s early: most runs saw one.)
 */
TEST_F_TIMEOUT(dl, hard_addtime_is_never_early, PK_REGISTER_TIMEOUT)
{
	long long added[8], ms;
	struct sadb_sa *sa;
	int i, n;

	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_ESP, 70);
	ASSERT_EQ(0, pk_call(self->b, &self->m, &self->r));
	for (i = 0; i < 8; i++) {
		pk_build_add(&self->m, SADB_ADD, 71 + i, 0x4200 + i,
			     "10.7.5.1", "10.7.5.2");
		pk_lifetime(&self->m, SADB_EXT_LIFETIME_HARD, 0, 0, 2, 0);
		/* Both or neither (KAME); all zero: no soft limit. */
		pk_lifetime(&self->m, SADB_EXT_LIFETIME_SOFT, 0, 0, 0, 0);
		added[i] = mono_ms();
		ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
		usleep(125000);
	}
	for (n = 0; n < 8; n++) {
		ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_EXPIRE, 10000));
		ms = mono_ms();
		sa = (struct sadb_sa *)self->r.ext[SADB_EXT_SA];
		ASSERT_NE(NULL, sa);
		i = ntohl(sa->sadb_sa_spi) - 0x4200;
		ASSERT_TRUE(i >= 0 && i < 8);
		EXPECT_LE(2000, ms - added[i])
			TH_LOG("SA 0x%x: hard EXPIRE %lld ms after its ADD",
			       0x4200 + i, ms - added[i]);
	}
}

/*
 * Lifetimes of 2^63 s or more are never reached (compared unsigned: a
 * signed cast once made them negative, due at the first tick): the SA is
 * still there after three ticks of the worker, no EXPIRE sent.
 */
TEST_F_TIMEOUT(dl, huge_lifetimes_never_fire, PK_REGISTER_TIMEOUT)
{
	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_ESP, 90);
	ASSERT_EQ(0, pk_call(self->b, &self->m, &self->r));
	pk_build_add(&self->m, SADB_ADD, 91, 0x4300, "10.7.5.1", "10.7.5.2");
	pk_lifetime(&self->m, SADB_EXT_LIFETIME_HARD, 0, 0, 1ULL << 63,
		    1ULL << 63);
	pk_lifetime(&self->m, SADB_EXT_LIFETIME_SOFT, 0, 0, 1ULL << 63,
		    1ULL << 63);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	EXPECT_GT(0, pk_recv_type(self->b, &self->r, SADB_EXPIRE, 3500));
	pk_init(&self->m, SADB_GET, SADB_SATYPE_ESP, 92);
	pk_sa(&self->m, 0x4300, 0, 0, 0);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.5.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.5.2", 0, 32, 255);
	EXPECT_EQ(0, pk_call(self->a, &self->m, &self->r));
}

TEST_F_TIMEOUT(dl, acquire_from_user_goes_to_registered, PK_REGISTER_TIMEOUT)
{
	struct sadb_prop *prop;

	pk_init(&self->m, SADB_REGISTER, SADB_SATYPE_ESP, 80);
	ASSERT_EQ(0, pk_call(self->b, &self->m, &self->r));
	pk_drain(self->a);
	pk_init(&self->m, SADB_ACQUIRE, SADB_SATYPE_ESP, 81);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.5.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.5.2", 0, 32, 255);
	prop = pk_ext(&self->m, SADB_EXT_PROPOSAL,
		      sizeof(*prop) + sizeof(struct sadb_comb));
	prop->sadb_prop_replay = 32;
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	EXPECT_EQ(self->m.len, (size_t)self->r.len);
	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_ACQUIRE, 1000));
	EXPECT_EQ(81, self->r.hdr->sadb_msg_seq);
	EXPECT_NE(NULL, self->r.ext[SADB_EXT_PROPOSAL]);
	EXPECT_TRUE(silent(self->c));
	/* KAME: SAs already exist between the addresses: EEXIST. */
	pk_build_add(&self->m, SADB_ADD, 82, 0x4200, "10.7.5.1", "10.7.5.2");
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	pk_init(&self->m, SADB_ACQUIRE, SADB_SATYPE_ESP, 83);
	pk_addr(&self->m, SADB_EXT_ADDRESS_SRC, "10.7.5.1", 0, 32, 255);
	pk_addr(&self->m, SADB_EXT_ADDRESS_DST, "10.7.5.2", 0, 32, 255);
	pk_ext(&self->m, SADB_EXT_PROPOSAL, sizeof(*prop));
	EXPECT_EQ(EEXIST, pk_call(self->a, &self->m, &self->r));
}

TEST_F(dl, flush_notifies_all)
{
	pk_init(&self->m, SADB_FLUSH, SADB_SATYPE_UNSPEC, 70);
	ASSERT_EQ(0, pk_call(self->a, &self->m, &self->r));
	ASSERT_LT(0, pk_recv_type(self->b, &self->r, SADB_FLUSH, 1000));
	EXPECT_EQ(70, self->r.hdr->sadb_msg_seq);
	ASSERT_LT(0, pk_recv_type(self->c, &self->r, SADB_FLUSH, 1000));
}

TEST_HARNESS_MAIN
