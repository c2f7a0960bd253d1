// SPDX-License-Identifier: GPL-2.0
/*
 * Automatic reqids: a request of level "unique" without a manual reqid gets
 * one from the netns's one sequence (KAME: 0x4000..0xffff), whether it
 * comes in an SPD policy (PF_KEY) or a socket policy (setsockopt). What a
 * user sees when the two draw from separate ranges that overlap: a socket
 * policy holding the reqid of an SPD policy uses the SAs a key daemon
 * negotiated for that SPD policy. Each test runs in a netns of its own,
 * where the sequence starts afresh. Run as root with kameipsec loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/pfkeyv2.h>
#include <linux/ipsec.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"
#include "sockpolicy_util.h"

#define REQID_AUTO_MIN	0x4000		/* IPSEC_MANUAL_REQID_MAX + 1 */
#define REQID_AUTO_MAX	0xffff
#define SPI		0x7e57

static const char sock_unique[] = "out ipsec esp/transport//unique";

/* A netns of our own with lo up, and a PF_KEY socket in it; the fd or -1. */
static int fresh_netns(struct __test_metadata *_metadata)
{
	struct sp_stat st;
	int fd;

	if (geteuid())
		SKIP(return -1, "needs root");
	if (unshare(CLONE_NEWNET))
		SKIP(return -1, "unshare(CLONE_NEWNET): %s", strerror(errno));
	if (sp_stat_read(&st))
		SKIP(return -1, "kameipsec not loaded (/proc/net/kame_sockpolicy)");
	if (sp_lo_up())
		return -1;
	fd = pk_open();
	return fd;
}

/*
 * X_SPDUPDATE of "out 127.0.0.1 -> 127.0.0.1 esp/transport//unique" (no
 * manual reqid); the reqid it was given, or 0 on error.
 */
static uint32_t spd_unique(int fd, struct pk_msg *m, struct pk_reply *r,
			   uint32_t seq)
{
	const struct sadb_x_policy *x;

	pk_build_spd(m, SADB_X_SPDUPDATE, seq, IPSEC_DIR_OUTBOUND,
		     "127.0.0.1", 32, "127.0.0.1", 32, IPSEC_POLICY_IPSEC);
	pk_ipsecreq(m, IPPROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_LEVEL_UNIQUE,
		    0, NULL, NULL);
	if (pk_call(fd, m, r) || !r->ext[SADB_X_EXT_POLICY])
		return 0;
	x = (const struct sadb_x_policy *)r->ext[SADB_X_EXT_POLICY];
	return ((const struct sadb_x_ipsecrequest *)(x + 1))->sadb_x_ipsecrequest_reqid;
}

/* SADB_ADD of an ESP transport SA 127.0.0.1 -> 127.0.0.1 with @reqid. */
static int add_sa(int fd, struct pk_msg *m, struct pk_reply *r, uint32_t reqid)
{
	pk_init(m, SADB_ADD, SADB_SATYPE_ESP, 7);
	pk_sa(m, SPI, SADB_AALG_SHA1HMAC, SADB_EALG_3DESCBC, 32);
	pk_sa2(m, IPSEC_MODE_TRANSPORT, reqid);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "127.0.0.1", 0, 32, IPSEC_ULPROTO_ANY);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "127.0.0.1", 0, 32, IPSEC_ULPROTO_ANY);
	pk_key(m, SADB_EXT_KEY_AUTH, 160, 0xaa);
	pk_key(m, SADB_EXT_KEY_ENCRYPT, 192, 0xee);
	return pk_call(fd, m, r);
}

/* Packets the SA has carried (LIFETIME_CURRENT allocations), or -1. */
static long sa_packets(int fd, struct pk_msg *m, struct pk_reply *r)
{
	const struct sadb_lifetime *cur;

	pk_init(m, SADB_GET, SADB_SATYPE_ESP, 8);
	pk_sa(m, SPI, 0, 0, 0);
	pk_addr(m, SADB_EXT_ADDRESS_SRC, "127.0.0.1", 0, 32, IPSEC_ULPROTO_ANY);
	pk_addr(m, SADB_EXT_ADDRESS_DST, "127.0.0.1", 0, 32, IPSEC_ULPROTO_ANY);
	if (pk_call(fd, m, r))
		return -1;
	cur = (const struct sadb_lifetime *)r->ext[SADB_EXT_LIFETIME_CURRENT];
	return cur ? (long)cur->sadb_lifetime_allocations : -1;
}

/* Nothing shared: each test makes its own netns (TEST_F for its timeout). */
FIXTURE(reqid) {};
FIXTURE_SETUP(reqid) {}
FIXTURE_TEARDOWN(reqid) {}

static void settle(void)
{
	struct timespec ts = { .tv_nsec = 200 * 1000 * 1000 };

	nanosleep(&ts, NULL);	/* asynchronous crypto finishes */
}

/*
 * One sequence: once a socket policy took the netns's first automatic
 * reqid, the SPD's first one is the next. (Before, the SPD began its own
 * range at 0x4000 whatever the sockets held.)
 */
TEST_F(reqid, socket_then_spd_share_the_sequence)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int pk = fresh_netns(_metadata), s;
	uint32_t id;

	if (_metadata->skip)
		return;
	ASSERT_LE(0, pk);
	id = spd_unique(pk, &m, &r, 1);
	EXPECT_EQ(REQID_AUTO_MIN, id) TH_LOG("a fresh netns's first automatic reqid");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, sp_set(s, AF_INET, sock_unique));	/* takes 0x4001 */
	id = spd_unique(pk, &m, &r, 2);
	EXPECT_EQ(REQID_AUTO_MIN + 2, id)
		TH_LOG("SPD reqid %#x after a socket policy took one", id);
	close(s);
	close(pk);
}

/*
 * The collision a user sees. A socket policy takes an automatic reqid;
 * then the SPD hands out 0x8002 more (a key daemon's policies, replaced
 * again and again): separate ranges (the SPD's from 0x4000, the sockets'
 * from 0xc001) meet here, and the last SPD policy got the socket's reqid.
 * An SA for that SPD policy's reqid must carry the SPD policy's traffic
 * (another socket) and never the socket policy's. 0x8002 PF_KEY round
 * trips take a few seconds natively, more under emulation.
 */
TEST_F_TIMEOUT(reqid, socket_policy_never_uses_an_spd_policys_sa, 300)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int pk = fresh_netns(_metadata), s, plain;
	uint32_t id = 0, i, n = 0x8002;
	long before, after;

	if (_metadata->skip)
		return;
	ASSERT_LE(0, pk);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, sp_set(s, AF_INET, sock_unique));
	for (i = 0; i < n; i++) {
		id = spd_unique(pk, &m, &r, 100 + i);
		ASSERT_NE(0, id) TH_LOG("X_SPDUPDATE %u failed", i);
		ASSERT_LE(REQID_AUTO_MIN, id);
		ASSERT_GE(REQID_AUTO_MAX, id);
	}
	TH_LOG("the SPD policy's reqid after %u updates: %#x", n, id);
	ASSERT_EQ(0, add_sa(pk, &m, &r, id));
	pk_drain(pk);

	/* The socket policy's request: no SA of its reqid, so none is used. */
	before = sa_packets(pk, &m, &r);
	ASSERT_EQ(0, before);
	sp_send_lo(s);		/* dropped for want of an SA: EPERM */
	settle();
	after = sa_packets(pk, &m, &r);
	EXPECT_EQ(before, after)
		TH_LOG("the socket policy's packet went out with the SPD policy's SA");

	/* The SPD policy's traffic (a socket without a policy) does use it. */
	plain = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, plain);
	EXPECT_EQ(0, sp_send_lo(plain));
	settle();
	EXPECT_LT(after, sa_packets(pk, &m, &r))
		TH_LOG("the SPD policy's packet did not use its SA: nothing was tested");
	close(plain);
	close(s);
	close(pk);
}

TEST_HARNESS_MAIN
