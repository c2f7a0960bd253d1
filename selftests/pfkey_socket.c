// SPDX-License-Identifier: GPL-2.0
/* PF_KEY socket basics: what socket(2) and a malformed write(2) return. */
#include <errno.h>
#include <linux/pfkeyv2.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"

TEST(raw_v2_socket_opens)
{
	int fd = socket(PF_KEY, SOCK_RAW, PF_KEY_V2);

	ASSERT_LE(0, fd);
	close(fd);
}

TEST(dgram_socket_refused)
{
	ASSERT_EQ(-1, socket(PF_KEY, SOCK_DGRAM, PF_KEY_V2));
	ASSERT_EQ(ESOCKTNOSUPPORT, errno);
}

TEST(wrong_protocol_refused)
{
	ASSERT_EQ(-1, socket(PF_KEY, SOCK_RAW, 1));
	ASSERT_EQ(EPROTONOSUPPORT, errno);
}

TEST(short_write_is_einval)
{
	char buf[8] = { PF_KEY_V2, SADB_FLUSH };
	int fd = socket(PF_KEY, SOCK_RAW, PF_KEY_V2);

	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, write(fd, buf, sizeof(buf)));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST(length_field_must_match_write)
{
	struct sadb_msg m = {
		.sadb_msg_version = PF_KEY_V2,
		.sadb_msg_type = SADB_FLUSH,
		.sadb_msg_len = 3,	/* says 24 bytes, write has 16 */
	};
	int fd = socket(PF_KEY, SOCK_RAW, PF_KEY_V2);

	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, write(fd, &m, sizeof(m)));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST(bad_version_is_einval)
{
	struct sadb_msg m = {
		.sadb_msg_version = 1,
		.sadb_msg_type = SADB_FLUSH,
		.sadb_msg_len = 2,
	};
	int fd = socket(PF_KEY, SOCK_RAW, PF_KEY_V2);

	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, write(fd, &m, sizeof(m)));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST_HARNESS_MAIN
