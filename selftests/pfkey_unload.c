// SPDX-License-Identifier: GPL-2.0
/*
 * Teardown frees everything: SA and policy objects go back to 0 after a
 * flush, and the module unloads with SAs, policies and an abandoned dump
 * left behind (a leak would make kmem_cache_destroy() warn; the VM runner
 * fails on any kernel warning). Reloads the module afterwards.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"

static long stat_of(const char *name)
{
	char key[64];
	long v, found = -1;
	FILE *f = fopen("/proc/net/kame_pfkey", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/* Objects are freed after an RCU grace period: wait a little. */
static long settle(const char *name)
{
	long v = -1;
	int i;

	for (i = 0; i < 50; i++) {
		v = stat_of(name);
		if (v == 0)
			break;
		usleep(100000);
	}
	return v;
}

static void fill(struct __test_metadata *_metadata, int fd, int n)
{
	static struct pk_msg m;
	static struct pk_reply r;
	char src[32];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(src, sizeof(src), "10.11.%d.%d", i / 250, i % 250 + 1);
		pk_build_add(&m, SADB_ADD, 1, 0x1000 + i, src, "10.12.0.1");
		pk_lifetime(&m, SADB_EXT_LIFETIME_HARD, 0, 0, 3600, 0);
		pk_lifetime(&m, SADB_EXT_LIFETIME_SOFT, 0, 0, 3000, 0);
		ASSERT_EQ(0, pk_call(fd, &m, &r));
		pk_build_spd(&m, SADB_X_SPDADD, 2, IPSEC_DIR_OUTBOUND, src, 32,
			     "10.12.0.1", 32, IPSEC_POLICY_IPSEC);
		pk_ipsecreq(&m, IPPROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_LEVEL_UNIQUE,
			    0, "192.168.1.1", "192.168.1.2");
		ASSERT_EQ(0, pk_call(fd, &m, &r));
	}
}

TEST(counters_back_to_zero_after_flush)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int fd = pk_open();

	ASSERT_LE(0, fd);
	fill(_metadata, fd, 200);
	EXPECT_LE(200, stat_of("sa_objects"));
	EXPECT_LE(200, stat_of("policy_objects"));
	EXPECT_EQ(200, stat_of("sad"));
	pk_init(&m, SADB_FLUSH, 0, 3);
	ASSERT_EQ(0, pk_call(fd, &m, &r));
	pk_init(&m, SADB_X_SPDFLUSH, 0, 4);
	ASSERT_EQ(0, pk_call(fd, &m, &r));
	EXPECT_EQ(0, stat_of("sad"));
	EXPECT_EQ(0, stat_of("spd"));
	EXPECT_EQ(0, settle("sa_objects"));
	EXPECT_EQ(0, settle("policy_objects"));
	close(fd);
}

TEST(unload_with_state_and_abandoned_dump)
{
	static struct pk_msg m;
	int fd = pk_open(), dumper = pk_open(), rcvbuf = 4096;
	const char *ko = getenv("KAMEIPSEC_KO") ?: "../kameipsec.ko";

	ASSERT_LE(0, fd);
	ASSERT_LE(0, dumper);
	if (access(ko, R_OK))
		SKIP(return, "no %s to reload", ko);
	fill(_metadata, fd, 500);
	/* A dump the reader never drains, then the socket goes away. */
	ASSERT_EQ(0, setsockopt(dumper, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				sizeof(rcvbuf)));
	pk_init(&m, SADB_DUMP, 0, 5);
	ASSERT_LT(0, pk_send(dumper, &m));
	EXPECT_EQ(1, stat_of("dumps"));
	close(dumper);
	EXPECT_EQ(0, stat_of("dumps"));
	close(fd);

	ASSERT_EQ(0, system("rmmod kameipsec"));
	ASSERT_EQ(0, system("dmesg | grep -q 'kame_sa' && exit 1 || exit 0"));
	{
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "insmod %s", ko);
		ASSERT_EQ(0, system(cmd));
	}
	EXPECT_EQ(0, stat_of("sa_objects"));
	EXPECT_EQ(0, stat_of("sad"));
}

TEST_HARNESS_MAIN
