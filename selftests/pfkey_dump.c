// SPDX-License-Identifier: GPL-2.0
/*
 * Large dumps: 100,000 SAs through SADB_DUMP and 10,000 policies through
 * SADB_X_SPDDUMP, read through a small receive buffer. Every entry must
 * arrive, once, with sadb_msg_seq counting down to 0 (KAME); a second
 * dump on the same socket meanwhile is EBUSY.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"

#define NSA	100000
#define NSP	10000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int flush_all(int fd)
{
	static struct pk_msg m;
	static struct pk_reply r;

	pk_init(&m, SADB_FLUSH, 0, 1);
	if (pk_call(fd, &m, &r))
		return -1;
	pk_init(&m, SADB_X_SPDFLUSH, 0, 2);
	return pk_call(fd, &m, &r);
}

FIXTURE(big) {
	int unused;
};

FIXTURE_SETUP(big)
{
}

FIXTURE_TEARDOWN(big)
{
}

/* Seconds on the stock kernel; over 300 s on the debug kernel (KASAN). */
TEST_F_TIMEOUT(big, dump_100000_sas, 1800)
{
	static struct pk_msg m;
	static struct pk_reply r;
	long saved = pk_sysctl_get("net/key/larval_lifetime");
	int fd = pk_open(), rcvbuf = 16384, ebusy = 0;
	unsigned char *seen = calloc(NSA, 1);
	uint32_t i, expect = NSA - 1, got = 0;
	double t0;

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, seen);
	ASSERT_EQ(0, flush_all(fd));
	/* Larval SAs (GETSPI): cheap to create, dumped like any other. */
	ASSERT_EQ(0, pk_sysctl_set("net/key/larval_lifetime", 3600));
	t0 = now();
	for (i = 0; i < NSA; i++) {
		pk_init(&m, SADB_GETSPI, SADB_SATYPE_ESP, 10);
		pk_addr(&m, SADB_EXT_ADDRESS_SRC, "10.8.0.1", 0, 32, 255);
		pk_addr(&m, SADB_EXT_ADDRESS_DST, "10.8.0.2", 0, 32, 255);
		pk_spirange(&m, 0x100000 + i, 0x100000 + i);
		ASSERT_EQ(m.len, (size_t)pk_send(fd, &m));
		ASSERT_LT(0, pk_recv(fd, &r, 2000));
		ASSERT_EQ(0, r.hdr->sadb_msg_errno);
	}
	TH_LOG("added %d SAs in %.1f s", NSA, now() - t0);

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	t0 = now();
	pk_init(&m, SADB_DUMP, SADB_SATYPE_ESP, 20);
	ASSERT_LT(0, pk_send(fd, &m));
	while (pk_recv(fd, &r, 5000) > 0) {
		uint32_t spi;

		ASSERT_EQ(SADB_DUMP, r.hdr->sadb_msg_type);
		if (r.hdr->sadb_msg_errno) {
			/* The second dump, refused while the first runs. */
			EXPECT_EQ(EBUSY, r.hdr->sadb_msg_errno);
			EXPECT_EQ(21, r.hdr->sadb_msg_seq);
			ebusy++;
			continue;
		}
		ASSERT_EQ(expect, r.hdr->sadb_msg_seq);
		ASSERT_NE(NULL, r.ext[SADB_EXT_SA]);
		spi = ntohl(((struct sadb_sa *)r.ext[SADB_EXT_SA])->sadb_sa_spi);
		ASSERT_LE(0x100000, spi);
		ASSERT_GT(0x100000 + NSA, spi);
		ASSERT_EQ(0, seen[spi - 0x100000]);
		seen[spi - 0x100000] = 1;
		got++;
		if (got == 10) {
			pk_init(&m, SADB_DUMP, SADB_SATYPE_ESP, 21);
			ASSERT_LT(0, pk_send(fd, &m));
		}
		if (!expect)
			break;
		expect--;
	}
	TH_LOG("dumped %u SAs in %.1f s", got, now() - t0);
	EXPECT_EQ(NSA, got);
	EXPECT_EQ(1, ebusy);
	ASSERT_EQ(0, flush_all(fd));
	pk_sysctl_set("net/key/larval_lifetime", saved);
	free(seen);
	close(fd);
}

TEST_F_TIMEOUT(big, spddump_10000_policies, 900)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int fd = pk_open(), rcvbuf = 8192;
	uint32_t i, got = 0, expect = NSP - 1;
	char src[32];

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, flush_all(fd));
	for (i = 0; i < NSP; i++) {
		snprintf(src, sizeof(src), "10.9.%u.%u", i / 250, i % 250 + 1);
		pk_build_spd(&m, SADB_X_SPDADD, 30, IPSEC_DIR_OUTBOUND, src, 32,
			     "10.10.0.1", 32, IPSEC_POLICY_IPSEC);
		pk_ipsecreq(&m, IPPROTO_ESP, IPSEC_MODE_TRANSPORT,
			    IPSEC_LEVEL_REQUIRE, 0, NULL, NULL);
		ASSERT_EQ(m.len, (size_t)pk_send(fd, &m));
		ASSERT_LT(0, pk_recv(fd, &r, 2000));
		ASSERT_EQ(0, r.hdr->sadb_msg_errno);
	}
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	pk_init(&m, SADB_X_SPDDUMP, 0, 31);
	ASSERT_LT(0, pk_send(fd, &m));
	while (pk_recv(fd, &r, 5000) > 0) {
		ASSERT_EQ(SADB_X_SPDDUMP, r.hdr->sadb_msg_type);
		ASSERT_EQ(0, r.hdr->sadb_msg_errno);
		ASSERT_EQ(expect, r.hdr->sadb_msg_seq);
		/* Insertion order within the direction. */
		snprintf(src, sizeof(src), "10.9.%u.%u", got / 250, got % 250 + 1);
		ASSERT_EQ(ntohl(inet_addr(src)), pk_addr4(r.ext[SADB_EXT_ADDRESS_SRC]));
		got++;
		if (!expect)
			break;
		expect--;
	}
	EXPECT_EQ(NSP, got);
	ASSERT_EQ(0, flush_all(fd));
	close(fd);
}

TEST_HARNESS_MAIN
