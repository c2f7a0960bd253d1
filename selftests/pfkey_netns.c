// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege and isolation: a user namespace without CAP_NET_ADMIN over the
 * target netns gets EPERM; a new user+net namespace gets its own PF_KEY
 * world (SAD, SPD, sysctls) that the parent's entries do not reach.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pfkey_util.h"

/* Run @fn in a child after unshare(@flags); its exit status. */
static int in_child(int flags, int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (unshare(flags))
			_exit(100 + errno);
		_exit(fn());
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int open_errno(void)
{
	int fd = pk_open();

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno;
}

/* In a fresh netns: empty SAD, default sysctls, own SAs. */
static int fresh_world(void)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int fd = pk_open();

	if (fd < 0)
		return 10;
	pk_init(&m, SADB_DUMP, 0, 1);
	if (pk_call(fd, &m, &r) != ENOENT)
		return 11;
	if (pk_sysctl_get("net/key/larval_lifetime") != 30)
		return 12;
	if (pk_sysctl_get("net/inet/ipsec/esp_trans_deflev") != 1)
		return 13;
	pk_build_add(&m, SADB_ADD, 2, 0x6000, "10.13.0.1", "10.13.0.2");
	if (pk_call(fd, &m, &r))
		return 14;
	close(fd);
	return 0;
}

TEST(unprivileged_userns_gets_eperm)
{
	int rc = in_child(CLONE_NEWUSER, open_errno);

	if (rc == 100 + EPERM || rc == 100 + EINVAL)
		SKIP(return, "user namespaces not available");
	EXPECT_EQ(EPERM, rc);
}

TEST(new_netns_is_isolated)
{
	static struct pk_msg m;
	static struct pk_reply r;
	int fd = pk_open(), rc;

	ASSERT_LE(0, fd);
	pk_build_add(&m, SADB_ADD, 1, 0x6000, "10.13.0.1", "10.13.0.2");
	ASSERT_EQ(0, pk_call(fd, &m, &r));
	rc = in_child(CLONE_NEWUSER | CLONE_NEWNET, fresh_world);
	if (rc == 100 + EPERM || rc == 100 + EINVAL)
		SKIP(return, "user namespaces not available");
	EXPECT_EQ(0, rc);
	/* The child's SA (same SPI) did not land here: still ours only. */
	pk_init(&m, SADB_DUMP, SADB_SATYPE_ESP, 3);
	ASSERT_LT(0, pk_send(fd, &m));
	ASSERT_LT(0, pk_recv_type(fd, &r, SADB_DUMP, 2000));
	EXPECT_EQ(0, r.hdr->sadb_msg_errno);
	EXPECT_EQ(0, r.hdr->sadb_msg_seq);	/* the only entry */
	pk_init(&m, SADB_FLUSH, 0, 4);
	ASSERT_EQ(0, pk_call(fd, &m, &r));
	close(fd);
}

TEST(sysctls_are_per_netns)
{
	long saved = pk_sysctl_get("net/key/spi_trycnt");

	ASSERT_EQ(1000, saved);
	ASSERT_EQ(0, pk_sysctl_set("net/key/spi_trycnt", 7));
	EXPECT_EQ(0, in_child(CLONE_NEWNET, fresh_world));
	EXPECT_EQ(7, pk_sysctl_get("net/key/spi_trycnt"));
	ASSERT_EQ(0, pk_sysctl_set("net/key/spi_trycnt", saved));
	/* Out of range values are refused. */
	EXPECT_EQ(-1, pk_sysctl_set("net/inet/ipsec/esp_trans_deflev", 3));
	EXPECT_EQ(1, pk_sysctl_get("net/inet/ipsec/esp_trans_deflev"));
	EXPECT_EQ(1, pk_sysctl_get("net/inet6/ipsec6/def_policy"));
	EXPECT_EQ(0, pk_sysctl_get("net/key/preferred_oldsa"));
	EXPECT_EQ(0, pk_sysctl_get("net/key/prefered_oldsa"));
}

TEST_HARNESS_MAIN
